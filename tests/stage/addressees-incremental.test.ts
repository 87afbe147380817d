import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { addresseesStage } from '../../pipeline/addressees/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';
import { retireDocument } from '../helpers/db.js';

/**
 * The incremental addressees run after adding, changing and removing a document must write what a
 * full recomputation (`--all`) writes. The documents are chosen so that the corpus-wide steps move:
 * «ГАУ ДПО СОИРО» (unexplained in its two documents) becomes the Smolensk institute once a document
 * names it in full, which renames the entity of recommendations in documents the run did not
 * resolve again; removing that document undoes it.
 */
const SMOLENSK_2021 = (departmentBlock: boolean) =>
  [
    'РЕЗОЛЮЦИЯ',
    'региональной научно-практической конференции «Инклюзивное образование: опыт и перспективы»',
    '',
    'г. Смоленск, 18 марта 2021 г.',
    '',
    '18 марта 2021 года в Смоленской области состоялась региональная научно-практическая конференция. В конференции приняли участие 140 педагогов Смоленской области.',
    '',
    'Участники конференции рекомендуют:',
    '',
    'ГАУ ДПО СОИРО:',
    '1. Разработать программу повышения квалификации педагогов по сопровождению детей с расстройствами аутистического спектра;',
    '2. Провести серию вебинаров для учителей-логопедов общеобразовательных организаций.',
    '',
    ...(departmentBlock
      ? ['Департаменту Смоленской области по образованию и науке:', '1. Обеспечить финансирование ресурсных центров инклюзивного образования.', '']
      : ['Муниципальным органам управления образованием:', '1. Назначить ответственных за инклюзивное образование в каждом муниципалитете.', '']),
  ].join('\n');

const SMOLENSK_2022 = [
  'РЕЗОЛЮЦИЯ',
  'региональной конференции «Современная школа: управление качеством образования»',
  '',
  'г. Смоленск, 15 апреля 2022 г.',
  '',
  '15 апреля 2022 года в Смоленской области состоялась региональная конференция руководителей образовательных организаций.',
  '',
  'Участники конференции рекомендуют:',
  '',
  'Смоленскому областному институту развития образования:',
  '1. Организовать стажировки для руководителей школ с низкими образовательными результатами;',
  '2. Подготовить методические рекомендации по внутренней системе оценки качества образования.',
  '',
  'Департаменту Смоленской области по образованию и науке:',
  '1. Предусмотреть гранты для школ, реализующих программы перехода в эффективный режим;',
  '2. Организовать мониторинг кадрового обеспечения сельских школ.',
  '',
].join('\n');

/** Every table the stage writes, without run_id (an incremental run keeps the rows it did not change). */
const TABLES = ['addressees', 'addressee_forms', 'rec_addressees', 'addressee_review', 'addressee_observations', 'addressee_resolutions', 'addressee_inputs'];

describe('addressees: the incremental run equals a full recomputation', () => {
  const dir = tempDir('confrec-addr-inc-');
  const docs = join(dir, 'docs');
  const noAliases = join(dir, 'none.json');
  let store: Store;
  const ctx = (options: Record<string, unknown> = {}) => ({ log: silentLogger, quiet: true, options: { aliases: noAliases, ...options } });

  /** The folder changed: ingest and segment it, then the incremental run; returns its counts. */
  async function update(): Promise<Record<string, unknown>> {
    await ingestFolder(store, docs, ctx());
    await segmentStage.run(store, ctx());
    return (await addresseesStage.run(store, ctx())).counts as Record<string, unknown>;
  }

  /** Rows only in the incremental result and only in the full one, per table (all zero when equal). */
  async function differenceFromFull(): Promise<Record<string, [number, number]>> {
    const out: Record<string, [number, number]> = {};
    const cols = async (t: string) =>
      (await store.all<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 AND column_name <> 'run_id' ORDER BY ordinal_position`, [t])).map((r) => r.c).join(', ');
    for (const t of TABLES) await store.run(`CREATE OR REPLACE TEMP TABLE inc_${t} AS SELECT ${await cols(t)} FROM ${t}`);
    await addresseesStage.run(store, ctx({ all: true }));
    for (const t of TABLES) {
      const c = await cols(t);
      const a = await store.scalar<number>(`SELECT count(*) FROM (SELECT ${c} FROM inc_${t} EXCEPT ALL SELECT ${c} FROM ${t})`);
      const b = await store.scalar<number>(`SELECT count(*) FROM (SELECT ${c} FROM ${t} EXCEPT ALL SELECT ${c} FROM inc_${t})`);
      out[t] = [a, b];
    }
    return out;
  }
  const equal = Object.fromEntries(TABLES.map((t) => [t, [0, 0]]));

  /** The entity of the recommendations addressed to «ГАУ ДПО СОИРО» in a sample resolution (never resolved again here). */
  const soiroInSample = () =>
    store.all<{ addressee_id: string; canonical_name: string }>(
      `SELECT DISTINCT a.addressee_id, a.canonical_name FROM recommendations r JOIN current_documents d USING (doc_id)
       JOIN rec_addressees ra USING (rec_id) JOIN addressees a USING (addressee_id)
       WHERE r.addressee = 'ГАУ ДПО СОИРО' AND d.source_file LIKE 'resolution-%'`,
    );

  beforeAll(async () => {
    mkdirSync(docs);
    for (const f of readdirSync(SAMPLE_DIR)) copyFileSync(join(SAMPLE_DIR, f), join(docs, f));
    writeFileSync(join(docs, 'smolensk-2021.txt'), SMOLENSK_2021(true));
    store = await Store.open(join(dir, 'db.duckdb'));
    await ingestFolder(store, docs, ctx());
    await segmentStage.run(store, ctx());
    await addresseesStage.run(store, ctx());
  });
  afterAll(() => store.close());

  it('adding a document that names an abbreviated body in full renames it everywhere, as --all does', async () => {
    const before = await soiroInSample();
    expect(before).toHaveLength(1);
    writeFileSync(join(docs, 'smolensk-2022.txt'), SMOLENSK_2022);
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.resolved_documents).toBe(1);
    // The sample's «ГАУ ДПО СОИРО» now is the institute the new document names.
    const after = await soiroInSample();
    expect(after.map((e) => e.canonical_name)).toEqual(['Смоленский областной институт развития образования']);
    expect(after[0].addressee_id).not.toBe(before[0].addressee_id);
    expect(counts.renamed_observations).toBeGreaterThan(0);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('changing a document replaces its forms only, as --all does', async () => {
    writeFileSync(join(docs, 'smolensk-2021.txt'), SMOLENSK_2021(false));
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.resolved_documents).toBe(1);
    const forms = await store.all<{ form: string }>(
      `SELECT DISTINCT o.form FROM addressee_observations o JOIN current_documents d USING (doc_id) WHERE d.source_file = 'smolensk-2021.txt' ORDER BY 1`,
    );
    expect(forms.map((f) => f.form)).toEqual(['ГАУ ДПО СОИРО', 'Муниципальные органы управления образованием']);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('removing the document undoes the merge in documents not resolved again, as --all does', async () => {
    await retireDocument(store, docs, 'smolensk-2022.txt');
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.resolved_documents).toBe(0);
    expect((await soiroInSample()).map((e) => e.canonical_name)).toEqual(['ГАУ ДПО СОИРО']);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('stays incremental after a run that had nothing to do', async () => {
    expect(((await addresseesStage.run(store, ctx())).counts as Record<string, unknown>).unchanged).toBe(true);
    writeFileSync(join(docs, 'smolensk-2022.txt'), SMOLENSK_2022.replace('2022', '2023'));
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.resolved_documents).toBe(1);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('recomputes everything when the alias file changes', async () => {
    writeFileSync(noAliases, JSON.stringify({ aliases: [{ form: 'СОИРО', name: 'Смоленский областной институт развития образования', region: 'Смоленская область' }] }));
    const counts = (await addresseesStage.run(store, ctx())).counts as Record<string, unknown>;
    expect(counts.incremental).toBe(false);
    expect((await soiroInSample()).map((e) => e.canonical_name)).toEqual(['Смоленский областной институт развития образования']);
  });
});

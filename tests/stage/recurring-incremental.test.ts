import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../pipeline/config.js';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { recurringStage } from '../../pipeline/recurring/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { tempDir } from '../helpers/tmp.js';
import { retireDocument } from '../helpers/db.js';
import { DISTRICT_OWN, augustResolution } from '../helpers/resolutions.js';

/**
 * The incremental recurring run after adding, changing and removing a conference must write what a
 * full derivation (`--all`) writes, while deriving again only the groups the change touches. Two
 * proposals recur in a district's conferences: REPEATED (2019–2022, then again in 2024) and
 * SECOND (2019–2021); each step touches one of them.
 */
const REPEATED = 'обеспечить методическое сопровождение педагогов, работающих с детьми с ограниченными возможностями здоровья';
const SECOND = 'провести муниципальный конкурс профессионального мастерства среди молодых педагогов';
const OWN: Record<number, string[]> = {
  ...DISTRICT_OWN,
  2024: ['создать районный центр психологической помощи семьям', 'оборудовать кабинеты химии в сельских школах'],
};

const resolution = (year: number, items: string[]) => augustResolution(year, 'Общеобразовательным организациям', items);

const TABLES = ['recurring_proposals', 'recurring_members', 'conference_novelty', 'recurring_inputs'];

describe('recurring: the incremental run equals a full derivation', () => {
  const dir = tempDir('confrec-recurring-inc-');
  const docs = join(dir, 'docs');
  let store: Store;
  const ctx = (options: Record<string, unknown> = {}) => ({ log: silentLogger, quiet: true, options: { aliases: join(dir, 'no-aliases.json'), ...options } });
  const write = (year: number, items: string[]) => writeFileSync(join(docs, `resolution-${year}.txt`), resolution(year, items));

  /** The folder changed: every stage up to recurring, then the incremental recurring run; its counts. */
  async function update(): Promise<Record<string, unknown>> {
    await ingestFolder(store, docs, ctx());
    for (const stage of DOWNSTREAM_STAGES) {
      if (stage.name === 'recurring') break;
      await stage.run(store, ctx());
    }
    return (await recurringStage.run(store, ctx())).counts as Record<string, unknown>;
  }

  const cols = async (t: string) =>
    (await store.all<{ c: string; t: string }>(`SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = $1 AND column_name <> 'run_id' ORDER BY ordinal_position`, [t]))
      .map((r) => `${r.c}::VARCHAR AS ${r.c}`)
      .join(', ');

  /** Rows only in the incremental result and only in the full one, per table. */
  async function differenceFromFull(): Promise<Record<string, [number, number]>> {
    for (const t of TABLES) await store.run(`CREATE OR REPLACE TEMP TABLE inc_${t} AS SELECT ${await cols(t)} FROM ${t}`);
    expect(((await recurringStage.run(store, ctx({ all: true }))).counts as Record<string, unknown>).incremental).toBe(false);
    const out: Record<string, [number, number]> = {};
    for (const t of TABLES) {
      const c = await cols(t);
      const a = await store.scalar<number>(`SELECT count(*) FROM (SELECT * FROM inc_${t} EXCEPT ALL SELECT ${c} FROM ${t})`);
      const b = await store.scalar<number>(`SELECT count(*) FROM (SELECT ${c} FROM ${t} EXCEPT ALL SELECT * FROM inc_${t})`);
      out[t] = [a, b];
    }
    return out;
  }
  const equal = Object.fromEntries(TABLES.map((t) => [t, [0, 0]]));
  const proposals = () =>
    store.all<{ text: string; n_documents: number; first_year: number; last_year: number }>(
      `SELECT lower(r.text) AS text, p.n_documents, p.first_year, p.last_year FROM recurring_proposals p JOIN recommendations r ON r.rec_id = p.medoid_rec_id ORDER BY text`,
    );
  const spanningGroups = () => store.scalar<number>(`SELECT count(*) FROM recurring_inputs`);

  // The embedding space stays and similar brings its pairs up to date (and records what changed) even
  // for a change this large in a corpus this small: the incremental novelty needs that record.
  const limits = { ...config.incremental };
  beforeAll(async () => {
    Object.assign(config.incremental, { similarMaxChange: 1, lexicalMaxUnseen: 1 });
    mkdirSync(docs);
    for (const year of [2019, 2020, 2021]) write(year, [REPEATED, SECOND, ...OWN[year]]);
    write(2022, [REPEATED, ...OWN[2022]]);
    write(2023, OWN[2023]);
    store = await Store.open(join(dir, 'db.duckdb'));
    expect((await update()).incremental).toBe(false);
    expect(await proposals()).toEqual([
      { text: REPEATED, n_documents: 4, first_year: 2019, last_year: 2022 },
      { text: SECOND, n_documents: 3, first_year: 2019, last_year: 2021 },
    ]);
  });
  afterAll(() => {
    Object.assign(config.incremental, limits);
    store.close();
  });

  it('adding a conference derives again only the proposal it repeats', async () => {
    write(2024, [REPEATED, ...OWN[2024]]);
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.groups_derived).toBeGreaterThan(0);
    expect(counts.groups_derived).toBeLessThan(await spanningGroups());
    // Novelty: the new conference and the four it repeats, not the 2023 one (similar recorded the changed pairs).
    expect(counts.novelty_incremental).toBe(true);
    expect(counts.novelty_documents).toBe(5);
    expect((await proposals()).map((p) => [p.text, p.n_documents, p.last_year])).toEqual([
      [REPEATED, 5, 2024],
      [SECOND, 3, 2021],
    ]);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('changing a conference so that a proposal no longer spans three years drops it, as --all does', async () => {
    write(2020, [REPEATED, ...OWN[2020]]);
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect((await proposals()).map((p) => p.text)).toEqual([REPEATED]);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('removing a conference updates the proposal and the novelty of the others, as --all does', async () => {
    await retireDocument(store, docs, 'resolution-2019.txt');
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect((await proposals()).map((p) => [p.text, p.n_documents, p.first_year])).toEqual([[REPEATED, 4, 2020]]);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('a conference redated in place changes its partners\' novelty, as --all does', async () => {
    // Not through similar (no pair changes): the partners are found from the pairs of the redated conference.
    await store.run(`UPDATE documents SET year = 2018, date_start = DATE '2018-08-28' WHERE is_current AND source_file = 'resolution-2022.txt'`);
    const counts = (await recurringStage.run(store, ctx())).counts as Record<string, unknown>;
    expect(counts.novelty_incremental).toBe(true);
    expect(counts.novelty_documents).toBeGreaterThan(1);
    expect(await differenceFromFull()).toEqual(equal);
  });

  it('stays incremental after a run with nothing to do', async () => {
    expect(((await recurringStage.run(store, ctx())).counts as Record<string, unknown>).unchanged).toBe(true);
    write(2025, [SECOND, ...OWN[2023]]);
    const counts = await update();
    expect(counts.incremental).toBe(true);
    expect(counts.novelty_incremental).toBe(true);
    expect(await differenceFromFull()).toEqual(equal);
  });
});

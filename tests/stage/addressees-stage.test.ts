import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { addresseesStage } from '../../pipeline/addressees/stage.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

describe('addressees stage on the sample corpus', () => {
  const dir = tempDir('confrec-addr-');
  const noAliases = join(dir, 'none.json');
  let store: Store;
  const ctx = (options: Record<string, unknown> = {}) => ({ log: silentLogger, quiet: true, options: { aliases: noAliases, ...options } });
  const entityOf = (docFile: string, addressee: string) =>
    store.all<{ addressee_id: string; canonical_name: string; method: string }>(
      `SELECT DISTINCT ra.addressee_id, a.canonical_name, f.method
       FROM recommendations r JOIN documents d USING (doc_id) JOIN rec_addressees ra USING (rec_id)
       JOIN addressees a USING (addressee_id) JOIN addressee_forms f ON f.form = r.addressee AND f.addressee_id = ra.addressee_id
       WHERE d.source_file = $1 AND r.addressee = $2`,
      [docFile, addressee],
    );

  beforeAll(async () => {
    store = await Store.open(join(dir, 'db.duckdb'));
    await ingestFolder(store, SAMPLE_DIR, ctx());
    await segmentStage.run(store, ctx());
    await addresseesStage.run(store, ctx());
  });
  afterAll(() => store.close());

  it('gives every recommendation with an addressee its entity, and none to those without', async () => {
    const missing = await store.scalar<number>(
      `SELECT count(*) FROM recommendations r WHERE r.addressee IS NOT NULL AND r.rec_id NOT IN (SELECT rec_id FROM rec_addressees)`,
    );
    const extra = await store.scalar<number>(`SELECT count(*) FROM rec_addressees ra JOIN recommendations r USING (rec_id) WHERE r.addressee IS NULL`);
    expect(missing).toBe(0);
    expect(extra).toBe(0);
    expect(await store.scalar<number>(`SELECT count(*) FROM rec_addressees`)).toBeGreaterThan(30);
  });

  it('expands an abbreviation the document spells out, and joins one kind of body across conferences', async () => {
    const chippkro = await entityOf('resolution-04.txt', 'ГБУ ДПО ЧИППКРО');
    expect(chippkro).toHaveLength(1);
    expect(chippkro[0].canonical_name).toBe('Челябинский институт переподготовки и повышения квалификации работников образования');
    expect(chippkro[0].method).toBe('initials');
    const omsu4 = await entityOf('resolution-04.txt', 'Органы местного самоуправления, осуществляющие управление в сфере образования');
    const omsu5 = await entityOf('resolution-05.txt', 'Органы местного самоуправления, осуществляющие управление в сфере образования');
    expect(omsu4[0].addressee_id).toBe('kind:municipal_education_authorities');
    expect(omsu5[0].addressee_id).toBe(omsu4[0].addressee_id);
  });

  it('lists an abbreviation nobody explains for review instead of guessing', async () => {
    const soiro = await entityOf('resolution-05.txt', 'ГАУ ДПО СОИРО');
    expect(soiro[0].method).toBe('unresolved');
    const review = await store.all<{ addressee_id: string; reason: string }>(`SELECT addressee_id, reason FROM addressee_review`);
    expect(review.map((r) => r.addressee_id)).toContain(soiro[0].addressee_id);
    expect(await store.scalar(`SELECT region FROM addressees WHERE addressee_id = $1`, [soiro[0].addressee_id])).toBe('Смоленская область');
  });

  it('applies the alias file on the next run, and says nothing changed when nothing did', async () => {
    const aliases = join(dir, 'aliases.json');
    writeFileSync(aliases, JSON.stringify({ aliases: [{ form: 'СОИРО', name: 'Смоленский областной институт развития образования', region: 'Смоленская область' }] }));
    const r = await addresseesStage.run(store, ctx({ aliases }));
    expect(r.line).not.toMatch(/nothing to do/);
    const soiro = await entityOf('resolution-05.txt', 'ГАУ ДПО СОИРО');
    expect(soiro[0].canonical_name).toBe('Смоленский областной институт развития образования');
    expect(soiro[0].method).toBe('alias');
    expect(await store.scalar<number>(`SELECT count(*) FROM addressee_review`)).toBe(0);
    expect((await addresseesStage.run(store, ctx({ aliases }))).line).toMatch(/nothing to do/);
  });

  it('refuses an invalid alias file before writing anything', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ aliases: [{ form: 'СОИРО' }] }));
    const before = await store.all(`SELECT * FROM rec_addressees ORDER BY rec_id, part`);
    await expect(addresseesStage.run(store, ctx({ aliases: bad }))).rejects.toThrow(ConfrecError);
    await expect(addresseesStage.run(store, ctx({ aliases: bad }))).rejects.toThrow(/entry #1 \(СОИРО\): "name"/);
    expect(await store.all(`SELECT * FROM rec_addressees ORDER BY rec_id, part`)).toEqual(before);
  });
});

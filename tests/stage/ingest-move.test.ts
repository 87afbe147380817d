/**
 * A whole folder moved (the researcher reorganises their downloads): every document keeps its
 * doc_id, rec_ids and metadata, its path follows the file, and a sidecar found at the new place is
 * applied. More files than one chunk of stored texts (ingest/stage.ts storedTexts), so the chunked
 * reads and the one-statement moves and metadata updates are exercised across a chunk boundary.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

const CITIES = ['Пскове', 'Курске', 'Томске', 'Казани', 'Перми'];

/** A short resolution whose title, year and city differ from file to file. */
function resolution(i: number): string {
  const year = 2015 + (i % 9);
  return [
    `РЕЗОЛЮЦИЯ`,
    `${(i % 20) + 1}-й региональной научно-практической конференции «Образование: опыт и перспективы № ${i}»`,
    `г. ${CITIES[i % CITIES.length].replace(/е$|и$/, (m) => (m === 'е' ? '' : 'ь'))}, ${(i % 27) + 1} марта ${year} г.`,
    '',
    'Участники конференции рекомендуют:',
    `1. Органам управления образованием обеспечить методическую поддержку школ (вариант ${i}).`,
    `2. Педагогам использовать опыт коллег в работе с родителями (вариант ${i}).`,
    '',
  ].join('\n');
}

const META = `SELECT doc_id, title, kind, level, date_start::VARCHAR AS date_start, year, city, region, participants, format, organizer,
                      meta_sources::VARCHAR AS meta_sources FROM documents ORDER BY doc_id`;

describe('ingest after a folder was moved', () => {
  it('moves every document in a few statements and keeps its metadata; a sidecar at the new place applies', async () => {
    const dir = tempDir();
    const before = join(dir, 'downloads');
    mkdirSync(before);
    const n = 1_030;
    for (let i = 0; i < n; i++) writeFileSync(join(before, `r-${String(i).padStart(4, '0')}.txt`), resolution(i));
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    const first = await ingestFolder(store, before, { ...log, options: { rehash: false, threads: 1 } });
    expect(first.counts).toMatchObject({ added: n });
    const meta = await store.all<Record<string, unknown>>(META);
    expect(new Set(meta.map((m) => m.year)).size).toBe(9);

    const after = join(dir, 'archive', 'conferences');
    mkdirSync(join(dir, 'archive'));
    renameSync(before, after);
    // The last file gets a sidecar at its new place: its title comes from there.
    writeFileSync(join(after, `r-${n - 1}.meta.json`.replace(`${n - 1}`, String(n - 1).padStart(4, '0'))), JSON.stringify({ title: 'Название из сидекара' }));
    const moved = await ingestFolder(store, after, { ...log, options: { rehash: false, threads: 1 } });
    expect(moved.counts).toMatchObject({ added: 0, moved: n, unchanged: n });

    const paths = await store.all<{ source_path: string; source_file: string }>(`SELECT source_path, source_file FROM documents ORDER BY source_path`);
    expect(paths).toHaveLength(n);
    expect(paths.every((p) => p.source_path.startsWith(after) && p.source_path.endsWith(p.source_file))).toBe(true);
    expect(await store.scalar<number>(`SELECT count(*) FROM file_stats WHERE source_path LIKE $1`, [`${before}%`])).toBe(0);
    expect(await store.scalar<number>(`SELECT count(*) FROM file_stats WHERE source_path LIKE $1`, [`${after}%`])).toBe(n);

    const now = await store.all<Record<string, unknown>>(META);
    const withSidecar = now.filter((m) => m.title === 'Название из сидекара');
    expect(withSidecar).toHaveLength(1);
    const id = withSidecar[0].doc_id;
    expect(JSON.parse(String(withSidecar[0].meta_sources)).title).toBe('sidecar');
    // Every other document's metadata is what the first ingest found; the sidecar's changes only its title.
    expect(now.filter((m) => m.doc_id !== id)).toEqual(meta.filter((m) => m.doc_id !== id));
    const { title: _t, meta_sources: _s, ...rest } = withSidecar[0];
    const { title: _t0, meta_sources: _s0, ...restBefore } = meta.find((m) => m.doc_id === id)!;
    expect(rest).toEqual(restBefore);

    // A third run finds nothing to do.
    const again = await ingestFolder(store, after, { ...log, options: { rehash: false, threads: 1 } });
    expect(again.counts).toMatchObject({ added: 0, moved: 0, unchanged: n });
  });

  it('reports a skipped file under its new path only, once its folder moved', async () => {
    const dir = tempDir();
    const before = join(dir, 'in');
    mkdirSync(before);
    writeFileSync(join(before, 'r.txt'), resolution(1));
    writeFileSync(join(before, 'empty.txt'), '');
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'fake.docx'), 'not a zip');
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    const issues = async () => (await store.all<{ source_path: string }>(`SELECT source_path FROM ingest_issues ORDER BY source_path`)).map((r) => r.source_path);
    await ingestFolder(store, before, { ...log, options: { rehash: false, threads: 1 } });
    await ingestFolder(store, other, { ...log, options: { rehash: false, threads: 1 } });
    expect(await issues()).toEqual([join(before, 'empty.txt'), join(other, 'fake.docx')]);
    const after = join(dir, 'moved');
    renameSync(before, after);
    await ingestFolder(store, after, { ...log, options: { rehash: false, threads: 1 } });
    // The other folder's issue stays: that folder was not ingested this time.
    expect(await issues()).toEqual([join(after, 'empty.txt'), join(other, 'fake.docx')]);
  });
});


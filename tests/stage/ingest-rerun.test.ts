/**
 * What a re-run of ingest writes about files it did not read again: an issue recorded for a file is
 * cleared once the file reads fine (and only for that file), and `copy_of` — recomputed only for the
 * bytes a run touched (ingest/versions.ts touchedShas) — stays what a recompute over every current
 * document gives, through copies, edits, a revert and a rename.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METADATA_VERSION } from '../../pipeline/ingest/metadata.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

/** copy_of of every current document as the window over all of them gives it (the previous statement). */
const FULL = `SELECT doc_id, nullif(first_value(doc_id) OVER (PARTITION BY sha256, file_type ORDER BY run_id NULLS FIRST, source_path, doc_id), doc_id) AS first
  FROM documents WHERE is_current ORDER BY doc_id`;

describe('ingest re-runs', () => {
  it('clears the issue of a file that now reads fine, keeps the others', async () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'empty-1.txt'), '   \n');
    writeFileSync(join(docs, 'empty-2.txt'), '\n\n');
    copyFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), join(docs, 'r.txt'));
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    const issues = () => store.all<{ source_file: string }>(`SELECT source_file FROM ingest_issues ORDER BY source_file`);
    await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect((await issues()).map((r) => r.source_file)).toEqual(['empty-1.txt', 'empty-2.txt']);
    writeFileSync(join(docs, 'empty-1.txt'), readFileSync(join(SAMPLE_DIR, 'resolution-02.txt')));
    const again = await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect(again.counts).toMatchObject({ added: 1, unchanged: 1 });
    expect((await issues()).map((r) => r.source_file)).toEqual(['empty-2.txt']);
    // Nothing to clear: the remaining issue stays, nothing else changes.
    await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect((await issues()).map((r) => r.source_file)).toEqual(['empty-2.txt']);
  });

  it('takes the metadata again, with the sidecar, where an older extractor took it; once', async () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    copyFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), join(docs, 'a.txt'));
    copyFileSync(join(SAMPLE_DIR, 'resolution-03.txt'), join(docs, 'b.txt'));
    writeFileSync(join(docs, 'b.meta.json'), JSON.stringify({ title: 'Название из сидекара' }));
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    const opts = { ...log, options: { rehash: false, threads: 1 } };
    await ingestFolder(store, docs, opts);
    const meta = () =>
      store.all<{ source_file: string; title: string; city: string; organizer: string | null; metadata_version: string | null }>(
        `SELECT source_file, title, city, organizer, metadata_version FROM documents WHERE is_current ORDER BY source_file`,
      );
    const fresh = await meta();
    expect(fresh.map((r) => r.metadata_version)).toEqual([METADATA_VERSION, METADATA_VERSION]);
    expect(fresh[1].title).toBe('Название из сидекара');
    // As a database written by an older confrec leaves them: another extractor's findings, no version.
    await store.run(`UPDATE documents SET city = 'Старый город', organizer = 'Старый организатор', title = 'Старое название', metadata_version = NULL`);
    const again = await ingestFolder(store, docs, opts);
    expect(again.counts).toMatchObject({ added: 0, unchanged: 2, metadata_refreshed: 2 });
    expect(await meta()).toEqual(fresh);
    // Up to date now: nothing is taken again, and a row of another extractor's version would be.
    expect((await ingestFolder(store, docs, opts)).counts).toMatchObject({ metadata_refreshed: 0 });
    await store.run(`UPDATE documents SET metadata_version = 'meta-1', city = NULL WHERE source_file = 'a.txt'`);
    expect((await ingestFolder(store, docs, opts)).counts).toMatchObject({ metadata_refreshed: 1 });
    expect(await meta()).toEqual(fresh);
  });

  it('skips its own database and WAL when they lie in the folder of resolutions, without an issue', async () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    copyFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), join(docs, 'r.txt'));
    writeFileSync(join(docs, 'notes.duckdb'), 'another database: not ours, so reported');
    const store = await Store.open(join(docs, 'confrec.duckdb'));
    stores.push(store);
    // A write, so that the WAL is there beside the database while ingest lists the folder.
    await store.run(`CREATE TABLE IF NOT EXISTS scratch_probe (x INTEGER)`);
    const run = await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect(run.counts).toMatchObject({ added: 1 });
    const issues = await store.all<{ source_file: string; reason: string }>(`SELECT source_file, reason FROM ingest_issues ORDER BY source_file`);
    expect(issues.map((r) => r.source_file)).toEqual(['notes.duckdb']);
    // … with a reason that says what it is, not «convert it to one of these formats»
    expect(issues[0].reason).toMatch(/another confrec database\?\), not a resolution/);
  });

  it('copy_of equals the recompute over every current document after each run', async () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    const a = readFileSync(join(SAMPLE_DIR, 'resolution-01.txt'));
    const b = readFileSync(join(SAMPLE_DIR, 'resolution-02.txt'));
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    const check = async () => {
      const stored = await store.all<{ doc_id: string; copy_of: string | null }>(`SELECT doc_id, copy_of FROM documents WHERE is_current ORDER BY doc_id`);
      const full = await store.all<{ doc_id: string; first: string | null }>(FULL);
      expect(stored.map((r) => [r.doc_id, r.copy_of])).toEqual(full.map((r) => [r.doc_id, r.first]));
      return stored.filter((r) => r.copy_of !== null).length;
    };
    const run = () => ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    writeFileSync(join(docs, 'a.txt'), a);
    await run();
    expect(await check()).toBe(0);
    writeFileSync(join(docs, 'b.txt'), a); // a copy of a
    writeFileSync(join(docs, 'c.txt'), a); // and another
    await run();
    expect(await check()).toBe(2);
    writeFileSync(join(docs, 'a.txt'), b); // the first is edited: b.txt is the first of a's bytes now
    await run();
    expect(await check()).toBe(1);
    writeFileSync(join(docs, 'a.txt'), a); // changed back: its earlier version is revived
    await run();
    expect(await check()).toBe(2);
    renameSync(join(docs, 'c.txt'), join(docs, 'a2.txt')); // moved: its path orders it before b.txt
    await run();
    expect(await check()).toBe(2);
    rmSync(join(docs, 'b.txt'));
    writeFileSync(join(docs, 'd.txt'), b);
    await run();
    expect(await check()).toBe(2);
  });
});

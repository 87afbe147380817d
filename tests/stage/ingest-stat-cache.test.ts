/**
 * Ingest's stat cache (ingest/versions.ts cachedHash): a file whose size, mtime, inode and ctime are
 * those of its last reading is not read again; a file replaced by another with the same size and
 * mtime (a new inode: `cp -p`, rsync, an editor saving by rename) is read and becomes a new version.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

describe('ingest: the stat cache', () => {
  it('trusts an untouched file, and reads a file replaced by one of the same size and mtime', async () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    const original = readFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), 'utf8');
    const path = join(docs, 'r.txt');
    writeFileSync(path, original);
    // A whole second, so that the replacement below can be given exactly the same mtime.
    const second = Math.floor(Date.now() / 1000) - 60;
    utimesSync(path, second, second);
    const store = await Store.open(join(dir, 'db.duckdb'));
    stores.push(store);
    await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    const recorded = await store.one<{ ino: number; ctime_ms: number }>(`SELECT ino, ctime_ms FROM file_stats`);
    expect(recorded!.ino).toBe(statSync(path).ino);
    expect(recorded!.ctime_ms).toBe(statSync(path).ctimeMs);

    // Untouched: unchanged, from the cache.
    const again = await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect(again.counts).toMatchObject({ added: 0, unchanged: 1 });

    // One letter changed (я → ю: the same byte length),
    // written to another file, given the old mtime and renamed over the original.
    const changed = original.replace('Резолюция', 'Резолюцию');
    expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(original));
    expect(changed).not.toBe(original);
    const before = statSync(path);
    const tmp = join(dir, 'r.tmp');
    writeFileSync(tmp, changed);
    utimesSync(tmp, second, second);
    renameSync(tmp, path);
    const after = statSync(path);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    const third = await ingestFolder(store, docs, { ...log, options: { rehash: false, threads: 1 } });
    expect(third.counts).toMatchObject({ added: 1, unchanged: 0 });
    expect(await store.scalar<number>(`SELECT count(*) FROM documents WHERE is_current`)).toBe(1);
    expect(await store.scalar<string>(`SELECT text FROM documents WHERE is_current`)).toContain('Резолюцию');
  });
});

import { describe, it, expect } from 'vitest';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { IDENTITY_TABLES } from '../../pipeline/store/migrate.js';
import { silentLogger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const KEY: Record<(typeof IDENTITY_TABLES)[number], string> = {
  documents: 'doc_id',
  recommendations: 'rec_id',
  segment_status: 'doc_id',
  file_stats: 'source_path',
};

/**
 * Schema version 4 keeps documents, recommendations, segment_status and file_stats without a
 * primary key (a small append to an indexed table made DuckDB rewrite its last row group at every
 * close; store/migrate.ts). Their keys stay unique by construction: checked here after the runs that
 * could break it — a folder read twice, a file changed, copied, moved and deleted, a full re-read.
 */
describe('the identity tables stay unique without a primary key', () => {
  it('after adding, changing, copying, moving and deleting files, and reading everything again', async () => {
    const dir = tempDir();
    cpSync(SAMPLE_DIR, dir, { recursive: true });
    const store = await Store.open(join(tempDir(), 'keys.duckdb'));
    const duplicates = async () => {
      const out: Record<string, number> = {};
      for (const t of IDENTITY_TABLES) {
        out[t] = await store.scalar<number>(`SELECT count(*) FROM (SELECT ${KEY[t]} FROM ${t} GROUP BY ALL HAVING count(*) > 1)`);
      }
      return out;
    };
    const none = Object.fromEntries(IDENTITY_TABLES.map((t) => [t, 0]));
    const step = async (rehash = false) => {
      await ingestFolder(store, dir, { ...log, options: { rehash } });
      await segmentStage.run(store, { ...log, options: {} });
      expect(await duplicates()).toEqual(none);
    };
    try {
      // No primary key on them in a new database.
      expect(
        await store.all(`SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN (${IDENTITY_TABLES.map((t) => `'${t}'`).join(', ')})`),
      ).toEqual([]);
      await step();
      const docs = await store.scalar<number>(`SELECT count(*) FROM documents`);
      expect(docs).toBeGreaterThanOrEqual(5);
      // The same folder again: nothing new.
      await step();
      expect(await store.scalar<number>(`SELECT count(*) FROM documents`)).toBe(docs);
      // A changed file (a new version), the same bytes at a new path, a moved file, a deleted one.
      writeFileSync(join(dir, 'resolution-02.txt'), `${readFileSync(join(dir, 'resolution-02.txt'), 'utf8')}\n4. Провести семинар для заместителей директоров.\n`);
      cpSync(join(dir, 'resolution-03.txt'), join(dir, 'copy-of-03.txt'));
      renameSync(join(dir, 'resolution-04.txt'), join(dir, 'moved-04.txt'));
      rmSync(join(dir, 'resolution-05.txt'));
      await step();
      // The changed file is back as it was (its first version current again), then everything is read again.
      writeFileSync(join(dir, 'resolution-02.txt'), readFileSync(join(SAMPLE_DIR, 'resolution-02.txt')));
      await step();
      await step(true);
      expect(await store.scalar<number>(`SELECT count(*) FROM documents`)).toBeGreaterThan(docs);
      expect(await store.scalar<number>(`SELECT count(*) FROM recommendations`)).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});

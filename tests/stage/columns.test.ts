import { describe, it, expect } from 'vitest';
import { APPENDED_TABLES, DOCUMENTS } from '../../pipeline/store/columns.js';
import { Store, viewStatements } from '../../pipeline/store/db.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

describe('the column spec of every appended table is the schema', () => {
  it('names, order and types match pipeline/store/schema.sql', async () => {
    const store = await Store.open(':memory:');
    try {
      for (const spec of APPENDED_TABLES) {
        const cols = await store.all<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
          [spec.table],
        );
        expect(spec.names, spec.table).toEqual(cols.map((c) => c.column_name));
        // JSON columns are appended as text; everything else has the schema's type.
        expect(spec.types.map((t) => t.toString()), spec.table).toEqual(cols.map((c) => (c.data_type === 'JSON' ? 'VARCHAR' : c.data_type)));
      }
    } finally {
      store.close();
    }
  });

  it('the documents columns ingest writes (by name) exist with their types', async () => {
    const store = await Store.open(':memory:');
    try {
      const cols = new Map(
        (await store.all<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'documents'`)).map(
          (c) => [c.column_name, c.data_type === 'JSON' ? 'VARCHAR' : c.data_type],
        ),
      );
      expect(DOCUMENTS.names.map((n, i) => [n, cols.get(n)])).toEqual(DOCUMENTS.names.map((n, i) => [n, DOCUMENTS.types[i].toString()]));
    } finally {
      store.close();
    }
  });

  it('the views are in schema.sql and answer on an empty database', async () => {
    const views = viewStatements(readFileSync(join(ROOT, 'pipeline', 'store', 'schema.sql'), 'utf8')).map((v) => /VIEW\s+(\w+)/.exec(v)![1]);
    expect(views).toEqual(['current_documents', 'current_recommendations', 'latest_runs', 'current_embeddings']);
    const store = await Store.open(':memory:');
    try {
      for (const v of views) expect(await store.scalar(`SELECT count(*) FROM ${v}`), v).toBe(0);
    } finally {
      store.close();
    }
  });

  it('a read-only open of a file without the views (an older confrec wrote it) still has them', async () => {
    const path = join(tempDir(), 'old.duckdb');
    let store = await Store.open(path);
    await store.run(`INSERT INTO documents (doc_id, sha256, source_path, source_file, file_type, bytes, text, ingested_at, is_current)
                     VALUES ('a', 'a', '/a.txt', 'a.txt', 'txt', 1, 'x', now()::TIMESTAMP, true), ('b', 'b', '/a.txt', 'a.txt', 'txt', 1, 'y', now()::TIMESTAMP, false)`);
    for (const v of ['current_embeddings', 'latest_runs', 'current_recommendations', 'current_documents']) await store.run(`DROP VIEW ${v}`);
    store.close();
    store = await Store.open(path, { readOnly: true });
    try {
      expect(await store.all(`SELECT doc_id FROM current_documents`)).toEqual([{ doc_id: 'a' }]);
      expect(await store.scalar(`SELECT count(*) FROM duckdb_views() WHERE NOT temporary AND view_name = 'current_documents'`)).toBe(0);
    } finally {
      store.close();
    }
  });
});

import { describe, it, expect } from 'vitest';
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { confrec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeIdenticalFiles, writeMigrationCorpus } from '../hostile/files.js';
import { ASTRAL_RECOMMENDATIONS } from '../hostile/texts.js';
import { KEYLESS_TABLES } from '../../pipeline/store/migrate.js';

interface Doc {
  doc_id: string;
  source_file: string;
  is_current: boolean;
  superseded_by: string | null;
  copy_of: string | null;
}

async function query<T>(db: string, sql: string): Promise<T[]> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return await store.all<T>(sql);
  } finally {
    store.close();
  }
}

const docs = (db: string) => query<Doc>(db, `SELECT doc_id, source_file, is_current, superseded_by, copy_of FROM documents ORDER BY source_file, is_current`);
const currentRecs = (db: string) =>
  query<{ source_file: string; rec_id: string; text: string }>(
    db,
    `SELECT d.source_file, r.rec_id, r.text FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current ORDER BY 1, 2`,
  );

describe('file identity is (path, version): identical files are two documents (issue 10 §2)', () => {
  it.each([[[]], [['--rehash']]])('editing one of two identical files keeps the other current %j', async (flags) => {
    const corpus = tempDir();
    const { a } = writeIdenticalFiles(corpus);
    const db = join(tempDir(), 'identity.duckdb');
    const first = confrec(['run', corpus, '--db', db, '--quiet']);
    expect(first.err).toBe('');
    const before = await docs(db);
    expect(before.filter((d) => d.is_current)).toHaveLength(3);
    const [da, db_] = ['a.txt', 'b.txt'].map((f) => before.find((d) => d.source_file === f)!);
    expect(db_.copy_of).toBe(da.doc_id);
    expect(da.copy_of).toBeNull();
    // Both resolutions are in the analyses: four recommendations each.
    const recs = await currentRecs(db);
    expect(recs.filter((r) => r.source_file === 'b.txt')).toHaveLength(4);
    expect(recs.filter((r) => r.source_file === 'a.txt').map((r) => r.text)).toEqual(recs.filter((r) => r.source_file === 'b.txt').map((r) => r.text));

    appendFileSync(a, '5. Провести областной родительский форум в 2025 году.\n');
    const again = confrec(['run', corpus, '--db', db, '--quiet', ...flags]);
    expect(again.err).toBe('');
    const after = await docs(db);
    expect(after.filter((d) => d.is_current).map((d) => d.source_file)).toEqual(['a.txt', 'b.txt', 'other.txt']);
    const oldA = after.find((d) => d.doc_id === da.doc_id)!;
    expect(oldA.is_current).toBe(false);
    const b = after.find((d) => d.source_file === 'b.txt')!;
    expect(b).toMatchObject({ doc_id: db_.doc_id, is_current: true, copy_of: null });
    const recsAfter = await currentRecs(db);
    expect(recsAfter.filter((r) => r.source_file === 'b.txt').map((r) => r.rec_id)).toEqual(
      recs.filter((r) => r.source_file === 'b.txt').map((r) => r.rec_id),
    );
    expect(recsAfter.filter((r) => r.source_file === 'a.txt')).toHaveLength(5);
    const status = JSON.parse(confrec(['status', '--json', '--db', db]).out);
    expect(status.documents).toMatchObject({ current: 3, superseded: 1, copies: 0 });
  });

  it('a renamed file keeps its document and rec_ids; a copy beside the original is a copy', async () => {
    const corpus = tempDir();
    writeIdenticalFiles(corpus);
    const db = join(tempDir(), 'rename.duckdb');
    expect(confrec(['run', corpus, '--db', db, '--quiet']).code).toBe(0);
    const recs = await currentRecs(db);
    renameSync(join(corpus, 'other.txt'), join(corpus, 'другое имя.txt'));
    copyFileSync(join(corpus, 'a.txt'), join(corpus, 'c.txt'));
    const r = confrec(['run', corpus, '--db', db]);
    expect(r.out).toMatch(/ingest: 1 new document\(s\) \(1 a copy of another file\), 3 unchanged \(1 moved or renamed\), 0 skipped/);
    const after = await currentRecs(db);
    expect(after.filter((x) => x.source_file === 'другое имя.txt').map((x) => x.rec_id)).toEqual(
      recs.filter((x) => x.source_file === 'other.txt').map((x) => x.rec_id),
    );
    expect(after.filter((x) => x.source_file === 'c.txt')).toHaveLength(4);
    const c = (await docs(db)).find((d) => d.source_file === 'c.txt')!;
    expect(c.copy_of).toBe((await docs(db)).find((d) => d.source_file === 'a.txt')!.doc_id);
  });
});

describe('a database made by confrec before issue 10 (main at 587acf0) is migrated on open', () => {
  const FIXTURE = join(__dirname, '..', 'hostile', 'databases', 'main-587acf0.duckdb.gz');
  const oldDb = () => {
    const db = join(tempDir(), 'old.duckdb');
    writeFileSync(db, gunzipSync(readFileSync(FIXTURE)));
    return db;
  };

  it('reading it (status) upgrades it once: marker, no UNIQUE sha256, offsets in code points; doc_ids and rec_ids unchanged', async () => {
    const db = oldDb();
    const before = await (async () => {
      // The raw file as main left it, read with DuckDB directly (no migration).
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
      const conn = await inst.connect();
      const rows = (await conn.runAndReadAll(`SELECT rec_id, char_start, char_end FROM recommendations ORDER BY rec_id`)).getRowObjectsJS();
      const keyed = (await conn.runAndReadAll(`SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1`)).getRowsJS().flat();
      const tables = new Set((await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables()`)).getRowsJS().flat());
      // Every table that lost its key and existed then had one (rec_addressees came later).
      const present = KEYLESS_TABLES.filter((t) => tables.has(t));
      expect(present).toEqual(expect.arrayContaining(['documents', 'recommendations', 'embeddings', 'rec_theme_scores']));
      expect(keyed).toEqual(expect.arrayContaining(present));
      const counts: Record<string, number> = Object.fromEntries(KEYLESS_TABLES.map((t) => [t, 0]));
      for (const t of present) counts[t] = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${t}`)).getRowsJS()[0][0]);
      expect(counts.embeddings).toBeGreaterThan(0);
      expect(counts.rec_theme_scores).toBeGreaterThan(0);
      conn.closeSync();
      inst.closeSync();
      // A researcher's own index and view on documents survive the rebuild of the table.
      const rw = await DuckDBInstance.create(db);
      const c2 = await rw.connect();
      await c2.run(`CREATE INDEX my_year_idx ON documents (year)`);
      await c2.run(`CREATE VIEW my_titles AS SELECT title FROM documents WHERE is_current`);
      await c2.run(`CREATE INDEX my_theme_idx ON rec_themes (theme_id)`);
      c2.closeSync();
      rw.closeSync();
      return { rows, counts };
    })();
    const status = confrec(['status', '--json', '--db', db]);
    expect(status.err).toBe('');
    expect(JSON.parse(status.out).documents).toMatchObject({ current: 4, superseded: 1 });
    expect(await query(db, `SELECT key, value FROM confrec_meta WHERE key IN ('application', 'schema_version') ORDER BY key`)).toEqual([
      { key: 'application', value: 'confrec' },
      { key: 'schema_version', value: '4' },
    ]);
    expect(await query(db, `SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'documents' AND constraint_type = 'UNIQUE'`)).toEqual([]);
    expect(await query(db, `SELECT index_name FROM duckdb_indexes() WHERE table_name = 'documents'`)).toEqual([{ index_name: 'my_year_idx' }]);
    // Versions 3 and 4: the per-recommendation tables and the tables re-runs append to lost their
    // primary keys, kept every row and the researcher's indexes.
    expect(await query(db, `SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN (${KEYLESS_TABLES.map((t) => `'${t}'`).join(', ')})`)).toEqual([]);
    for (const t of KEYLESS_TABLES) expect([t, (await query<{ n: number }>(db, `SELECT count(*)::INTEGER AS n FROM ${t}`))[0].n]).toEqual([t, before.counts[t]]);
    expect(await query(db, `SELECT index_name FROM duckdb_indexes() WHERE table_name = 'rec_themes'`)).toEqual([{ index_name: 'my_theme_idx' }]);
    expect(await query(db, `SELECT count(*)::INTEGER AS n FROM my_titles`)).toEqual([{ n: 4 }]);
    const after = await query<{ rec_id: string; char_start: number }>(db, `SELECT rec_id, char_start FROM recommendations ORDER BY rec_id`);
    expect(after.map((r) => r.rec_id)).toEqual(before.rows.map((r) => r.rec_id));
    // The README's provenance query returns each recommendation exactly, the astral ones included.
    const astral = await query<{ text: string; span: string }>(
      db,
      `SELECT r.text, substr(d.text, r.char_start + 1, r.char_end - r.char_start) AS span
       FROM recommendations r JOIN documents d USING (doc_id) WHERE d.source_file = 'astral.txt' ORDER BY r.seq`,
    );
    expect(astral.map((r) => r.text)).toEqual(ASTRAL_RECOMMENDATIONS);
    for (const r of astral) expect(r.span).toBe(r.text);
    // ...which the stored UTF-16 offsets did not: they were shifted by the astral characters before.
    const shifted = before.rows.filter((b, i) => b.char_start !== after[i].char_start);
    expect(shifted).toHaveLength(4);
  });

  it('the old paths are gone: re-running the corpus elsewhere moves the documents, and b.txt becomes a document of its own', async () => {
    if (existsSync('/tmp/confrec-old-corpus')) return; // make-old-database.sh is running: the old paths exist
    const db = oldDb();
    const oldRecs = await query<{ rec_id: string }>(db, `SELECT rec_id FROM recommendations ORDER BY 1`);
    const corpus = tempDir();
    writeMigrationCorpus(corpus, 2);
    const r = confrec(['run', corpus, '--db', db]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/ingest: 1 new document\(s\) \(1 a copy of another file\), 4 unchanged \(4 moved or renamed\)/);
    const d = await docs(db);
    expect(d.filter((x) => x.is_current).map((x) => x.source_file)).toEqual(['a.txt', 'astral.txt', 'b.txt', 'c.txt', 'other.txt']);
    expect(d.find((x) => x.source_file === 'b.txt')!.copy_of).toBe(d.find((x) => x.source_file === 'a.txt')!.doc_id);
    const recs = await currentRecs(db);
    expect(recs).toHaveLength(20);
    // Every recommendation of the old database is still there under its rec_id.
    const now = new Set((await query<{ rec_id: string }>(db, `SELECT rec_id FROM recommendations`)).map((x) => x.rec_id));
    for (const o of oldRecs) expect(now.has(o.rec_id)).toBe(true);
  });
});

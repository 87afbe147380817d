import { listValue } from '@duckdb/node-api';
import { offsetConverter } from '../text/offsets.js';
import { MARKER_SQL, MARKER_TABLE, SCHEMA_VERSION, markerRows, newerSchemaError, type DatabaseKind } from './identity.js';

/**
 * What migrations need of the Store (db.ts opens the database through prepareSchema, so this module
 * names the methods it uses instead of importing db.ts back: no import circle).
 */
export interface MigrationStore {
  readonly path: string;
  run(sql: string, params?: Record<string, unknown> | unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown> | unknown[]): Promise<T[]>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

type Store = MigrationStore;

/**
 * Brings a confrec database to the current schema version when it is opened for writing: a new file
 * gets the schema and the marker in one transaction; an older one runs every migration step from its
 * version on, also in one transaction (a crash leaves it as it was); the current one just applies
 * schema.sql, whose statements are idempotent (CREATE … IF NOT EXISTS, ADD COLUMN IF NOT EXISTS).
 */
export async function prepareSchema(store: Store, kind: DatabaseKind, applySchema: () => Promise<void>, codeVersion: string): Promise<void> {
  if (kind.kind === 'foreign') throw new Error('prepareSchema: foreign database');
  const version = kind.kind === 'empty' ? SCHEMA_VERSION : kind.version;
  if (version > SCHEMA_VERSION) throw newerSchemaError(store.path, version);
  if (kind.kind === 'confrec' && version === SCHEMA_VERSION) {
    await applySchema();
    return;
  }
  await store.transaction(async () => {
    if (kind.kind === 'empty') await applySchema();
    for (let v = version; v < SCHEMA_VERSION; v++) await MIGRATIONS[v](store, applySchema);
    await store.run(MARKER_SQL);
    for (const [key, value] of markerRows(codeVersion)) {
      await store.run(`INSERT OR REPLACE INTO ${MARKER_TABLE} VALUES ($1, $2)`, [key, value]);
    }
  });
  // A migration rebuilds tables: written into the file now, so a crash right after it never leaves
  // that DDL for DuckDB to replay from the log.
  if (kind.kind === 'confrec') await store.run('CHECKPOINT');
}

/** Whether opening this database for writing would change it (so a read-only open must upgrade it first). */
export function needsUpgrade(kind: DatabaseKind): boolean {
  return kind.kind === 'confrec' && kind.version < SCHEMA_VERSION;
}

type Migration = (store: Store, applySchema: () => Promise<void>) => Promise<void>;

/** MIGRATIONS[v] turns schema version v into v + 1. */
const MIGRATIONS: Record<number, Migration> = {
  1: async (store, applySchema) => {
    // File identity becomes (path, version): sha256 is no longer UNIQUE. DuckDB cannot drop a
    // constraint, so the table is rebuilt (with copy_of and every column added since). doc_ids do not
    // change, so rec_ids and everything keyed by them stay valid.
    await rebuild(store, ['documents'], applySchema);
    await convertOffsetsToCodePoints(store);
  },
  2: async (store, applySchema) => {
    // The per-recommendation tables lose their primary keys: each stage replaces its rows in one
    // transaction, so they are unique by construction, and DuckDB's index made the append 3–4 times
    // slower on a new table and 15 times slower after a DELETE (300,000 rows of rec_theme_scores'
    // shape, appended and committed: 0.7 s without a key, 2.7 s with one, 13 s replacing them; this
    // machine under load 1.5).
    await rebuild(store, PER_RECOMMENDATION_TABLES, applySchema);
  },
  3: async (store, applySchema) => {
    // The tables a re-run appends a few rows to lose their primary keys too. DuckDB (1.5) gives a
    // small append its own row group only on a table without an index; on an indexed table the
    // checkpoint at close rewrites the table's last row group whole — for documents its texts: one
    // new resolution among 10,000 made the close take 1.9–2.2 s instead of 0.4–0.8 s. Their rows
    // are unique by construction (ingest decides versions before it writes; segment and ingest
    // delete a document's or a path's rows before appending them), and tests/stage/keys.test.ts
    // checks it after runs that add, change and remove files. Point lookups by doc_id or rec_id scan
    // the column (10,000 and 75,000 rows at 10k: a few milliseconds).
    await rebuild(store, IDENTITY_TABLES, applySchema);
  },
};

/** The tables schema version 3 keeps without a primary key (schema.sql). */
export const PER_RECOMMENDATION_TABLES = ['embeddings', 'rec_theme_scores', 'rec_themes', 'rec_clusters', 'rec_addressees'] as const;
/** The tables schema version 4 also keeps without one: those every re-run appends to. */
export const IDENTITY_TABLES = ['documents', 'recommendations', 'segment_status', 'file_stats'] as const;
/** Every table without a primary key that had one in an older version. */
export const KEYLESS_TABLES = [...PER_RECOMMENDATION_TABLES, ...IDENTITY_TABLES] as const;

/**
 * Makes `tables` again as schema.sql has them now, keeping every row (filled by name): DuckDB cannot
 * drop a constraint. Indexes on them would block the rename; they are dropped and made again on the
 * new tables, a user's by their own statement (views need nothing: DuckDB binds them late).
 */
async function rebuild(store: Store, tables: readonly string[], applySchema: () => Promise<void>): Promise<void> {
  const list = tables.map((t) => `'${t}'`).join(', ');
  const indexes = await store.all<{ index_name: string; sql: string }>(
    `SELECT index_name, sql FROM duckdb_indexes() WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (${list})`,
  );
  for (const ix of indexes) await store.run(`DROP INDEX "${ix.index_name.replace(/"/g, '""')}"`);
  const present = await store.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (${list})`,
  );
  for (const { table_name: t } of present) await store.run(`ALTER TABLE ${t} RENAME TO ${t}_rebuilt`);
  await applySchema();
  for (const { table_name: t } of present) {
    await store.run(`INSERT INTO ${t} BY NAME SELECT * FROM ${t}_rebuilt`);
    await store.run(`DROP TABLE ${t}_rebuilt`);
  }
  // Indexes schema.sql makes itself (none today) are there again already.
  const made = new Set(
    (await store.all<{ index_name: string }>(`SELECT index_name FROM duckdb_indexes() WHERE database_name = current_database() AND schema_name = 'main'`)).map((r) => r.index_name),
  );
  for (const ix of indexes) if (!made.has(ix.index_name)) await store.run(ix.sql);
}

/**
 * Offsets stored by schema version 1 count UTF-16 code units; from version 2 on they count code
 * points. They differ only in documents with astral characters (emoji, mathematical letters), found
 * by DuckDB's regexp so that only those texts are read.
 */
async function convertOffsetsToCodePoints(store: Store): Promise<number> {
  const docs = await store.all<{ doc_id: string; text: string }>(
    `SELECT doc_id, text FROM documents WHERE regexp_matches(text, '[\\x{10000}-\\x{10FFFF}]')
       AND doc_id IN (SELECT doc_id FROM recommendations)`,
  );
  const updates: unknown[][] = [];
  for (const doc of docs) {
    const conv = offsetConverter(doc.text);
    const recs = await store.all<{ rec_id: string; char_start: number; char_end: number }>(
      `SELECT rec_id, char_start, char_end FROM recommendations WHERE doc_id = $1`,
      [doc.doc_id],
    );
    for (const r of recs) updates.push([r.rec_id, conv.toCodePoint(r.char_start), conv.toCodePoint(r.char_end)]);
  }
  if (!updates.length) return 0;
  // Three parallel lists, unnested in SQL: no temporary table, no appender.
  await store.run(
    `UPDATE recommendations r SET char_start = o.char_start, char_end = o.char_end
     FROM (SELECT unnest($1::VARCHAR[]) AS rec_id, unnest($2::INTEGER[]) AS char_start, unnest($3::INTEGER[]) AS char_end) o
     WHERE r.rec_id = o.rec_id`,
    [listValue(updates.map((u) => u[0] as string)), listValue(updates.map((u) => u[1] as number)), listValue(updates.map((u) => u[2] as number))],
  );
  return updates.length;
}

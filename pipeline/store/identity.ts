import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfrecError } from '../errors.js';

/**
 * Which DuckDB files are confrec's. A database confrec creates holds the table `confrec_meta` with
 * `application = 'confrec'` and the schema version, written in the same transaction as the schema. A
 * file without it is adopted when it holds nothing (a fresh DuckDB file), recognised as confrec's
 * when it has the tables every confrec database since the first release has (made before the marker
 * existed: schema version 1), and refused otherwise — before anything is written into it.
 */

/**
 * Schema versions: 1 = before the marker (documents keyed by bytes alone: sha256 UNIQUE; offsets in
 * UTF-16 code units). 2 = file identity (path, version) with documents.copy_of; offsets in code
 * points. 3 = no primary key on the per-recommendation tables the stages replace in bulk
 * (PER_RECOMMENDATION_TABLES in migrate.ts). 4 = no primary key on documents, recommendations,
 * segment_status and file_stats either (IDENTITY_TABLES). pipeline/store/migrate.ts turns each
 * version into the next.
 */
export const SCHEMA_VERSION = 4;

export const MARKER_TABLE = 'confrec_meta';

export const MARKER_SQL = `CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`;

export type DatabaseKind =
  | { kind: 'empty' }
  | { kind: 'confrec'; version: number }
  | { kind: 'foreign'; tables: string[] };

/** Tables (and columns) that every confrec database has had, to recognise those made before the marker. */
const LEGACY_SIGNATURE: Record<string, string[]> = {
  documents: ['doc_id', 'sha256', 'source_path', 'text'],
  runs: ['run_id', 'stage'],
};

async function rows(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

/** Reads only the catalogue (and the marker): no table data, so it costs milliseconds on any size. */
export async function identifyDatabase(conn: DuckDBConnection): Promise<DatabaseKind> {
  const objects = (
    await rows(
      conn,
      `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
       UNION ALL
       SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary`,
    )
  ).map(([schema, name]) => (schema === 'main' ? String(name) : `${String(schema)}.${String(name)}`));
  if (objects.length === 0) return { kind: 'empty' };
  if (objects.includes(MARKER_TABLE)) {
    const marker = new Map(
      (await rows(conn, `SELECT key, value FROM ${MARKER_TABLE}`)).map(([k, v]) => [String(k), String(v)]),
    );
    if (marker.get('application') === 'confrec') return { kind: 'confrec', version: Number(marker.get('schema_version') ?? 1) };
    return { kind: 'foreign', tables: objects };
  }
  const columns = await rows(
    conn,
    `SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'`,
  );
  const has = (table: string, column: string) => columns.some(([t, c]) => t === table && c === column);
  const legacy = Object.entries(LEGACY_SIGNATURE).every(([t, cols]) => cols.every((c) => has(t, c)));
  return legacy ? { kind: 'confrec', version: 1 } : { kind: 'foreign', tables: objects };
}

export function foreignDatabaseError(path: string, tables: string[]): ConfrecError {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '');
  return new ConfrecError(`this DuckDB file was not made by confrec: it holds ${shown}`, {
    file: path,
    hint: 'nothing was written to it; give confrec its own database file with --db (e.g. --db confrec.duckdb)',
  });
}

export function newerSchemaError(path: string, version: number): ConfrecError {
  return new ConfrecError(`this database was written by a newer confrec (schema version ${version}; this one knows up to ${SCHEMA_VERSION})`, {
    file: path,
    hint: 'update confrec (git pull && npm install) and try again',
  });
}

/** Rows of the marker for a database at the current schema version. */
export function markerRows(codeVersion: string): [string, string][] {
  return [
    ['application', 'confrec'],
    ['schema_version', String(SCHEMA_VERSION)],
    ['offsets', 'code points'],
    ['written_by', codeVersion],
  ];
}

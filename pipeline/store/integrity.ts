import type { DuckDBConnection } from '@duckdb/node-api';
import { corruptionError, isCorruption } from './diagnose.js';

/**
 * The integrity probe. DuckDB checksums every block and verifies the checksum whenever it reads one,
 * but opening a database reads only the header and the catalogue, so a damaged data block goes
 * unnoticed until some later query happens to touch it. The probe reads every column of every table
 * (hashing the values forces DuckDB to load each data block, string overflow block and list child
 * block; a plain count(*) would be answered without reading them), so any checksum failure shows up
 * now, as "the database file is damaged". Index blocks are only read when a write needs them; a bad
 * one is reported with the same message then.
 *
 * Cost (`npm run bench -- database`): it reads the whole file. On the 275 MB database of 10,000
 * synthetic resolutions it takes 1.8–2.4 s of CPU (user + system; DuckDB scans with both cores, so
 * 1–1.5 s on an idle 2-core machine) — 4.6–8 s wall measured on the shared machine at load 11–12; an 823 MB
 * database took 25 s wall there. So `status` and `export` run it, while the query commands (similar,
 * compare, duplicates) and the stages rely on DuckDB's checksums of what they read and the same message.
 */
export interface IntegrityReport {
  tables: number;
  ms: number;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads every table; throws the corruption ConfrecError when a block fails its checksum. */
export async function verifyIntegrity(conn: DuckDBConnection, dbPath: string): Promise<IntegrityReport> {
  const started = performance.now();
  const tables = (
    await conn.runAndReadAll(
      `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary ORDER BY 1, 2`,
    )
  ).getRowsJS() as [string, string][];
  for (const [schema, table] of tables) {
    try {
      await conn.runAndReadAll(`SELECT bit_xor(hash(COLUMNS(*))) FROM ${quoteIdent(schema)}.${quoteIdent(table)}`);
    } catch (err) {
      if (isCorruption(err)) throw corruptionError(dbPath, err);
      throw err;
    }
  }
  return { tables: tables.length, ms: performance.now() - started };
}

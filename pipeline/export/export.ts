import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import { ConfrecError, UsageError } from '../errors.js';
import type { Store } from '../store/db.js';
import { exportEmbeddings } from './arrow.js';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'parquet', 'arrow'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Stable, documented column lists for the two tables others depend on. Both carry `source_file`;
 * recommendations carry the conference fields needed to read a row on its own, their seeded themes
 * (an array of theme ids, empty before the themes stage) and their discovered cluster (null when
 * unclustered or before the clusters stage).
 */
export const EXPORT_QUERIES: Record<string, string> = {
  documents: `SELECT doc_id, source_file, source_path, sha256, file_type, encoding, bytes, is_current, superseded_by, copy_of,
      title, kind, level, date_start, date_end, year, city, region, participants, format, organizer,
      meta_sources, ingested_at, text,
      (SELECT s.verdict FROM segment_status s WHERE s.doc_id = documents.doc_id) AS segment_verdict,
      (SELECT s.source_kind FROM segment_status s WHERE s.doc_id = documents.doc_id) AS source_kind
    FROM documents ORDER BY source_file, ingested_at`,
  recommendations: `SELECT rec_id, doc_id, source_file, conference, year, seq,
      addressee_raw, addressee, addressee_type, verb, text,
      char_start, char_end, line_start, line_end, text_hash, themes, cluster_id,
      form, responsible, deadline, deadline_text, coalesce(corrected, false) AS corrected
    FROM current_recommendations ORDER BY source_file, seq`,
};

/** A table-specific exporter (e.g. embeddings, whose vectors need fixed-size lists). */
export type CustomExporter = (store: Store, opts: { format: ExportFormat; out: string; embedder?: string }) => Promise<number>;
export const CUSTOM_EXPORTERS: Record<string, CustomExporter> = { embeddings: exportEmbeddings };

/** A SQL string literal. Used only for COPY's target path, which DuckDB cannot take as a parameter. */
function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function tableNames(store: Store): Promise<string[]> {
  const rows = await store.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Writes one table to a file; returns the number of rows written. */
export async function exportTable(
  store: Store,
  table: string,
  format: ExportFormat,
  out: string,
  opts: { embedder?: string } = {},
): Promise<number> {
  if (!EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`unknown format "${format}"`, `use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const names = await tableNames(store);
  if (!names.includes(table)) {
    throw new UsageError(`no table "${table}"`, `tables: ${names.join(', ')}`);
  }
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  const custom = CUSTOM_EXPORTERS[table];
  if (custom) return custom(store, { format, out: path, embedder: opts.embedder });
  // The table name is checked against the catalogue above, so quoting it is safe.
  const query = EXPORT_QUERIES[table] ?? `SELECT * FROM "${table}"`;
  const count = await store.scalar<number>(`SELECT count(*) FROM (${query})`);
  try {
    if (format === 'arrow') {
      const rows = await store.all(query);
      await writeFile(path, tableToIPC(tableFromJSON(rows as Record<string, unknown>[]), 'file'));
    } else {
      const options = { jsonl: 'FORMAT json', csv: 'FORMAT csv, HEADER true', parquet: 'FORMAT parquet' }[format];
      await store.run(`COPY (${query}) TO ${sqlLiteral(path)} (${options})`);
    }
  } catch (err) {
    throw new ConfrecError(`cannot write ${format} file: ${(err as Error).message}`, { file: path, cause: err });
  }
  return count;
}

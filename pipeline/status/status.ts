import { escapeControl } from '../errors.js';
import type { Store } from '../store/db.js';

export interface StatusReport {
  database: string;
  documents: { current: number; superseded: number; copies: number };
  recommendations: number;
  flagged: { source_file: string; doc_id: string; reason: string | null }[];
  skipped: { source_path: string; reason: string }[];
  runs: { run_id: number; stage: string; status: string; started_at: string; duration_ms: number | null; counts: string | null; error: string | null }[];
  /** Addressee entities and those listed for review (null before the addressees stage). */
  addressees: { entities: number; to_review: number } | null;
  /** What the integrity probe read when the database was opened with it (every table, every block). */
  integrity?: { tables: number; ms: number } | null;
}

/** Everything `confrec status` shows, read in one place so --json and the text view agree. */
export async function readStatus(store: Store, recentRuns = 10): Promise<StatusReport> {
  const docs = await store.one<{ current: number; superseded: number; copies: number }>(
    `SELECT count(*) FILTER (WHERE is_current) AS current, count(*) FILTER (WHERE NOT is_current) AS superseded,
            count(*) FILTER (WHERE is_current AND copy_of IS NOT NULL) AS copies FROM documents`,
  );
  const recommendations = await store.scalar<number>(
    `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`,
  );
  const flagged = await store.all<StatusReport['flagged'][number]>(
    `SELECT d.source_file, d.doc_id, s.reason FROM segment_status s JOIN documents d USING (doc_id)
     WHERE s.flagged AND d.is_current ORDER BY d.source_file`,
  );
  const skipped = await store.all<StatusReport['skipped'][number]>(
    `SELECT source_path, reason FROM ingest_issues ORDER BY source_path`,
  );
  const runs = await store.all<StatusReport['runs'][number]>(
    `SELECT run_id, stage, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at, duration_ms,
            counts::VARCHAR AS counts, error
     FROM runs ORDER BY run_id DESC LIMIT $1`,
    [recentRuns],
  );
  const hasAddressees = (await store.scalar<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'addressees'`)) > 0;
  const addressees = hasAddressees
    ? ((await store.one<{ entities: number; to_review: number }>(
        `SELECT count(*) AS entities, count(*) FILTER (WHERE needs_review) AS to_review FROM addressees`,
      )) ?? null)
    : null;
  const integrity = store.integrity && { tables: store.integrity.tables, ms: Math.round(store.integrity.ms) };
  return { database: store.path, documents: docs ?? { current: 0, superseded: 0, copies: 0 }, recommendations, flagged, skipped, runs, integrity, addressees };
}

/** Text view; file names and reasons are escaped one by one, so a newline in a name cannot split a line. */
export function formatStatus(s: StatusReport): string {
  const e = (text: string | null) => escapeControl(text ?? '');
  const copies = s.documents.copies ? ` (${s.documents.copies} of them a copy of another file)` : '';
  const lines = [
    `database: ${e(s.database)}`,
    `documents: ${s.documents.current} current${copies}${s.documents.superseded ? `, ${s.documents.superseded} superseded version(s) kept for provenance` : ''}`,
    `recommendations: ${s.recommendations}`,
  ];
  if (s.integrity) lines.push(`integrity: every block of ${s.integrity.tables} tables read, checksums verified (${(s.integrity.ms / 1000).toFixed(1)} s)`);
  if (s.addressees && s.addressees.entities > 0) {
    lines.push(
      `addressees: ${s.addressees.entities} entit${s.addressees.entities === 1 ? 'y' : 'ies'}` +
        (s.addressees.to_review ? `, ${s.addressees.to_review} to review (confrec addressees --review)` : ', none to review'),
    );
  }
  if (s.flagged.length) {
    lines.push(`flagged documents (no recommendation found): ${s.flagged.length}`);
    for (const f of s.flagged) lines.push(`  ${e(f.source_file)} [${f.doc_id}]: ${e(f.reason)}`);
  } else lines.push('flagged documents: none');
  if (s.skipped.length) {
    lines.push(`skipped files: ${s.skipped.length}`);
    for (const f of s.skipped) lines.push(`  ${e(f.source_path)}: ${e(f.reason)}`);
  }
  if (s.runs.length) {
    lines.push('recent runs:');
    for (const r of s.runs) {
      const dur = r.duration_ms === null ? '' : ` ${(r.duration_ms / 1000).toFixed(2)} s`;
      const detail = r.status === 'failed' ? ` error: ${e(r.error)}` : r.counts ? ` ${e(r.counts)}` : '';
      lines.push(`  #${r.run_id} ${r.started_at} ${r.stage} ${r.status}${dur}${detail}`);
    }
  }
  return lines.join('\n');
}

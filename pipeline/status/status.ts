import { escapeControl } from '../errors.js';
import type { Store } from '../store/db.js';
import { effectiveStatus } from '../store/runs.js';
import { pipelineFreshness } from '../freshness.js';

export interface StatusReport {
  database: string;
  documents: { current: number; superseded: number; copies: number };
  recommendations: number;
  flagged: { source_file: string; doc_id: string; reason: string | null }[];
  /** Documents whose segmentation a person should check (verdict "review"), with the reasons. */
  review: { source_file: string; doc_id: string; reasons: string[] }[];
  /** Documents whose segmentation was corrected by a sidecar (name.segments.json). */
  corrected: number;
  skipped: { source_path: string; reason: string }[];
  /** Each analysis stage: is its output what a run would write now, and if not why and what refreshes it. */
  stages: { stage: string; fresh: boolean; status: string; reason: string; refresh: string | null }[];
  runs: { run_id: number; stage: string; status: string; started_at: string; duration_ms: number | null; counts: string | null; error: string | null }[];
  /** Addressee entities and those listed for review (null before the addressees stage). */
  addressees: { entities: number; to_review: number } | null;
  /** What the integrity probe read when the database was opened with it (every table, every block). */
  integrity?: { tables: number; ms: number } | null;
}

/** Everything `confrec status` shows, read in one place so --json and the text view agree. */
/** `recentRuns`: two whole `confrec run`s of the eleven stages, so an interrupted stage of the last run is still listed. */
export async function readStatus(store: Store, recentRuns = 25): Promise<StatusReport> {
  const docs = await store.one<{ current: number; superseded: number; copies: number }>(
    `SELECT (SELECT count(*) FROM current_documents) AS current,
            (SELECT count(*) FROM documents) - (SELECT count(*) FROM current_documents) AS superseded,
            (SELECT count(*) FROM current_documents WHERE copy_of IS NOT NULL) AS copies`,
  );
  const recommendations = await store.scalar<number>(
    `SELECT count(*) FROM recommendations JOIN current_documents USING (doc_id)`,
  );
  const flagged = await store.all<StatusReport['flagged'][number]>(
    `SELECT d.source_file, d.doc_id, s.reason FROM segment_status s JOIN current_documents d USING (doc_id)
     WHERE s.flagged ORDER BY d.source_file`,
  );
  const review = (
    await store.all<{ source_file: string; doc_id: string; reasons: string | null }>(
      `SELECT d.source_file, d.doc_id, s.review_reasons::VARCHAR AS reasons FROM segment_status s JOIN current_documents d USING (doc_id)
       WHERE s.verdict = 'review' ORDER BY d.source_file`,
    )
  ).map((r) => ({ ...r, reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [] }));
  const corrected = await store.scalar<number>(
    `SELECT count(*) FROM segment_status s JOIN current_documents d USING (doc_id) WHERE s.corrections_sha IS NOT NULL`,
  );
  const skipped = await store.all<StatusReport['skipped'][number]>(
    `SELECT source_path, reason FROM ingest_issues ORDER BY source_path`,
  );
  // pid and host came with a later schema (a read-only open of an older file has neither).
  const hasPid = (await store.scalar<number>(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'runs' AND column_name = 'pid'`)) > 0;
  const rows = await store.all<StatusReport['runs'][number] & { pid: number | null; host: string | null }>(
    `SELECT run_id, stage, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at, duration_ms,
            counts::VARCHAR AS counts, error, ${hasPid ? 'pid, host' : 'NULL AS pid, NULL AS host'}
     FROM runs ORDER BY run_id DESC LIMIT $1`,
    [recentRuns],
  );
  const runs = rows.map(({ pid, host, ...r }) => ({ ...r, status: effectiveStatus({ status: r.status, pid, host }) }));
  const stages = (await pipelineFreshness(store)).map((f) => ({ stage: f.stage, fresh: f.fresh, status: f.status, reason: f.reason, refresh: f.refreshCommand }));
  const hasAddressees = (await store.scalar<number>(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'addressees'`)) > 0;
  const addressees = hasAddressees
    ? ((await store.one<{ entities: number; to_review: number }>(
        `SELECT count(*) AS entities, count(*) FILTER (WHERE needs_review) AS to_review FROM addressees`,
      )) ?? null)
    : null;
  const integrity = store.integrity && { tables: store.integrity.tables, ms: Math.round(store.integrity.ms) };
  return {
    database: store.path, documents: docs ?? { current: 0, superseded: 0, copies: 0 }, recommendations, flagged, review,
    corrected: Number(corrected), skipped, stages, runs, integrity, addressees,
  };
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
  if (s.review.length) {
    lines.push(`documents to review (segmentation): ${s.review.length} — see \`confrec segment --explain <file>\`, correct with <name>.segments.json`);
    for (const r of s.review) lines.push(`  ${e(r.source_file)} [${r.doc_id}]: ${e(r.reasons.join('; '))}`);
  }
  if (s.corrected) lines.push(`documents with hand corrections: ${s.corrected}`);
  if (s.skipped.length) {
    lines.push(`skipped files: ${s.skipped.length}`);
    for (const f of s.skipped) lines.push(`  ${e(f.source_path)}: ${e(f.reason)}`);
  }
  const stale = s.stages.filter((x) => !x.fresh);
  if (s.stages.length) {
    lines.push(stale.length ? `stale: ${stale.map((x) => x.stage).join(', ')}` : 'every stage is up to date');
    for (const x of stale) lines.push(`  ${x.stage}: ${e(x.reason)} — run \`${e(x.refresh)}\``);
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

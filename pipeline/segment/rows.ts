import { hash } from 'node:crypto';
import type { SegmentStatusRow } from '../store/columns.js';
import type { RecommendationRow } from '../store/types.js';
import type { Morph } from '../text/morph.js';
import { offsetConverter } from '../text/offsets.js';
import { segmentDocument } from './document.js';
import type { Segmentation } from './segment.js';

/** One document as the segment stage reads it from the database. */
export interface SegmentJob {
  doc_id: string;
  text: string;
  corrections: string | null;
  corrections_sha: string | null;
  sidecar_path: string | null;
}

/** Everything the stage writes for one document; plain data, so it crosses a worker boundary as is. */
export interface SegmentedRows {
  rows: RecommendationRow[];
  status: SegmentStatusRow;
  /** The one-line message of a correction that could not be applied (ConfrecError.toLine()), or null. */
  correctionError: string | null;
}

/** 1-based line number of every offset, by binary search over line starts. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * A document's rows before it has a doc_id and a run: everything segmentation decides about its text.
 * Ingest computes it for the documents it reads when the segment stage follows in the same command
 * (handoff.ts), so metadata and segmentation share one pass of the segmenter.
 */
export interface SegmentedTemplate {
  rows: Omit<RecommendationRow, 'rec_id' | 'doc_id' | 'run_id'>[];
  reason: string | null;
  verdict: SegmentStatusRow['verdict'];
  /** JSON list of the review reasons, or null. */
  reviewReasons: string | null;
  sourceKind: SegmentStatusRow['source_kind'];
}

/** The rows of a segmentation of `text` (offsets in code points, lines 1-based), without ids. */
export function templateOf(text: string, seg: Segmentation): SegmentedTemplate {
  const lineOf = lineLocator(text);
  // The segmenter works in UTF-16 units; the database stores code points (SQL substr, Python).
  const cp = offsetConverter(text);
  const rows = seg.recommendations.map((r) => ({
    seq: r.seq,
    addressee_raw: r.addresseeRaw,
    addressee: r.addressee,
    addressee_type: r.addresseeType,
    verb: r.verb,
    text: r.text,
    char_start: cp.toCodePoint(r.charStart),
    char_end: cp.toCodePoint(r.charEnd),
    line_start: lineOf(r.charStart),
    line_end: lineOf(Math.max(r.charStart, r.charEnd - 1)),
    // sha256Hex's digest in one call (crypto.hash: no Hash object per row, ≈ half the cost on short texts).
    text_hash: hash('sha256', r.proposal, 'hex'),
    proposal: r.proposal,
    form: r.form,
    responsible: r.responsible,
    deadline: r.deadline,
    deadline_text: r.deadlineText,
    corrected: r.corrected,
  }));
  return {
    rows,
    reason: seg.reason,
    verdict: seg.verdict,
    reviewReasons: seg.reviewReasons.length ? JSON.stringify(seg.reviewReasons) : null,
    sourceKind: seg.sourceKind,
  };
}

/** The rows of one document from its template: its doc_id, rec_ids and the run. */
export function stampRows(
  doc: Pick<SegmentJob, 'doc_id' | 'corrections_sha'>,
  t: SegmentedTemplate,
  runId: number,
  segmenterVersion: string,
  correctionError: string | null = null,
): SegmentedRows {
  const rows: RecommendationRow[] = t.rows.map((r) => ({ ...r, rec_id: `${doc.doc_id}-${String(r.seq).padStart(3, '0')}`, doc_id: doc.doc_id, run_id: runId }));
  return { rows, status: statusOf(doc, t, runId, segmenterVersion), correctionError };
}

/** The `segment_status` row of one document from its template. */
function statusOf(doc: Pick<SegmentJob, 'doc_id' | 'corrections_sha'>, t: SegmentedTemplate, runId: number, segmenterVersion: string): SegmentStatusRow {
  const n = t.rows.length;
  return {
    doc_id: doc.doc_id, n_recommendations: n, flagged: n === 0, reason: t.reason, segmenter_version: segmenterVersion, run_id: runId,
    verdict: t.verdict, review_reasons: t.reviewReasons, source_kind: t.sourceKind, corrections_sha: doc.corrections_sha,
  };
}

/**
 * `stampRows` with each row as the appender's values of `recommendations` (RECOMMENDATIONS.values of
 * the stamped row, in its column order), built straight from the template: the segment stage of
 * `confrec run` stamps ≈ 75,000 handed-on rows on the 10,000-resolution corpus, and an object per row
 * spread from the template and then turned into values cost a third of the stage's main-thread time
 * (with the garbage it left).
 */
export function stampValues(
  doc: Pick<SegmentJob, 'doc_id' | 'corrections_sha'>,
  t: SegmentedTemplate,
  runId: number,
  segmenterVersion: string,
): { values: unknown[][]; status: SegmentStatusRow } {
  const { doc_id } = doc;
  const values = t.rows.map((r) => [
    `${doc_id}-${String(r.seq).padStart(3, '0')}`,
    doc_id,
    r.seq,
    r.addressee_raw ?? null,
    r.addressee ?? null,
    r.addressee_type ?? null,
    r.verb ?? null,
    r.text ?? null,
    r.char_start ?? null,
    r.char_end ?? null,
    r.line_start ?? null,
    r.line_end ?? null,
    r.text_hash ?? null,
    runId,
    r.proposal ?? null,
    r.form ?? null,
    r.responsible ?? null,
    r.deadline ? new Date(`${r.deadline}T00:00:00Z`) : null,
    r.deadline_text ?? null,
    r.corrected ?? null,
  ]);
  return { values, status: statusOf(doc, t, runId, segmenterVersion) };
}

/**
 * Segments one document into the rows of `recommendations` and `segment_status`: a pure function of
 * the document, the dictionary, the run id and the segmenter version, run in the main thread
 * (--threads 1) or in a worker (pipeline/workers/tasks.ts) with the same result.
 */
export function segmentRows(doc: SegmentJob, morph: Morph, runId: number, segmenterVersion: string): SegmentedRows {
  const corrections = doc.corrections !== null ? { content: doc.corrections, file: doc.sidecar_path ?? 'segments.json' } : null;
  const { seg, correctionError } = segmentDocument({ text: doc.text, corrections }, morph);
  return stampRows(doc, templateOf(doc.text, seg), runId, segmenterVersion, correctionError ? correctionError.toLine() : null);
}

import type { SegmentStatusRow } from '../store/columns.js';
import { sha256Hex } from '../store/hash.js';
import type { RecommendationRow } from '../store/types.js';
import type { Morph } from '../text/morph.js';
import { offsetConverter } from '../text/offsets.js';
import { segmentDocument } from './document.js';

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
 * Segments one document into the rows of `recommendations` and `segment_status`: a pure function of
 * the document, the dictionary, the run id and the segmenter version, run in the main thread
 * (--threads 1) or in a worker (pipeline/workers/tasks.ts) with the same result.
 */
export function segmentRows(doc: SegmentJob, morph: Morph, runId: number, segmenterVersion: string): SegmentedRows {
  const corrections = doc.corrections !== null ? { content: doc.corrections, file: doc.sidecar_path ?? 'segments.json' } : null;
  const { seg, correctionError } = segmentDocument({ text: doc.text, corrections }, morph);
  const lineOf = lineLocator(doc.text);
  // The segmenter works in UTF-16 units; the database stores code points (SQL substr, Python).
  const cp = offsetConverter(doc.text);
  const rows: RecommendationRow[] = seg.recommendations.map((r) => ({
    rec_id: `${doc.doc_id}-${String(r.seq).padStart(3, '0')}`,
    doc_id: doc.doc_id,
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
    text_hash: sha256Hex(r.proposal),
    run_id: runId,
    proposal: r.proposal,
    form: r.form,
    responsible: r.responsible,
    deadline: r.deadline,
    deadline_text: r.deadlineText,
    corrected: r.corrected,
  }));
  const n = rows.length;
  const status: SegmentStatusRow = {
    doc_id: doc.doc_id, n_recommendations: n, flagged: n === 0, reason: seg.reason, segmenter_version: segmenterVersion, run_id: runId,
    verdict: seg.verdict, review_reasons: seg.reviewReasons.length ? JSON.stringify(seg.reviewReasons) : null,
    source_kind: seg.sourceKind, corrections_sha: doc.corrections_sha,
  };
  return { rows, status, correctionError: correctionError ? correctionError.toLine() : null };
}

import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { RECOMMENDATIONS, SEGMENT_STATUS, type SegmentStatusRow } from '../store/columns.js';
import { fingerprintParams, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch } from '../store/scratch.js';
import { sha256Hex } from '../store/hash.js';
import type { RecommendationRow } from '../store/types.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { createProgress } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { offsetConverter } from '../text/offsets.js';
import { segmentDocument } from './document.js';

/**
 * Bumped whenever segmentation rules change, so that `confrec segment` (and `run`) re-segments
 * documents segmented by older rules without being asked.
 */
export const SEGMENTER_VERSION = 'seg-5';

export interface SegmentOptions {
  /** Re-segment every current document, not only those new or segmented by older rules. */
  all: boolean;
}

/** What segment's output depends on: the current documents, the rules, and the hand corrections. */
async function segmentFingerprint(store: Store): Promise<Fingerprint> {
  const docs = await store.scalar<string | null>(`SELECT md5(string_agg(doc_id, ',' ORDER BY doc_id)) FROM current_documents`);
  const corrections = await store.scalar<string | null>(`SELECT md5(string_agg(source_path || ':' || sha256, ',' ORDER BY source_path)) FROM segment_corrections`);
  return { inputs: { documents: docs ?? 'empty', corrections: corrections ?? 'none' }, config: { segmenter: SEGMENTER_VERSION } };
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
 * The segment stage: current documents → recommendations. Only documents not yet segmented by the
 * current rules are processed (`--all` redoes every one); recommendations of superseded versions are
 * removed in the same transaction, so analyses only ever see current documents.
 */
export const segmentStage: PipelineStage<SegmentOptions> = {
  name: 'segment',
  after: [],
  refresh: 'confrec segment',
  flags: { all: { type: 'boolean' } },
  parseOptions: (values) => ({ all: values.all === true }),
  fingerprint: segmentFingerprint,
  async run(store: Store, ctx: StageContext<SegmentOptions>) {
    const { all } = stageOptions(segmentStage, ctx);
    const fingerprint = await segmentFingerprint(store);
    return withRun(store, 'segment', { all, segmenter: SEGMENTER_VERSION, ...fingerprintParams(fingerprint) }, async (runId) => {
      // New documents, documents segmented by older rules, and documents whose corrections sidecar changed.
      const docs = await store.all<{ doc_id: string; text: string; corrections: string | null; corrections_sha: string | null; sidecar_path: string | null }>(
        `SELECT d.doc_id, d.text, c.content AS corrections, c.sha256 AS corrections_sha, c.sidecar_path
         FROM current_documents d LEFT JOIN segment_status s USING (doc_id) LEFT JOIN segment_corrections c ON c.source_path = d.source_path
         WHERE ($1 OR s.doc_id IS NULL OR s.segmenter_version IS DISTINCT FROM $2 OR s.corrections_sha IS DISTINCT FROM c.sha256)
         ORDER BY d.doc_id`,
        [all, SEGMENTER_VERSION],
      );
      const morph = await loadMorph();
      const rows: RecommendationRow[] = [];
      const statuses: SegmentStatusRow[] = [];
      const progress = createProgress('segment', docs.length, ctx);
      let correctionErrors = 0;
      for (const doc of docs) {
        const corrections = doc.corrections !== null ? { content: doc.corrections, file: doc.sidecar_path ?? 'segments.json' } : null;
        const { seg, correctionError } = segmentDocument({ text: doc.text, corrections }, morph);
        if (correctionError) {
          correctionErrors++;
          ctx.log.warn(`segment: correction not applied — ${correctionError.toLine()}`);
        }
        const lineOf = lineLocator(doc.text);
        // The segmenter works in UTF-16 units; the database stores code points (SQL substr, Python).
        const cp = offsetConverter(doc.text);
        for (const r of seg.recommendations) {
          rows.push({
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
          });
        }
        const n = seg.recommendations.length;
        statuses.push({
          doc_id: doc.doc_id, n_recommendations: n, flagged: n === 0, reason: seg.reason, segmenter_version: SEGMENTER_VERSION, run_id: runId,
          verdict: seg.verdict, review_reasons: seg.reviewReasons.length ? JSON.stringify(seg.reviewReasons) : null,
          source_kind: seg.sourceKind, corrections_sha: doc.corrections_sha,
        });
        progress.tick();
      }
      progress.done();

      let removed = 0;
      await withScratch(store, 'segment', (scratch) => store.transaction(async () => {
        removed = await store.scalar<number>(
          `SELECT count(*) FROM recommendations WHERE doc_id NOT IN (SELECT doc_id FROM current_documents)`,
        );
        await store.run(`DELETE FROM recommendations WHERE doc_id NOT IN (SELECT doc_id FROM current_documents)`);
        await store.run(`DELETE FROM segment_status WHERE doc_id NOT IN (SELECT doc_id FROM current_documents)`);
        // Replace the rows of the documents segmented now (a re-run replaces, never duplicates).
        const segmented = await scratch.table<{ doc_id: string }>('docs', { doc_id: VARCHAR });
        await segmented.append(docs.map((d) => ({ doc_id: d.doc_id })));
        await store.run(`DELETE FROM recommendations WHERE doc_id IN (SELECT doc_id FROM ${segmented.name})`);
        await store.run(`DELETE FROM segment_status WHERE doc_id IN (SELECT doc_id FROM ${segmented.name})`);
        await store.append(RECOMMENDATIONS, rows);
        await store.append(SEGMENT_STATUS, statuses);
      }));
      const flagged = statuses.filter((s) => s.flagged).length;
      const review = statuses.filter((s) => s.verdict === 'review').length;
      const corrected = statuses.filter((s) => s.corrections_sha !== null).length - correctionErrors;
      const counts = { documents: docs.length, recommendations: rows.length, flagged, review, corrected, correction_errors: correctionErrors, removed_superseded: removed };
      const notes = [
        flagged ? `${flagged} with none found` : '',
        review ? `${review} to review` : '',
        corrected ? `${corrected} corrected by hand` : '',
      ].filter(Boolean);
      const line =
        docs.length === 0
          ? 'segment: nothing to do (every current document is segmented)'
          : `segment: ${rows.length} recommendation(s) from ${docs.length} document(s)${notes.length ? ` (${notes.join(', ')}; see \`confrec status\`)` : ''}`;
      return { counts, line };
    });
  },
};

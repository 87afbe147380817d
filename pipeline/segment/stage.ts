import { BOOLEAN, INTEGER, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import { sha256Hex } from '../store/hash.js';
import type { RecommendationRow } from '../store/types.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { createProgress } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { offsetConverter } from '../text/offsets.js';
import { segmentResolution } from './segment.js';

/**
 * Bumped whenever segmentation rules change, so that `confrec segment` (and `run`) re-segments
 * documents segmented by older rules without being asked.
 */
export const SEGMENTER_VERSION = 'seg-3';

const REC_TYPES: DuckDBType[] = [
  VARCHAR, VARCHAR, INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, INTEGER, INTEGER, INTEGER, VARCHAR, INTEGER, VARCHAR,
];

function recValues(r: RecommendationRow): unknown[] {
  return [
    r.rec_id, r.doc_id, r.seq, r.addressee_raw, r.addressee, r.addressee_type, r.verb, r.text,
    r.char_start, r.char_end, r.line_start, r.line_end, r.text_hash, r.run_id, r.proposal,
  ];
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
export const segmentStage: PipelineStage = {
  name: 'segment',
  async run(store: Store, ctx: StageContext) {
    const all = Boolean(ctx.options.all);
    return withRun(store, 'segment', { all, segmenter: SEGMENTER_VERSION }, async (runId) => {
      const docs = await store.all<{ doc_id: string; text: string }>(
        `SELECT d.doc_id, d.text FROM documents d LEFT JOIN segment_status s USING (doc_id)
         WHERE d.is_current AND ($1 OR s.doc_id IS NULL OR s.segmenter_version IS DISTINCT FROM $2)
         ORDER BY d.doc_id`,
        [all, SEGMENTER_VERSION],
      );
      const morph = await loadMorph();
      const rows: RecommendationRow[] = [];
      const statuses: unknown[][] = [];
      const progress = createProgress('segment', docs.length, ctx);
      for (const doc of docs) {
        const seg = segmentResolution(doc.text, morph);
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
          });
        }
        const n = seg.recommendations.length;
        statuses.push([doc.doc_id, n, n === 0, seg.reason, SEGMENTER_VERSION, runId]);
        progress.tick();
      }
      progress.done();

      let removed = 0;
      await store.transaction(async () => {
        removed = await store.scalar<number>(
          `SELECT count(*) FROM recommendations WHERE doc_id IN (SELECT doc_id FROM documents WHERE NOT is_current)`,
        );
        await store.run(`DELETE FROM recommendations WHERE doc_id IN (SELECT doc_id FROM documents WHERE NOT is_current)`);
        await store.run(`DELETE FROM segment_status WHERE doc_id IN (SELECT doc_id FROM documents WHERE NOT is_current)`);
        // Replace the rows of the documents segmented now (a re-run replaces, never duplicates).
        await store.run(`CREATE OR REPLACE TEMP TABLE seg_docs (doc_id VARCHAR)`);
        await store.append('seg_docs', [VARCHAR], docs.map((d) => [d.doc_id]));
        await store.run(`DELETE FROM recommendations WHERE doc_id IN (SELECT doc_id FROM seg_docs)`);
        await store.run(`DELETE FROM segment_status WHERE doc_id IN (SELECT doc_id FROM seg_docs)`);
        await store.append('recommendations', REC_TYPES, rows.map(recValues));
        await store.append('segment_status', [VARCHAR, INTEGER, BOOLEAN, VARCHAR, VARCHAR, INTEGER], statuses);
        await store.run(`DROP TABLE seg_docs`);
      });
      const flagged = statuses.filter((s) => s[2]).length;
      const counts = { documents: docs.length, recommendations: rows.length, flagged, removed_superseded: removed };
      const line =
        docs.length === 0
          ? 'segment: nothing to do (every current document is segmented)'
          : `segment: ${rows.length} recommendation(s) from ${docs.length} document(s)${flagged ? `, ${flagged} flagged (none found)` : ''}`;
      return { counts, line };
    });
  },
};

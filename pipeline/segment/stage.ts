import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { RECOMMENDATIONS, SEGMENT_STATUS, type SegmentStatusRow } from '../store/columns.js';
import { fingerprintParams, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { createProgress } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { Lookahead, SharedPool, withPool } from '../workers/pool.js';
import { THREADS_FLAG, threadsFlag } from '../workers/threads.js';
import { segmentRows, stampValues, type SegmentJob, type SegmentedRows } from './rows.js';
import type { SegmentHandoff } from './handoff.js';

/**
 * Bumped whenever segmentation rules change, so that `confrec segment` (and `run`) re-segments
 * documents segmented by older rules without being asked.
 */
export const SEGMENTER_VERSION = 'seg-11';

export interface SegmentOptions {
  /** Re-segment every current document, not only those new or segmented by older rules. */
  all: boolean;
  /** Worker threads (--threads N; default every core, 1 = everything in the main thread). */
  threads: number;
}

/** Documents per worker task: large enough that messaging costs nothing, small enough to balance. */
const SEGMENT_BATCH = 64;

/** Recommendation rows per append while segmenting (one DuckDB appender each; ≈ 550 documents). */
const APPEND_ROWS = 4096;

/**
 * Documents whose texts are read from the database at a time: segmenting 100,000 documents with all
 * their texts read at once held 4.4 GB; a window of this many holds a few megabytes.
 */
const TEXT_WINDOW = 2048;

/** What segment's output depends on: the current documents, the rules, and the hand corrections. */
async function segmentFingerprint(store: Store): Promise<Fingerprint> {
  const docs = await store.scalar<string | null>(`SELECT md5(string_agg(doc_id, ',' ORDER BY doc_id)) FROM current_documents`);
  const corrections = await store.scalar<string | null>(`SELECT md5(string_agg(source_path || ':' || sha256, ',' ORDER BY source_path)) FROM segment_corrections`);
  return { inputs: { documents: docs ?? 'empty', corrections: corrections ?? 'none' }, config: { segmenter: SEGMENTER_VERSION } };
}

export { lineLocator } from './rows.js';

/** One document's rows as the appender's values of `recommendations`, its status, its correction error. */
interface Done {
  values: unknown[][];
  status: SegmentStatusRow;
  correctionError: string | null;
}

/** A document segmented here or in a worker (its rows as objects, which cross a worker boundary). */
function done(r: SegmentedRows): Done {
  return { values: r.rows.map((row) => RECOMMENDATIONS.values(row)), status: r.status, correctionError: r.correctionError };
}

/** The texts of these documents (segment reads them only for documents it segments itself). */
async function readTexts(store: Store, docs: { doc_id: string; text: string }[]): Promise<void> {
  await withScratch(store, 'segment_texts', async (scratch) => {
    const ids = await scratch.table<{ doc_id: string }>('ids', { doc_id: VARCHAR });
    await ids.append(docs.map((d) => ({ doc_id: d.doc_id })));
    const texts = new Map(
      (await store.all<{ doc_id: string; text: string }>(`SELECT doc_id, text FROM documents JOIN ${ids.name} USING (doc_id)`)).map((r) => [r.doc_id, r.text]),
    );
    for (const d of docs) d.text = texts.get(d.doc_id)!;
  });
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
  flags: { all: { type: 'boolean' }, ...THREADS_FLAG },
  parseOptions: (values) => ({ all: values.all === true, threads: threadsFlag(values.threads) }),
  fingerprint: segmentFingerprint,
  async run(store: Store, ctx: StageContext<SegmentOptions>) {
    const { all, threads } = stageOptions(segmentStage, ctx);
    const fingerprint = await segmentFingerprint(store);
    // New documents, documents segmented by older rules, and documents whose corrections sidecar changed.
    const TODO = `FROM current_documents d LEFT JOIN segment_status s USING (doc_id) LEFT JOIN segment_corrections c ON c.source_path = d.source_path
         WHERE ($1 OR s.doc_id IS NULL OR s.segmenter_version IS DISTINCT FROM $2 OR s.corrections_sha IS DISTINCT FROM c.sha256)`;
    // Without a pool from `confrec run`, the stage's own starts before the texts are read, so its
    // workers load their modules and dictionaries meanwhile (counting needs no text).
    const batchesToDo = Math.ceil(Number(await store.scalar(`SELECT count(*) ${TODO}`, [all, SEGMENTER_VERSION])) / SEGMENT_BATCH);
    const own = !ctx.workers && threads > 1 && batchesToDo > 1 ? new SharedPool(threads) : null;
    own?.get();
    try {
      return await withRun(store, 'segment', { all, segmenter: SEGMENTER_VERSION, ...fingerprintParams(fingerprint) }, async (runId) => {
        // Documents ingest has segmented in this command (segment/handoff.ts) are recognised by the run
        // that wrote their row; only the texts of the others are read.
        const handoff: SegmentHandoff | null = ctx.segmentations && ctx.segmentations.size > 0 ? ctx.segmentations : null;
        // Texts are read a window of documents at a time, and only for those segmented here.
        const docs = await store.all<SegmentJob & { written_by: number | null }>(
          `SELECT d.doc_id, d.run_id AS written_by, NULL::VARCHAR AS text,
             c.content AS corrections, c.sha256 AS corrections_sha, c.sidecar_path ${TODO} ORDER BY d.doc_id`,
          [all, SEGMENTER_VERSION],
        );
        const handedOn = (d: (typeof docs)[number]) => handoff !== null && d.corrections === null && handoff.has(d.doc_id, d.written_by);
        const toSegment = handoff ? docs.filter((d) => !handedOn(d)) : docs;
        /** Reads the texts of the window's documents to be segmented here, and forgets those of the last window. */
        let window: SegmentJob[] = [];
        const readWindow = async (from: number) => {
          for (const d of window) d.text = '';
          window = docs.slice(from, from + TEXT_WINDOW).filter((d) => !handedOn(d));
          if (window.length) await readTexts(store, window);
        };
        /** The rows of a document ingest segmented, or null when it must be segmented here. */
        const fromHandoff = (d: (typeof docs)[number]): Done | null => {
          if (!handedOn(d)) return null;
          const t = handoff!.take(d.doc_id, d.written_by);
          return t && { ...stampValues(d, t, runId, SEGMENTER_VERSION), correctionError: null };
        };
        const statuses: SegmentStatusRow[] = [];
        const progress = createProgress('segment', docs.length, ctx);
        let correctionErrors = 0;
        let recommendations = 0;
        let removed = 0;
        // Rows are appended while the workers segment the next documents, inside the one transaction
        // that also removes the rows they replace: the main thread's appends (≈ 2 s on 10,000 documents)
        // no longer wait for the last batch, and the rows of the whole corpus are never all in memory.
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
          let pending: unknown[][] = [];
          const take = async (taken: Done[]) => {
            for (const r of taken) {
              if (r.correctionError !== null) {
                correctionErrors++;
                ctx.log.warn(`segment: correction not applied — ${r.correctionError}`);
              }
              for (const row of r.values) pending.push(row);
              statuses.push(r.status);
            }
            progress.tick(taken.length);
            if (pending.length >= APPEND_ROWS) {
              recommendations += pending.length;
              const chunk = pending;
              pending = [];
              await store.appendValues(RECOMMENDATIONS, chunk);
            }
          };
          await withPool(threads, async (pool) => {
            if (!pool) {
              const morph = toSegment.length ? await loadMorph() : null;
              for (let i = 0; i < docs.length; i++) {
                if (i % TEXT_WINDOW === 0) await readWindow(i);
                await take([fromHandoff(docs[i]) ?? done(segmentRows(docs[i], morph!, runId, SEGMENTER_VERSION))]);
              }
              return;
            }
            // Batches go to the workers a window ahead and are taken back in document order; documents
            // ingest segmented are not sent. A text window holds whole batches (TEXT_WINDOW is a multiple
            // of SEGMENT_BATCH); its batches are all taken before the next window is read.
            for (let from = 0; from < docs.length; from += TEXT_WINDOW) {
              await readWindow(from);
              const inWindow = docs.slice(from, from + TEXT_WINDOW);
              const batches = Math.ceil(inWindow.length / SEGMENT_BATCH);
              const ahead = new Lookahead<Done[]>(batches, pool.threads * 4, (b) => {
                const batch = inWindow.slice(b * SEGMENT_BATCH, (b + 1) * SEGMENT_BATCH);
                const ready = batch.map(fromHandoff);
                const rest = batch.filter((_, k) => ready[k] === null);
                if (!rest.length) return Promise.resolve(ready as Done[]);
                return pool.segment({ docs: rest, runId, segmenterVersion: SEGMENTER_VERSION }).then((segmented) => {
                  let j = 0;
                  return ready.map((r) => r ?? done(segmented[j++]));
                });
              });
              for (let b = 0; b < batches; b++) await take((await ahead.get(b))!);
            }
            window = [];
          }, ctx.workers ?? own ?? undefined, Math.ceil(toSegment.length / SEGMENT_BATCH));
          recommendations += pending.length;
          await store.appendValues(RECOMMENDATIONS, pending);
          await store.append(SEGMENT_STATUS, statuses);
        }));
        progress.done();
        const flagged = statuses.filter((s) => s.flagged).length;
        const review = statuses.filter((s) => s.verdict === 'review').length;
        const corrected = statuses.filter((s) => s.corrections_sha !== null).length - correctionErrors;
        const counts = { documents: docs.length, recommendations, flagged, review, corrected, correction_errors: correctionErrors, removed_superseded: removed };
        const notes = [
          flagged ? `${flagged} with none found` : '',
          review ? `${review} to review` : '',
          corrected ? `${corrected} corrected by hand` : '',
        ].filter(Boolean);
        const line =
          docs.length === 0
            ? 'segment: nothing to do (every current document is segmented)'
            : `segment: ${recommendations} recommendation(s) from ${docs.length} document(s)${notes.length ? ` (${notes.join(', ')}; see \`confrec status\`)` : ''}`;
        return { counts, line };
      });
    } finally {
      await own?.close();
      // What was not taken (documents with hand corrections, a failed run) is of no use any more.
      ctx.segmentations?.clear();
    }
  },
};

/**
 * conference_novelty, brought up to date in proportion to what changed (issue 16: the statement over
 * every cross-document pair was the largest part of recurring's re-run — 6.1 s of 13.6 s at 10,000
 * resolutions under load, and it grows with the pairs, 33 million at 100k).
 *
 * A conference's row depends on its current recommendations, its dates (year, date_start), and for
 * each of its recommendations the cross-document pairs to current recommendations and their
 * conferences' dates. Between the last recurring run and this one:
 * - a pair that came, went or changed has both ends recorded by the similar run that changed it
 *   (near_duplicate_changes, pipeline/similar/changes.ts), when that run was incremental;
 * - a conference that is new, gone, or whose recommendations or dates changed has another signature
 *   in novelty_inputs (per document: dates; count and XOR of rec_id hashes);
 * - a conference whose dates changed in place changes its partners' rows: they are found by one
 *   filtered read of the pairs (only when there is such a conference);
 * - a recommendation that left or joined the current set while its pairs stayed cannot happen when
 *   similar was up to date with the recommendations at both runs (its fingerprint's inputs): similar
 *   then removed (and recorded) the pairs of every recommendation that left.
 * So when every similar run since the last recurring run recorded its changes (or changed nothing) and
 * similar was up to date at both runs, the rows of those conferences are computed again (the same
 * definition, restricted to their recommendations) and the others stand; otherwise every row is.
 * tests/stage/recurring-incremental.test.ts compares the result with `--all` after adding, changing
 * and removing conferences.
 */
import type { Store } from '../store/db.js';
import { lastSuccessfulRun, recommendationInputs } from '../store/freshness.js';
import type { Scratch, TableRef } from '../store/scratch.js';
import { PAIR_CHANGES_TABLE } from '../similar/changes.js';

/** Recorded in the recurring run's params when its novelty rows can be brought up to date by the next run. */
export const NOVELTY_STATE = 'novelty-1';

/** Per current document with recommendations: what its row depends on besides its pairs. */
const DOC_INPUTS = `
  SELECT r.doc_id, coalesce(any_value(d.year)::VARCHAR, '') || '|' || coalesce(any_value(d.date_start)::VARCHAR, '') AS dates,
         count(*) || ':' || bit_xor(hash(r.rec_id)) AS recs
  FROM recommendations r JOIN current_documents d USING (doc_id)
  GROUP BY r.doc_id`;

/**
 * One row per conference of `t` (doc_id, year, date columns) from x, the per-recommendation flags
 * earlier / later / same joined on `key`: the counts conference_novelty stores. Shared by the full
 * statement and the incremental one, so both count alike.
 */
function perConference(t: string, key: string): string {
  return `SELECT ${t}.doc_id, any_value(${t}.year), count(*),
         CASE WHEN any_value(${t}.year) IS NULL THEN NULL ELSE count(*) FILTER (WHERE coalesce(x.earlier, false)) END,
         CASE WHEN any_value(${t}.year) IS NULL THEN NULL ELSE count(*) - count(*) FILTER (WHERE coalesce(x.earlier, false)) END,
         count(*) FILTER (WHERE coalesce(x.same, false) AND NOT coalesce(x.earlier, false) AND NOT coalesce(x.later, false)),
         CASE WHEN any_value(${t}.year) IS NULL THEN NULL ELSE count(*) FILTER (WHERE coalesce(x.later, false)) END,
         $1
  FROM ${t} LEFT JOIN x USING (${key})
  GROUP BY ${t}.doc_id`;
}

/**
 * Per conference, over cross-document near-duplicate pairs: a recommendation repeats an earlier one
 * when its pair stands in a resolution of an earlier year (or of the same year with an earlier
 * date); it is repeated later in the mirror case. Conferences without a year have no order.
 *
 * The recommendations get an integer key (`k`: any numbering, it only joins and groups; rr is
 * MATERIALIZED so its three readers see one numbering), so the 1.16 million pair ends at 10,000
 * resolutions are grouped by an integer instead of a rec_id string, and each pair is read from both
 * ends by unnesting it in place (a UNION ALL read them twice from a materialised CTE). Same rows; on
 * the 10,000-resolution database, in a transaction as the stage runs it, 242 → 176 ms at best and
 * 912 → 315 ms median of six on a loaded machine.
 */
/** Every conference's row (the full run). */
const ALL_ROWS = `
  WITH rr AS MATERIALIZED (
    SELECT r.rec_id, r.doc_id, d.year, d.date_start, (row_number() OVER ())::INTEGER AS k
    FROM recommendations r JOIN current_documents d USING (doc_id)
  ), pp AS (
    -- Each cross-document pair compared once (both ends' dates joined once), then read from both ends.
    SELECT a.k AS ka, b.k AS kb,
           (b.year < a.year OR (b.year = a.year AND b.date_start < a.date_start)) AS b_before,
           (b.year > a.year OR (b.year = a.year AND b.date_start > a.date_start)) AS b_after,
           (b.year IS NULL OR a.year IS NULL OR (b.year = a.year AND (b.date_start IS NULL OR a.date_start IS NULL OR b.date_start = a.date_start))) AS same
    FROM near_duplicates n JOIN rr a ON a.rec_id = n.rec_a JOIN rr b ON b.rec_id = n.rec_b
    WHERE NOT n.same_document
  ), x AS (
    SELECT k, bool_or(earlier) AS earlier, bool_or(later) AS later, bool_or(same) AS same
    FROM (SELECT unnest([ka, kb]) AS k, unnest([b_before, b_after]) AS earlier, unnest([b_after, b_before]) AS later, same FROM pp)
    GROUP BY k
  )
${perConference('rr', 'k')}`;

/**
 * The rows of the conferences in `docs` (a table of doc_id): ALL_ROWS' definition restricted to their
 * recommendations, whose cross-document pairs are found by one filtered read of `pairs` (a table of
 * near_duplicates' columns holding at least every pair with an end in those conferences).
 */
function noveltyRows(docs: string, pairs: string): string {
  const only = `WHERE r.doc_id IN (SELECT doc_id FROM ${docs})`;
  return `
  WITH rt AS MATERIALIZED (
    SELECT r.rec_id, r.doc_id, d.year, d.date_start FROM recommendations r JOIN current_documents d USING (doc_id) ${only}
  ), p AS MATERIALIZED (
    SELECT rec_a, rec_b FROM ${pairs}
    WHERE NOT same_document AND (rec_a IN (SELECT rec_id FROM rt) OR rec_b IN (SELECT rec_id FROM rt))
  ), e AS (
    SELECT rec_a AS mine, rec_b AS other FROM p UNION ALL SELECT rec_b, rec_a FROM p
  ), o AS (
    SELECT r.rec_id, d.year, d.date_start FROM recommendations r JOIN current_documents d USING (doc_id)
    WHERE r.rec_id IN (SELECT other FROM e)
  ), x AS (
    SELECT a.rec_id,
           bool_or(b.year < a.year OR (b.year = a.year AND b.date_start < a.date_start)) AS earlier,
           bool_or(b.year > a.year OR (b.year = a.year AND b.date_start > a.date_start)) AS later,
           bool_or(b.year IS NULL OR a.year IS NULL OR (b.year = a.year AND (b.date_start IS NULL OR a.date_start IS NULL OR b.date_start = a.date_start))) AS same
    FROM e JOIN rt a ON a.rec_id = e.mine JOIN o b ON b.rec_id = e.other
    GROUP BY a.rec_id
  )
${perConference('rt', 'rec_id')}`;
}

export interface NoveltyPlan {
  /** Only the conferences that changed are computed again. */
  incremental: boolean;
  /** Recorded in the run's params: NOVELTY_STATE when the rows written can be updated next time. */
  state: string | null;
  /** The latest similar run whose pairs these rows reflect (its changes and older ones are consumed). */
  similarRun: number | null;
  /** The similar run the last recurring run had consumed (incremental only). */
  since: number | null;
}

/**
 * Whether the rows can be brought up to date: `last` is the last successful recurring run's params,
 * `allowed` false for --all or a changed configuration.
 */
export async function planNovelty(store: Store, last: Record<string, unknown> | null, allowed: boolean): Promise<NoveltyPlan> {
  const similar = await lastSuccessfulRun(store, 'similar');
  const similarRun = similar?.runId ?? null;
  // Similar's pairs are those of the current recommendations (it is up to date with them).
  const upToDate = !!similar && similar.fingerprint?.inputs.recommendations === (await recommendationInputs(store)).recommendations;
  const state = upToDate ? NOVELTY_STATE : null;
  const since = typeof last?.similar_run === 'number' ? last.similar_run : null;
  if (!allowed || !upToDate || last?.novelty !== NOVELTY_STATE || since === null) return { incremental: false, state, similarRun, since: null };
  // Every similar run since then changed nothing or recorded what it changed.
  const unrecorded = await store.scalar<number>(
    `SELECT count(*) FROM runs r
     WHERE r.stage = 'similar' AND r.status = 'ok' AND r.run_id > $1
       AND coalesce(json_extract(r.params, '$.unchanged')::BOOLEAN, false) = false
       AND NOT EXISTS (SELECT 1 FROM ${PAIR_CHANGES_TABLE} c WHERE c.run_id = r.run_id AND c.rec_id IS NULL)`,
    [since],
  );
  return { incremental: unrecorded === 0, state, similarRun, since };
}

/** The conferences an incremental run computes again (`docs`), and those whose own inputs changed (`changed`). */
export interface NoveltyDocs {
  changed: TableRef;
  docs: TableRef;
}

/**
 * Which conferences' rows an incremental run computes again (null for a full run): read before the
 * stage writes anything, so that the stage can find their pairs in the same read of near_duplicates
 * as its medoid links (`NOVELTY_RECS` over `docs`), instead of a second read of every pair.
 */
export async function noveltyDocs(store: Store, scratch: Scratch, plan: NoveltyPlan): Promise<NoveltyDocs | null> {
  if (!plan.incremental) return null;
  // New, gone and changed conferences; `redated`: same document, other dates.
  const changed = await scratch.query(
    'changed_docs',
    `WITH n AS (${DOC_INPUTS})
     SELECT coalesce(n.doc_id, o.doc_id) AS doc_id, (n.doc_id IS NOT NULL AND o.doc_id IS NOT NULL AND n.dates <> o.dates) AS redated,
            n.dates, n.recs
     FROM n FULL OUTER JOIN novelty_inputs o ON o.doc_id = n.doc_id
     WHERE n.doc_id IS NULL OR o.doc_id IS NULL OR n.dates <> o.dates OR n.recs <> o.recs`,
  );
  const redated = await store.scalar<number>(`SELECT count(*) FROM ${changed.name} WHERE redated`);
  // Their conferences, those of the recommendations whose pairs changed, and (rarely) the partners of a redated one.
  const partners = redated
    ? `UNION SELECT r.doc_id FROM recommendations r WHERE r.rec_id IN (
         WITH mine AS (SELECT rec_id FROM recommendations WHERE doc_id IN (SELECT doc_id FROM ${changed.name} WHERE redated))
         SELECT rec_b FROM near_duplicates WHERE rec_a IN (SELECT rec_id FROM mine)
         UNION SELECT rec_a FROM near_duplicates WHERE rec_b IN (SELECT rec_id FROM mine))`
    : '';
  const docs: TableRef = await scratch.query(
    'novelty_docs',
    `SELECT doc_id FROM ${changed.name}
     UNION SELECT r.doc_id FROM recommendations r
           WHERE r.rec_id IN (SELECT rec_id FROM ${PAIR_CHANGES_TABLE} WHERE run_id > $1 AND rec_id IS NOT NULL)
     ${partners}`,
    [plan.since],
  );
  return { changed, docs };
}

/** The recommendations of the conferences in `docs` (a table of doc_id): the pairs their rows need have an end among them. */
export const noveltyRecs = (docs: TableRef) => `SELECT rec_id FROM recommendations WHERE doc_id IN (SELECT doc_id FROM ${docs.name})`;

/**
 * Writes conference_novelty (inside the stage's transaction) as planned — `docs` from noveltyDocs,
 * `pairs` a table holding at least every pair with an end in their recommendations (default: all of
 * near_duplicates) — and returns how many conferences' rows were computed (every current one on a
 * full run).
 */
export async function writeNovelty(
  store: Store,
  scratch: Scratch,
  plan: NoveltyPlan,
  runId: number,
  incremental: NoveltyDocs | null,
  pairs = 'near_duplicates',
): Promise<number> {
  let computed: number;
  if (!incremental) {
    const inputs = await scratch.query('doc_inputs', DOC_INPUTS);
    await store.run(`DELETE FROM conference_novelty`);
    await store.run(`INSERT INTO conference_novelty ${ALL_ROWS}`, [runId]);
    await store.run(`DELETE FROM novelty_inputs`);
    await store.run(`INSERT INTO novelty_inputs SELECT doc_id, dates, recs FROM ${inputs.name}`);
    computed = await inputs.count();
  } else {
    const { changed, docs } = incremental;
    await store.run(`DELETE FROM conference_novelty WHERE doc_id IN (SELECT doc_id FROM ${docs.name})`);
    await store.run(`INSERT INTO conference_novelty ${noveltyRows(docs.name, pairs)}`, [runId]);
    await store.run(`DELETE FROM novelty_inputs WHERE doc_id IN (SELECT doc_id FROM ${changed.name})`);
    // A gone conference has no inputs now (dates NULL): its row goes and none comes.
    await store.run(`INSERT INTO novelty_inputs SELECT doc_id, dates, recs FROM ${changed.name} WHERE dates IS NOT NULL`);
    computed = await store.scalar<number>(`SELECT count(*) FROM ${docs.name}`);
  }
  // What similar recorded up to now is consumed.
  if (plan.similarRun !== null) await store.run(`DELETE FROM ${PAIR_CHANGES_TABLE} WHERE run_id <= $1`, [plan.similarRun]);
  return computed;
}

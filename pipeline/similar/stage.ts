import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { checkFreshness, fingerprintParams } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type Scratch, type TableRef } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { containmentAll, containmentWith, storeLemmas, type ContainmentResult } from './containment/store.js';
import { loadThesaurus, type Thesaurus } from './containment/thesaurus.js';
import { regroup } from './groups/regroup.js';
import { NEAR_DUPLICATE_FLAGS, parseNearDuplicateOptions, type NearDuplicateOptions } from './options.js';
import { exhaustivePairs, lshPairs, noPairs, pairsWith, type TextPairs } from './pairs/pairs.js';
import { emptyVectors, loadVectors, vectorSubset, type VectorTable } from './pairs/vectors.js';
import { planNearDuplicates, type NearDuplicatePlan } from './plan.js';

export { EXHAUSTIVE_BELOW, SIMILAR_VERSION } from './plan.js';

export const STAGE_NAME = 'similar';

/**
 * The current recommendations with the number of each copy of a proposal within its document
 * (1 = first, by rec_id). Copies past config.nearDuplicates.maxCopiesPerDocument ("surplus") are
 * linked to their document's first copy only, so one file repeating a line cannot make its pairs
 * grow with the square of its length.
 */
const RECS = `
  SELECT r.rec_id, r.doc_id, r.text_hash,
         row_number() OVER (PARTITION BY r.doc_id, r.text_hash ORDER BY r.rec_id) AS copy
  FROM recommendations r JOIN current_documents USING (doc_id)`;

/** Text pairs (cosine pairs and containment pairs, over the vectors' idx) with their `match`. */
const textPairs = (pairs: TableRef, contained: TableRef) => `
  SELECT i, j, similarity, 'similar' AS match FROM ${pairs.name}
  UNION ALL
  SELECT i, j, similarity, 'contained' FROM ${contained.name}`;

/**
 * Text pairs → recommendation pairs, plus identical proposals at similarity 1, plus each surplus
 * copy's link to its first copy. `isNew` (SQL over the recs CTE) restricts the result to pairs with
 * at least one member for which it holds (the incremental run); the full run passes 'true'.
 * Recommendations get their text's idx first, so the 500,000 text pairs of the 10k corpus join on
 * integers rather than on text hashes.
 * $1 = run id, $2 = the copy cap.
 */
const expandPairs = (v: VectorTable, tp: string, isNew: string) => `
  INSERT INTO near_duplicates
  WITH recs AS (SELECT *, ${isNew} AS is_new FROM (${RECS})),
       kept AS (SELECT * FROM recs WHERE copy <= $2),
       kept_idx AS (SELECT k.rec_id, k.doc_id, k.is_new, v.idx FROM kept k JOIN ${v.table.name} v USING (text_hash)),
       text_pairs AS (SELECT DISTINCT * FROM (${tp}))
  SELECT least(ra.rec_id, rb.rec_id), greatest(ra.rec_id, rb.rec_id), tp.similarity, ra.doc_id = rb.doc_id, $1, tp.match
  FROM text_pairs tp JOIN kept_idx ra ON ra.idx = tp.i JOIN kept_idx rb ON rb.idx = tp.j
  WHERE ra.is_new OR rb.is_new
  UNION ALL
  SELECT a.rec_id, b.rec_id, 1.0, a.doc_id = b.doc_id, $1, 'identical'
  FROM kept a JOIN kept b ON a.text_hash = b.text_hash AND a.rec_id < b.rec_id
  WHERE a.is_new OR b.is_new
  UNION ALL
  SELECT least(f.rec_id, s.rec_id), greatest(f.rec_id, s.rec_id), 1.0, true, $1, 'identical'
  FROM recs s JOIN recs f ON f.doc_id = s.doc_id AND f.text_hash = s.text_hash AND f.copy = 1
  WHERE s.copy > $2 AND (s.is_new OR f.is_new)`;

const CURRENT_INPUTS = `SELECT r.rec_id, r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)`;

/**
 * The near-duplicates stage: pairs of current recommendations at or above the threshold calibrated
 * for the embedder family (within and across documents), identical proposals and contained ones into
 * near_duplicates, and star-shaped groups (every member at or above the threshold to the medoid, see
 * groups/groups.ts) into near_duplicate_groups. Both tables are replaced in one transaction, or —
 * after a few new recommendations in the same space — brought up to date with new × all pairs.
 * Intermediate tables are handles of one Scratch, dropped when the run ends.
 */
export const nearDuplicatesStage: PipelineStage<NearDuplicateOptions> = {
  name: STAGE_NAME,
  after: ['segment', 'embed'],
  refresh: 'confrec duplicates',
  flags: NEAR_DUPLICATE_FLAGS,
  parseOptions: parseNearDuplicateOptions,
  fingerprint: async (store, o) => (await planNearDuplicates(store, o)).fingerprint,
  async run(store: Store, ctx: StageContext<NearDuplicateOptions>) {
    const o = stageOptions(nearDuplicatesStage, ctx);
    const plan = await planNearDuplicates(store, o);
    const freshness = await checkFreshness(store, STAGE_NAME, plan.fingerprint);
    const params = {
      family: plan.family,
      embedder: plan.current?.id ?? null,
      threshold: plan.threshold,
      threshold_source: plan.thresholdSource,
      method: plan.method,
      lsh: plan.fingerprint.config.lsh,
      embed_run: plan.current?.runId ?? null,
      ...fingerprintParams(plan.fingerprint),
    };
    const last = freshness.last;
    if (!o.all && last && freshness.status === 'fresh') {
      return withRun(store, STAGE_NAME, { ...params, unchanged: true }, async () => ({
        counts: { ...last.counts, unchanged: true },
        line: `similar: nothing to do (recommendations, embedding space, threshold and synonyms unchanged: ${last.counts.pairs ?? 0} pair(s) in ${last.counts.groups ?? 0} group(s))`,
      }));
    }
    const thesaurus = loadThesaurus(config.synonymsFile, await loadMorph());
    return withScratch(store, STAGE_NAME, async (scratch) => {
      // Vectors are read inside the run, so that its recorded duration includes them.
      const staged = async () => {
        const t = Date.now();
        const vectors = plan.current ? await loadVectors(store, scratch, plan.current.dim) : await emptyVectors(scratch);
        return { vectors, readMs: Date.now() - t };
      };
      if (!o.all && plan.current && freshness.status === 'inputs-changed') {
        const change = await changeSince(store, scratch);
        const limits = config.incremental;
        if (change.covered > 0 && change.freshTexts <= limits.similarMaxNewTexts && change.fresh + change.gone <= limits.similarMaxChange * change.covered) {
          return withRun(store, STAGE_NAME, { ...params, incremental: true }, async (runId) =>
            updateIncrementally(store, scratch, { plan, runId, ...(await staged()), change, thesaurus }),
          );
        }
      }
      return withRun(store, STAGE_NAME, params, async (runId) => recomputeAll(store, scratch, { plan, runId, ...(await staged()), thesaurus }));
    });
  },
};

/** Every pair from scratch. */
async function recomputeAll(
  store: Store,
  scratch: Scratch,
  { plan, runId, vectors, readMs, thesaurus }: { plan: NearDuplicatePlan; runId: number; vectors: VectorTable; readMs: number; thesaurus: Thesaurus },
) {
  const started = Date.now();
  let candidates = 0;
  let verified: number | null = null;
  let signatureMs: number | null = null;
  let pairs: TextPairs;
  if (plan.current && plan.lsh) {
    const r = await lshPairs(scratch, vectors, plan.threshold, plan.lsh);
    ({ candidates, verified, signatureMs, pairs } = r);
  } else {
    ({ candidates, pairs } = await exhaustivePairs(scratch, vectors, plan.threshold));
  }
  const pairsMs = Date.now() - started;
  const containment: ContainmentResult = plan.current
    ? await containmentAll(store, scratch, vectors, pairs, thesaurus)
    : { pairs: await noPairs(scratch, 'contained'), contained: 0, lemmaRows: [], ms: 0 };

  const writing = Date.now();
  const summary = await store.transaction(async () => {
    await store.run('DELETE FROM near_duplicates');
    await store.run('DELETE FROM near_duplicate_groups');
    await store.run(expandPairs(vectors, textPairs(pairs.table, containment.pairs.table), 'true'), [runId, config.nearDuplicates.maxCopiesPerDocument]);
    await store.run('DELETE FROM near_duplicate_inputs');
    await store.run(`INSERT INTO near_duplicate_inputs ${CURRENT_INPUTS}`);
    await storeLemmas(store, containment.lemmaRows, true);
    await regroup(store, scratch, runId);
    return summarisePairs(store);
  });
  const counts = {
    ...summary,
    texts: vectors.count,
    candidates,
    verified,
    contained_text_pairs: containment.contained,
    containment_ms: containment.ms,
    method: plan.method,
    threshold: plan.threshold,
    read_ms: readMs,
    signature_ms: signatureMs,
    pairs_ms: pairsMs,
    write_ms: Date.now() - writing,
  };
  const how = `threshold ${plan.threshold.toFixed(3)} (${plan.thresholdSource === 'calibrated' ? `calibrated for ${plan.family}` : plan.thresholdSource === 'option' ? '--threshold' : `default: ${plan.family} is not calibrated`})`;
  const over = plan.current
    ? `${plan.method} over ${vectors.count} text(s)${plan.lsh ? ` (${plan.lsh.bands} bands: ${candidates} candidate pair(s), ${verified} exact cosine(s))` : ''}`
    : 'identical texts only: no embeddings (run `confrec embed`)';
  const copies = summary.surplus_copies ? `; ${summary.surplus_copies} repeated cop(ies) of a proposal within one document linked to its first copy only` : '';
  const line =
    `similar: ${counts.pairs} near-duplicate pair(s) (${counts.cross_document_pairs} across documents, ${counts.contained_pairs} by containment) in ${counts.groups} group(s) ` +
    `among ${counts.recommendations} recommendation(s); ${how}, ${over}${copies}`;
  return { counts, line };
}

interface Change {
  /** Recommendations (rec_id, text_hash) new since the stored pairs, and those gone. */
  freshRecs: TableRef;
  goneRecs: TableRef;
  /** Texts that gained or lost a recommendation: their pairs are recomputed. */
  changedTexts: TableRef;
  covered: number;
  fresh: number;
  freshTexts: number;
  gone: number;
}

/**
 * What changed since the stored pairs, by (rec_id, text_hash), so that a re-segmented recommendation
 * whose text changed under the same rec_id is both gone (its old pairs) and new.
 */
async function changeSince(store: Store, scratch: Scratch): Promise<Change> {
  const freshRecs = await scratch.query('fresh', `SELECT c.rec_id, c.text_hash FROM (${CURRENT_INPUTS}) c ANTI JOIN near_duplicate_inputs i USING (rec_id, text_hash)`);
  const goneRecs = await scratch.query('gone', `SELECT i.rec_id, i.text_hash FROM near_duplicate_inputs i ANTI JOIN (${CURRENT_INPUTS}) c USING (rec_id, text_hash)`);
  const changedTexts = await scratch.query('changed_texts', `SELECT text_hash FROM ${freshRecs.name} UNION SELECT text_hash FROM ${goneRecs.name}`);
  const c = await store.one<{ covered: number; fresh: number; fresh_texts: number; gone: number }>(
    `SELECT (SELECT count(*) FROM near_duplicate_inputs) AS covered, (SELECT count(*) FROM ${freshRecs.name}) AS fresh,
            (SELECT count(DISTINCT text_hash) FROM ${freshRecs.name}) AS fresh_texts, (SELECT count(*) FROM ${goneRecs.name}) AS gone`,
  );
  return { freshRecs, goneRecs, changedTexts, covered: c?.covered ?? 0, fresh: c?.fresh ?? 0, freshTexts: c?.fresh_texts ?? 0, gone: c?.gone ?? 0 };
}

/**
 * Brings stored pairs up to date after a few recommendations came or went: every text that gained or
 * lost a recommendation is compared with every text again (exact, changed × all), the pairs of its
 * recommendations and of the gone ones are replaced, and groups are recomputed when pairs changed.
 * The same tables as a full run, at a fraction of the cost.
 */
async function updateIncrementally(
  store: Store,
  scratch: Scratch,
  o: { plan: NearDuplicatePlan; runId: number; vectors: VectorTable; readMs: number; change: Change; thesaurus: Thesaurus },
) {
  const { plan, runId, vectors, change } = o;
  const started = Date.now();
  // The changed texts' vectors first, then changed × all: the join never touches pairs of two unchanged texts.
  const changed = await vectorSubset(store, scratch, vectors, change.changedTexts);
  const pairs = await pairsWith(scratch, vectors, changed.idx, plan.threshold);
  const containment = await containmentWith(store, scratch, vectors, changed, pairs, o.thesaurus);
  const pairsMs = Date.now() - started;
  const writing = Date.now();
  const affected = `(SELECT rec_id FROM ${change.goneRecs.name} UNION SELECT rec_id FROM (${CURRENT_INPUTS}) WHERE text_hash IN (SELECT text_hash FROM ${change.changedTexts.name}))`;
  const s = await store.transaction(async () => {
    const before = await store.scalar<number>(`SELECT count(*) FROM near_duplicates`);
    await store.run(`DELETE FROM near_duplicates WHERE rec_a IN ${affected} OR rec_b IN ${affected}`);
    const removedPairs = before - (await store.scalar<number>(`SELECT count(*) FROM near_duplicates`));
    await store.run(`DELETE FROM near_duplicate_inputs WHERE rec_id IN (SELECT rec_id FROM ${change.goneRecs.name})`);
    await store.run(
      expandPairs(vectors, textPairs(pairs.table, containment.pairs.table), `text_hash IN (SELECT text_hash FROM ${change.changedTexts.name})`),
      [runId, config.nearDuplicates.maxCopiesPerDocument],
    );
    const addedPairs = (await store.scalar<number>(`SELECT count(*) FROM near_duplicates`)) - before + removedPairs;
    await store.run(`INSERT INTO near_duplicate_inputs SELECT rec_id, text_hash FROM ${change.freshRecs.name}`);
    await storeLemmas(store, containment.lemmaRows, false);
    // Groups only change when pairs did.
    if (addedPairs > 0 || removedPairs > 0) await regroup(store, scratch, runId);
    return summarisePairs(store);
  });
  const counts = {
    ...s,
    texts: vectors.count,
    incremental: true,
    new_recommendations: change.fresh,
    removed_recommendations: change.gone,
    new_texts: change.freshTexts,
    contained_text_pairs: containment.contained,
    threshold: plan.threshold,
    read_ms: o.readMs,
    pairs_ms: pairsMs,
    write_ms: Date.now() - writing,
  };
  return {
    counts,
    line:
      `similar: ${change.fresh} new recommendation(s) compared with all ${vectors.count} text(s), ${change.gone} removed; ` +
      `${counts.pairs} near-duplicate pair(s) in ${counts.groups} group(s) (recompute with --all)`,
  };
}

/** The pair and group counts every run reports, read back from the tables. */
async function summarisePairs(store: Store) {
  const s = await store.one<Record<string, number>>(
    `SELECT (SELECT count(*) FROM near_duplicates) AS pairs,
            (SELECT count(*) FROM near_duplicates WHERE NOT same_document) AS cross_document_pairs,
            (SELECT count(*) FROM near_duplicates WHERE match = 'identical') AS identical_pairs,
            (SELECT count(*) FROM near_duplicates WHERE match = 'contained') AS contained_pairs,
            (SELECT count(DISTINCT group_id) FROM near_duplicate_groups) AS groups,
            (SELECT count(*) FROM near_duplicate_groups) AS grouped_recommendations,
            (SELECT count(*) FROM (SELECT g.group_id FROM near_duplicate_groups g JOIN recommendations r USING (rec_id)
                                   GROUP BY g.group_id HAVING count(DISTINCT r.doc_id) > 1)) AS cross_document_groups,
            (SELECT count(*) FROM recommendations r JOIN current_documents USING (doc_id)) AS recommendations,
            (SELECT count(*) FROM (${RECS}) WHERE copy > $1) AS surplus_copies`,
    [config.nearDuplicates.maxCopiesPerDocument],
  );
  const n = (k: string) => s?.[k] ?? 0;
  return {
    recommendations: n('recommendations'),
    pairs: n('pairs'),
    cross_document_pairs: n('cross_document_pairs'),
    identical_pairs: n('identical_pairs'),
    contained_pairs: n('contained_pairs'),
    groups: n('groups'),
    grouped_recommendations: n('grouped_recommendations'),
    cross_document_groups: n('cross_document_groups'),
    surplus_copies: n('surplus_copies'),
  };
}

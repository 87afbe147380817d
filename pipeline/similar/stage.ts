import { BOOLEAN, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import { currentEmbedding } from '../embed/current.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { embedderFamily } from '../themes/calibration.js';
import { nearDuplicateThreshold } from './calibration/thresholds.js';
import { starGroups } from './groups/groups.js';
import { candidateProbability, lshParams, type LshParams } from './pairs/lsh.js';
import { nearDuplicateOptions } from './options.js';
import { exhaustivePairs, lshPairs, type PairMethod } from './pairs/pairs.js';
import { stageVectors } from './pairs/vectors.js';
import { containmentAll, containmentNew, storeLemmas, type ContainmentResult } from './containment/store.js';
import { loadThesaurus, type Thesaurus } from './containment/thesaurus.js';
import { config } from '../config.js';
import { loadMorph } from '../text/morph.js';

/**
 * Below this many distinct texts every pair is compared: exact, and under a second (500,000
 * cosines). Above it the exhaustive cost grows with the square and LSH wins: on 2,196 synthetic
 * texts exhaustive took 2.7 s against 0.4 s for LSH (recall 0.993); on 4,000, 8 s.
 */
export const EXHAUSTIVE_BELOW = 1000;

export const STAGE_NAME = 'similar';

/** What the near-duplicate tables were computed from; `confrec duplicates` re-runs when it changes. */
export async function inputSignature(store: Store): Promise<string> {
  const hash = await store.scalar<string | null>(
    `SELECT md5(string_agg(r.rec_id || ':' || r.text_hash, ',' ORDER BY r.rec_id))
     FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`,
  );
  return hash ?? 'empty';
}

/** Text pairs (nd_pairs over nd_vec) and their `match`, then containment pairs (nd_contained). */
const TEXT_PAIRS = `
  SELECT va.text_hash AS ha, vb.text_hash AS hb, p.similarity, 'similar' AS match
  FROM nd_pairs p JOIN nd_vec va ON va.idx = p.i JOIN nd_vec vb ON vb.idx = p.j
  UNION ALL
  SELECT va.text_hash, vb.text_hash, p.similarity, 'contained'
  FROM nd_contained p JOIN nd_vec va ON va.idx = p.i JOIN nd_vec vb ON vb.idx = p.j`;

/** Text pairs → recommendation pairs, plus identical proposals at similarity 1. */
const EXPAND_PAIRS = `
  INSERT INTO near_duplicates
  WITH recs AS (
    SELECT r.rec_id, r.doc_id, r.text_hash FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current
  ), text_pairs AS (${TEXT_PAIRS})
  SELECT least(ra.rec_id, rb.rec_id), greatest(ra.rec_id, rb.rec_id), tp.similarity, ra.doc_id = rb.doc_id, $1, tp.match
  FROM text_pairs tp JOIN recs ra ON ra.text_hash = tp.ha JOIN recs rb ON rb.text_hash = tp.hb
  UNION ALL
  SELECT a.rec_id, b.rec_id, 1.0, a.doc_id = b.doc_id, $1, 'identical'
  FROM recs a JOIN recs b ON a.text_hash = b.text_hash AND a.rec_id < b.rec_id`;

/**
 * The incremental variant: text pairs of new recommendations' texts against all texts, expanded only
 * to recommendation pairs with at least one new member (pairs of two old ones are already stored).
 */
const EXPAND_NEW_PAIRS = `
  INSERT INTO near_duplicates
  WITH recs AS (
    SELECT r.rec_id, r.doc_id, r.text_hash, r.rec_id IN (SELECT rec_id FROM nd_new) AS is_new
    FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current
  ), text_pairs AS (SELECT DISTINCT * FROM (${TEXT_PAIRS}))
  SELECT least(ra.rec_id, rb.rec_id), greatest(ra.rec_id, rb.rec_id), tp.similarity, ra.doc_id = rb.doc_id, $1, tp.match
  FROM text_pairs tp JOIN recs ra ON ra.text_hash = tp.ha JOIN recs rb ON rb.text_hash = tp.hb
  WHERE ra.is_new OR rb.is_new
  UNION ALL
  SELECT a.rec_id, b.rec_id, 1.0, a.doc_id = b.doc_id, $1, 'identical'
  FROM recs a JOIN recs b ON a.text_hash = b.text_hash AND a.rec_id < b.rec_id
  WHERE a.is_new OR b.is_new`;

/** Up to this many new texts, a run on a stored result compares them with every text instead of starting over. */
export const INCREMENTAL_MAX_TEXTS = 2000;

const CURRENT_RECS = `SELECT r.rec_id, r.text_hash FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`;

/**
 * What changed since the stored pairs: by (rec_id, text_hash), so that a re-segmented recommendation
 * whose text changed under the same rec_id is both gone (its old pairs) and new.
 */
const FRESH_RECS = `SELECT c.rec_id, c.text_hash FROM (${CURRENT_RECS}) c ANTI JOIN near_duplicate_inputs i USING (rec_id, text_hash)`;
const GONE_RECS = `SELECT i.rec_id, i.text_hash FROM near_duplicate_inputs i ANTI JOIN (${CURRENT_RECS}) c USING (rec_id, text_hash)`;

/** Bumped when pairs or groups are computed differently, so stored results are recomputed. */
export const SIMILAR_VERSION = 'similar-2';

/** The parameters that decide the result; equal ones on unchanged inputs give equal tables. */
const WORK_KEYS = ['version', 'embedder', 'threshold', 'method', 'lsh', 'synonyms', 'inputs'] as const;

function sameWork(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return WORK_KEYS.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

/** Same work but for the inputs: the stored pairs can be brought up to date incrementally. */
function sameSpace(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ['version', 'embedder', 'threshold', 'method', 'synonyms'].every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

async function lastRun(store: Store): Promise<{ params: Record<string, unknown>; counts: Record<string, number> } | null> {
  const row = await store.one<{ params: string; counts: string | null }>(
    `SELECT params::VARCHAR AS params, counts::VARCHAR AS counts FROM runs WHERE stage = $1 AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
    [STAGE_NAME],
  );
  return row ? { params: JSON.parse(row.params), counts: JSON.parse(row.counts ?? '{}') } : null;
}

async function emptyInputs(store: Store): Promise<void> {
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_vec (idx INTEGER, text_hash VARCHAR, v FLOAT[1], norm DOUBLE)`);
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_pairs (i INTEGER, j INTEGER, similarity DOUBLE)`);
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_contained (i INTEGER, j INTEGER, similarity DOUBLE)`);
}

/**
 * The near-duplicates stage: pairs of current recommendations at or above the threshold calibrated
 * for the embedder family (within and across documents) into near_duplicates, and star-shaped groups
 * (every member at or above the threshold to the medoid, see groups.ts) into near_duplicate_groups.
 * Both tables are replaced in one transaction.
 */
export const nearDuplicatesStage: PipelineStage = {
  name: STAGE_NAME,
  async run(store: Store, ctx: StageContext) {
    const opts = nearDuplicateOptions(ctx.options);
    const current = await currentEmbedding(store);
    const family = embedderFamily(current?.id ?? null);
    const cut = opts.threshold !== undefined ? { threshold: opts.threshold, calibrated: false } : await nearDuplicateThreshold(family);
    const thresholdSource = opts.threshold !== undefined ? 'option' : cut.calibrated ? 'calibrated' : 'default';
    const inputs = await inputSignature(store);
    const texts = current ? await stageVectors(store, current.id, current.dim) : 0;
    if (!current) await emptyInputs(store);
    const method: PairMethod = opts.method === 'auto' ? (texts < EXHAUSTIVE_BELOW ? 'exhaustive' : 'lsh') : opts.method;
    const lsh: LshParams | null = current && method === 'lsh' ? lshParams(cut.threshold, current.dim, opts.lsh) : null;
    const thesaurus = loadThesaurus(config.synonymsFile, await loadMorph());
    const params = {
      version: SIMILAR_VERSION,
      synonyms: thesaurus.hash,
      embedder: current?.id ?? null,
      family,
      threshold: cut.threshold,
      threshold_source: thresholdSource,
      method: current ? method : 'text_hash',
      lsh: lsh && { ...lsh, expected_recall_at_threshold: Number(candidateProbability(cut.threshold, lsh.bitsPerBand, lsh.bands).toFixed(4)) },
      embed_run: current?.runId ?? null,
      inputs,
    };
    const last = await lastRun(store);
    if (!ctx.options.all && last && sameWork(last.params, params)) {
      await store.run(`DROP TABLE IF EXISTS nd_vec`);
      return withRun(store, STAGE_NAME, { ...params, unchanged: true }, async () => ({
        counts: { ...last.counts, unchanged: true },
        line: `similar: nothing to do (recommendations, embedding space and threshold unchanged: ${last.counts.pairs ?? 0} pair(s) in ${last.counts.groups ?? 0} group(s))`,
      }));
    }
    if (!ctx.options.all && current && last && sameSpace(last.params, params)) {
      // What changed, worked out once: counted here, used by updateIncrementally.
      await store.run(`CREATE OR REPLACE TEMP TABLE nd_new AS ${FRESH_RECS}`);
      await store.run(`CREATE OR REPLACE TEMP TABLE nd_gone AS ${GONE_RECS}`);
      const c = await store.one<{ covered: number; fresh: number; fresh_texts: number; gone: number }>(
        `SELECT (SELECT count(*) FROM near_duplicate_inputs) AS covered, (SELECT count(*) FROM nd_new) AS fresh,
                (SELECT count(DISTINCT text_hash) FROM nd_new) AS fresh_texts, (SELECT count(*) FROM nd_gone) AS gone`,
      );
      const { covered, fresh, fresh_texts: freshTexts, gone } = c ?? { covered: 0, fresh: 0, fresh_texts: 0, gone: 0 };
      if (covered > 0 && freshTexts <= INCREMENTAL_MAX_TEXTS && fresh + gone <= 0.1 * covered) {
        return withRun(store, STAGE_NAME, { ...params, incremental: true }, (runId) =>
          updateIncrementally(store, { threshold: cut.threshold, runId, texts, fresh, gone, freshTexts, thesaurus }),
        );
      }
      for (const t of ['nd_new', 'nd_gone']) await store.run(`DROP TABLE ${t}`);
    }
    return withRun(store, STAGE_NAME, params, async (runId) => {
      const started = Date.now();
      let candidates = 0;
      let verified: number | null = null;
      let signatureMs: number | null = null;
      if (current && lsh) {
        const r = await lshPairs(store, cut.threshold, current.dim, lsh);
        ({ candidates, verified, signatureMs } = r);
      } else if (current) {
        ({ candidates } = await exhaustivePairs(store, cut.threshold));
      }
      const pairsMs = Date.now() - started;
      const containment: ContainmentResult = current ? await containmentAll(store, thesaurus) : { contained: 0, lemmaRows: [], ms: 0 };

      const writing = Date.now();
      const summary = await store.transaction(async () => {
        await store.run('DELETE FROM near_duplicates');
        await store.run('DELETE FROM near_duplicate_groups');
        await store.run(EXPAND_PAIRS, [runId]);
        await store.run('DELETE FROM near_duplicate_inputs');
        await store.run(`INSERT INTO near_duplicate_inputs ${CURRENT_RECS}`);
        await storeLemmas(store, containment.lemmaRows, true);
        await regroup(store, runId);
        return summarisePairs(store);
      });
      for (const t of ['nd_pairs', 'nd_contained', 'nd_vec']) await store.run(`DROP TABLE IF EXISTS ${t}`);
      const counts = {
        ...summary,
        texts,
        candidates,
        verified,
        contained_text_pairs: containment.contained,
        containment_ms: containment.ms,
        method: params.method,
        threshold: cut.threshold,
        signature_ms: signatureMs,
        pairs_ms: pairsMs,
        write_ms: Date.now() - writing,
      };
      const how = `threshold ${cut.threshold.toFixed(3)} (${thresholdSource === 'calibrated' ? `calibrated for ${family}` : thresholdSource === 'option' ? '--threshold' : `default: ${family} is not calibrated`})`;
      const over = current
        ? `${method} over ${texts} text(s)${lsh ? ` (${lsh.bands} bands: ${candidates} candidate pair(s), ${verified} exact cosine(s))` : ''}`
        : 'identical texts only: no embeddings (run `confrec embed`)';
      const line =
        `similar: ${counts.pairs} near-duplicate pair(s) (${counts.cross_document_pairs} across documents, ${counts.contained_pairs} by containment) in ${counts.groups} group(s) ` +
        `among ${counts.recommendations} recommendation(s); ${how}, ${over}`;
      return { counts, line };
    });
  },
};

/** Groups are recomputed from all stored pairs (star groups are not a local property). */
async function regroup(store: Store, runId: number): Promise<void> {
  await store.run('DELETE FROM near_duplicate_groups');
  // Dense integer ids in rec_id order: pairs cross into JS as three numeric columns, not strings.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_ids AS
     SELECT rec_id, (row_number() OVER (ORDER BY rec_id) - 1)::INTEGER AS k
     FROM (SELECT rec_a AS rec_id FROM near_duplicates UNION SELECT rec_b FROM near_duplicates)`,
  );
  const ids = (await store.conn.runAndReadAll(`SELECT rec_id FROM nd_ids ORDER BY k`)).getColumnsJS()[0] ?? [];
  const reader = await store.conn.runAndReadAll(
    `SELECT ia.k AS a, ib.k AS b, n.similarity FROM near_duplicates n
     JOIN nd_ids ia ON ia.rec_id = n.rec_a JOIN nd_ids ib ON ib.rec_id = n.rec_b ORDER BY a, b`,
  );
  // An empty result has no columns at all.
  const [a = [], b = [], similarity = []] = reader.getColumnsJS() as [number[]?, number[]?, number[]?];
  await store.run('DROP TABLE nd_ids');
  const groups = starGroups({ a, b, similarity, n: ids.length });
  const rows = groups.flatMap((g) => g.members.map((m) => [ids[g.groupId], ids[m.id], m.isMedoid, m.similarityToMedoid, runId]));
  await store.append('near_duplicate_groups', [VARCHAR, VARCHAR, BOOLEAN, DOUBLE, INTEGER], rows);
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
            (SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current) AS recommendations`,
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
  };
}

/**
 * Brings stored pairs up to date after a few recommendations came (TEMP TABLE nd_new) or went
 * (nd_gone): pairs of removed ones are dropped, the new ones' texts are compared with every text
 * (exact, new × all), and groups are recomputed. Same result as a full run, at a fraction of the cost.
 */
async function updateIncrementally(
  store: Store,
  o: { threshold: number; runId: number; texts: number; fresh: number; gone: number; freshTexts: number; thesaurus: Thesaurus },
) {
  const started = Date.now();
  // The new texts' vectors first, then new × all: the join never touches pairs of two old texts.
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_newvec AS SELECT * FROM nd_vec WHERE text_hash IN (SELECT text_hash FROM nd_new)`);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_pairs AS
     SELECT DISTINCT least(a.idx, b.idx) AS i, greatest(a.idx, b.idx) AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM nd_newvec a CROSS JOIN nd_vec b
     WHERE a.idx <> b.idx
       AND array_inner_product(a.v, b.v) >= ($1 - 1e-4) * a.norm * b.norm AND array_cosine_similarity(a.v, b.v) >= $1`,
    [o.threshold],
  );
  const containment = await containmentNew(store, o.thesaurus);
  const pairsMs = Date.now() - started;
  const writing = Date.now();
  const s = await store.transaction(async () => {
      const gone = `(SELECT rec_id FROM nd_gone)`;
      const before = await store.scalar<number>(`SELECT count(*) FROM near_duplicates`);
      await store.run(`DELETE FROM near_duplicates WHERE rec_a IN ${gone} OR rec_b IN ${gone}`);
      const removedPairs = before - (await store.scalar<number>(`SELECT count(*) FROM near_duplicates`));
      await store.run(`DELETE FROM near_duplicate_inputs WHERE rec_id IN ${gone}`);
      await store.run(EXPAND_NEW_PAIRS, [o.runId]);
      const addedPairs = (await store.scalar<number>(`SELECT count(*) FROM near_duplicates`)) - before + removedPairs;
      await store.run(`INSERT INTO near_duplicate_inputs SELECT rec_id, text_hash FROM nd_new`);
      await storeLemmas(store, containment.lemmaRows, false);
      // Groups only change when pairs did.
      if (addedPairs > 0 || removedPairs > 0) await regroup(store, o.runId);
      return summarisePairs(store);
    });
  for (const t of ['nd_pairs', 'nd_contained', 'nd_vec', 'nd_new', 'nd_gone', 'nd_newvec']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  const counts = {
    ...s,
    texts: o.texts,
    incremental: true,
    new_recommendations: o.fresh,
    removed_recommendations: o.gone,
    new_texts: o.freshTexts,
    contained_text_pairs: containment.contained,
    threshold: o.threshold,
    pairs_ms: pairsMs,
    write_ms: Date.now() - writing,
  };
  return {
    counts,
    line:
      `similar: ${o.fresh} new recommendation(s) compared with all ${o.texts} text(s), ${o.gone} removed; ` +
      `${counts.pairs} near-duplicate pair(s) in ${counts.groups} group(s) (recompute with --all)`,
  };
}


import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { checkFreshness, fingerprintParams } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { recordPairChanges } from './changes.js';
import { withScratch, type Scratch, type TableRef } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { CONTAINED_MIN_SIMILARITY, containmentAll, containmentWith, freshLemmas, prepareContainment, storeLemmas, type ContainmentResult, type PreparedContainment } from './containment/store.js';
import { loadThesaurus, type Thesaurus } from './containment/thesaurus.js';
import { coverCodes, regroup, toAdjacency, updateGroups, writeGroups } from './groups/regroup.js';
import type { Adjacency } from './groups/incremental.js';
import { expandTextPairs, MATCH, type RecIndex, type RecPairs, type TextPairList } from './expand.js';
import { DOUBLE, INTEGER } from '@duckdb/node-api';
import { NEAR_DUPLICATE_FLAGS, parseNearDuplicateOptions, type NearDuplicateOptions } from './options.js';
import { exhaustivePairArrays, Found, lshPairArrays, toPairArrays, type PairArrays } from './pairs/pairs.js';
import { emptyVectors, loadVectors, type VectorTable } from './pairs/vectors.js';
import { codesCover, refreshCodes } from './pairs/codes.js';
import { nearPairsAtLeast, storedNearPairs, storedSubset, storedVectors, type StoredVectors } from './pairs/in-database.js';
import { planNearDuplicates, type NearDuplicatePlan } from './plan.js';
import { WorkerPool } from '../workers/pool.js';

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

/**
 * The current recommendations numbered in rec_id order (k), with dense document and text codes, their
 * text's vector idx (-1: none) and `isNew` (SQL over the RECS columns; 'true' in a full run): the
 * input of expandTextPairs, as a scratch table and in JS. `only` (SQL of a set of text hashes)
 * keeps the recommendations of those texts: every recommendation of a text stays, so copy numbers
 * and identical pairs are those of the whole set, and k keeps rec_id order among them.
 */
async function recIndex(store: Store, scratch: Scratch, vectors: { table: TableRef }, isNew: string, only?: string) {
  const recs = only ? `SELECT * FROM (${RECS} WHERE r.text_hash IN (${only}))` : RECS;
  const table = await scratch.query(
    'recs',
    `SELECT (row_number() OVER (ORDER BY r.rec_id) - 1)::INTEGER AS k, r.rec_id,
            (dense_rank() OVER (ORDER BY r.doc_id) - 1)::INTEGER AS doc,
            (dense_rank() OVER (ORDER BY r.text_hash) - 1)::INTEGER AS text,
            coalesce(v.idx, -1)::INTEGER AS idx, r.copy::INTEGER AS copy, r.is_new::INTEGER AS is_new
     FROM (SELECT *, ${isNew} AS is_new FROM (${recs})) r LEFT JOIN ${vectors.table.name} v ON v.text_hash = r.text_hash`,
  );
  const c = await store.columns<{ rec_id: string[]; doc: number[]; text: number[]; idx: number[]; copy: number[]; is_new: number[] }>(
    `SELECT rec_id, doc, text, idx, copy, is_new FROM ${table.name} ORDER BY k`,
  );
  const recIds = c.rec_id ?? [];
  const index: RecIndex = {
    n: recIds.length,
    doc: Int32Array.from(c.doc ?? []),
    text: Int32Array.from(c.text ?? []),
    idx: Int32Array.from(c.idx ?? []),
    copy: Int32Array.from(c.copy ?? []),
    isNew: Uint8Array.from(c.is_new ?? []),
  };
  return { table, recIds, index };
}

/** Recommendation pairs (over recIndex's k) as integer columns of a scratch table: what insertStagedPairs reads. */
async function stageRecPairColumns(scratch: Scratch, pairs: RecPairs): Promise<TableRef> {
  const t = await scratch.table<{ a: number; b: number; similarity: number; same: number; match: number }>('rec_pairs', {
    a: INTEGER,
    b: INTEGER,
    similarity: DOUBLE,
    same: INTEGER,
    match: INTEGER,
  });
  await t.appendColumns([pairs.a, pairs.b, pairs.similarity, pairs.same, pairs.match], pairs.length);
  return t;
}

/**
 * Staged pairs (stageRecPairColumns) as near_duplicates rows: rec_ids joined in SQL; `into` gets the
 * rows (the full run appends straight to near_duplicates, the incremental run keeps them in a
 * scratch table first). The staged table is dropped afterwards.
 */
async function insertStagedPairs(store: Store, scratch: Scratch, recs: TableRef, staged: TableRef, runId: number, into: (rows: string) => Promise<void>): Promise<void> {
  const match = `CASE p.match ${MATCH.map((m, k) => `WHEN ${k} THEN '${m}'`).join(' ')} END`;
  await into(
    `SELECT ra.rec_id AS rec_a, rb.rec_id AS rec_b, p.similarity, p.same = 1 AS same_document, ${Math.trunc(runId)}::INTEGER AS run_id, ${match} AS match
     FROM ${staged.name} p JOIN ${recs.name} ra ON ra.k = p.a JOIN ${recs.name} rb ON rb.k = p.b`,
  );
  await scratch.drop(staged);
}

/** The same rows in a scratch table (columns of near_duplicates): the incremental run. */
async function stageRecPairs(store: Store, scratch: Scratch, recs: TableRef, pairs: RecPairs, runId: number): Promise<TableRef> {
  let table: TableRef | undefined;
  await insertStagedPairs(store, scratch, recs, await stageRecPairColumns(scratch, pairs), runId, async (rows) => {
    table = await scratch.query('new_pairs', rows);
  });
  return table!;
}

/** The cosine and containment text pairs, each with its match. */
const textPairLists = (pairs: PairArrays, contained: PairArrays): TextPairList[] => [
  { ...pairs, match: MATCH.indexOf('similar') },
  { ...contained, match: MATCH.indexOf('contained') },
];

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
      if (!o.all && plan.current && freshness.status === 'inputs-changed') {
        const change = await changeSince(store, scratch);
        const limits = config.incremental;
        if (change.covered > 0 && change.freshTexts <= limits.similarMaxNewTexts && change.fresh + change.gone <= limits.similarMaxChange * change.covered) {
          const current = plan.current;
          return withRun(store, STAGE_NAME, { ...params, incremental: true }, async (runId) => {
            // The vectors stay in DuckDB: only (idx, text_hash) is staged (pairs/in-database.ts).
            const t = Date.now();
            const vectors = await storedVectors(store, scratch, current, await codesCover(store, current, change.changedTexts));
            const starNodes = typeof last?.counts.star_nodes === 'number' ? last.counts.star_nodes : null;
            const lastCounts = PAIR_COUNTS.every((k) => typeof last?.counts[k] === 'number') ? (last!.counts as unknown as PairCounts) : null;
            return updateIncrementally(store, scratch, { plan, runId, vectors, readMs: Date.now() - t, change, thesaurus, starNodes, last: lastCounts });
          });
        }
      }
      return withRun(store, STAGE_NAME, params, async (runId) => recomputeAll(store, scratch, { plan, runId, thesaurus, threads: o.threads }));
    });
  },
};

/**
 * Every pair from scratch. Memory: each large array is let go as soon as its last reader is done —
 * the vectors after containment, the text pairs once expanded, the lemma rows once stored — and the
 * star cover (JS) runs before the pairs' INSERT (DuckDB), so the two peaks do not add up.
 */
async function recomputeAll(
  store: Store,
  scratch: Scratch,
  { plan, runId, thesaurus, threads }: { plan: NearDuplicatePlan; runId: number; thesaurus: Thesaurus; threads: number },
) {
  // Read inside the run, so that its recorded duration includes them.
  const reading = Date.now();
  let vectors: VectorTable | null = plan.current ? await loadVectors(store, scratch, plan.current) : await emptyVectors(scratch);
  const readMs = Date.now() - reading;
  const texts = { table: vectors.table, count: vectors.count };
  const started = Date.now();
  let candidates = 0;
  let verified: number | null = null;
  let signatureMs: number | null = null;
  let pairs: PairArrays | null;
  let prepared: PreparedContainment | undefined;
  if (plan.current && plan.lsh) {
    const pool = vectors.count >= config.nearDuplicates.parallelFromTexts ? WorkerPool.open(threads, { dictionary: false, entry: 'pairs' }) : null;
    try {
      const search = lshPairArrays(vectors, plan.threshold, plan.lsh, pool);
      // While the workers search, this thread (otherwise waiting) reads and lemmatises the texts
      // and finds the contained lemma sets: the part of containment that needs no pair. Same
      // results; at 75k the two took 2.6 + 2.5 s one after the other.
      if (pool && vectors.count <= config.nearDuplicates.overlapContainmentUpTo) {
        search.catch(() => {}); // awaited below
        prepared = await prepareContainment(store, vectors, thesaurus, true);
      }
      ({ candidates, verified, signatureMs, pairs } = await search);
    } finally {
      await pool?.close();
    }
  } else {
    ({ candidates, pairs } = exhaustivePairArrays(vectors, plan.threshold));
  }
  const pairsMs = Date.now() - started;
  const containment: ContainmentResult<PairArrays> | null = plan.current
    ? await containmentAll(store, vectors, pairs, thesaurus, prepared)
    : { pairs: toPairArrays(new Found()), contained: 0, lemmaRows: [], ms: 0 };
  vectors = null;
  const { contained, ms: containmentMs } = containment;
  let lemmaRows: ContainmentResult['lemmaRows'] | null = containment.lemmaRows;
  let lists: TextPairList[] | null = textPairLists(pairs, containment.pairs);
  pairs = null;
  containment.pairs = toPairArrays(new Found());
  containment.lemmaRows = [];

  const writing = Date.now();
  const summary = await store.transaction(async () => {
    const recs = await recIndex(store, scratch, texts, 'true');
    let recPairs: RecPairs | null = expandTextPairs(recs.index, lists!, config.nearDuplicates.maxCopiesPerDocument);
    lists = null;
    await store.run('DELETE FROM near_duplicate_inputs');
    await store.run(`INSERT INTO near_duplicate_inputs ${CURRENT_INPUTS}`);
    await storeLemmas(store, lemmaRows!, true);
    lemmaRows = null;
    await writeGroups(store, runId, { a: recPairs.a, b: recPairs.b, similarity: recPairs.similarity, n: recs.index.n }, recs.recIds);
    await store.run('DELETE FROM near_duplicates');
    const staged = await stageRecPairColumns(scratch, recPairs);
    recPairs = null;
    await insertStagedPairs(store, scratch, recs.table, staged, runId, (rows) => store.run(`INSERT INTO near_duplicates ${rows}`));
    const s = await summarisePairs(store);
    // The compact copy of the vectors the next incremental run scans (pairs/codes.ts).
    return { ...s, vector_codes: await refreshCodes(store, plan.current, texts.count) };
  });
  const counts = {
    ...summary,
    texts: texts.count,
    candidates,
    verified,
    contained_text_pairs: contained,
    containment_ms: containmentMs,
    method: plan.method,
    threshold: plan.threshold,
    read_ms: readMs,
    signature_ms: signatureMs,
    pairs_ms: pairsMs,
    write_ms: Date.now() - writing,
  };
  const how = `threshold ${plan.threshold.toFixed(3)} (${plan.thresholdSource === 'calibrated' ? `calibrated for ${plan.family}` : plan.thresholdSource === 'option' ? '--threshold' : `default: ${plan.family} is not calibrated`})`;
  const over = plan.current
    ? `${plan.method} over ${texts.count} text(s)${plan.lsh ? ` (${plan.lsh.bands} bands: ${candidates} candidate pair(s), ${verified} exact cosine(s))` : ''}`
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
 * recommendations and of the gone ones are replaced, and the groups are brought up to date around
 * the pairs that changed (groups/incremental.ts; from all pairs when the database holds no cover
 * state yet). The same tables as a full run, at a fraction of the cost.
 */
async function updateIncrementally(
  store: Store,
  scratch: Scratch,
  o: {
    plan: NearDuplicatePlan;
    runId: number;
    vectors: StoredVectors;
    readMs: number;
    change: Change;
    thesaurus: Thesaurus;
    /** Rows of near_duplicate_nodes the last run left (its counts), or null: no cover state to update. */
    starNodes: number | null;
    /** The pair counts the last run left, or null (a run from before they were all counted). */
    last: PairCounts | null;
  },
) {
  const { plan, runId, vectors, change } = o;
  const started = Date.now();
  // The changed texts first, then changed × all: the join never touches pairs of two unchanged texts.
  const changed = await storedSubset(scratch, vectors, change.changedTexts);
  // One scan of changed × all down to the lower of the threshold and the containment floor.
  // The new texts' lemma sets first: below the threshold only contained pairs need their cosine.
  const lemmas = await freshLemmas(store, scratch, vectors, o.thesaurus);
  const near = await storedNearPairs(store, scratch, vectors, changed, Math.min(plan.threshold, CONTAINED_MIN_SIMILARITY), { threshold: plan.threshold, lemmas: lemmas.table });
  const pairs = await nearPairsAtLeast(store, scratch, near, plan.threshold);
  const containment = await containmentWith(store, scratch, vectors, near, plan.threshold, lemmas);
  const pairsMs = Date.now() - started;
  const writing = Date.now();
  // The recommendations whose pairs are replaced, listed once: three statements read them.
  const affectedRecs = await scratch.query(
    'affected',
    `SELECT rec_id FROM ${change.goneRecs.name} UNION SELECT rec_id FROM (${CURRENT_INPUTS}) WHERE text_hash IN (SELECT text_hash FROM ${change.changedTexts.name})`,
  );
  const affected = `(SELECT rec_id FROM ${affectedRecs.name})`;
  let regrouped: { how: 'none' | 'local' | 'all'; decided?: number; assigned?: number } = { how: 'none' };
  let deltaCounts = false;
  const s = await store.transaction(async () => {
    const pairCount = await store.scalar<number>(`SELECT count(*) FROM near_duplicates`);
    // Only the recommendations of the changed texts and of the texts they pair with take part.
    const ends = (t: TableRef) => `SELECT i FROM ${t.name} UNION SELECT j FROM ${t.name}`;
    // A table, not a subquery: `IN (… UNION …)` inside recIndex's windows took 0.6 s against 0.03 s.
    const involved = await scratch.query(
      'involved',
      `SELECT text_hash FROM ${change.changedTexts.name}
       UNION SELECT text_hash FROM ${vectors.table.name} WHERE idx IN (${ends(pairs.table)} UNION ${ends(containment.pairs.table)})`,
    );
    const recs = await recIndex(store, scratch, vectors, `text_hash IN (SELECT text_hash FROM ${change.changedTexts.name})`, `SELECT text_hash FROM ${involved.name}`);
    const recPairs = expandTextPairs(recs.index, textPairLists(pairs, containment.pairs), config.nearDuplicates.maxCopiesPerDocument);
    // The rows to append. Every pair touching an affected recommendation after the change is one of
    // them (all its stored pairs are deleted below, and each new pair has an affected end), so they
    // are the affected pairs after the change.
    const inserted = await stageRecPairs(store, scratch, recs.table, recPairs, runId);
    // Their other ends: the cover will want their pairs (they are ends of changed pairs).
    const partners = await scratch.query(
      'partners',
      `(SELECT rec_a AS rec_id FROM ${inserted.name} UNION SELECT rec_b FROM ${inserted.name}) EXCEPT SELECT rec_id FROM ${affectedRecs.name}`,
    );
    // The one scan of the stored pairs here (at 100k: 33 million rows, each scan seconds): every pair
    // touching an affected recommendation (deleted: `gone`, with its rowid, so the DELETE reads no
    // column, and its flags, which the counts are brought up to date from) or one of those partners.
    const reach = `(SELECT rec_id FROM ${affectedRecs.name} UNION ALL SELECT rec_id FROM ${partners.name})`;
    const touched = await scratch.query(
      'pairs_touched',
      `SELECT rowid AS rid, rec_a, rec_b, similarity, same_document, match, (rec_a IN ${affected} OR rec_b IN ${affected}) AS gone
       FROM near_duplicates WHERE rec_a IN ${reach} OR rec_b IN ${reach}`,
    );
    const pairsBefore = await scratch.query('pairs_before', `SELECT rid, rec_a, rec_b, similarity, same_document, match FROM ${touched.name} WHERE gone`);
    // Only the rows that change are written: a pair before the change that is also a pair after it
    // (same ends, similarity, document flag and match) stays where it is. After one new resolution
    // most of the affected recommendations' pairs are of that kind (the other recommendations of
    // the new texts keep theirs), and deleting and appending them again was most of the write.
    const same = (x: string, y: string) =>
      `${x}.rec_a = ${y}.rec_a AND ${x}.rec_b = ${y}.rec_b AND ${x}.similarity = ${y}.similarity AND ${x}.same_document = ${y}.same_document AND ${x}.match IS NOT DISTINCT FROM ${y}.match`;
    const removed = await scratch.query('pairs_removed', `SELECT x.* FROM ${pairsBefore.name} x ANTI JOIN ${inserted.name} y ON ${same('x', 'y')}`);
    const added = await scratch.query('pairs_added', `SELECT x.* FROM ${inserted.name} x ANTI JOIN ${pairsBefore.name} y ON ${same('x', 'y')}`);
    await store.run(`DELETE FROM near_duplicates WHERE rowid IN (SELECT rid FROM ${removed.name})`);
    await store.run(`DELETE FROM near_duplicate_inputs WHERE rec_id IN (SELECT rec_id FROM ${change.goneRecs.name})`);
    await store.run(`INSERT INTO near_duplicates SELECT rec_a, rec_b, similarity, same_document, run_id, match FROM ${added.name}`);
    await store.run(`INSERT INTO near_duplicate_inputs SELECT rec_id, text_hash FROM ${change.freshRecs.name}`);
    await storeLemmas(store, containment.lemmaRows, false);
    // Groups change only around the pairs that did: the ends of every pair added, removed or with
    // another similarity — as codes in rec_id order (groups/regroup.ts coverCodes): the cover
    // handles numbers, never the rec_id strings of millions of adjacency entries.
    const cols = (t: TableRef) => `SELECT rec_a, rec_b, similarity FROM ${t.name}`;
    const dirtyRows = `WITH d AS ((${cols(removed)} EXCEPT ${cols(added)}) UNION ALL (${cols(added)} EXCEPT ${cols(removed)}))
       SELECT rec_a AS id FROM d UNION SELECT rec_b FROM d`;
    // For recurring's novelty: which recommendations' pairs changed (changes.ts).
    await recordPairChanges(store, runId, dirtyRows);
    if (await store.scalar<boolean>(`SELECT EXISTS (${dirtyRows})`)) {
      // The cover's state is the last run's when it holds the rows that run counted; else (a database
      // from before the state was kept) groups are made again from all pairs, which writes it.
      const stateRows = await store.scalar<number>(`SELECT count(*) FROM near_duplicate_nodes`);
      if (o.starNodes !== null && o.starNodes === stateRows && stateRows > 0) {
        const codes = await coverCodes(scratch, inserted);
        const { c: dirty = [] } = await store.columns<{ c: number[] }>(`SELECT c FROM ${codes.name} WHERE rec_id IN (${dirtyRows})`);
        const c = await updateGroups(store, scratch, codes, runId, dirty, await knownAdjacency(store, codes, [affectedRecs, partners], touched, inserted));
        regrouped = { how: 'local', decided: c.decided, assigned: c.assigned };
      } else {
        await regroup(store, scratch, runId);
        regrouped = { how: 'all' };
      }
    }
    deltaCounts = o.last !== null && o.last.pairs === pairCount;
    return summarisePairs(store, deltaCounts ? { last: o.last!, removed, inserted: added } : undefined);
  });
  const counts = {
    ...s,
    texts: vectors.count,
    incremental: true,
    /** Whether the new × all scan read the vectors' codes (pairs/codes.ts) rather than the vectors. */
    coded: vectors.coded,
    /** Texts whose exact cosine with a new one the codes' bound left to take (null: no codes). */
    coded_candidates: near.candidates,
    new_recommendations: change.fresh,
    removed_recommendations: change.gone,
    new_texts: change.freshTexts,
    contained_text_pairs: containment.contained,
    groups_updated: regrouped.how,
    cover_decided: regrouped.decided ?? null,
    cover_assigned: regrouped.assigned ?? null,
    /** 'delta': the pair counts are the last run's brought up to date; 'scan': counted over every pair. */
    pair_counts: deltaCounts ? 'delta' : 'scan',
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

/** The counts of near_duplicates' rows a run reports. */
const PAIR_COUNTS = ['pairs', 'cross_document_pairs', 'identical_pairs', 'contained_pairs'] as const;
type PairCounts = Record<(typeof PAIR_COUNTS)[number], number>;

/** PAIR_COUNTS over a table of near_duplicates' columns. */
const pairCounts = (table: string) => `
  SELECT count(*) AS pairs, count(*) FILTER (WHERE NOT same_document) AS cross_document_pairs,
         count(*) FILTER (WHERE match = 'identical') AS identical_pairs,
         count(*) FILTER (WHERE match = 'contained') AS contained_pairs FROM ${table}`;

/**
 * The adjacency (groups/incremental.ts) as it is now of the affected recommendations and their new
 * partners (`ids`: tables of rec_id), so the cover reads none of them: the pairs of `touched` that
 * were kept (it holds every stored pair of each) and the rows appended (every new pair of each; none
 * for a gone recommendation). On the cover's codes; an id without a code has no pair before or after
 * the change, so the cover never asks for it.
 */
async function knownAdjacency(store: Store, codes: TableRef, ids: TableRef[], touched: TableRef, inserted: TableRef): Promise<Map<number, Adjacency>> {
  const known = `(${ids.map((t) => `SELECT rec_id FROM ${t.name}`).join(' UNION ALL ')})`;
  const c = await store.columns<{ a: number[]; b: number[]; s: number[] }>(
    `WITH k AS MATERIALIZED (SELECT DISTINCT rec_id, c FROM ${codes.name} WHERE rec_id IN ${known}),
          p AS (SELECT rec_a, rec_b, similarity FROM ${touched.name} WHERE NOT gone UNION ALL SELECT rec_a, rec_b, similarity FROM ${inserted.name}),
          q AS MATERIALIZED (SELECT ca.c AS a, cb.c AS b, p.similarity AS s FROM p JOIN ${codes.name} ca ON ca.rec_id = p.rec_a JOIN ${codes.name} cb ON cb.rec_id = p.rec_b)
     SELECT a, b, s FROM q WHERE a IN (SELECT c FROM k)
     UNION ALL SELECT b, a, s FROM q WHERE b IN (SELECT c FROM k)`,
  );
  const adjacency = toAdjacency(c);
  const { c: all = [] } = await store.columns<{ c: number[] }>(`SELECT c FROM ${codes.name} WHERE rec_id IN ${known}`);
  for (const id of all) if (!adjacency.has(id)) adjacency.set(id, { ids: [], sims: [] });
  return adjacency;
}

/**
 * The pair and group counts every run reports, read back from the tables — the pair counts, after an
 * incremental change, from the last run's (`delta.last`, when they are those of the table before the
 * change) minus the rows removed plus those appended: no scan of every pair.
 */
async function summarisePairs(store: Store, delta?: { last: PairCounts; removed: TableRef; inserted: TableRef }) {
  const pairs = delta
    ? `SELECT ${PAIR_COUNTS.map((k) => `${delta.last[k]}::BIGINT - r.${k} + i.${k} AS ${k}`).join(', ')}
       FROM (${pairCounts(delta.removed.name)}) r, (${pairCounts(delta.inserted.name)}) i`
    : pairCounts('near_duplicates');
  const s = await store.one<Record<string, number>>(
    // One scan of the pairs (none after an incremental change); a group spans documents when its
    // smallest and largest doc_id differ; the copies past the cap are Σ max(0, copies − cap) per
    // (document, text) — the same numbers as a distinct count and a window over every recommendation,
    // in a third of the time (0.3 s at 10k).
    `WITH p AS (${pairs})
     SELECT p.*,
            (SELECT count(DISTINCT group_id) FROM near_duplicate_groups) AS groups,
            (SELECT count(*) FROM near_duplicate_groups) AS grouped_recommendations,
            (SELECT count(*) FROM (SELECT g.group_id FROM near_duplicate_groups g JOIN recommendations r USING (rec_id)
                                   GROUP BY g.group_id HAVING min(r.doc_id) <> max(r.doc_id))) AS cross_document_groups,
            (SELECT count(*) FROM recommendations r JOIN current_documents USING (doc_id)) AS recommendations,
            (SELECT coalesce(sum(n - $1), 0) FROM (SELECT count(*) AS n FROM recommendations r JOIN current_documents USING (doc_id)
                                                  GROUP BY r.doc_id, r.text_hash) WHERE n > $1) AS surplus_copies,
            (SELECT count(*) FROM near_duplicate_nodes) AS star_nodes
     FROM p`,
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
    /** Rows of the star cover's state (near_duplicate_nodes): what the next incremental run checks it against. */
    star_nodes: n('star_nodes'),
  };
}

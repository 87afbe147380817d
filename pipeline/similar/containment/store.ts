/**
 * The containment criterion inside the similar stage: TEMP TABLE nd_contained(i, j, similarity)
 * over nd_vec's idx (i < j), holding the pairs where one proposal's content lemmas are all in the
 * other, with a cosine of at least CONTAINED_MIN_SIMILARITY, that nd_pairs (cosine ≥ threshold)
 * does not already hold. Lemma sets are kept in proposal_lemmas for the incremental path.
 */
import { INTEGER, LIST, VARCHAR } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import { loadMorph } from '../../text/morph.js';
import { containedPairs, contentLemmas, MIN_CONTAINED_LEMMAS, toLemmaSets } from './containment.js';
import type { Thesaurus } from './thesaurus.js';

/**
 * Below this cosine a contained proposal is not called a near-duplicate: a short general proposal
 * ("создавать условия для развития детей") inside one three times its length says little. For
 * bags of words, cos(S, S ∪ A) = √(|S| / (|S| + |A|)): 0.5 is an added part about three times the
 * original, 0.71 one as long as it.
 */
export const CONTAINED_MIN_SIMILARITY = 0.5;

/** Proposal texts of nd_vec rows, in idx order, for the hashes without stored lemmas (or all). */
async function stagedTexts(store: Store, onlyMissing: boolean): Promise<{ idx: number; hash: string; text: string }[]> {
  return store.all(
    `SELECT v.idx, v.text_hash AS hash, any_value(coalesce(r.proposal, r.text)) AS text
     FROM nd_vec v JOIN recommendations r ON r.text_hash = v.text_hash
     ${onlyMissing ? 'WHERE v.text_hash NOT IN (SELECT text_hash FROM proposal_lemmas)' : ''}
     GROUP BY v.idx, v.text_hash ORDER BY v.idx`,
  );
}

/** nd_contained from candidate pairs in nd_contained_cand(i, j): the cosine floor, minus nd_pairs. */
async function decide(store: Store): Promise<number> {
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_contained AS
     SELECT c.i, c.j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM nd_contained_cand c JOIN nd_vec a ON a.idx = c.i JOIN nd_vec b ON b.idx = c.j
     ANTI JOIN nd_pairs p ON p.i = c.i AND p.j = c.j
     WHERE array_cosine_similarity(a.v, b.v) >= $1`,
    [CONTAINED_MIN_SIMILARITY],
  );
  await store.run(`DROP TABLE IF EXISTS nd_contained_cand`);
  return store.scalar<number>(`SELECT count(*) FROM nd_contained`);
}

export interface ContainmentResult {
  /** Pairs found by containment alone (below the cosine threshold). */
  contained: number;
  /** Lemma rows to store with the result (written inside the stage's transaction). */
  lemmaRows: unknown[][];
  ms: number;
}

/** Every text against every text (the full run). */
export async function containmentAll(store: Store, thesaurus: Thesaurus): Promise<ContainmentResult> {
  const started = Date.now();
  const morph = await loadMorph();
  const texts = await stagedTexts(store, false);
  const lemmas = texts.map((t) => contentLemmas(t.text, morph, thesaurus));
  const found = containedPairs(toLemmaSets(lemmas));
  const rows: unknown[][] = new Array(found.shorter.length);
  for (let k = 0; k < found.shorter.length; k++) {
    const a = texts[found.shorter[k]].idx;
    const b = texts[found.longer[k]].idx;
    rows[k] = [Math.min(a, b), Math.max(a, b)];
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_contained_cand (i INTEGER, j INTEGER)`);
  await store.append('nd_contained_cand', [INTEGER, INTEGER], rows);
  const contained = await decide(store);
  return { contained, lemmaRows: texts.map((t, k) => [t.hash, lemmas[k]]), ms: Date.now() - started };
}

/**
 * The texts of nd_newvec against every text (the incremental run), in SQL over the stored lemma
 * sets: the same definition as containedPairs (shorter ⊆ longer, shorter ≥ MIN_CONTAINED_LEMMAS).
 */
export async function containmentNew(store: Store, thesaurus: Thesaurus): Promise<ContainmentResult> {
  const started = Date.now();
  const morph = await loadMorph();
  const missing = await stagedTexts(store, true);
  const lemmaRows = missing.map((t) => [t.hash, contentLemmas(t.text, morph, thesaurus)]);
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_lemmas_new (text_hash VARCHAR, lemmas VARCHAR[])`);
  await store.append('nd_lemmas_new', [VARCHAR, LIST(VARCHAR)], lemmaRows);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_lem AS
     SELECT v.idx, l.lemmas, len(l.lemmas) AS n
     FROM nd_vec v JOIN (SELECT * FROM proposal_lemmas UNION ALL SELECT * FROM nd_lemmas_new) l USING (text_hash)`,
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_contained_cand AS
     SELECT DISTINCT least(a.idx, b.idx) AS i, greatest(a.idx, b.idx) AS j
     FROM nd_newvec nv JOIN nd_lem a ON a.idx = nv.idx JOIN nd_lem b ON a.idx <> b.idx
     WHERE (a.n >= $1 AND a.n <= b.n AND list_has_all(b.lemmas, a.lemmas))
        OR (b.n >= $1 AND b.n <= a.n AND list_has_all(a.lemmas, b.lemmas))`,
    [MIN_CONTAINED_LEMMAS],
  );
  for (const t of ['nd_lem', 'nd_lemmas_new']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  const contained = await decide(store);
  return { contained, lemmaRows, ms: Date.now() - started };
}

/** Stores lemma rows: replacing all of them after a full run, adding after an incremental one. */
export async function storeLemmas(store: Store, rows: readonly unknown[][], replace: boolean): Promise<void> {
  if (replace) await store.run('DELETE FROM proposal_lemmas');
  await store.append('proposal_lemmas', [VARCHAR, LIST(VARCHAR)], rows);
}

/**
 * The containment criterion inside the similar stage: a temporary table (i, j, similarity) over the
 * staged vectors' idx (i < j), holding the pairs where one proposal's content lemmas are all in the
 * other, with a cosine of at least CONTAINED_MIN_SIMILARITY, that the cosine pairs (≥ threshold) do
 * not already hold. Lemma sets are kept in proposal_lemmas for the incremental path.
 */
import { LIST, VARCHAR } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import { PROPOSAL_LEMMAS } from '../../store/columns.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { loadMorph } from '../../text/morph.js';
import { similarityAtLeast, similaritySlack } from '../pairs/cosine.js';
import { Found, pairKeys, toPairArrays, type PairArrays, type TextPairs } from '../pairs/pairs.js';
import type { VectorTable } from '../pairs/vectors.js';
import { readPairs, type StoredVectors } from '../pairs/in-database.js';
import { containedSql, lemmaSets } from './sql.js';
import { containedPairs, contentLemmas, MIN_CONTAINED_LEMMAS, toLemmaSets } from './containment.js';
import type { Thesaurus } from './thesaurus.js';

/**
 * Below this cosine a contained proposal is not called a near-duplicate: a short general proposal
 * ("создавать условия для развития детей") inside one three times its length says little. For
 * bags of words, cos(S, S ∪ A) = √(|S| / (|S| + |A|)): 0.5 is an added part about three times the
 * original, 0.71 one as long as it.
 */
export const CONTAINED_MIN_SIMILARITY = 0.5;

/** Proposal texts of the vectors, in idx order, for the hashes without stored lemmas (or all); as columns (72,000 row objects cost more than the query). */
async function stagedTexts(store: Store, vectors: { table: TableRef }, onlyMissing: boolean): Promise<{ idx: number[]; hash: string[]; text: string[] }> {
  const c = await store.columns<{ idx: number[]; hash: string[]; text: string[] }>(
    `SELECT v.idx, v.text_hash AS hash, any_value(coalesce(r.proposal, r.text)) AS text
     -- The texts without lemmas first: joining every text to its recommendations and then leaving
     -- out those with lemmas read all recommendation texts (0.6 s at 10k for 11 new ones).
     FROM ${onlyMissing ? `(SELECT * FROM ${vectors.table.name} ANTI JOIN proposal_lemmas USING (text_hash))` : vectors.table.name} v
     JOIN recommendations r ON r.text_hash = v.text_hash
     GROUP BY v.idx, v.text_hash ORDER BY v.idx`,
  );
  // An empty result has no columns at all.
  return { idx: c.idx ?? [], hash: c.hash ?? [], text: c.text ?? [] };
}

/**
 * The contained pairs from candidate pairs (i, j), i < j: the cosine floor (pairs/cosine.ts, the
 * definition every pair is decided by), minus the pairs the cosine already found. In JS on the
 * vectors the stage holds: the same in SQL joined 155,000 candidates to the vectors twice (3.3 s of
 * a contended 10k run).
 */
function decide(vectors: VectorTable, lo: ArrayLike<number>, hi: ArrayLike<number>, m: number, cosinePairs: PairArrays): PairArrays {
  const known = pairKeys(cosinePairs);
  const found = new Found();
  const { data, dim, sq } = vectors;
  const slack = similaritySlack(dim);
  for (let k = 0; k < m; k++) {
    const i = lo[k];
    const j = hi[k];
    if (known.has(i, j)) continue;
    const s = similarityAtLeast(data, dim, sq, i, j, CONTAINED_MIN_SIMILARITY, slack);
    if (s === s) found.push(i, j, s);
  }
  return toPairArrays(found);
}

export interface ContainmentResult<P extends PairArrays = TextPairs> {
  /** The pairs found by containment alone (below the cosine threshold); the full run's without a table. */
  pairs: P;
  contained: number;
  /** Lemma rows to store with the result (written inside the stage's transaction). */
  lemmaRows: { text_hash: string; lemmas: string[] }[];
  ms: number;
}

/** What prepareContainment hands to containmentAll. */
export interface PreparedContainment {
  texts: { idx: number[]; hash: string[] };
  lemmas: string[][];
  /** Contained pairs as (smaller idx, larger idx). */
  lo: Int32Array;
  hi: Int32Array;
  m: number;
  ms: number;
}

const CHUNK = 2_000;

/**
 * The full run's containment before the cosine pairs are known: every text read and lemmatised, and
 * every pair of lemma sets where one holds the other (containedPairs). None of it needs the pairs, so
 * the stage runs it while the worker threads search them (stage.ts recomputeAll). With `yieldEvery`
 * the lemmatisation yields to the event loop every CHUNK texts, so the workers' next tasks go out on time.
 */
export async function prepareContainment(store: Store, vectors: VectorTable, thesaurus: Thesaurus, yieldEvery = false): Promise<PreparedContainment> {
  const started = Date.now();
  const morph = await loadMorph();
  const texts = await stagedTexts(store, vectors, false);
  const lemmas: string[][] = new Array(texts.text.length);
  for (let k = 0; k < texts.text.length; k++) {
    lemmas[k] = contentLemmas(texts.text[k], morph, thesaurus);
    if (yieldEvery && k % CHUNK === CHUNK - 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const found = containedPairs(toLemmaSets(lemmas));
  const m = found.shorter.length;
  // (smaller idx, larger idx) in place of (shorter, longer): the buffers are this call's own.
  const lo = found.shorter;
  const hi = found.longer;
  for (let k = 0; k < m; k++) {
    const a = texts.idx[lo[k]];
    const b = texts.idx[hi[k]];
    lo[k] = Math.min(a, b);
    hi[k] = Math.max(a, b);
  }
  return { texts: { idx: texts.idx, hash: texts.hash }, lemmas, lo, hi, m, ms: Date.now() - started };
}

/** Every text against every text (the full run). `cosinePairs`: what the cosine found, left out here. */
export async function containmentAll(
  store: Store,
  vectors: VectorTable,
  cosinePairs: PairArrays,
  thesaurus: Thesaurus,
  prepared?: PreparedContainment,
): Promise<ContainmentResult<PairArrays>> {
  const p = prepared ?? (await prepareContainment(store, vectors, thesaurus));
  const started = Date.now();
  const pairs = decide(vectors, p.lo, p.hi, p.m, cosinePairs);
  return { pairs, contained: pairs.length, lemmaRows: p.texts.hash.map((h, k) => ({ text_hash: h, lemmas: p.lemmas[k] })), ms: p.ms + Date.now() - started };
}

/** The lemma sets freshLemmas made: a scratch table (text_hash, lemmas) and the same as rows to store. */
export interface FreshLemmas {
  table: TableRef;
  rows: { text_hash: string; lemmas: string[] }[];
  ms: number;
}

/**
 * The lemma sets of the staged texts that have none stored (the incremental run's new texts), as a
 * temporary table (text_hash, lemmas) and as rows to store: what `containedSql` and containmentWith
 * compare beside proposal_lemmas.
 */
export async function freshLemmas(
  store: Store,
  scratch: Scratch,
  vectors: StoredVectors,
  thesaurus: Thesaurus,
): Promise<FreshLemmas> {
  const started = Date.now();
  const morph = await loadMorph();
  const missing = await stagedTexts(store, vectors, true);
  const rows = missing.hash.map((h, k) => ({ text_hash: h, lemmas: contentLemmas(missing.text[k], morph, thesaurus) }));
  const table = await scratch.table<{ text_hash: string; lemmas: string[] }>('lemmas_new', { text_hash: VARCHAR, lemmas: LIST(VARCHAR) });
  await table.append(rows);
  return { table, rows, ms: Date.now() - started };
}

/**
 * The texts of `fresh` against every text (the incremental run), in SQL: the same definition as
 * containedPairs and the same floor as `decide`, taken from the other end. A contained pair needs a
 * cosine of at least CONTAINED_MIN_SIMILARITY anyway, and `near` (pairs/in-database.ts) holds every
 * fresh pair down to it that is contained (and maybe more): the pairs in [floor, threshold) are the
 * candidates, and only their two lemma sets are compared. Looking for subsets and supersets of each
 * fresh set among all 72,665 stored sets first took 0.5–0.9 s at 10k.
 */
export async function containmentWith(
  store: Store,
  scratch: Scratch,
  vectors: StoredVectors,
  near: TableRef,
  threshold: number,
  lemmas: FreshLemmas,
): Promise<ContainmentResult> {
  const started = Date.now();
  const v = vectors.table.name;
  const table = await scratch.query(
    'contained',
    `WITH c AS (SELECT i, j, similarity FROM ${near.name} WHERE similarity >= $1::DOUBLE AND NOT (similarity >= $2::DOUBLE)),
          ends AS (SELECT idx, text_hash FROM ${v} WHERE idx IN (SELECT i FROM c UNION SELECT j FROM c)),
          l AS (SELECT e.idx, p.lemmas, p.n FROM ends e JOIN ${lemmaSets(lemmas.table)} p USING (text_hash))
     SELECT DISTINCT c.i, c.j, c.similarity FROM c JOIN l x ON x.idx = c.i JOIN l y ON y.idx = c.j
     WHERE ${containedSql('x', 'y')}
     ORDER BY c.i, c.j`,
    [CONTAINED_MIN_SIMILARITY, threshold],
  );
  const pairs = { ...(await readPairs(store, table)), table };
  return { pairs, contained: pairs.length, lemmaRows: lemmas.rows, ms: lemmas.ms + Date.now() - started };
}

/** Stores lemma rows: replacing all of them after a full run, adding after an incremental one. */
export async function storeLemmas(store: Store, rows: readonly { text_hash: string; lemmas: string[] }[], replace: boolean): Promise<void> {
  if (replace) await store.run('DELETE FROM proposal_lemmas');
  await store.append(PROPOSAL_LEMMAS, rows);
}

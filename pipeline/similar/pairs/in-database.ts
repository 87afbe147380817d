/**
 * The incremental run's pairs, computed where the vectors are stored. A run after a few new
 * recommendations compares a handful of texts with every text: reading all vectors into JS for that
 * (2.5 s of a 10k re-run, 20 s at 100k) costs far more than the cosines. Here the vectors stay in
 * DuckDB, only (idx, text_hash) is staged, and list_cosine_similarity decides each pair.
 *
 * Same pairs, same similarities as the JS paths: pairs/cosine.ts emulates DuckDB's float32 cosine
 * operation by operation (checked bit for bit on 60,000 pairs of the 10k corpus and on 5,000 vectors
 * with themselves), and the threshold is compared in double precision on both sides (atLeast). The
 * idx numbering is vectors.ts's: current texts with a non-zero vector, in text_hash order.
 */
import { config } from '../../config.js';
import { embeddingsOf } from '../../embed/current.js';
import { codedCandidates } from './codes.js';
import { containedSql, lemmaSets } from '../containment/sql.js';
import type { Store } from '../../store/db.js';
import type { Scratch, TableRef, TempTable } from '../../store/scratch.js';
import { embeddingsByHash, type VectorSpace } from '../../store/vectors.js';

/** The current texts with a vector in `space`, numbered like VectorTable's idx; the numbers stay in DuckDB. */
export interface StoredVectors {
  /** Temporary table (idx INTEGER, text_hash VARCHAR). */
  table: TableRef;
  count: number;
  embedder: string;
  dim: number;
  /** Whether vector_codes covers the space, so scans read the codes instead of the vectors (codes.ts). */
  coded: boolean;
}

/**
 * A zero vector has no direction (vectors.ts leaves it out, by its float32 Σx² = 0); Σx² in SQL is 0
 * exactly when every element is 0 or too small to square (below 1e-22, which no embedder writes).
 */
export async function storedVectors(store: Store, scratch: Scratch, space: VectorSpace, coded = false): Promise<StoredVectors> {
  const dim = Math.trunc(space.dim);
  // The codes know which vectors are zero (scale 0, by the same float32 Σx²) without reading them:
  // reading the vectors for that took 5.6 s of a re-run at 100k.
  const nonzero = coded
    ? `SELECT text_hash FROM vector_codes WHERE embedder = $1 AND scale > 0`
    : `SELECT text_hash FROM embeddings WHERE embedder = $1 AND len(vector) = ${dim} AND list_dot_product(vector, vector) > 0`;
  const table = await scratch.query(
    'vectors',
    `SELECT (row_number() OVER (ORDER BY t.text_hash) - 1)::INTEGER AS idx, t.text_hash
     FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) t
     -- A semi join on the hashes alone: joining the vectors along took 3 s instead of 0.15 s at 10k.
     SEMI JOIN (${nonzero}) e USING (text_hash)`,
    [space.id],
  );
  return { table, count: await table.count(), embedder: space.id, dim, coded };
}

/** The staged (idx, text_hash) of the texts in `texts` (a table with a text_hash column). */
export async function storedSubset(scratch: Scratch, vectors: StoredVectors, texts: TableRef): Promise<{ table: TempTable }> {
  return { table: await scratch.query('vectors_new', `SELECT * FROM ${vectors.table.name} WHERE text_hash IN (SELECT text_hash FROM ${texts.name}) ORDER BY idx`) };
}

/**
 * The vectors of the texts in `idxTable` (columns idx, text_hash, and few rows), as a subquery with
 * columns idx, vector: the small side is what the hash join builds on, and only its vectors are read
 * (embeddingsOf).
 */
const vectorsOf = (idxTable: string) =>
  `(SELECT x.idx, e.vector FROM ${embeddingsOf(`SELECT text_hash FROM ${idxTable}`, '$1')} e JOIN ${idxTable} x ON e.text_hash = x.text_hash)`;

/**
 * Pairs of `fresh` texts with every text at or above `low`, i < j, each once: a temporary table
 * (a = the fresh end, b, i, j, similarity), with `candidates`, the texts whose cosine the codes left
 * to take (null without codes). Without codes the fresh vectors meet every vector of the embedder in a
 * plain scan, and only the pairs at `low` are joined to the staged idx (0.2 s at 10k; joining all
 * 72,000 vectors to their idx first took 0.6 s). `low` is the lower of the threshold and the
 * containment floor, so one scan serves both (containment/store.ts). With `below`, the pairs under
 * its threshold may be left out unless contained (what containmentWith keeps of them is the same).
 */
export async function storedNearPairs(
  store: Store,
  scratch: Scratch,
  vectors: StoredVectors,
  fresh: { table: TableRef },
  low: number,
  below?: { threshold: number; lemmas: TableRef },
): Promise<TempTable & { candidates: number | null }> {
  const dim = Math.trunc(vectors.dim);
  // With codes, the exact cosine is taken only for the candidates their bound lets through (codes.ts);
  // without, over every vector of the space.
  let others = `(SELECT * FROM embeddings WHERE embedder = $1 AND len(vector) = ${dim})`;
  let candidates: TempTable | null = null;
  let fetched: number | null = null;
  if (vectors.coded) {
    candidates = await scratch.query('candidates', codedCandidates(fresh.table.name, '$1', '$2::DOUBLE'), [vectors.embedder, low]);
    if (below) {
      // Below the threshold a pair counts only by containment, so a candidate whose bound stays
      // under it is compared only when one lemma set holds the other: at 100,000 resolutions, 31,000
      // candidates of eleven new texts above 0.5, 30 of them able to reach the threshold.
      const kept = await scratch.query(
        'candidates_kept',
        `SELECT a, text_hash FROM ${candidates.name} WHERE bound >= $1::DOUBLE
         UNION ALL
         SELECT c.a, c.text_hash FROM ${candidates.name} c JOIN ${fresh.table.name} f ON f.idx = c.a
         JOIN ${lemmaSets(below.lemmas)} x ON x.text_hash = f.text_hash JOIN ${lemmaSets(below.lemmas)} y ON y.text_hash = c.text_hash
         WHERE NOT (c.bound >= $1::DOUBLE) AND ${containedSql('x', 'y')}`,
        [below.threshold],
      );
      await scratch.drop(candidates);
      candidates = kept;
    }
    // The candidates' vectors. Up to codesFetchUpTo texts they are looked up in the text_hash index
    // (schema.sql), which DuckDB uses for an IN list of constants only: 0.4 s for 140 texts at 100k,
    // cold, where `rowid IN (…)` or a join scanned the whole column (3 s; random rows of a list
    // column lie in most of its blocks). Past that, one scan of the column joined to them.
    fetched = await store.scalar<number>(`SELECT count(DISTINCT text_hash) FROM ${candidates.name}`);
    let source = `(SELECT * FROM embeddings WHERE embedder = $1)`;
    if (fetched > 0 && fetched <= config.nearDuplicates.codesFetchUpTo) {
      const { h = [] } = await store.columns<{ h: string[] }>(`SELECT DISTINCT text_hash AS h FROM ${candidates.name}`);
      const looked = await scratch.query('candidate_vectors', embeddingsByHash(h));
      source = `(SELECT * FROM ${looked.name} WHERE embedder = $1)`;
    }
    others = `(SELECT c.a, e.text_hash, e.vector FROM ${source} e JOIN ${candidates.name} c USING (text_hash))`;
  }
  const near = await scratch.query(
    'near',
    `WITH s AS (
       SELECT n.idx AS a, e.text_hash, list_cosine_similarity(n.vector, e.vector)::DOUBLE AS s
       FROM ${vectorsOf(fresh.table.name)} n ${candidates ? `JOIN ${others} e ON e.a = n.idx` : `, ${others} e`}),
     p AS (SELECT s.a, x.idx AS b, s.s FROM s JOIN ${vectors.table.name} x USING (text_hash) WHERE s.s >= $2::DOUBLE)
     SELECT a, b, least(a, b)::INTEGER AS i, greatest(a, b)::INTEGER AS j, s AS similarity FROM p
     -- A pair of two fresh texts once, from its smaller end.
     WHERE b <> a AND NOT (b < a AND b IN (SELECT idx FROM ${fresh.table.name}))`,
    [vectors.embedder, low],
  );
  if (candidates) await scratch.drop(candidates);
  return Object.assign(near, { candidates: fetched });
}

/**
 * The pairs of `near` at or above `threshold`, ordered by (fresh end, other end) as the JS scan did
 * before (issue 16): a temporary table (i, j, similarity) and the same in JS.
 */
export async function nearPairsAtLeast(
  store: Store,
  scratch: Scratch,
  near: TableRef,
  threshold: number,
): Promise<{ i: Int32Array; j: Int32Array; similarity: Float64Array; length: number; table: TempTable }> {
  const table = await scratch.query('pairs', `SELECT i, j, similarity FROM ${near.name} WHERE similarity >= $1::DOUBLE ORDER BY a, b`, [threshold]);
  return { ...(await readPairs(store, table)), table };
}

export async function readPairs(store: Store, table: TableRef) {
  const c = await store.columns<{ i: number[]; j: number[]; similarity: number[] }>(`SELECT i, j, similarity FROM ${table.name}`);
  const i = Int32Array.from(c.i ?? []);
  return { i, j: Int32Array.from(c.j ?? []), similarity: Float64Array.from(c.similarity ?? []), length: i.length };
}

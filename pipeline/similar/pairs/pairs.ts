import { INTEGER } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { closePairs, simhash, type LshParams } from './lsh.js';
import { readStagedVectors, type VectorTable } from './vectors.js';

/**
 * Text pairs at or above the threshold, as a temporary table (i, j, similarity) over the staged
 * vectors' idx with i < j, returned as a handle. Both methods decide with the same SQL expression, array_cosine_similarity on the
 * stored vectors, so the LSH result is a subset of the exhaustive one with identical similarities.
 *
 * The inner-product test before it is exact (cos = ip / (|a|·|b|), with slack for float rounding)
 * and about three times cheaper, so most pairs never reach the cosine.
 */
const KEEP = (a: string, b: string) =>
  `array_inner_product(${a}.v, ${b}.v) >= ($1 - 1e-4) * ${a}.norm * ${b}.norm AND array_cosine_similarity(${a}.v, ${b}.v) >= $1`;

export const EXHAUSTIVE_METHOD = 'exhaustive';
export const LSH_METHOD = 'lsh';
export type PairMethod = typeof EXHAUSTIVE_METHOD | typeof LSH_METHOD;

/** Every pair of texts: n²/2 cosines, exact, and under a second below about a thousand texts. */
export async function exhaustivePairs(scratch: Scratch, vectors: VectorTable, threshold: number): Promise<{ pairs: TableRef; candidates: number }> {
  const n = vectors.count;
  const v = vectors.table.name;
  const pairs = await scratch.query(
    'pairs',
    `SELECT a.idx AS i, b.idx AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${v} a JOIN ${v} b ON a.idx < b.idx
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  return { pairs, candidates: (n * (n - 1)) / 2 };
}

/**
 * The pairs of `fresh` (a subset of `vectors`, same idx) with every text: new × all, exact. What an
 * incremental run computes instead of all pairs; never touches pairs of two texts not in `fresh`.
 */
export async function pairsWith(scratch: Scratch, vectors: VectorTable, fresh: VectorTable, threshold: number): Promise<TableRef> {
  return scratch.query(
    'pairs',
    `SELECT DISTINCT least(a.idx, b.idx) AS i, greatest(a.idx, b.idx) AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${fresh.table.name} a CROSS JOIN ${vectors.table.name} b
     WHERE a.idx <> b.idx AND ${KEEP('a', 'b')}`,
    [threshold],
  );
}

export interface LshCounts {
  /** Pairs sharing a band, once per band shared (the bucket pairs closePairs tests). */
  candidates: number;
  /** Distinct pairs whose Hamming distance passed; these get an exact cosine. */
  verified: number;
  signatureMs: number;
}

/**
 * Candidate pairs from the band buckets, thinned by Hamming distance (closePairs, in JS), then
 * decided by the exact cosine in SQL, as the exhaustive scan decides.
 */
export async function lshPairs(
  store: Store,
  scratch: Scratch,
  vectors: VectorTable,
  threshold: number,
  params: LshParams,
): Promise<LshCounts & { pairs: TableRef }> {
  const started = Date.now();
  const data = await readStagedVectors(store, vectors);
  const sig = simhash(data, vectors.count, vectors.dim, params);
  const signatureMs = Date.now() - started;
  const { pairs: found, candidates } = closePairs(sig, params);
  const close = await scratch.table<{ i: number; j: number }>('close', { i: INTEGER, j: INTEGER });
  await close.appendColumns([found.i, found.j], found.length);
  const pairs = await scratch.query(
    'pairs',
    `SELECT c.i, c.j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${close.name} c JOIN ${vectors.table.name} a ON a.idx = c.i JOIN ${vectors.table.name} b ON b.idx = c.j
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  await scratch.drop(close);
  return { pairs, candidates, verified: found.length, signatureMs };
}

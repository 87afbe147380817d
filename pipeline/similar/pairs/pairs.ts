import { DOUBLE, INTEGER } from '@duckdb/node-api';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { Found, scanAll, type LshCounts, type VectorData } from './found.js';
import { lshFound, type PairWorkers } from './parallel.js';
import type { LshParams } from './lsh.js';
import type { VectorTable } from './vectors.js';

export { Found, pairKeys, PairSet, scanAll, verifyPairs, type LshCounts, type VectorData } from './found.js';

/**
 * Text pairs at or above the threshold over the vectors' idx, i < j, each once: in JS (`i`, `j`,
 * `similarity`) and as a temporary table (i, j, similarity) for the SQL that expands them to
 * recommendations. Every method decides a pair by pairs/cosine.ts (cosineAt, atLeast), so the LSH
 * result is a subset of the exhaustive one with identical similarities.
 */
export interface TextPairs {
  i: Int32Array;
  j: Int32Array;
  similarity: Float64Array;
  length: number;
  table: TableRef;
}

export const EXHAUSTIVE_METHOD = 'exhaustive';
export const LSH_METHOD = 'lsh';
export type PairMethod = typeof EXHAUSTIVE_METHOD | typeof LSH_METHOD;

/** The arrays of TextPairs without the table: what the full run reads (nothing there reads the table). */
export type PairArrays = Omit<TextPairs, 'table'>;

/** The found triples as exactly sized arrays; arrays already of that size (the LSH search's) are taken as they are. */
export function toPairArrays(found: Found): PairArrays {
  const n = found.length;
  const exact = (a: Int32Array | Float64Array) => a.length === n;
  const i = exact(found.i) ? found.i : found.i.slice(0, n);
  const j = exact(found.j) ? found.j : found.j.slice(0, n);
  const similarity = exact(found.s) ? found.s : found.s.slice(0, n);
  return { i, j, similarity, length: n };
}

/** The triples as arrays and as a temporary table (i, j, similarity) (incremental runs, tools). */
export async function toPairTable(scratch: Scratch, label: string, found: Found): Promise<TextPairs> {
  const table = await scratch.table<{ i: number; j: number; similarity: number }>(label, { i: INTEGER, j: INTEGER, similarity: DOUBLE });
  const pairs = toPairArrays(found);
  await table.appendColumns([pairs.i, pairs.j, pairs.similarity], pairs.length);
  return { ...pairs, table };
}

/** No pairs (no vectors). */
export async function noPairs(scratch: Scratch, label: string): Promise<TextPairs> {
  return toPairTable(scratch, label, new Found());
}

/** Every pair of texts: n²/2 cosines, exact; under a second below about a thousand texts. As arrays only (the full run). */
export function exhaustivePairArrays(vectors: VectorData, threshold: number): { pairs: PairArrays; candidates: number } {
  const n = vectors.count;
  return { pairs: toPairArrays(scanAll(vectors, threshold)), candidates: (n * (n - 1)) / 2 };
}

/** The same with the temporary table. */
export async function exhaustivePairs(scratch: Scratch, vectors: VectorTable, threshold: number): Promise<{ pairs: TextPairs; candidates: number }> {
  const n = vectors.count;
  return { pairs: await toPairTable(scratch, 'pairs', scanAll(vectors, threshold)), candidates: (n * (n - 1)) / 2 };
}

/**
 * Candidate pairs from the band buckets, thinned by Hamming distance (closePairs), then decided by
 * the exact cosine, as the exhaustive scan decides. All in JS on the vectors read once: until issue
 * 16 the 1.65 million verified pairs of the 10k corpus went to DuckDB for their cosines (5.8 s of a
 * contended run, most of it joins). On worker threads when a pool is given (pairs/parallel.ts: the
 * same pairs in the same order).
 */
export async function lshPairs(
  scratch: Scratch,
  vectors: VectorTable,
  threshold: number,
  params: LshParams,
  pool: PairWorkers | null = null,
): Promise<LshCounts & { pairs: TextPairs }> {
  const { found, candidates, verified, signatureMs } = await lshFound(vectors, threshold, params, pool);
  const pairs = await toPairTable(scratch, 'pairs', found);
  return { pairs, candidates, verified, signatureMs };
}

/**
 * The same pairs as arrays only: the full run reads no table of them (appending 2.6 million text
 * pairs at 30k was seconds of DuckDB's appender for a table nothing read).
 */
export async function lshPairArrays(vectors: VectorData, threshold: number, params: LshParams, pool: PairWorkers | null = null): Promise<LshCounts & { pairs: PairArrays }> {
  const { found, candidates, verified, signatureMs } = await lshFound(vectors, threshold, params, pool);
  return { pairs: toPairArrays(found), candidates, verified, signatureMs };
}

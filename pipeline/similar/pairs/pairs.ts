import { DOUBLE, INTEGER } from '@duckdb/node-api';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { similarityAtLeast, similaritySlack } from './cosine.js';
import type { PairBuffer } from './lsh.js';
import type { VectorTable } from './vectors.js';

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

/** Growable (i, j, similarity) triples. */
export class Found {
  i = new Int32Array(1024);
  j = new Int32Array(1024);
  s = new Float64Array(1024);
  length = 0;

  push(a: number, b: number, s: number): void {
    if (this.length === this.i.length) {
      const n = this.i.length * 2;
      const i = new Int32Array(n);
      const j = new Int32Array(n);
      const t = new Float64Array(n);
      i.set(this.i);
      j.set(this.j);
      t.set(this.s);
      this.i = i;
      this.j = j;
      this.s = t;
    }
    this.i[this.length] = a;
    this.j[this.length] = b;
    this.s[this.length++] = s;
  }
}

export async function toPairTable(scratch: Scratch, label: string, found: Found): Promise<TextPairs> {
  const table = await scratch.table<{ i: number; j: number; similarity: number }>(label, { i: INTEGER, j: INTEGER, similarity: DOUBLE });
  const n = found.length;
  const i = found.i.slice(0, n);
  const j = found.j.slice(0, n);
  const similarity = found.s.slice(0, n);
  await table.appendColumns([i, j, similarity], n);
  return { i, j, similarity, length: n, table };
}

/** No pairs (no vectors). */
export async function noPairs(scratch: Scratch, label: string): Promise<TextPairs> {
  return toPairTable(scratch, label, new Found());
}

/** The numbers of a VectorTable: what the pure pair functions read. */
export type VectorData = Pick<VectorTable, 'data' | 'dim' | 'sq' | 'count'>;

/** Every pair of texts: n²/2 cosines, exact; under a second below about a thousand texts. */
export async function exhaustivePairs(scratch: Scratch, vectors: VectorTable, threshold: number): Promise<{ pairs: TextPairs; candidates: number }> {
  const n = vectors.count;
  return { pairs: await toPairTable(scratch, 'pairs', scanAll(vectors, threshold)), candidates: (n * (n - 1)) / 2 };
}

/** The exhaustive scan itself (pure). */
export function scanAll(vectors: VectorData, threshold: number): Found {
  const { data, dim, sq, count: n } = vectors;
  const slack = similaritySlack(dim);
  const found = new Found();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = similarityAtLeast(data, dim, sq, i, j, threshold, slack);
      if (s === s) found.push(i, j, s);
    }
  }
  return found;
}

export interface LshCounts {
  /** Pairs sharing a band, once per band shared (the bucket pairs closePairs tests). */
  candidates: number;
  /** Distinct pairs whose Hamming distance passed; these get an exact cosine. */
  verified: number;
  signatureMs: number;
}

/** The exact decision on candidate pairs (i < j). */
export function verifyPairs(vectors: VectorData, close: PairBuffer, threshold: number): Found {
  const { data, dim, sq } = vectors;
  const slack = similaritySlack(dim);
  const found = new Found();
  for (let k = 0; k < close.length; k++) {
    const i = close.i[k];
    const j = close.j[k];
    const s = similarityAtLeast(data, dim, sq, i, j, threshold, slack);
    if (s === s) found.push(i, j, s);
  }
  return found;
}

/** Keys of pairs i < j over n texts, for membership tests (i·n + j is exact below 2^53). */
export function pairKeys(pairs: { i: Int32Array; j: Int32Array; length: number }, n: number): Set<number> {
  const keys = new Set<number>();
  for (let k = 0; k < pairs.length; k++) keys.add(pairs.i[k] * n + pairs.j[k]);
  return keys;
}

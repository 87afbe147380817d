/**
 * The pure part of the pair search: growable result triples and the loops that decide pairs by the
 * one definition (cosine.ts). No DuckDB here: the worker threads (pairs/worker.ts) load this module,
 * and loading @duckdb/node-api in each of them cost ≈ 0.45 s of CPU per worker.
 */
import { similarityAtLeast, similaritySlack } from './cosine.js';
import type { PairBuffer } from './lsh.js';
import type { VectorTable } from './vectors.js';

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

/** The numbers of a VectorTable: what the pure pair functions read. */
export type VectorData = Pick<VectorTable, 'data' | 'dim' | 'sq' | 'count'>;

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

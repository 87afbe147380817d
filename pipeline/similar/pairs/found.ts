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
  i: Int32Array = new Int32Array(1024);
  j: Int32Array = new Int32Array(1024);
  s: Float64Array = new Float64Array(1024);
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

/**
 * A set of pairs (i, j) of non-negative int32s, for membership tests: open addressing on two
 * Int32Arrays (8 bytes a slot, at most half full). A JS Set of i·n + j keys took ≈ 40 bytes and a
 * heap number per pair (the keys pass 2^31 from 46,341 texts on), and V8 caps a Set at 2^24 entries:
 * the cosine pairs of the 100k corpus approach that.
 */
export class PairSet {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly mask: number;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(i: number, j: number): number {
    let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let s = h & this.mask;
    while (this.a[s] !== -1 && (this.a[s] !== i || this.b[s] !== j)) s = (s + 1) & this.mask;
    return s;
  }

  add(i: number, j: number): void {
    const s = this.slot(i, j);
    if (this.a[s] === -1) {
      if ((this.size + 1) * 2 > this.a.length) throw new RangeError('PairSet is full');
      this.a[s] = i;
      this.b[s] = j;
      this.size++;
    }
  }

  has(i: number, j: number): boolean {
    return this.a[this.slot(i, j)] !== -1;
  }
}

/** The pairs (i, j) of a pair list, for membership tests. */
export function pairKeys(pairs: { i: Int32Array; j: Int32Array; length: number }): PairSet {
  const keys = new PairSet(pairs.length);
  for (let k = 0; k < pairs.length; k++) keys.add(pairs.i[k], pairs.j[k]);
  return keys;
}

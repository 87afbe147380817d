/**
 * The LSH pair search on worker threads (`--threads`, default every core). Both halves of it split
 * without changing a bit of the result:
 *
 * - signatures: each vector's band keys and Hamming words depend on that vector alone, so workers
 *   fill row ranges of the same SharedArrayBuffer arrays (lsh.ts simhashRows);
 * - candidate pairs: closePairs keeps a pair in the first band of all it shares, reading the keys of
 *   every band, so the pairs of consecutive band ranges, concatenated in band order, are the pairs of
 *   one pass in the same order; each worker also decides its pairs by the exact cosine (cosine.ts).
 *
 * The vectors reach the workers without a copy: VectorTable keeps them on a SharedArrayBuffer.
 * With one thread (or no pool) the same functions run in this thread.
 *
 * Pure, no DuckDB: the workers load this module (pairs/worker.ts), and `lshPairs`, which stages the
 * result in a scratch table, is in pairs.ts.
 */
import { closePairs, allocateSignatures, simhashRows, type LshParams, type Signatures } from './lsh.js';
import { Found, verifyPairs, type VectorData } from './found.js';

/** A range of rows whose signatures a worker computes into the shared arrays. */
export interface SignatureTask {
  kind: 'signatures';
  data: Float32Array;
  dim: number;
  params: LshParams;
  sig: Signatures;
  lo: number;
  hi: number;
}

/** A range of bands whose candidate pairs a worker finds and decides. */
export interface BandPairsTask {
  kind: 'band-pairs';
  sig: Signatures;
  params: LshParams;
  fromBand: number;
  toBand: number;
  vectors: VectorData;
  threshold: number;
}

export interface BandPairsResult {
  i: Int32Array;
  j: Int32Array;
  s: Float64Array;
  length: number;
  candidates: number;
  /** Pairs that passed the Hamming filter (each got an exact cosine). */
  verified: number;
}

/** What a pool must offer (workers/pool.ts WorkerPool). */
export interface PairWorkers {
  readonly threads: number;
  signatures(task: Omit<SignatureTask, 'kind'>): Promise<void>;
  bandPairs(task: Omit<BandPairsTask, 'kind'>): Promise<BandPairsResult>;
}

/** The worker side of a signature task. */
export function runSignatureTask(t: Omit<SignatureTask, 'kind'>): void {
  simhashRows(t.data, t.dim, t.params, t.sig, t.lo, t.hi);
}

/** The worker side of a band task: candidate pairs of the bands, then their exact decision. */
export function runBandPairsTask(t: Omit<BandPairsTask, 'kind'>): BandPairsResult {
  const { pairs: close, candidates } = closePairs(t.sig, t.params, t.fromBand, t.toBand);
  const found = verifyPairs(t.vectors, close, t.threshold);
  const n = found.length;
  return { i: sharedCopy(found.i, n), j: sharedCopy(found.j, n), s: sharedCopy(found.s, n), length: n, candidates, verified: close.length };
}

/**
 * The first n numbers of `a` in an array of their own on shared memory: a worker's result reaches
 * the main thread without the copy structured cloning makes of an ordinary buffer (16 bytes a pair:
 * at 100k tens of millions of pairs).
 */
function sharedCopy<A extends Int32Array | Float64Array>(a: A, n: number): A {
  const Kind = a.constructor as { new (buffer: SharedArrayBuffer): A; BYTES_PER_ELEMENT: number };
  const b = new Kind(new SharedArrayBuffer(n * Kind.BYTES_PER_ELEMENT));
  b.set(a.subarray(0, n));
  return b;
}

/** [lo, hi) ranges splitting `count` items into `parts` nearly equal consecutive pieces. */
export function ranges(count: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(parts, count));
  const out: [number, number][] = [];
  for (let p = 0; p < k; p++) {
    const lo = Math.floor((p * count) / k);
    const hi = Math.floor(((p + 1) * count) / k);
    if (hi > lo) out.push([lo, hi]);
  }
  return out;
}

/** A Float32Array on shared memory with the same numbers (the array itself when it already is). */
export function shared32(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const b = new Float32Array(new SharedArrayBuffer(a.length * 4));
  b.set(a);
  return b;
}

/**
 * Text pairs at or above the threshold among the vectors, by LSH: the same pairs in the same order
 * as one pass of simhash + closePairs + verifyPairs. Band ranges are several per worker, so a worker
 * that drew crowded buckets does not hold up the others.
 */
export async function lshFound(
  vectors: VectorData,
  threshold: number,
  params: LshParams,
  pool: PairWorkers | null,
): Promise<{ found: Found; candidates: number; verified: number; signatureMs: number }> {
  const started = Date.now();
  const n = vectors.count;
  if (!pool || pool.threads <= 1 || n < 2) {
    const sig = allocateSignatures(n, params.bands);
    runSignatureTask({ data: vectors.data, dim: vectors.dim, params, sig, lo: 0, hi: n });
    const signatureMs = Date.now() - started;
    const r = runBandPairsTask({ sig, params, fromBand: 0, toBand: params.bands, vectors, threshold });
    return { found: toFound([r]), candidates: r.candidates, verified: r.verified, signatureMs };
  }
  const data = shared32(vectors.data);
  const shared: VectorData = { data, dim: vectors.dim, sq: shared32(vectors.sq), count: n };
  const sig = allocateSignatures(n, params.bands, true);
  await Promise.all(ranges(n, pool.threads * 2).map(([lo, hi]) => pool.signatures({ data, dim: vectors.dim, params, sig, lo, hi })));
  const signatureMs = Date.now() - started;
  const results = await Promise.all(
    ranges(params.bands, pool.threads * 3).map(([fromBand, toBand]) => pool.bandPairs({ sig, params, fromBand, toBand, vectors: shared, threshold })),
  );
  return {
    found: toFound(results),
    candidates: results.reduce((a, r) => a + r.candidates, 0),
    verified: results.reduce((a, r) => a + r.verified, 0),
    signatureMs,
  };
}

/** Band-range results concatenated in band order. */
function toFound(parts: readonly BandPairsResult[]): Found {
  const total = parts.reduce((a, r) => a + r.length, 0);
  const found = new Found();
  if (parts.length === 1 && total > 0) {
    // One part (one thread): its arrays are the result, no copy.
    const [r] = parts;
    found.i = r.i;
    found.j = r.j;
    found.s = r.s;
    found.length = r.length;
    return found;
  }
  found.i = new Int32Array(Math.max(1, total));
  found.j = new Int32Array(Math.max(1, total));
  found.s = new Float64Array(Math.max(1, total));
  for (const r of parts) {
    found.i.set(r.i.subarray(0, r.length), found.length);
    found.j.set(r.j.subarray(0, r.length), found.length);
    found.s.set(r.s.subarray(0, r.length), found.length);
    found.length += r.length;
  }
  return found;
}

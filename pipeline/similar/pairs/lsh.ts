import { mulberry32 } from '../../math/prng.js';
import { UsageError } from '../../errors.js';
import { HadamardRotations, paddedDim } from './rotation.js';
import { HammingRows } from './hamming.js';

/**
 * Random-hyperplane LSH (SimHash) in bands. Each band is `bitsPerBand` sign bits of one rotation;
 * two vectors become a candidate pair when all bits of some band agree. A second, cheap filter
 * compares 512-bit signatures by Hamming distance before the exact cosine is computed, because at
 * 100,000 vectors the bands let through millions of pairs that are plainly below the threshold.
 */
export interface LshParams {
  bitsPerBand: number;
  bands: number;
  /** Rotations computed: bands come in whole rotations of paddedDim(dim) bits each. */
  rotations: number;
  seed: number;
  /** Candidate recall the band count was chosen for, at exactly the threshold. */
  targetRecall: number;
  /** Length of the Hamming signature and the largest distance kept. */
  hammingBits: number;
  hammingMax: number;
}

export type LshOverrides = Partial<Pick<LshParams, 'bitsPerBand' | 'bands' | 'seed' | 'targetRecall'>>;

export const DEFAULT_BITS_PER_BAND = 16;
export const DEFAULT_TARGET_RECALL = 0.95;
export const DEFAULT_SEED = 20240601;
export const HAMMING_BITS = 512;
const MAX_BANDS = 256;
/**
 * Standard deviations of slack on the Hamming distance expected at the threshold. Bits of one
 * rotation come from orthogonal hyperplanes, whose count varies less than the binomial assumed
 * here, so 3 loses well under 0.5 % of the pairs at the threshold and fewer above it.
 */
const HAMMING_Z = 3;

/** Probability that one random hyperplane leaves two vectors at cosine s on the same side. */
export function bitAgreement(s: number): number {
  return 1 - Math.acos(Math.max(-1, Math.min(1, s))) / Math.PI;
}

/** Probability that a pair at cosine s shares at least one band. */
export function candidateProbability(s: number, bitsPerBand: number, bands: number): number {
  return 1 - (1 - bitAgreement(s) ** bitsPerBand) ** bands;
}

/** Bands enough for `targetRecall` at the threshold (capped at MAX_BANDS), and the rotations they need. */
export function lshParams(threshold: number, dim: number, overrides: LshOverrides = {}): LshParams {
  const size = paddedDim(dim);
  const r = overrides.bitsPerBand ?? DEFAULT_BITS_PER_BAND;
  if (!Number.isInteger(r) || r < 4 || r > 20 || r > size) throw new UsageError(`LSH bits per band must be a whole number from 4 to 20, not ${r}`);
  const targetRecall = overrides.targetRecall ?? DEFAULT_TARGET_RECALL;
  if (!(targetRecall > 0 && targetRecall < 1)) throw new UsageError(`LSH target recall must be between 0 and 1, not ${targetRecall}`);
  if (overrides.bands !== undefined && (!Number.isInteger(overrides.bands) || overrides.bands < 1 || overrides.bands > MAX_BANDS)) {
    throw new UsageError(`LSH bands must be a whole number from 1 to ${MAX_BANDS}, not ${overrides.bands}`);
  }
  const perRotation = Math.floor(size / r);
  const hit = bitAgreement(threshold) ** r;
  const needed = overrides.bands ?? (hit >= 1 ? 1 : Math.ceil(Math.log(1 - targetRecall) / Math.log(1 - hit)));
  // Spare bits of the last rotation are not made into bands: every band adds rows to the self-join.
  const bands = Math.min(needed, MAX_BANDS);
  const rotations = Math.max(Math.ceil(bands / perRotation), Math.ceil(HAMMING_BITS / size));
  const q = 1 - bitAgreement(threshold);
  const hammingMax = Math.min(HAMMING_BITS, Math.ceil(HAMMING_BITS * q + HAMMING_Z * Math.sqrt(HAMMING_BITS * q * (1 - q))));
  return { bitsPerBand: r, bands, rotations, seed: overrides.seed ?? DEFAULT_SEED, targetRecall, hammingBits: HAMMING_BITS, hammingMax };
}

export interface Signatures {
  n: number;
  /** n × bands band keys; the band number is folded in (band · 2^bitsPerBand + bits). */
  keys: Int32Array;
  /** n × HAMMING_WORDS32 32-bit words of the Hamming signature. */
  hamming: Uint32Array;
}

/** 32-bit words per Hamming signature: 16 (the kernel of hamming.ts holds exactly that many in its locals). */
export const HAMMING_WORDS32 = HAMMING_BITS / 32;

/**
 * Memory for the signatures of n vectors. `shared`: on SharedArrayBuffers, so worker threads fill
 * and read the same arrays (pairs/parallel.ts).
 */
export function allocateSignatures(n: number, bands: number, shared = false): Signatures {
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return { n, keys: new Int32Array(buffer(n * bands * 4)), hamming: new Uint32Array(buffer(n * HAMMING_WORDS32 * 4)) };
}

/** SimHash band keys and Hamming signatures for n vectors of `dim` numbers stored row after row. */
export function simhash(data: Float32Array, n: number, dim: number, params: LshParams): Signatures {
  const sig = allocateSignatures(n, params.bands);
  simhashRows(data, dim, params, sig, 0, n);
  return sig;
}

/**
 * 1 when x > 0, else 0, without a branch: the signs of a rotated vector are coin flips, and a
 * branch on each (2,400 a row) mispredicted half the time — ≈ 60 % of the signatures' CPU at 20k
 * (0.7 → 0.3 s on 19,406 texts). A boolean shifted or or-ed is a number.
 */
const positive = (x: number): number => (x > 0) as unknown as number;

/**
 * The signatures of rows lo .. hi-1 into `sig` (rows are independent: worker threads each fill a
 * range of the same shared arrays, with the same result as one pass).
 */
export function simhashRows(data: Float32Array, dim: number, params: LshParams, sig: Signatures, lo: number, hi: number): void {
  const size = paddedDim(dim);
  const r = params.bitsPerBand;
  const perRotation = Math.floor(size / r);
  const rotations = new HadamardRotations(size, params.rotations, mulberry32(params.seed));
  const { keys, hamming } = sig;
  const out = new Float64Array(size);
  // The signs of one rotated vector as 32-bit words, first sign in the top bit (a band key is then a
  // shift of one or two words, a Hamming word the same word with its bits reversed), and a last word
  // of 0 for the key windows that reach past the end. One pass over the signs instead of one for the
  // Hamming bits and one for the keys, each with its own bounds tests: the signatures' CPU at 10k
  // halves. The same numbers as before.
  const wordCount = Math.ceil(size / 32);
  const signs = new Int32Array(wordCount + 1);
  const step = Math.min(32, size);
  for (let v = lo; v < hi; v++) {
    const base = v * params.bands;
    const words = v * HAMMING_WORDS32;
    let band = 0;
    let bit = 0;
    rotations.load(data, v * dim, dim);
    for (let k = 0; k < params.rotations; k++) {
      rotations.rotate(k, out);
      for (let t = 0, i = 0; t < wordCount; t++) {
        let w = 0;
        for (const end = i + step; i < end; i++) w = (w << 1) | positive(out[i]);
        signs[t] = step < 32 ? w << (32 - step) : w;
      }
      // Hamming bits: sign i of the stream at bit i (a rotation shorter than a word fills part of one).
      for (let t = 0; t < wordCount && bit < HAMMING_BITS; t++, bit += step) hamming[words + (bit >>> 5)] |= reverseBits(signs[t]) << (bit & 31);
      // Band keys as integers: band · 2^r + the r signs from start g·r, the first the most significant.
      for (let g = 0; g < perRotation && band < params.bands; g++, band++) {
        const start = g * r;
        const o = start & 31;
        const t = start >>> 5;
        const window = o === 0 ? signs[t] : (signs[t] << o) | (signs[t + 1] >>> (32 - o));
        keys[base + band] = band * 2 ** r + (window >>> (32 - r));
      }
    }
  }
}

/** The 32 bits of x in reverse order. */
function reverseBits(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/** Growable pairs of int32, for outputs whose size is known only at the end. */
export class PairBuffer {
  i = new Int32Array(1024);
  j = new Int32Array(1024);
  length = 0;

  push(a: number, b: number): void {
    if (this.length === this.i.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.i = grow(this.i);
      this.j = grow(this.j);
    }
    this.i[this.length] = a;
    this.j[this.length++] = b;
  }
}

/**
 * The candidate pairs that pass the Hamming filter, each once, i < j: for every band, the texts
 * are bucketed by key (a counting sort), every pair within a bucket is tested, and a pair is
 * kept in the first band it shares only. The test that a pair shared no earlier band runs only on
 * the few pairs that pass the Hamming distance, so the 26 million bucket pairs of the
 * 10,000-resolution corpus cost one Hamming test each. In JS rather than as a self-join in DuckDB:
 * the join materialised every candidate pair (13 s there, under 2 s here).
 *
 * Bands fromBand .. toBand-1 only, when given: a pair is still kept in the first band of ALL it
 * shares, so the pairs of consecutive band ranges, concatenated, are those of one pass in the same
 * order (how worker threads split the work, pairs/parallel.ts).
 */
export function closePairs(sig: Signatures, params: LshParams, fromBand = 0, toBand = params.bands): { pairs: PairBuffer; candidates: number } {
  const { n, keys, hamming } = sig;
  const bands = params.bands;
  const buckets = 2 ** params.bitsPerBand;
  const mask = buckets - 1;
  const start = new Int32Array(buckets + 1);
  const fill = new Int32Array(buckets);
  // The Hamming test runs in WebAssembly (hamming.ts) on the kernel's copy of the signatures; the
  // bucket order is laid out in its memory.
  const rows = new HammingRows(hamming, n);
  const { order, out } = rows;
  const pairs = new PairBuffer();
  let candidates = 0;
  for (let b = fromBand; b < toBand; b++) {
    start.fill(0);
    for (let v = 0; v < n; v++) start[(keys[v * bands + b] & mask) + 1]++;
    for (let k = 0; k < buckets; k++) start[k + 1] += start[k];
    fill.set(start.subarray(0, buckets));
    // Ascending v within each bucket, so every pair comes out as (smaller, larger).
    for (let v = 0; v < n; v++) order[fill[keys[v * bands + b] & mask]++] = v;
    for (let k = 0; k < buckets; k++) {
      const lo = start[k];
      const hi = start[k + 1];
      if (hi - lo < 2) continue;
      candidates += ((hi - lo) * (hi - lo - 1)) / 2;
      for (let x = lo; x < hi - 1; x++) {
        const u = order[x];
        const close = rows.row(u, x + 1, hi, params.hammingMax);
        for (let c = 0; c < close; c++) {
          const v = out[c];
          let seen = false;
          for (let e = 0; e < b; e++) {
            if (keys[u * bands + e] === keys[v * bands + e]) {
              seen = true;
              break;
            }
          }
          if (!seen) pairs.push(u, v);
        }
      }
    }
  }
  return { pairs, candidates };
}

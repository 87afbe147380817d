import { mulberry32 } from '../../math/prng.js';
import { UsageError } from '../../errors.js';
import { HadamardRotation, paddedDim } from './rotation.js';

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
export const HAMMING_WORDS = HAMMING_BITS / 64;
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
  /** n × HAMMING_WORDS 64-bit words of the Hamming signature. */
  hamming: BigInt64Array;
}

/** SimHash band keys and Hamming signatures for n vectors of `dim` numbers stored row after row. */
export function simhash(data: Float32Array, n: number, dim: number, params: LshParams): Signatures {
  const size = paddedDim(dim);
  const r = params.bitsPerBand;
  const perRotation = Math.floor(size / r);
  const rand = mulberry32(params.seed);
  const rotations = Array.from({ length: params.rotations }, () => new HadamardRotation(size, rand));
  const keys = new Int32Array(n * params.bands);
  const hamming = new BigInt64Array(n * HAMMING_WORDS);
  const halves = new Uint32Array(HAMMING_WORDS * 2);
  const out = new Float64Array(size);
  for (let v = 0; v < n; v++) {
    const base = v * params.bands;
    halves.fill(0);
    let band = 0;
    let bit = 0;
    for (const rotation of rotations) {
      rotation.apply(data, v * dim, dim, out);
      for (let i = 0; i < size && bit < HAMMING_BITS; i++, bit++) {
        if (out[i] > 0) halves[bit >>> 5] |= 1 << (bit & 31);
      }
      for (let g = 0; g < perRotation && band < params.bands; g++, band++) {
        let key = band;
        const start = g * r;
        for (let i = 0; i < r; i++) key = key * 2 + (out[start + i] > 0 ? 1 : 0);
        keys[base + band] = key;
      }
    }
    for (let w = 0; w < HAMMING_WORDS; w++) {
      hamming[v * HAMMING_WORDS + w] = BigInt.asIntN(64, (BigInt(halves[2 * w + 1]) << 32n) | BigInt(halves[2 * w]));
    }
  }
  return { n, keys, hamming };
}

/**
 * Pairs sharing a band, counted once per band they share: the candidate volume the self-join
 * produces. Counted per band with one counter per bucket, which costs milliseconds.
 */
export function bandCollisions(sig: Signatures, params: LshParams): number {
  const buckets = 2 ** params.bitsPerBand;
  const counts = new Uint32Array(buckets);
  let total = 0;
  for (let b = 0; b < params.bands; b++) {
    counts.fill(0);
    for (let v = 0; v < sig.n; v++) counts[sig.keys[v * params.bands + b] % buckets]++;
    for (let k = 0; k < buckets; k++) total += (counts[k] * (counts[k] - 1)) / 2;
  }
  return total;
}

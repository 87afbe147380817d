import { describe, expect, it } from 'vitest';
import { closePairs, HAMMING_WORDS32, lshParams, simhash, type Signatures } from '../../pipeline/similar/pairs/lsh.js';
import { HadamardRotations, paddedDim } from '../../pipeline/similar/pairs/rotation.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { lshFound, ranges, runBandPairsTask, runSignatureTask, type PairWorkers } from '../../pipeline/similar/pairs/parallel.js';
import { sumsOfSquares } from '../../pipeline/similar/pairs/cosine.js';

/** The definition: pairs sharing at least one band whose signatures are within hammingMax, once each. */
function bruteForce(sig: Signatures, bands: number, hammingMax: number): string[] {
  const out: string[] = [];
  for (let u = 0; u < sig.n; u++) {
    for (let v = u + 1; v < sig.n; v++) {
      let share = false;
      for (let b = 0; b < bands && !share; b++) share = sig.keys[u * bands + b] === sig.keys[v * bands + b];
      if (!share) continue;
      let d = 0;
      for (let w = 0; w < HAMMING_WORDS32; w++) {
        let x = sig.hamming[u * HAMMING_WORDS32 + w] ^ sig.hamming[v * HAMMING_WORDS32 + w];
        while (x) {
          d += x & 1;
          x >>>= 1;
        }
      }
      if (d <= hammingMax) out.push(`${u}-${v}`);
    }
  }
  return out;
}

/** Groups of near-identical vectors around random centres, plus unrelated ones. */
function vectors(n: number, dim: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 12 }, () => Array.from({ length: dim }, gauss));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    const noise = i % 5 === 0 ? 3 : 0.15;
    for (let d = 0; d < dim; d++) data[i * dim + d] = c[d] + noise * gauss();
  }
  return data;
}

/** The signatures by their definition, one sign at a time (what simhashRows computes a word at a time). */
function signaturesOneByOne(data: Float32Array, n: number, dim: number, params: ReturnType<typeof lshParams>): Signatures {
  const size = paddedDim(dim);
  const r = params.bitsPerBand;
  const rotations = new HadamardRotations(size, params.rotations, mulberry32(params.seed));
  const keys = new Int32Array(n * params.bands);
  const hamming = new Uint32Array(n * HAMMING_WORDS32);
  const out = new Float64Array(size);
  for (let v = 0; v < n; v++) {
    rotations.load(data, v * dim, dim);
    let band = 0;
    let bit = 0;
    for (let k = 0; k < params.rotations; k++) {
      rotations.rotate(k, out);
      for (let i = 0; i < size && bit < 512; i++, bit++) if (out[i] > 0) hamming[v * HAMMING_WORDS32 + (bit >>> 5)] |= 1 << (bit & 31);
      for (let g = 0; g < Math.floor(size / r) && band < params.bands; g++, band++) {
        let key = 0;
        for (let i = 0; i < r; i++) key = key * 2 + (out[g * r + i] > 0 ? 1 : 0);
        keys[v * params.bands + band] = band * 2 ** r + key;
      }
    }
  }
  return { n, keys, hamming };
}

describe('simhash', () => {
  it('gives the band keys and Hamming bits of their definition, for rotations shorter and longer than a word', () => {
    for (const [dim, bitsPerBand] of [
      [5, 4],
      [16, 5],
      [40, 16],
      [256, 16],
      [300, 20],
      [700, 7],
    ]) {
      const n = 30;
      const data = vectors(n, dim, dim);
      const params = lshParams(0.8, dim, { bitsPerBand });
      const sig = simhash(data, n, dim, params);
      const ref = signaturesOneByOne(data, n, dim, params);
      expect(Array.from(sig.keys)).toEqual(Array.from(ref.keys));
      expect(Array.from(sig.hamming)).toEqual(Array.from(ref.hamming));
    }
  });
});

describe('closePairs', () => {
  it('finds exactly the band-sharing pairs within the Hamming distance, each once, smaller index first', () => {
    const dim = 48;
    const n = 400;
    const data = vectors(n, dim, 3);
    for (const threshold of [0.8, 0.9]) {
      const params = lshParams(threshold, dim, { seed: 11 });
      const sig = simhash(data, n, dim, params);
      const { pairs, candidates } = closePairs(sig, params);
      const found = Array.from({ length: pairs.length }, (_, k) => `${pairs.i[k]}-${pairs.j[k]}`);
      expect(new Set(found).size).toBe(found.length);
      for (let k = 0; k < pairs.length; k++) expect(pairs.i[k]).toBeLessThan(pairs.j[k]);
      const truth = bruteForce(sig, params.bands, params.hammingMax);
      expect(truth.length).toBeGreaterThan(100);
      expect([...found].sort()).toEqual(truth.sort());
      expect(candidates).toBeGreaterThanOrEqual(found.length);
    }
  });

  it('keeps near-identical vectors and drops unrelated ones', () => {
    const dim = 64;
    const n = 240;
    const data = vectors(n, dim, 9);
    const params = lshParams(0.85, dim, { seed: 2 });
    const { pairs } = closePairs(simhash(data, n, dim, params), params);
    const cos = (u: number, v: number) => {
      let s = 0, a = 0, b = 0;
      for (let d = 0; d < dim; d++) {
        s += data[u * dim + d] * data[v * dim + d];
        a += data[u * dim + d] ** 2;
        b += data[v * dim + d] ** 2;
      }
      return s / Math.sqrt(a * b);
    };
    const found = new Set(Array.from({ length: pairs.length }, (_, k) => `${pairs.i[k]}-${pairs.j[k]}`));
    let close = 0, kept = 0, far = 0, leaked = 0;
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        const c = cos(u, v);
        if (c >= 0.95) (close++, (kept += found.has(`${u}-${v}`) ? 1 : 0));
        if (c < 0.3) (far++, (leaked += found.has(`${u}-${v}`) ? 1 : 0));
      }
    }
    expect(close).toBeGreaterThan(500);
    expect(kept / close).toBeGreaterThan(0.99);
    expect(leaked / far).toBeLessThan(0.001);
  });
});

describe('HadamardRotations', () => {
  it('are rotations: every output keeps the input norm (times the transform scale)', () => {
    const size = 64;
    const rot = new HadamardRotations(size, 4, mulberry32(1));
    const x = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i + 1));
    const norm = Math.hypot(...x);
    const out = new Float64Array(size);
    rot.load(x, 0, 50);
    for (let k = 0; k < 4; k++) {
      rot.rotate(k, out);
      // Three unnormalised transforms of size 64: a factor of 64^(3/2).
      expect(Math.hypot(...out) / norm).toBeCloseTo(size ** 1.5, 3);
    }
  });
});

describe('the LSH search split over band and row ranges (pairs/parallel.ts)', () => {
  it('closePairs over consecutive band ranges, concatenated, gives the pairs of one pass in the same order', () => {
    const dim = 48;
    const n = 400;
    const data = vectors(n, dim, 5);
    const params = lshParams(0.8, dim, { seed: 7 });
    const sig = simhash(data, n, dim, params);
    const whole = closePairs(sig, params);
    const keyList = (p: { i: Int32Array; j: Int32Array; length: number }) => Array.from({ length: p.length }, (_, k) => `${p.i[k]}-${p.j[k]}`);
    for (const parts of [2, 3, 7]) {
      const split = ranges(params.bands, parts).map(([a, b]) => closePairs(sig, params, a, b));
      expect(split.flatMap((r) => keyList(r.pairs)), `${parts} ranges`).toEqual(keyList(whole.pairs));
      expect(split.reduce((a, r) => a + r.candidates, 0)).toBe(whole.candidates);
    }
  });

  it('lshFound on a pool of workers (run here in turn) gives what it gives in one thread: pairs, order, similarities, counts', async () => {
    const dim = 40;
    const n = 500;
    const data = vectors(n, dim, 13);
    const sq = sumsOfSquares(data, n, dim);
    const params = lshParams(0.85, dim, { seed: 3 });
    const one = await lshFound({ data, dim, sq, count: n }, 0.85, params, null);
    expect(one.found.length).toBeGreaterThan(200);
    const tasks: string[] = [];
    const inTurn: PairWorkers = {
      threads: 3,
      signatures: async (t) => {
        tasks.push(`rows ${t.lo}-${t.hi}`);
        // The workers' arrays are shared: what a task writes is what the others read.
        expect(t.sig.keys.buffer).toBeInstanceOf(SharedArrayBuffer);
        runSignatureTask(t);
      },
      bandPairs: async (t) => {
        tasks.push(`bands ${t.fromBand}-${t.toBand}`);
        return runBandPairsTask(t);
      },
    };
    const many = await lshFound({ data, dim, sq, count: n }, 0.85, params, inTurn);
    expect(tasks.filter((t) => t.startsWith('rows'))).toHaveLength(6);
    expect(tasks.filter((t) => t.startsWith('bands')).length).toBe(Math.min(9, params.bands));
    const trim = (f: typeof one.found) => [Array.from(f.i.subarray(0, f.length)), Array.from(f.j.subarray(0, f.length)), Array.from(f.s.subarray(0, f.length))];
    expect(trim(many.found)).toEqual(trim(one.found));
    expect([many.candidates, many.verified]).toEqual([one.candidates, one.verified]);
  });

  it('ranges cover every item once, in order, in nearly equal pieces', () => {
    for (const [count, parts] of [[135, 6], [10, 4], [3, 8], [0, 2]] as const) {
      const r = ranges(count, parts);
      expect(r.flatMap(([a, b]) => Array.from({ length: b - a }, (_, k) => a + k))).toEqual(Array.from({ length: count }, (_, k) => k));
      const sizes = r.map(([a, b]) => b - a);
      if (sizes.length) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { atLeast, cosineAt, similarityAtLeast, similaritySlack, sumsOfSquares } from '../../pipeline/similar/pairs/cosine.js';
import { closePairs, lshParams, simhash } from '../../pipeline/similar/pairs/lsh.js';
import { scanAll, verifyPairs, type Found } from '../../pipeline/similar/pairs/pairs.js';

/** Vectors around random centres with noise spread so that in-cluster cosines straddle any threshold (float32, not normalised). */
function clustered(n: number, dim: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gauss = normalish(rand);
  const centres = Array.from({ length: Math.ceil(n / 25) }, () => Array.from({ length: dim }, gauss));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(rand() * centres.length)];
    const sigma = 0.1 + 0.9 * rand();
    const scale = 0.5 + 3 * rand();
    for (let d = 0; d < dim; d++) data[i * dim + d] = scale * (c[d] + sigma * gauss());
  }
  return data;
}

const asMap = (f: Found) => new Map(Array.from({ length: f.length }, (_, k) => [`${f.i[k]}-${f.j[k]}`, f.s[k]]));

describe('one definition of a near-duplicate pair', () => {
  const dim = 96;
  const n = 1200;
  const data = clustered(n, dim, 7);
  const v = { data, dim, sq: sumsOfSquares(data, n, dim), count: n };

  it('the fast path decides exactly as the float32 cosine, also for pairs sitting on the threshold', () => {
    const slack = similaritySlack(dim);
    const rand = mulberry32(3);
    const sims: number[] = [];
    for (let k = 0; k < 20000; k++) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      if (i !== j) sims.push(cosineAt(data, dim, v.sq, i, j));
    }
    // Thresholds equal to similarities that occur (a pair exactly at the cut is kept), and a hair above them.
    const thresholds = [0.5, 0.8, ...sims.filter((s) => s > 0.3).slice(0, 6), ...sims.filter((s) => s > 0.3).slice(0, 6).map((s) => s + 1e-9)];
    let atCut = 0;
    let kept = 0;
    let differ = 0;
    for (const t of thresholds) {
      for (let i = 0; i < 150; i++) {
        for (let j = i + 1; j < n; j++) {
          const exact = cosineAt(data, dim, v.sq, i, j);
          const fast = similarityAtLeast(data, dim, v.sq, i, j, t, slack);
          if (atLeast(exact, t) ? fast !== exact : !Number.isNaN(fast)) differ++;
          if (exact === t) atCut++;
          if (atLeast(exact, t)) kept++;
        }
      }
    }
    expect(differ).toBe(0);
    expect(atCut).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(1000);
  });

  it('is the cosine, rounded like float32 arithmetic', () => {
    for (let k = 0; k < 200; k++) {
      const i = k;
      const j = n - 1 - k;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += data[i * dim + d] * data[j * dim + d];
      const s = cosineAt(data, dim, v.sq, i, j);
      expect(Math.fround(s)).toBe(s);
      expect(Math.abs(s - dot / Math.sqrt(v.sq[i] * v.sq[j]))).toBeLessThan(similaritySlack(dim));
    }
    expect(cosineAt(data, dim, v.sq, 5, 5)).toBe(1);
  });

  it('LSH pairs are exhaustive pairs with the same similarity, and find at least 95 % of them', () => {
    for (const threshold of [0.75, 0.9]) {
      const truth = asMap(scanAll(v, threshold));
      const params = lshParams(threshold, dim, { seed: 4 });
      const { pairs: close } = closePairs(simhash(data, n, dim, params), params);
      const lsh = asMap(verifyPairs(v, close, threshold));
      expect(truth.size).toBeGreaterThan(500);
      for (const [pair, s] of lsh) expect(truth.get(pair)).toBe(s);
      expect(lsh.size / truth.size).toBeGreaterThanOrEqual(0.95);
      for (const s of truth.values()) expect(s).toBeGreaterThanOrEqual(threshold);
    }
  });
});

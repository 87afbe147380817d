/**
 * The clusters stage's speed-ups change how k-means and the silhouette are computed, not what they
 * compute: k-means with Elkan's bounds must assign exactly as plain Lloyd iterations do, and the
 * silhouette from cluster sums must equal the pairwise definition. Both are checked against
 * straightforward reference implementations written here, on seeded data with overlapping groups
 * (where bounds are loose and ties of the order matter).
 */
import { describe, it, expect } from 'vitest';
import { kmeans, silhouette } from '../../pipeline/clusters/clusterers/kmeans.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { dotF32 } from '../../pipeline/math/dot-kernel.js';

/** n unit vectors around `groups` random centres, noise `spread`. */
function blobs(n: number, dim: number, groups: number, spread: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: groups }, () => Array.from({ length: dim }, gauss));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[i % groups];
    let sq = 0;
    const row = c.map((v) => v + spread * gauss());
    for (const v of row) sq += v * v;
    row.forEach((v, d) => (data[i * dim + d] = v / Math.sqrt(sq)));
  }
  return data;
}

/** Plain Lloyd from the same seeded start: the behaviour before the bounds (one full scan per row). */
function lloyd(data: Float32Array, n: number, dim: number, k: number, maxIter: number, seed: number) {
  // The start is the library's own k-means++ (maxIter 0 returns the seeded centroids after one assignment).
  const start = kmeans(data, n, dim, k, { seed, maxIter: 0 });
  const c = Float32Array.from(start.centroids);
  const labels = new Int32Array(n).fill(-1);
  let it = 0;
  for (; it < maxIter; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestSim = -Infinity;
      for (let j = 0; j < k; j++) {
        // The dot product k-means uses (math/dot-kernel.ts), in plain JS.
        const s = dotF32(data, i * dim, c, j * dim, dim);
        if (s > bestSim) {
          bestSim = s;
          best = j;
        }
      }
      if (labels[i] !== best) changed++;
      labels[i] = best;
    }
    if (changed <= Math.floor(n / 1000)) break;
    // Each centroid: the unit direction of its rows' sum (in float64, then stored as float32).
    const sums = new Float64Array(k * dim);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      sizes[labels[i]]++;
      for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += data[i * dim + d];
    }
    expect(sizes.every((s) => s > 0)).toBe(true); // the reference does not re-seed empty clusters
    for (let j = 0; j < k; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += sums[j * dim + d] ** 2;
      for (let d = 0; d < dim; d++) c[j * dim + d] = sums[j * dim + d] / Math.sqrt(sq);
    }
  }
  return { labels, centroids: c, iterations: it };
}

function pairwiseSilhouette(data: Float32Array, n: number, dim: number, labels: Int32Array, k: number): number {
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Float64Array(k);
    const counts = new Int32Array(k);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[i * dim + d] * data[j * dim + d];
      sums[labels[j]] += 1 - s;
      counts[labels[j]]++;
    }
    if (counts[labels[i]] === 0) continue;
    const a = sums[labels[i]] / counts[labels[i]];
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== labels[i] && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b);
    counted++;
  }
  return total / counted;
}

describe('k-means with bounds and the silhouette from sums', () => {
  it.each([
    { n: 1201, dim: 24, k: 9 },
    { n: 903, dim: 7, k: 15 },
    { n: 6, dim: 5, k: 4 },
  ])('seeds k-means++ to the same bits as the row-by-row loop (with the kernel dot product) ($n rows, dim $dim, k $k)', ({ n, dim, k }) => {
    const data = blobs(n, dim, 5, 1.2, n);
    // The textbook k-means++ on cosine distance: one row at a time against the newest centroid.
    const rand = mulberry32(11);
    const ref = new Float32Array(k * dim);
    const first = Math.floor(rand() * n);
    ref.set(data.subarray(first * dim, first * dim + dim), 0);
    const dist = new Float64Array(n).fill(Infinity);
    for (let j = 1; j < k; j++) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const s = dotF32(data, i * dim, ref, (j - 1) * dim, dim);
        dist[i] = Math.min(dist[i], Math.max(0, 1 - s));
        total += dist[i] * dist[i];
      }
      let pick = 0;
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        r -= dist[i] * dist[i];
        if (r <= 0) {
          pick = i;
          break;
        }
      }
      ref.set(data.subarray(pick * dim, pick * dim + dim), j * dim);
    }
    // maxIter 0 returns the seeded centroids as they are.
    const seeded = kmeans(data, n, dim, k, { seed: 11, maxIter: 0 });
    expect(Buffer.from(seeded.centroids.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
  });

  it.each([
    { n: 1200, dim: 24, groups: 6, k: 9, spread: 0.9, seed: 1 },
    { n: 900, dim: 64, groups: 12, k: 12, spread: 2.5, seed: 2 },
    { n: 700, dim: 7, groups: 3, k: 15, spread: 0.4, seed: 3 },
  ])('assigns exactly as plain Lloyd iterations ($n rows, dim $dim, k $k)', ({ n, dim, groups, k, spread, seed }) => {
    const data = blobs(n, dim, groups, spread, seed);
    const fast = kmeans(data, n, dim, k, { seed: 7, maxIter: 40 });
    const ref = lloyd(data, n, dim, k, 40, 7);
    expect(fast.iterations).toBe(ref.iterations);
    expect(Array.from(fast.labels)).toEqual(Array.from(ref.labels));
    // The fit keeps its sums up to date as rows move (float64, another order of additions than the
    // reference's sums from scratch): the same centroids to float32 rounding.
    fast.centroids.forEach((v, i) => expect(Math.abs(v - ref.centroids[i])).toBeLessThan(1e-6));
    // Similarities are those of the final centroids, also for rows the bounds skipped.
    for (let i = 0; i < n; i += 37) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[i * dim + d] * fast.centroids[fast.labels[i] * dim + d];
      expect(fast.similarity[i]).toBeCloseTo(s, 5);
    }
  });

  it('the silhouette equals the pairwise definition', () => {
    for (const [groups, k, spread] of [[4, 4, 0.6], [5, 9, 1.5], [3, 2, 3]] as const) {
      const n = 400;
      const dim = 16;
      const data = blobs(n, dim, groups, spread, groups * 11);
      const { labels } = kmeans(data, n, dim, k, { seed: 3 });
      expect(silhouette(data, n, dim, labels, k, n)).toBeCloseTo(pairwiseSilhouette(data, n, dim, labels, k), 9);
    }
  });

});

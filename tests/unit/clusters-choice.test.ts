/**
 * How the clusters stage saves work without changing its answer: one k-means++ seeding serves every
 * candidate k (its first k centroids are the seeding for k), one fit and its merges choose k as well
 * as fitting the candidates does, and a clusterer's own labels of every member stand in for the assignment.
 */
import { describe, it, expect } from 'vitest';
import { chooseK, kmeans, KMeansClusterer, DEFAULT_KMEANS_PARAMS, candidateKs, mergeSilhouettes, silhouette } from '../../pipeline/clusters/clusterers/kmeans.js';
import { assignMembers, nearestCentroids } from '../../pipeline/clusters/assign.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

/** n unit vectors around `groups` random centres, noise `spread` (sizes differ: group g has weight g + 1). */
function blobs(n: number, dim: number, groups: number, spread: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: groups }, () => Array.from({ length: dim }, gauss));
  const weights = centres.map((_, g) => g + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let r = rand() * total;
    let g = 0;
    while (r > weights[g]) r -= weights[g++];
    const row = centres[Math.min(g, groups - 1)].map((v) => v + spread * gauss());
    const norm = Math.hypot(...row);
    row.forEach((v, d) => (data[i * dim + d] = v / norm));
  }
  return data;
}

describe('k selection and assignment with less work', () => {
  it('the first k centroids of a k-means++ seeding for a larger k are the seeding for k', () => {
    const data = blobs(800, 16, 7, 1, 3);
    const big = kmeans(data, 800, 16, 30, { seed: 5, maxIter: 0 }).centroids;
    for (const k of [2, 5, 12, 29]) {
      const own = kmeans(data, 800, 16, k, { seed: 5, maxIter: 0 }).centroids;
      expect(Array.from(own)).toEqual(Array.from(big.subarray(0, k * 16)));
      // …so a fit started from the prefix is the fit seeded for k.
      const a = kmeans(data, 800, 16, k, { seed: 5, maxIter: 15 });
      const b = kmeans(data, 800, 16, k, { seed: 5, maxIter: 15, init: big.subarray(0, k * 16) });
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    }
  });

  it.each([
    { groups: 3, spread: 0.5, seed: 1 },
    { groups: 9, spread: 0.8, seed: 2 },
    { groups: 20, spread: 1.2, seed: 3 },
  ])('one fit and its merges choose a partition no worse than fitting the candidates ($groups groups)', ({ groups, spread, seed }) => {
    const n = 1600;
    const dim = 32;
    const data = blobs(n, dim, groups, spread, seed);
    const refit = chooseK(data, n, dim, { ...DEFAULT_KMEANS_PARAMS, selection: 'refit' });
    const merge = chooseK(data, n, dim, { ...DEFAULT_KMEANS_PARAMS, selection: 'merge' });
    // Merging avoids the refits' bad local optima (three blobs: a refit at k = 3 scored 0.38 and
    // k = 2 was chosen; the merges find the three, 0.79).
    expect(merge.scores[merge.k]).toBeGreaterThanOrEqual(refit.scores[refit.k]);
    if (groups === 3) expect(merge.k).toBe(3);
    // Every candidate is scored; the largest one on the very fit the refits make (same score).
    const ks = candidateKs(n, DEFAULT_KMEANS_PARAMS.maxK);
    expect(Object.keys(merge.scores).map(Number)).toEqual(ks);
    const top = ks[ks.length - 1];
    expect(merge.scores[top]).toBe(refit.scores[top]);
    expect(merge.centroids.get(merge.k)).toHaveLength(merge.k * dim);
  });

  it('scores the unmerged labelling as silhouette() does, to the bit, and merges nest', () => {
    const n = 900;
    const dim = 16;
    const data = blobs(n, dim, 6, 1, 7);
    const km = kmeans(data, n, dim, 12, { seed: 2, maxIter: 20 });
    const merged = mergeSilhouettes(data, n, dim, km.labels, km.k, [2, 4, 6, 12], 500);
    expect(merged.scores.get(12)).toBe(silhouette(data, n, dim, km.labels, 12, 500));
    expect([...merged.scores.keys()].sort((a, b) => a - b)).toEqual([2, 4, 6, 12]);
    // Six blobs: merging twelve clusters down to six finds them again (better than two or twelve).
    expect(merged.scores.get(6)!).toBeGreaterThan(merged.scores.get(2)!);
    expect(merged.scores.get(6)!).toBeGreaterThan(merged.scores.get(12)!);
    // A group's centroid is the unit mean direction of its rows.
    const c6 = merged.centroidsOf(6);
    expect(c6).toHaveLength(6 * dim);
    for (let g = 0; g < 6; g++) expect(Math.hypot(...c6.subarray(g * dim, g * dim + dim))).toBeCloseTo(1, 5);
    expect(() => merged.centroidsOf(5)).toThrow();
  });

  it('the refits still go coarse to fine: fewer fits than candidates, same choice as fitting them all', () => {
    const n = 1600;
    const dim = 32;
    const data = blobs(n, dim, 9, 0.8, 2);
    const refit = chooseK(data, n, dim, { ...DEFAULT_KMEANS_PARAMS, selection: 'refit' });
    expect(Object.keys(refit.scores).length).toBeLessThan(candidateKs(n, DEFAULT_KMEANS_PARAMS.maxK).length);
  });

  it.each([
    { members: 1500, sample: 1500 },
    { members: 1500, sample: 600 },
  ])("the clusterer's labels of its sample ($sample of $members members) give the assignment nearestCentroids gives, to the bit", ({ members, sample }) => {
    const dim = 24;
    const data = blobs(members, dim, 12, 1.5, 8);
    const model = new KMeansClusterer({ seed: 3 }).fit({ data: data.subarray(0, sample * dim), n: sample, dim });
    expect(model.labels).toHaveLength(sample);
    // Members point at rows of a text table (here: every row once, in reverse).
    const rows = Array.from({ length: members }, (_, i) => members - 1 - i);
    const reversed = new Float32Array(members * dim);
    rows.forEach((r, i) => reversed.set(data.subarray(i * dim, i * dim + dim), r * dim));
    const near = nearestCentroids(reversed, members, dim, model.centroids, model.k);
    const fast = assignMembers(reversed, rows, dim, model.centroids, model.k, model.labels);
    expect(Array.from(fast.labels)).toEqual(rows.map((r) => near.labels[r]));
    expect(Array.from(fast.similarity)).toEqual(rows.map((r) => near.similarity[r]));
    // Without known labels it is nearestCentroids itself.
    const plain = assignMembers(reversed, rows, dim, model.centroids, model.k);
    expect(Array.from(plain.similarity)).toEqual(rows.map((r) => near.similarity[r]));
  });

  it('gives no labels when the fit stopped at its iteration limit (they would lag the centroids)', () => {
    const data = blobs(600, 8, 30, 3, 9);
    const km = kmeans(data, 600, 8, 30, { seed: 1, maxIter: 1 });
    expect(km.converged).toBe(false);
    expect(kmeans(data, 600, 8, 30, { seed: 1, maxIter: 100 }).converged).toBe(true);
  });
});

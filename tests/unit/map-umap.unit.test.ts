/** UMAP on typed arrays (pipeline/map/umap.ts): exact neighbours, the fuzzy graph, and a layout that keeps planted groups together and apart. */
import { describe, expect, it } from 'vitest';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { exactKnn, findAB, fuzzyGraph, optimizeLayout, pcaInit } from '../../pipeline/map/umap.js';
import { umapLayout } from '../../pipeline/map/project.js';

/** `groups` planted groups of `per` points in `dim` dimensions: random centres, Gaussian spread `spread`. */
function planted(groups: number, per: number, dim: number, spread: number, seed: number) {
  const rand = mulberry32(seed);
  const gauss = normalish(rand);
  const centres = Array.from({ length: groups }, () => Array.from({ length: dim }, () => 3 * gauss()));
  const n = groups * per;
  const points = new Float32Array(n * dim);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Interleaved, so that nothing depends on the input order.
    group[i] = i % groups;
    for (let d = 0; d < dim; d++) points[i * dim + d] = centres[group[i]][d] + spread * gauss();
  }
  return { points, group, n };
}

/** Share of each point's k nearest 2D neighbours that belong to its group. */
function sameGroupShare(xy: Float32Array, group: Int32Array, k: number): number {
  const n = group.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const d = Array.from({ length: n }, (_, j) => [(xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2, j]).filter(([, j]) => j !== i);
    d.sort((a, b) => a[0] - b[0]);
    for (const [, j] of d.slice(0, k)) if (group[j] === group[i]) same++;
  }
  return same / (n * k);
}

/**
 * How far apart the groups stand: the smallest distance between two groups' 2D centres divided by
 * the largest group's mean distance to its centre (> 2: no group reaches into another).
 */
function separation(xy: Float32Array, group: Int32Array, groups: number): number {
  const cx = new Float64Array(groups);
  const cy = new Float64Array(groups);
  const size = new Float64Array(groups);
  for (let i = 0; i < group.length; i++) {
    cx[group[i]] += xy[2 * i];
    cy[group[i]] += xy[2 * i + 1];
    size[group[i]]++;
  }
  for (let g = 0; g < groups; g++) {
    cx[g] /= size[g];
    cy[g] /= size[g];
  }
  const radius = new Float64Array(groups);
  for (let i = 0; i < group.length; i++) radius[group[i]] += Math.hypot(xy[2 * i] - cx[group[i]], xy[2 * i + 1] - cy[group[i]]) / size[group[i]];
  let gap = Infinity;
  for (let a = 0; a < groups; a++) for (let b = a + 1; b < groups; b++) gap = Math.min(gap, Math.hypot(cx[a] - cx[b], cy[a] - cy[b]));
  return gap / Math.max(...radius);
}

describe('exact neighbours and the fuzzy graph', () => {
  it('finds the same neighbours as sorting all distances, itself first', () => {
    const { points, n } = planted(3, 40, 8, 1, 5);
    const knn = exactKnn(points, n, 8, 6);
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
      const dist = (j: number) => {
        let s = 0;
        for (let d = 0; d < 8; d++) s += (points[i * 8 + d] - points[j * 8 + d]) ** 2;
        return s;
      };
      all.sort((a, b) => dist(a) - dist(b) || a - b);
      expect(knn.indices[i * 6]).toBe(i);
      expect(Array.from(knn.indices.subarray(i * 6 + 1, i * 6 + 6))).toEqual(all.slice(0, 5));
      expect(knn.distances[i * 6 + 1]).toBeCloseTo(Math.sqrt(dist(all[0])), 4);
    }
  });

  it('is symmetric, with memberships in (0, 1] and the nearest neighbour at 1', () => {
    const { points, n } = planted(3, 30, 8, 1, 9);
    const g = fuzzyGraph(exactKnn(points, n, 8, 10));
    const w = new Map<string, number>();
    for (let e = 0; e < g.head.length; e++) w.set(`${g.head[e]},${g.tail[e]}`, g.weight[e]);
    for (let e = 0; e < g.head.length; e++) {
      expect(w.get(`${g.tail[e]},${g.head[e]}`)).toBe(g.weight[e]);
      expect(g.weight[e]).toBeGreaterThan(0);
      expect(g.weight[e]).toBeLessThanOrEqual(1);
    }
    const knn = exactKnn(points, n, 8, 10);
    for (let i = 0; i < n; i++) expect(w.get(`${i},${knn.indices[i * 10 + 1]}`)).toBe(1);
  });

  it("fits umap-learn's a, b for min_dist 0.1 (1.577, 0.895)", () => {
    const { a, b } = findAB(1, 0.1);
    expect(a).toBeCloseTo(1.577, 2);
    expect(b).toBeCloseTo(0.895, 2);
  });
});

describe('UMAP layout of planted groups', () => {
  const groups = 6;
  const { points, group, n } = planted(groups, 70, 32, 1, 3);
  const layout = umapLayout(points, n, 32, { seed: 42, nNeighbors: 15, minDist: 0.1, nEpochs: 60 });

  it('keeps each group together and the groups apart', () => {
    expect(sameGroupShare(layout, group, 10)).toBeGreaterThan(0.97);
    expect(separation(layout, group, groups)).toBeGreaterThan(2);
  });

  it('does better than its starting point (the first two principal directions alone mix groups)', () => {
    // The planted centres are random in 32 dimensions: two coordinates cannot separate six of them,
    // so this checks that the optimisation, not the start, makes the picture.
    const start = pcaInit(points, n, 32);
    expect(separation(start, group, groups)).toBeLessThan(separation(layout, group, groups));
    const g = fuzzyGraph(exactKnn(points, n, 32, 15));
    const none = optimizeLayout(start, g, { seed: 42, nEpochs: 1, minDist: 0.1 });
    expect(sameGroupShare(none, group, 10)).toBeLessThan(sameGroupShare(layout, group, 10));
  });

  it('is the same for the same seed and differs for another', () => {
    expect(Array.from(umapLayout(points, n, 32, { seed: 42, nNeighbors: 15, minDist: 0.1, nEpochs: 60 }))).toEqual(Array.from(layout));
    expect(Array.from(umapLayout(points, n, 32, { seed: 7, nNeighbors: 15, minDist: 0.1, nEpochs: 60 }))).not.toEqual(Array.from(layout));
  });
});

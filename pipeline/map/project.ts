/**
 * The map's projection, as pure functions over Float32Arrays (row-major, n × dim): principal
 * components of a sample, exact nearest neighbours among the sample, UMAP of the sample with those
 * neighbours, and the placement of every other point among its nearest sampled neighbours.
 * Deterministic for a seed: every random draw comes from mulberry32.
 */
import { UMAP } from 'umap-js';
import { symmetricEigen } from '../math/eigen.js';
import { mulberry32 } from '../math/prng.js';

export interface Pca {
  dim: number;
  components: number;
  mean: Float64Array;
  /** components × dim, row-major: row c is the c-th principal axis. */
  axes: Float64Array;
}

/**
 * The leading principal axes of rows `rows` of `data`, from the dim × dim covariance matrix
 * (Jacobi eigen-decomposition, exact and deterministic; 256 dimensions take about a second).
 */
export function fitPca(data: Float32Array, dim: number, rows: ArrayLike<number>, components: number): Pca {
  const m = rows.length;
  const mean = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    const o = rows[i] * dim;
    for (let d = 0; d < dim; d++) mean[d] += data[o + d];
  }
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(1, m);
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    const o = rows[i] * dim;
    for (let d = 0; d < dim; d++) centred[d] = data[o + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) cov[row + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) cov[b * dim + a] = cov[a * dim + b];
  const eig = symmetricEigen(cov, dim, 30);
  const k = Math.min(components, dim);
  const order = Array.from({ length: dim }, (_, i) => i).sort((x, y) => eig.values[y] - eig.values[x] || x - y);
  const axes = new Float64Array(k * dim);
  for (let c = 0; c < k; c++) {
    const col = order[c];
    // Sign fixed by the largest coordinate, so the axes do not flip between equal runs.
    let big = 0;
    for (let d = 0; d < dim; d++) if (Math.abs(eig.vectors[d * dim + col]) > Math.abs(eig.vectors[big * dim + col])) big = d;
    const sign = eig.vectors[big * dim + col] < 0 ? -1 : 1;
    for (let d = 0; d < dim; d++) axes[c * dim + d] = sign * eig.vectors[d * dim + col];
  }
  return { dim, components: k, mean, axes };
}

/** Every row of `data` in PCA coordinates, n × components. */
export function applyPca(pca: Pca, data: Float32Array, n: number): Float32Array {
  const { dim, components, mean, axes } = pca;
  const out = new Float32Array(n * components);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let d = 0; d < dim; d++) centred[d] = data[o + d] - mean[d];
    for (let c = 0; c < components; c++) {
      let s = 0;
      const a = c * dim;
      for (let d = 0; d < dim; d++) s += centred[d] * axes[a + d];
      out[i * components + c] = s;
    }
  }
  return out;
}

/** Squared Euclidean distance between row i of a and row j of b (both with `dim` columns). */
function dist2(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let s = 0;
  const oa = i * dim;
  const ob = j * dim;
  for (let d = 0; d < dim; d++) {
    const x = a[oa + d] - b[ob + d];
    s += x * x;
  }
  return s;
}

/**
 * Exact k nearest neighbours (Euclidean) of every point among the points themselves, itself first
 * at distance 0 as umap-js expects. Quadratic: meant for the sample (5,000 points × 32 dims: ~1 s).
 */
export function exactKnn(points: Float32Array, n: number, dim: number, k: number): { indices: number[][]; distances: number[][] } {
  const kk = Math.min(k, n);
  const indices: number[][] = [];
  const distances: number[][] = [];
  const d = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) d[j] = i === j ? -1 : dist2(points, i, points, j, dim);
    // Partial selection of the kk smallest (ties by index, for determinism).
    for (let j = 0; j < n; j++) order[j] = j;
    const best: number[] = [];
    for (let j = 0; j < n; j++) {
      if (best.length < kk) {
        best.push(j);
        if (best.length === kk) best.sort((x, y) => d[x] - d[y] || x - y);
        continue;
      }
      const last = best[kk - 1];
      if (d[j] < d[last] || (d[j] === d[last] && j < last)) {
        let p = kk - 1;
        while (p > 0 && (d[best[p - 1]] > d[j] || (d[best[p - 1]] === d[j] && best[p - 1] > j))) {
          best[p] = best[p - 1];
          p--;
        }
        best[p] = j;
      }
    }
    if (best.length < kk) best.sort((x, y) => d[x] - d[y] || x - y);
    indices.push(best);
    distances.push(best.map((j) => (j === i ? 0 : Math.sqrt(d[j]))));
  }
  return { indices, distances };
}

export interface UmapOptions {
  seed: number;
  nNeighbors: number;
  minDist: number;
  nEpochs: number;
}

/** UMAP of the sample (rows of `points`) to 2D, with precomputed exact neighbours; seeded. */
export function umapLayout(points: Float32Array, n: number, dim: number, o: UmapOptions): Float32Array {
  if (n === 0) return new Float32Array(0);
  if (n <= 2) {
    // Too few points for a neighbour graph: a line is a faithful picture.
    return Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? Math.floor(k / 2) : 0));
  }
  const nNeighbors = Math.max(2, Math.min(o.nNeighbors, n - 1));
  const knn = exactKnn(points, n, dim, nNeighbors);
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: o.minDist, nEpochs: o.nEpochs, random: mulberry32(o.seed) });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(points.subarray(i * dim, i * dim + dim));
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) umap.step();
  const emb = umap.getEmbedding();
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = emb[i][0];
    out[i * 2 + 1] = emb[i][1];
  }
  return out;
}

/**
 * Radius (in normalised map units, the map spans [-1, 1]) around the nearest sampled neighbour
 * within which other neighbours are averaged: about the size of a small cluster on the 10k map.
 */
export const PLACE_RADIUS = 0.06;

/**
 * Places a point among its k nearest sampled neighbours (Euclidean in PCA space), candidates given
 * by index into the sample: the inverse-distance-weighted mean of the 2D positions of those near the
 * nearest one. A point that coincides with a sampled one lands on it.
 */
export function placeAmong(
  point: Float32Array,
  pointIndex: number,
  sample: Float32Array,
  candidates: ArrayLike<number>,
  dim: number,
  layout: Float32Array,
  k: number,
): [number, number] {
  const best: number[] = [];
  const bestD: number[] = [];
  for (let c = 0; c < candidates.length; c++) {
    const j = candidates[c];
    const dd = dist2(point, pointIndex, sample, j, dim);
    if (best.length < k || dd < bestD[best.length - 1]) {
      let p = Math.min(best.length, k - 1);
      if (best.length < k) {
        best.push(j);
        bestD.push(dd);
      }
      while (p > 0 && bestD[p - 1] > dd) {
        best[p] = best[p - 1];
        bestD[p] = bestD[p - 1];
        p--;
      }
      best[p] = j;
      bestD[p] = dd;
    }
  }
  if (best.length === 0) return [0, 0];
  const ax = layout[best[0] * 2];
  const ay = layout[best[0] * 2 + 1];
  if (bestD[0] === 0) return [ax, ay];
  // Averaging neighbours that lie in different regions of the map would put the point in the empty
  // space between them (streaks across the map on the 10k corpus); only those near the nearest one count.
  let x = 0;
  let y = 0;
  let w = 0;
  for (let t = 0; t < best.length; t++) {
    const bx = layout[best[t] * 2];
    const by = layout[best[t] * 2 + 1];
    if ((bx - ax) ** 2 + (by - ay) ** 2 > PLACE_RADIUS ** 2) continue;
    const wt = 1 / Math.sqrt(bestD[t]);
    x += wt * bx;
    y += wt * by;
    w += wt;
  }
  return [x / w, y / w];
}

/** Centres and scales coordinates (n × 2) into [-1, 1] on the longer side, keeping the aspect. */
export function normaliseLayout(xy: Float32Array): Float32Array {
  const n = xy.length / 2;
  if (n === 0) return xy;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xy[2 * i]);
    maxX = Math.max(maxX, xy[2 * i]);
    minY = Math.min(minY, xy[2 * i + 1]);
    maxY = Math.max(maxY, xy[2 * i + 1]);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const half = Math.max(maxX - minX, maxY - minY) / 2 || 1;
  const out = new Float32Array(xy.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (xy[2 * i] - cx) / half;
    out[2 * i + 1] = (xy[2 * i + 1] - cy) / half;
  }
  return out;
}

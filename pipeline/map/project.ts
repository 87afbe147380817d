/**
 * The map's projection, as pure functions over Float32Arrays (row-major, n × dim): principal
 * components of a sample, exact nearest neighbours among the sample, UMAP of the sample with those
 * neighbours (umap.ts), and the placement of every other point among its nearest sampled neighbours.
 * Deterministic for a seed: every random draw comes from mulberry32.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { exactKnn, fuzzyGraph, optimizeLayout, pcaInit } from './umap.js';
import { dotsWithRows } from '../math/vectors.js';

export interface Pca {
  dim: number;
  components: number;
  mean: Float64Array;
  /** components × dim, row-major: row c is the c-th principal axis. */
  axes: Float64Array;
}

/**
 * The upper triangle of Σ (x − μ)(x − μ)ᵀ over rows `rows` of `data` (dim × dim, row-major; the lower
 * triangle stays 0), four rows at a time: each entry still receives the rows' products one after the
 * other in row order — the sum of the row-by-row loop, bit for bit — but is read and written once per
 * four rows. A zero product changes no sum that is not −0, which a sum starting at +0 never becomes,
 * so zero coordinates need no test.
 */
export function covariance(data: Float32Array, dim: number, rows: ArrayLike<number>, mean: Float64Array): Float64Array {
  const m = rows.length;
  const cov = new Float64Array(dim * dim);
  const c0 = new Float64Array(dim);
  const c1 = new Float64Array(dim);
  const c2 = new Float64Array(dim);
  const c3 = new Float64Array(dim);
  const centre = (i: number, out: Float64Array) => {
    const o = rows[i] * dim;
    for (let d = 0; d < dim; d++) out[d] = data[o + d] - mean[d];
  };
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    centre(i, c0);
    centre(i + 1, c1);
    centre(i + 2, c2);
    centre(i + 3, c3);
    for (let a = 0; a < dim; a++) {
      const a0 = c0[a];
      const a1 = c1[a];
      const a2 = c2[a];
      const a3 = c3[a];
      const row = a * dim;
      for (let b = a; b < dim; b++) {
        let s = cov[row + b];
        s += a0 * c0[b];
        s += a1 * c1[b];
        s += a2 * c2[b];
        s += a3 * c3[b];
        cov[row + b] = s;
      }
    }
  }
  for (; i < m; i++) {
    centre(i, c0);
    for (let a = 0; a < dim; a++) {
      const ca = c0[a];
      const row = a * dim;
      for (let b = a; b < dim; b++) cov[row + b] += ca * c0[b];
    }
  }
  return cov;
}

/**
 * The leading principal axes of rows `rows` of `data`, from the dim × dim covariance matrix. Its
 * symmetric eigen-decomposition is ml-matrix's (Householder tridiagonalisation + QL, exact and
 * deterministic): 0.26 s for 256 dimensions against 0.72 s by the cyclic Jacobi of math/eigen.ts.
 */
export function fitPca(data: Float32Array, dim: number, rows: ArrayLike<number>, components: number): Pca {
  const m = rows.length;
  const mean = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    const o = rows[i] * dim;
    for (let d = 0; d < dim; d++) mean[d] += data[o + d];
  }
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(1, m);
  const cov = covariance(data, dim, rows, mean);
  const full = Matrix.zeros(dim, dim);
  for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) {
    full.set(a, b, cov[a * dim + b]);
    full.set(b, a, cov[a * dim + b]);
  }
  const eig = new EigenvalueDecomposition(full, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const k = Math.min(components, dim);
  const order = Array.from({ length: dim }, (_, i) => i).sort((x, y) => values[y] - values[x] || x - y);
  const axes = new Float64Array(k * dim);
  for (let c = 0; c < k; c++) {
    const col = order[c];
    // Sign fixed by the largest coordinate, so the axes do not flip between equal runs.
    let big = 0;
    for (let d = 0; d < dim; d++) if (Math.abs(vectors.get(d, col)) > Math.abs(vectors.get(big, col))) big = d;
    const sign = vectors.get(big, col) < 0 ? -1 : 1;
    for (let d = 0; d < dim; d++) axes[c * dim + d] = sign * vectors.get(d, col);
  }
  return { dim, components: k, mean, axes };
}

/**
 * Rows of `data` (all n, or those listed in `rows`) in PCA coordinates, one output row each. The
 * mean is subtracted after the projection ((x − μ)·a = x·a − μ·a), so each row is read once and
 * not copied: placing 69,000 texts projects them all.
 */
export function applyPca(pca: Pca, data: Float32Array, n: number, rows?: ArrayLike<number>): Float32Array {
  const { dim, components, mean, axes } = pca;
  const count = rows ? rows.length : n;
  const out = new Float32Array(count * components);
  const shift = new Float64Array(components);
  for (let c = 0; c < components; c++) for (let d = 0; d < dim; d++) shift[c] += mean[d] * axes[c * dim + d];
  const dots = new Float64Array(components);
  for (let t = 0; t < count; t++) {
    dotsWithRows(data, (rows ? rows[t] : t) * dim, dim, axes, components, dots);
    for (let c = 0; c < components; c++) out[t * components + c] = dots[c] - shift[c];
  }
  return out;
}

export interface UmapOptions {
  seed: number;
  nNeighbors: number;
  minDist: number;
  nEpochs: number;
}

/**
 * UMAP of the sample (rows of `points`, PCA coordinates) to 2D: exact neighbours, the fuzzy graph,
 * SGD from the first two principal components (umap.ts); seeded.
 */
export function umapLayout(points: Float32Array, n: number, dim: number, o: UmapOptions): Float32Array {
  if (n === 0) return new Float32Array(0);
  if (n <= 2) {
    // Too few points for a neighbour graph: a line is a faithful picture.
    return Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? Math.floor(k / 2) : 0));
  }
  const nNeighbors = Math.max(2, Math.min(o.nNeighbors, n - 1));
  const graph = fuzzyGraph(exactKnn(points, n, dim, nNeighbors));
  return optimizeLayout(pcaInit(points, n, dim), graph, { seed: o.seed, nEpochs: o.nEpochs, minDist: o.minDist });
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
  const op = pointIndex * dim;
  for (let c = 0; c < candidates.length; c++) {
    const j = candidates[c];
    // Partial distance search: PCA coordinates come in falling variance, so the sum passes the
    // k-th best distance after a few of them for most candidates, and the rest is not summed
    // (the same neighbours as the full sum; about half the placement's time on the 10k corpus).
    const limit = best.length < k ? Infinity : bestD[k - 1];
    const os = j * dim;
    let dd = 0;
    for (let d = 0; d < dim; d += 4) {
      const x0 = point[op + d] - sample[os + d];
      dd += x0 * x0;
      if (d + 1 < dim) {
        const x1 = point[op + d + 1] - sample[os + d + 1];
        dd += x1 * x1;
      }
      if (d + 2 < dim) {
        const x2 = point[op + d + 2] - sample[os + d + 2];
        dd += x2 * x2;
      }
      if (d + 3 < dim) {
        const x3 = point[op + d + 3] - sample[os + d + 3];
        dd += x3 * x3;
      }
      if (dd > limit) break;
    }
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

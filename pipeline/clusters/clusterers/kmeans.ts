import { mulberry32 } from '../../math/prng.js';

/**
 * Spherical k-means (cosine) on unit vectors stored row-major in one Float32Array. Deterministic: a
 * seeded k-means++ start and index-order tie breaking, so the same input gives the same clusters on
 * every run (BERTopic's best-known complaint is topics that change between runs).
 */
export interface KMeansResult {
  k: number;
  /** Cluster of each row. */
  labels: Int32Array;
  /** k × dim, unit length. */
  centroids: Float32Array;
  /** Cosine of each row to its centroid. */
  similarity: Float32Array;
  iterations: number;
}

function dotRow(data: Float32Array, i: number, c: Float32Array, j: number, dim: number): number {
  let s = 0;
  const a = i * dim;
  const b = j * dim;
  for (let d = 0; d < dim; d++) s += data[a + d] * c[b + d];
  return s;
}

function normaliseRows(c: Float32Array, k: number, dim: number): void {
  for (let j = 0; j < k; j++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += c[j * dim + d] ** 2;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let d = 0; d < dim; d++) c[j * dim + d] *= inv;
  }
}

/** k-means++ seeding on cosine distance (1 − cos). */
function seed(data: Float32Array, n: number, dim: number, k: number, rand: () => number): Float32Array {
  const centroids = new Float32Array(k * dim);
  const first = Math.floor(rand() * n);
  centroids.set(data.subarray(first * dim, first * dim + dim), 0);
  const dist = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - dotRow(data, i, centroids, j - 1, dim));
      if (d < dist[i]) dist[i] = d;
      total += dist[i] * dist[i];
    }
    let pick = 0;
    if (total > 0) {
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        r -= dist[i] * dist[i];
        if (r <= 0) {
          pick = i;
          break;
        }
      }
    } else pick = Math.floor(rand() * n);
    centroids.set(data.subarray(pick * dim, pick * dim + dim), j * dim);
  }
  return centroids;
}

export function kmeans(data: Float32Array, n: number, dim: number, k: number, opts: { seed?: number; maxIter?: number } = {}): KMeansResult {
  const rand = mulberry32(opts.seed ?? 42);
  const kk = Math.max(1, Math.min(k, n));
  const centroids = seed(data, n, dim, kk, rand);
  const labels = new Int32Array(n).fill(-1);
  const similarity = new Float32Array(n);
  let iterations = 0;
  for (; iterations < (opts.maxIter ?? 50); iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestSim = -Infinity;
      for (let j = 0; j < kk; j++) {
        const s = dotRow(data, i, centroids, j, dim);
        if (s > bestSim) {
          bestSim = s;
          best = j;
        }
      }
      if (labels[i] !== best) changed++;
      labels[i] = best;
      similarity[i] = bestSim;
    }
    // Converged when (almost) nothing moves: a thousandth of the rows, as in common k-means practice.
    if (changed <= Math.floor(n / 1000)) break;
    centroids.fill(0);
    const sizes = new Int32Array(kk);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      sizes[j]++;
      for (let d = 0; d < dim; d++) centroids[j * dim + d] += data[i * dim + d];
    }
    // An emptied cluster restarts at the row worst served by its centroid.
    for (let j = 0; j < kk; j++) {
      if (sizes[j] > 0) continue;
      let worst = 0;
      for (let i = 1; i < n; i++) if (similarity[i] < similarity[worst]) worst = i;
      centroids.set(data.subarray(worst * dim, worst * dim + dim), j * dim);
      similarity[worst] = 1;
    }
    normaliseRows(centroids, kk, dim);
  }
  return { k: kk, labels, centroids, similarity, iterations };
}

/**
 * Mean silhouette (cosine distance) of a labelling on a deterministic sample of at most `sample`
 * rows: the usual way to compare k without ground truth.
 */
export function silhouette(data: Float32Array, n: number, dim: number, labels: Int32Array, k: number, sample = 1500): number {
  if (k < 2) return -1;
  const step = Math.max(1, Math.floor(n / sample));
  const idx: number[] = [];
  for (let i = 0; i < n && idx.length < sample; i += step) idx.push(i);
  let total = 0;
  let counted = 0;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (const i of idx) {
    sums.fill(0);
    counts.fill(0);
    for (const j of idx) {
      if (j === i) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[i * dim + d] * data[j * dim + d];
      sums[labels[j]] += 1 - s;
      counts[labels[j]]++;
    }
    const own = labels[i];
    if (counts[own] === 0) continue; // singletons score 0 by convention
    const a = sums[own] / counts[own];
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b);
    counted++;
  }
  return counted ? total / counted : -1;
}

/**
 * The whole map layout of n unit vectors, pure: UMAP of a deterministic sample in PCA space, every
 * other point placed among its nearest sampled neighbours. Measured on the 10,000-resolution
 * synthetic corpus (72,855 distinct texts, 256 dims): see MAP_PARAMS for the numbers behind each
 * default.
 */
import { kmeans } from '../clusters/clusterers/kmeans.js';
import { applyPca, fitPca, normaliseLayout, placeAmong, umapLayout, type Pca } from './project.js';

export interface MapParams {
  seed: number;
  /** Points laid out by UMAP; the rest are placed among them. */
  sample: number;
  /** PCA dimensions the neighbour searches run in. */
  pcaComponents: number;
  nNeighbors: number;
  minDist: number;
  nEpochs: number;
  /** Sampled neighbours a placed point is averaged over. */
  placeNeighbors: number;
  /** Coarse partitions of the sample: a placed point looks only at the sampled members of its nearest few. */
  partitions: number;
  /** How many nearest partitions a placed point searches. */
  partitionProbe: number;
}

export const MAP_PARAMS: MapParams = {
  seed: 42,
  // UMAP (umap.ts) of 4,000 texts: 0.3 s of exact neighbours, 0.1 s of graph and 10 ms per epoch
  // (CPU, 10k corpus). The old umap-js layout took 12.7 s for 150 epochs from a random start.
  sample: 4000,
  pcaComponents: 32,
  nNeighbors: 15,
  minDist: 0.1,
  // From the first two principal components, 60 epochs give the picture 150 gave from a random
  // start: on the 10k corpus the share of a text's 10 nearest on the map with its planted topic
  // 0.688 (old: 0.688) and of a sampled text's 10 nearest (cosine) kept on the map 0.217 (old: 0.218);
  // 150 epochs: 0.690 and 0.229 for 1 s more.
  nEpochs: 60,
  placeNeighbors: 8,
  partitions: 48,
  partitionProbe: 3,
};

/** What is kept from a layout to place later points without laying out again. */
export interface SampleModel {
  pca: Pca;
  /** Sample in PCA coordinates, m × pcaComponents. */
  reduced: Float32Array;
  /** Normalised 2D positions of the sample, m × 2. */
  layout: Float32Array;
  /** Partition centroids (unit vectors in PCA space), partitions × pcaComponents, and each sampled point's partition. */
  centroids: Float32Array;
  members: number[][];
}

function unitRows(x: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[i * dim + d] = x[i * dim + d] * inv;
  }
  return out;
}

/** PCA, partitions and (when `layout` is not given) the UMAP layout of the sample rows of `data`. */
export function buildSampleModel(data: Float32Array, dim: number, sampleRows: readonly number[], p: MapParams, layout?: Float32Array): SampleModel {
  const m = sampleRows.length;
  const pca = fitPca(data, dim, sampleRows, p.pcaComponents);
  const k = pca.components;
  const reduced = applyPca(pca, data, m, sampleRows);
  const xy = layout ?? normaliseLayout(umapLayout(reduced, m, k, { seed: p.seed, nNeighbors: p.nNeighbors, minDist: p.minDist, nEpochs: p.nEpochs }));
  const parts = Math.max(1, Math.min(p.partitions, Math.floor(m / 20)));
  const km = kmeans(unitRows(reduced, m, k), m, k, parts, { seed: p.seed, maxIter: 15 });
  return { pca, reduced, layout: xy, centroids: km.centroids, members: partitionMembers(km.labels, km.k) };
}

/** The members of each of `k` partitions, in row order. */
export function partitionMembers(labels: ArrayLike<number>, k: number): number[][] {
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) members[labels[i]].push(i);
  return members;
}

/** Each sampled point's partition (the inverse of partitionMembers). */
export function partitionLabels(members: readonly (readonly number[])[], m: number): Int32Array {
  const labels = new Int32Array(m);
  members.forEach((part, c) => {
    for (const i of part) labels[i] = c;
  });
  return labels;
}

/** 2D positions of `rows` of `data`, each placed among its nearest sampled neighbours. */
export function placePoints(model: SampleModel, data: Float32Array, dim: number, rows: readonly number[], p: MapParams): Float32Array {
  const k = model.pca.components;
  const out = new Float32Array(rows.length * 2);
  const parts = model.members.length;
  const probe = Math.min(p.partitionProbe, parts);
  const members = model.members.map((m) => Int32Array.from(m));
  const best = new Int32Array(probe);
  const bestScore = new Float64Array(probe);
  const candidates = new Int32Array(model.reduced.length / Math.max(1, k));
  // In blocks: the projection of a block at once, without holding all of them.
  const block = 4096;
  for (let b0 = 0; b0 < rows.length; b0 += block) {
    const b1 = Math.min(rows.length, b0 + block);
    const reduced = applyPca(model.pca, data, b1 - b0, rows.slice(b0, b1));
    for (let t = b0; t < b1; t++) {
      const i = t - b0;
      // The `probe` partitions with the highest cosine to the point (ties: lower index).
      let filled = 0;
      for (let c = 0; c < parts; c++) {
        let s = 0;
        for (let d = 0; d < k; d++) s += reduced[i * k + d] * model.centroids[c * k + d];
        if (filled < probe || s > bestScore[filled - 1]) {
          let q = filled < probe ? filled++ : probe - 1;
          while (q > 0 && bestScore[q - 1] < s) {
            best[q] = best[q - 1];
            bestScore[q] = bestScore[q - 1];
            q--;
          }
          best[q] = c;
          bestScore[q] = s;
        }
      }
      let count = 0;
      for (let q = 0; q < filled; q++) {
        const m = members[best[q]];
        candidates.set(m, count);
        count += m.length;
      }
      const [x, y] = placeAmong(reduced, i, model.reduced, candidates.subarray(0, count), k, model.layout, p.placeNeighbors);
      out[2 * t] = x;
      out[2 * t + 1] = y;
    }
  }
  return out;
}

/**
 * A deterministic sample of row indices: the rows whose keys sort first (keys are hashes, so this is
 * a uniform sample that stays the same while the keys do).
 */
export function sampleRows(keys: readonly string[], size: number): number[] {
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  return order.slice(0, Math.min(size, keys.length)).sort((a, b) => a - b);
}

import { mulberry32 } from '../../math/prng.js';
import { dotsWithRows } from '../../math/vectors.js';
import { DotKernel } from '../../math/dot-kernel.js';
import type { Clusterer, ClusterModel, VectorSample } from './types.js';

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
  /** Stopped after an assignment step (not at maxIter): labels are then each row's nearest centroid. */
  converged: boolean;
}

/** Euclidean distance of unit vectors with cosine s: the metric Hamerly's bounds need. */
const chord = (s: number) => Math.sqrt(Math.max(0, 2 - 2 * s));

/** k-means++ seeding on cosine distance (1 − cos), dot products by the kernel (math/dot-kernel.ts). */
function seed(data: Float32Array, n: number, dim: number, k: number, rand: () => number): Float32Array {
  const kernel = DotKernel.shared(DotKernel.bytes(n * dim, 4) + DotKernel.bytes(dim, 4) + DotKernel.bytes(n, 8));
  const rows = kernel.floats(n * dim);
  rows.view.set(data.subarray(0, n * dim));
  const newest = kernel.floats(dim);
  const dots = kernel.doubles(n);
  const centroids = new Float32Array(k * dim);
  const first = Math.floor(rand() * n);
  centroids.set(data.subarray(first * dim, first * dim + dim), 0);
  const dist = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    // The newest centroid against every row; the rows are then taken in order.
    newest.view.set(centroids.subarray((j - 1) * dim, j * dim));
    kernel.dots(newest.at, rows.at, n, dim, dots.at);
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - dots.view[i]);
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

/**
 * Lloyd's iterations with Elkan's bounds (Elkan 2003, "Using the triangle inequality to accelerate
 * k-means"): each row keeps an upper bound on the distance to its centroid and a lower bound on the
 * distance to every other centroid; a centroid that cannot be nearer (by those bounds, or by half its
 * distance to the row's centroid) is not compared with the row. The assignments are those of plain
 * Lloyd — bounds only skip comparisons whose answer is known, with a margin of 1e-6 for rounding.
 * Cluster sums are float64 and follow the rows that change cluster (not re-added each pass), so the
 * reference is plain Lloyd with float64 sums: same labels and iterations, centroids equal to float32
 * rounding (tests/unit/kmeans-exact.test.ts). Lower bounds are lazy: each centroid's cumulative move
 * is subtracted when a bound is read, not from every row's bound after every pass. Distances are
 * those of unit vectors: |x − c| = √(2 − 2·cos). Every dot product is the SIMD kernel's
 * (math/dot-kernel.ts: eight float64 lanes; the reference Lloyd in the tests sums the same way):
 * about 5 times faster than a JS loop, whose one chain of dependent additions was the fit's cost.
 */
export function kmeans(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  opts: { seed?: number; maxIter?: number; init?: Float32Array } = {},
): KMeansResult {
  const rand = mulberry32(opts.seed ?? 42);
  const kk = Math.max(1, Math.min(k, n));
  // A given start (k × dim unit rows, e.g. centroids fitted on a sample) replaces k-means++.
  const start = opts.init && opts.init.length === kk * dim ? opts.init : seed(data, n, dim, kk, rand);
  // The rows, the centroids and their previous positions in the dot kernel's memory (math/dot-kernel.ts).
  const kernel = DotKernel.shared(DotKernel.bytes(n * dim, 4) + 2 * DotKernel.bytes(kk * dim, 4) + DotKernel.bytes(kk, 8));
  const rows = kernel.floats(n * dim);
  rows.view.set(data.subarray(0, n * dim));
  const x = rows.view;
  const current = kernel.floats(kk * dim);
  current.view.set(start.subarray(0, kk * dim));
  const centroids = current.view;
  const before = kernel.floats(kk * dim);
  const previous = before.view;
  const sims = kernel.doubles(kk);
  const rowBytes = dim * 4;
  /** Row i of the data and row j of the centroids (or of their previous positions). */
  const dot = (i: number, j: number, of = current.at) => kernel.dot(rows.at + i * rowBytes, of + j * rowBytes, dim);
  const labels = new Int32Array(n).fill(-1);
  const similarity = new Float32Array(n);
  const upper = new Float64Array(n);
  // Lower bounds are stored with the centroid's drift at the time they were set added (`lower[i·k +
  // j] − drift[j]` is the bound now), so a centroid's move costs one addition, not one per row.
  const lower = new Float64Array(n * kk);
  const drift = new Float64Array(kk);
  const stale = new Uint8Array(n); // upper[i] is a bound, not the exact distance
  const between = new Float64Array(kk * kk); // distances between centroids
  const half = new Float64Array(kk); // half the distance from each centroid to its nearest other
  const moved = new Float64Array(kk);
  // Each cluster's sum of its rows (float64) and size, kept up to date as rows change cluster: after
  // the first passes few rows move, and re-adding every row each pass was the loop's largest cost.
  const sums = new Float64Array(kk * dim);
  const sizes = new Int32Array(kk);
  const MARGIN = 1e-6;
  let iterations = 0;
  let converged = false;
  for (; iterations < (opts.maxIter ?? 50); iterations++) {
    let changed = 0;
    if (iterations === 0) {
      // Every centroid is compared with every row, then taken in index order.
      for (let i = 0; i < n; i++) {
        kernel.dots(rows.at + i * rowBytes, current.at, kk, dim, sims.at);
        let best = 0;
        let bestSim = -Infinity;
        for (let j = 0; j < kk; j++) {
          const s = sims.view[j];
          lower[i * kk + j] = chord(s);
          if (s > bestSim) {
            bestSim = s;
            best = j;
          }
        }
        labels[i] = best;
        similarity[i] = bestSim;
        upper[i] = chord(bestSim);
      }
      changed = n;
      for (let i = 0; i < n; i++) {
        const c = labels[i] * dim;
        const r = i * dim;
        sizes[labels[i]]++;
        for (let d = 0; d < dim; d++) sums[c + d] += x[r + d];
      }
    } else {
      for (let j = 0; j < kk; j++) {
        let nearest = Infinity;
        for (let o = 0; o < kk; o++) {
          if (o === j) continue;
          const d = o < j ? between[o * kk + j] : chord(kernel.dot(current.at + j * rowBytes, current.at + o * rowBytes, dim));
          between[j * kk + o] = d;
          nearest = Math.min(nearest, d);
        }
        half[j] = nearest / 2;
      }
      for (let i = 0; i < n; i++) {
        let own = labels[i];
        if (upper[i] + MARGIN < half[own]) continue;
        const start = own;
        let bestSim = stale[i] ? -Infinity : similarity[i];
        const row = i * kk;
        for (let j = 0; j < kk; j++) {
          if (j === own) continue;
          const bound = Math.max(lower[row + j] - drift[j], between[own * kk + j] / 2);
          if (upper[i] + MARGIN < bound) continue;
          if (stale[i]) {
            bestSim = dot(i, own);
            upper[i] = chord(bestSim);
            lower[row + own] = upper[i] + drift[own];
            stale[i] = 0;
            if (upper[i] + MARGIN < bound) continue;
          }
          const s = dot(i, j);
          lower[row + j] = chord(s) + drift[j];
          // Plain Lloyd takes the first of equal similarities: the lower index wins a tie.
          if (s > bestSim || (s === bestSim && j < own)) {
            bestSim = s;
            own = j;
            upper[i] = chord(s);
          }
        }
        if (own !== start) {
          changed++;
          const a = start * dim;
          const b = own * dim;
          const r = i * dim;
          sizes[start]--;
          sizes[own]++;
          for (let d = 0; d < dim; d++) {
            sums[a + d] -= x[r + d];
            sums[b + d] += x[r + d];
          }
        }
        labels[i] = own;
        if (!stale[i]) similarity[i] = bestSim;
      }
    }
    // Converged when (almost) nothing moves: a thousandth of the rows, as in common k-means practice.
    if (changed <= Math.floor(n / 1000)) {
      converged = true;
      break;
    }
    previous.set(centroids);
    // An emptied cluster restarts at the row worst served by its centroid (exact similarities first:
    // rows skipped by the bounds carry an older value); it keeps that centroid until rows join it.
    if (sizes.some((size) => size === 0)) {
      for (let i = 0; i < n; i++) if (stale[i]) similarity[i] = dot(i, labels[i], before.at);
    }
    for (let j = 0; j < kk; j++) {
      const c = j * dim;
      if (sizes[j] > 0) {
        let sq = 0;
        for (let d = 0; d < dim; d++) sq += sums[c + d] * sums[c + d];
        const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
        for (let d = 0; d < dim; d++) centroids[c + d] = sums[c + d] * inv;
        continue;
      }
      let worst = 0;
      for (let i = 1; i < n; i++) if (similarity[i] < similarity[worst]) worst = i;
      centroids.set(data.subarray(worst * dim, worst * dim + dim), c);
      similarity[worst] = 1;
    }
    // Bounds follow the centroids' moves.
    for (let j = 0; j < kk; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (centroids[j * dim + d] - previous[j * dim + d]) ** 2;
      moved[j] = Math.sqrt(sq);
      drift[j] += moved[j];
    }
    for (let i = 0; i < n; i++) {
      upper[i] += moved[labels[i]];
      stale[i] = 1;
    }
  }
  // Rows not compared in the last pass: their similarity to the final centroid.
  for (let i = 0; i < n; i++) if (stale[i]) similarity[i] = dot(i, labels[i]);
  return { k: kk, labels, centroids: Float32Array.from(centroids), similarity, iterations, converged };
}

/**
 * The silhouette's deterministic sample (every ⌊n / sample⌋-th row, at most `sample` rows) and, per
 * cluster, the sum and count of its sampled rows — shared by silhouette() and mergeSilhouettes().
 */
function sampledClusterSums(data: Float32Array, n: number, dim: number, labels: Int32Array, k: number, sample: number): { idx: number[]; sums: Float64Array; counts: Int32Array } {
  const step = Math.max(1, Math.floor(n / sample));
  const idx: number[] = [];
  for (let i = 0; i < n && idx.length < sample; i += step) idx.push(i);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (const i of idx) {
    const c = labels[i];
    counts[c]++;
    for (let d = 0; d < dim; d++) sums[c * dim + d] += data[i * dim + d];
  }
  return { idx, sums, counts };
}

/**
 * Mean silhouette (cosine distance) of a labelling on a deterministic sample of at most `sample`
 * rows: the usual way to compare k without ground truth.
 *
 * For unit vectors the mean cosine distance from row i to the rows of cluster C is
 * 1 − x_i·(Σ_{y∈C} y)/|C| (minus x_i itself in its own cluster), so the silhouette needs the sum of
 * each cluster's sampled rows, not every pair: O(sample · k · dim) instead of O(sample² · dim) — the
 * same figure (to rounding), 800 rows × k = 40 about 60 times cheaper, which lets k be chosen on a
 * larger sample for the same time.
 */
export function silhouette(data: Float32Array, n: number, dim: number, labels: Int32Array, k: number, sample = 1500): number {
  if (k < 2) return -1;
  const { idx, sums: sumsExact, counts } = sampledClusterSums(data, n, dim, labels, k, sample);
  let total = 0;
  let counted = 0;
  const dots = new Float64Array(k);
  for (const i of idx) {
    const own = labels[i];
    if (counts[own] <= 1) continue; // singletons score 0 by convention
    let self = 0;
    for (let d = 0; d < dim; d++) self += data[i * dim + d] * data[i * dim + d];
    let a = 0;
    let b = Infinity;
    // The row against every cluster sum, four sums per pass (each in the plain loop's order).
    dotsWithRows(data, i * dim, dim, sumsExact, k, dots);
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      const dot = dots[c];
      if (c === own) a = ((counts[c] - 1) - (dot - self)) / (counts[c] - 1);
      else b = Math.min(b, (counts[c] - dot) / counts[c]);
    }
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b);
    counted++;
  }
  return counted ? total / counted : -1;
}

/** Candidate numbers of clusters for n items: a spread up to √n (and n/4), never more than maxK. */
export function candidateKs(n: number, maxK: number): number[] {
  const hi = Math.min(maxK, Math.max(2, Math.floor(Math.sqrt(n))), Math.floor(n / 4));
  if (hi < 2) return [1];
  const out = new Set<number>();
  for (let k = 2; k <= Math.min(hi, 6); k++) out.add(k);
  for (let k = 8; k <= hi; k = Math.ceil(k * 1.4)) out.add(k);
  out.add(hi);
  return [...out].sort((a, b) => a - b);
}

export type KMeansParams = {
  seed: number;
  /** Rows used to choose k (k-means + silhouette on a deterministic sample). */
  selectionSample: number;
  maxK: number;
  /**
   * How the candidate k are scored: 'merge' fits k-means once, at the largest candidate, and scores
   * every smaller k on the partitions that merging its clusters gives (mergeSilhouettes); 'refit'
   * fits k-means for the candidates (coarse to fine) and scores each fit.
   */
  selection: 'merge' | 'refit';
};

export const DEFAULT_KMEANS_PARAMS: KMeansParams = { seed: 42, selectionSample: 2_000, maxK: 40, selection: 'merge' };

/** The k-means selection sample: at most `size` rows of `data`, evenly spaced. */
function selectionRows(data: Float32Array, n: number, dim: number, size: number): { rows: number; sample: Float32Array } {
  const step = Math.max(1, Math.floor(n / size));
  const rows: number[] = [];
  for (let i = 0; i < n && rows.length < size; i += step) rows.push(i);
  const sample = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => sample.set(data.subarray(r * dim, r * dim + dim), i * dim));
  return { rows: rows.length, sample };
}

/**
 * Silhouettes rule (shared by both selections): silhouettes that differ by less than 10% of the best
 * are within sampling noise, so among those the largest k is taken. The recorded (rounded) scores
 * are compared with the best unrounded one.
 */
function ruleOfSilhouettes(raw: ReadonlyMap<number, number>, scores: Record<number, number>): { k: number; bestK: number } {
  const best = Math.max(...raw.values());
  const near = [...raw.keys()].filter((k) => scores[k] >= best - Math.max(0.1 * Math.abs(best), 1e-4));
  const bestK = [...raw].find(([, s]) => s === best)![0];
  return { k: Math.max(...near), bestK };
}

/**
 * Picks k by mean silhouette of k-means on a deterministic sample. Silhouettes that differ by less
 * than 10% of the best are within sampling noise, so among those the largest k is taken: finer
 * clusters say more in a report than two broad ones that are no better separated.
 *
 * 'merge' (the default): ONE k-means fit, at the largest candidate K, then its clusters are merged
 * two at a time, always the pair whose merge loses least of the spherical k-means objective
 * (Σ‖cluster sum‖: ‖S_a‖ + ‖S_b‖ − ‖S_a + S_b‖), and every candidate k is scored on the partition
 * with k groups. The silhouette needs each sampled row's dot product with each group's sum, and a
 * group's sum is the sum of its clusters' sums, so one pass of row × cluster-sum products serves
 * every candidate (mergeSilhouettes). The fits were nearly all of the step's time: 7 of them
 * (k = 2 … 40, 0.8 s of CPU at 20,000 recommendations) became one (0.18 s). A smaller k starts the
 * final fit from its groups' mean directions. On the synthetic corpora (10,000–30,000 resolutions)
 * and at 20,000 recommendations both selections choose k = 40 and start the final fit from the same
 * centroids.
 *
 * 'refit': coarse to fine, every other candidate of candidateKs (the first and the last always) is
 * fitted first; then the skipped candidates next to the k those choose and next to the best-scoring
 * k are fitted too, and the rule is applied again over all the fitted ones, until no neighbour of
 * either is left unfitted.
 */
export function chooseK(
  data: Float32Array,
  n: number,
  dim: number,
  p: KMeansParams,
): { k: number; scores: Record<number, number>; centroids: Map<number, Float32Array> } {
  const { rows, sample } = selectionRows(data, n, dim, p.selectionSample);
  const scores: Record<number, number> = {};
  const centroids = new Map<number, Float32Array>();
  const ks = candidateKs(rows, p.maxK).filter((k) => k >= 2);
  if (ks.length === 0) return { k: 1, scores, centroids };
  const top = Math.min(ks[ks.length - 1], rows);
  // k-means++ picks its centroids one after another from one seeded stream, so the first k of a
  // seeding for the largest k ARE the seeding for k: one pass of seeding serves every candidate
  // (same starts, same fits as seeding each candidate anew).
  const starts = seed(sample, rows, dim, top, mulberry32(p.seed));
  const raw = new Map<number, number>();
  const record = (k: number, s: number) => {
    raw.set(k, s);
    scores[k] = Number(s.toFixed(4));
  };
  if (p.selection === 'merge') {
    const km = kmeans(sample, rows, dim, top, { seed: p.seed, maxIter: 15, init: starts });
    const merged = mergeSilhouettes(sample, rows, dim, km.labels, km.k, ks, 800);
    for (const [k, s] of merged.scores) record(k, s);
    const { k, bestK } = ruleOfSilhouettes(raw, scores);
    if (k === km.k) {
      centroids.set(k, km.centroids);
      return { k, scores, centroids };
    }
    // Guard: a smaller k must be reached by a fit of its own, not only by the merges. The candidates
    // within the tolerance, largest first, are refitted (as 'refit' fits them) and scored the same
    // way; the first whose fitted score is still within the tolerance of the best is taken (at the
    // largest candidate the merged partition IS the fit: nothing extra to do).
    const best = Math.max(...raw.values());
    const tol = Math.max(0.1 * Math.abs(best), 1e-4);
    const near = [...raw.keys()].filter((x) => x <= k && scores[x] >= best - tol).sort((a, b) => b - a);
    for (const x of near) {
      const fit = kmeans(sample, rows, dim, x, { seed: p.seed, maxIter: 15, init: starts.subarray(0, x * dim) });
      if (silhouette(sample, rows, dim, fit.labels, fit.k, 800) >= best - tol) {
        centroids.set(x, fit.centroids);
        return { k: x, scores, centroids };
      }
    }
    centroids.set(bestK, merged.centroidsOf(bestK));
    return { k: bestK, scores, centroids };
  }
  const fitK = (k: number) => {
    if (raw.has(k)) return;
    const km = kmeans(sample, rows, dim, k, { seed: p.seed, maxIter: 15, init: starts.subarray(0, k * dim) });
    centroids.set(km.k, km.centroids);
    record(k, silhouette(sample, rows, dim, km.labels, km.k, 800));
  };
  const coarse = ks.filter((_, i) => i % 2 === 0 || i === ks.length - 1);
  for (const k of coarse) fitK(k);
  for (;;) {
    const { k, bestK } = ruleOfSilhouettes(raw, scores);
    const around = [k, bestK].flatMap((x) => [ks[ks.indexOf(x) - 1], ks[ks.indexOf(x) + 1]]).filter((x) => x !== undefined && !raw.has(x));
    if (around.length === 0) return { k, scores, centroids };
    for (const x of around) fitK(x);
  }
}

/**
 * Silhouettes of the partitions that greedy merging of a k-means labelling gives (chooseK 'merge'):
 * clusters are merged two at a time, the pair that loses least of Σ‖cluster sum‖ first (sums over all
 * n rows), down to the smallest of `ks`; the partition with k groups is scored for each k of `ks`
 * as silhouette() scores a labelling, on the same evenly spaced `sample` rows. The score of the
 * unmerged labelling is silhouette()'s own figure to the bit; merged groups sum their clusters'
 * products (the same figure to rounding). O(sample · k · dim) once, then O(sample · k) per candidate.
 * `centroidsOf(k)`: the unit mean direction of each group, k × dim.
 */
export function mergeSilhouettes(
  data: Float32Array,
  n: number,
  dim: number,
  labels: Int32Array,
  k: number,
  ks: readonly number[],
  sample = 1500,
): { scores: Map<number, number>; centroidsOf: (k: number) => Float32Array } {
  // Every cluster's sum over all rows: what the merges compare.
  const sums = new Float64Array(k * dim);
  for (let i = 0; i < n; i++) {
    const c = labels[i] * dim;
    for (let d = 0; d < dim; d++) sums[c + d] += data[i * dim + d];
  }
  const norm = (v: Float64Array, o: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += v[o + d] * v[o + d];
    return Math.sqrt(s);
  };
  // Greedy merging: group[c] is the group of cluster c at the current level; the partition of each
  // wanted k is kept as a copy. Ties: the pair with the lower indices.
  const group = Int32Array.from({ length: k }, (_, c) => c);
  const alive = Array.from({ length: k }, (_, c) => c);
  const groupSums = Float64Array.from(sums);
  const groupNorm = Float64Array.from({ length: k }, (_, c) => norm(groupSums, c * dim));
  const partitions = new Map<number, Int32Array>();
  const wanted = new Set(ks.filter((x) => x >= 2 && x <= k));
  if (wanted.has(k)) partitions.set(k, Int32Array.from(group));
  const both = new Float64Array(dim);
  // The groups' sums' dot products: ‖S_a + S_b‖² = ‖S_a‖² + ‖S_b‖² + 2·S_a·S_b, so a level compares
  // its pairs in O(k²) instead of O(k² · dim) (the pairs' sums were half of the selection's time);
  // a merged group's row is its new sum's products with the others.
  const gram = new Float64Array(k * k);
  const dotOf = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += groupSums[a * dim + d] * groupSums[b * dim + d];
    return s;
  };
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) gram[a * k + b] = gram[b * k + a] = dotOf(a, b);
  for (let groups = k; groups > Math.min(...wanted, k); groups--) {
    let bestLoss = Infinity;
    let ba = -1;
    let bb = -1;
    for (let x = 0; x < alive.length; x++) {
      const a = alive[x];
      for (let y = x + 1; y < alive.length; y++) {
        const b = alive[y];
        const sq = gram[a * k + a] + gram[b * k + b] + 2 * gram[a * k + b];
        const loss = groupNorm[a] + groupNorm[b] - Math.sqrt(Math.max(0, sq));
        if (loss < bestLoss) [bestLoss, ba, bb] = [loss, a, b];
      }
    }
    for (let d = 0; d < dim; d++) both[d] = groupSums[ba * dim + d] + groupSums[bb * dim + d];
    groupSums.set(both, ba * dim);
    groupNorm[ba] = norm(groupSums, ba * dim);
    for (const c of alive) if (c !== bb) gram[ba * k + c] = gram[c * k + ba] = dotOf(ba, c);
    alive.splice(alive.indexOf(bb), 1);
    for (let c = 0; c < k; c++) if (group[c] === bb) group[c] = ba;
    if (wanted.has(groups - 1)) partitions.set(groups - 1, Int32Array.from(group));
  }

  // Each sampled row's dot product with each cluster's sum over the sampled rows (as silhouette()).
  const { idx, sums: sampleSums, counts } = sampledClusterSums(data, n, dim, labels, k, sample);
  const dots = new Float64Array(idx.length * k);
  const selfs = new Float64Array(idx.length);
  const row = new Float64Array(k);
  idx.forEach((i, r) => {
    let self = 0;
    for (let d = 0; d < dim; d++) self += data[i * dim + d] * data[i * dim + d];
    selfs[r] = self;
    dotsWithRows(data, i * dim, dim, sampleSums, k, row);
    dots.set(row, r * k);
  });

  const scores = new Map<number, number>();
  for (const [groups, part] of partitions) {
    // Groups renumbered 0 … groups − 1 in order of their first cluster.
    const id = new Int32Array(k).fill(-1);
    let next = 0;
    for (let c = 0; c < k; c++) if (id[part[c]] < 0) id[part[c]] = next++;
    const of = Int32Array.from(part, (g) => id[g]);
    const gCounts = new Int32Array(groups);
    for (let c = 0; c < k; c++) gCounts[of[c]] += counts[c];
    const gDots = new Float64Array(groups);
    let total = 0;
    let counted = 0;
    idx.forEach((i, r) => {
      const own = of[labels[i]];
      if (gCounts[own] <= 1) return; // singletons score 0 by convention
      if (groups === k) for (let c = 0; c < k; c++) gDots[c] = dots[r * k + c];
      else {
        gDots.fill(0);
        for (let c = 0; c < k; c++) gDots[of[c]] += dots[r * k + c];
      }
      let a = 0;
      let b = Infinity;
      for (let g = 0; g < groups; g++) {
        if (gCounts[g] === 0) continue;
        if (g === own) a = ((gCounts[g] - 1) - (gDots[g] - selfs[r])) / (gCounts[g] - 1);
        else b = Math.min(b, (gCounts[g] - gDots[g]) / gCounts[g]);
      }
      if (!Number.isFinite(b)) return;
      total += (b - a) / Math.max(a, b);
      counted++;
    });
    scores.set(groups, counted ? total / counted : -1);
  }

  const centroidsOf = (groups: number): Float32Array => {
    const part = partitions.get(groups);
    if (!part) throw new Error(`no partition with ${groups} groups`);
    const total = new Float64Array(groups * dim);
    const seen = new Map<number, number>();
    for (let c = 0; c < k; c++) {
      let g = seen.get(part[c]);
      if (g === undefined) seen.set(part[c], (g = seen.size));
      for (let d = 0; d < dim; d++) total[g * dim + d] += sums[c * dim + d];
    }
    const out = new Float32Array(groups * dim);
    for (let g = 0; g < groups; g++) {
      const len = norm(total, g * dim);
      for (let d = 0; d < dim; d++) out[g * dim + d] = len > 0 ? total[g * dim + d] / len : 0;
    }
    return out;
  };
  return { scores, centroidsOf };
}

/** The default clusterer: spherical k-means, k by silhouette (below 6 rows: one cluster). */
export class KMeansClusterer implements Clusterer {
  readonly id = 'kmeans';
  readonly params: KMeansParams;

  constructor(params: Partial<KMeansParams> = {}) {
    this.params = { ...DEFAULT_KMEANS_PARAMS, ...params };
  }

  fit({ data, n, dim }: VectorSample): ClusterModel {
    const { k, scores, centroids } = n >= 6 ? chooseK(data, n, dim, this.params) : { k: 1, scores: {}, centroids: new Map<number, Float32Array>() };
    // The chosen k's centroids on the selection sample start the fit on the whole sample: they are
    // already near a solution, so Lloyd's iterations on 20,000 rows converge in fewer passes, and
    // k-means++ seeding (k passes over every row) is not needed.
    const km = kmeans(data, n, dim, k, { seed: this.params.seed, maxIter: 40, init: centroids.get(k) });
    // A converged loop stopped after an assignment step: km.labels are the nearest of km.centroids.
    return { k: km.k, centroids: km.centroids, labels: km.converged ? km.labels : undefined, details: { k, silhouette: scores, iterations: km.iterations } };
  }
}

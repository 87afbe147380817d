/**
 * UMAP (McInnes, Healy & Melville 2018) of a few thousand points to 2D, on typed arrays: the fuzzy
 * neighbour graph from exact nearest neighbours, then the SGD layout with negative sampling — the
 * reference implementation's steps (umap-learn's `fuzzy_simplicial_set` and
 * `optimize_layout_euclidean`), with its constants.
 *
 * Why not umap-js: on the 10,000-resolution corpus's 4,000-point sample its graph step (sparse
 * matrices keyed by "row:col" strings) took 3.5 s and its 150 epochs on number[][] 8.4 s of CPU
 * (profile of `confrec map`, machine load ~4); the same steps here take well under a second each.
 * Deterministic: every random draw comes from the seeded mulberry32.
 */
import { mulberry32 } from '../math/prng.js';

/** k nearest neighbours of each of n points, row-major n × k, each point itself first at distance 0. */
export interface Knn {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

/**
 * Exact k nearest neighbours (Euclidean) of every point among the points themselves. Quadratic:
 * meant for the sample (4,000 points × 32 dims ≈ 0.5 GFLOP). Squared distances as |a|² + |b|² − 2a·b
 * in float64 accumulators; ties by index, so the result does not depend on anything but the input.
 */
export function exactKnn(points: Float32Array, n: number, dim: number, k: number): Knn {
  const kk = Math.max(1, Math.min(k, n));
  const others = kk - 1;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += points[i * dim + d] * points[i * dim + d];
    norms[i] = s;
  }
  // Per row, the `others` nearest so far (squared distance ascending); each pair is computed once
  // and offered to both rows. Candidates reach every row in increasing index order, so keeping the
  // first of equal distances (strict <) breaks ties by the lower index.
  const bestI = new Int32Array(n * Math.max(1, others)).fill(-1);
  const bestD = new Float64Array(n * Math.max(1, others)).fill(Infinity);
  const offer = (row: number, j: number, dd: number) => {
    const o = row * others;
    if (!(dd < bestD[o + others - 1])) return;
    let p = others - 1;
    while (p > 0 && bestD[o + p - 1] > dd) {
      bestD[o + p] = bestD[o + p - 1];
      bestI[o + p] = bestI[o + p - 1];
      p--;
    }
    bestD[o + p] = dd;
    bestI[o + p] = j;
  };
  const dim4 = dim & ~3;
  if (others > 0) {
    for (let i = 0; i < n; i++) {
      const oi = i * dim;
      for (let j = i + 1; j < n; j++) {
        const oj = j * dim;
        let dot = 0;
        let d = 0;
        for (; d < dim4; d += 4) {
          dot += points[oi + d] * points[oj + d] + points[oi + d + 1] * points[oj + d + 1] + points[oi + d + 2] * points[oj + d + 2] + points[oi + d + 3] * points[oj + d + 3];
        }
        for (; d < dim; d++) dot += points[oi + d] * points[oj + d];
        const dd = Math.max(0, norms[i] + norms[j] - 2 * dot);
        offer(i, j, dd);
        offer(j, i, dd);
      }
    }
  }
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  for (let i = 0; i < n; i++) {
    indices[i * kk] = i;
    for (let t = 0; t < others; t++) {
      const j = bestI[i * others + t];
      indices[i * kk + 1 + t] = j < 0 ? i : j;
      distances[i * kk + 1 + t] = j < 0 ? 0 : Math.sqrt(bestD[i * others + t]);
    }
  }
  return { n, k: kk, indices, distances };
}

/** Edges of the symmetric fuzzy graph: both directions of every pair, sorted by (head, tail). */
export interface FuzzyGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  weight: Float32Array;
}

// umap-learn's constants (umap_.py).
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/**
 * The fuzzy simplicial set of the kNN graph (local connectivity 1, fuzzy union): each point's
 * distances are shifted by its nearest neighbour's (rho) and scaled (sigma) so that its memberships
 * sum to log2(k); w_ij ⊕ w_ji = a + b − ab.
 */
export function fuzzyGraph(knn: Knn): FuzzyGraph {
  const { n, k, indices, distances } = knn;
  const target = Math.log2(k);
  let meanAll = 0;
  for (let t = 0; t < distances.length; t++) meanAll += distances[t];
  meanAll /= Math.max(1, distances.length);
  const member = new Float64Array(n * k); // membership of row i's j-th neighbour (0 for itself)
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let rho = 0;
    for (let j = 0; j < k; j++) {
      if (distances[o + j] > 0) {
        rho = distances[o + j];
        break;
      }
    }
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let iter = 0; iter < 64; iter++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[o + j] - rho;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let mean = 0;
    for (let j = 0; j < k; j++) mean += distances[o + j];
    mean /= k;
    const sigma = Math.max(mid, MIN_K_DIST_SCALE * (rho > 0 ? mean : meanAll));
    for (let j = 0; j < k; j++) {
      if (indices[o + j] === i) continue;
      const d = distances[o + j] - rho;
      member[o + j] = d <= 0 || sigma === 0 ? 1 : Math.exp(-d / sigma);
    }
  }
  /** Membership of j among i's neighbours (0 when j is not one of them). */
  const directed = (i: number, j: number) => {
    for (let t = 0; t < k; t++) if (indices[i * k + t] === j) return member[i * k + t];
    return 0;
  };
  // Fuzzy union of both directions; a pair found from both rows is emitted once (from the lower row).
  const keys: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const v = member[i * k + t];
      if (j === i || v === 0) continue;
      const back = directed(j, i);
      if (back > 0 && j < i) continue;
      const w = v + back - v * back;
      keys.push(i * n + j, j * n + i);
      values.push(w, w);
    }
  }
  const order = Array.from(keys.keys()).sort((x, y) => keys[x] - keys[y]);
  const head = new Int32Array(order.length);
  const tail = new Int32Array(order.length);
  const weight = new Float32Array(order.length);
  order.forEach((e, t) => {
    const i = Math.floor(keys[e] / n);
    head[t] = i;
    tail[t] = keys[e] - i * n;
    weight[t] = values[e];
  });
  return { n, head, tail, weight };
}

/**
 * The a, b of the low-dimensional similarity 1 / (1 + a·d^(2b)) that best fit UMAP's target curve
 * for `minDist` and `spread` (umap-learn's `find_ab_params`, a least-squares fit on 300 points of
 * [0, 3·spread]); Gauss-Newton from umap-learn's result for the defaults.
 */
export function findAB(spread: number, minDist: number): { a: number; b: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = 0; t < 300; t++) {
    const x = (t * spread * 3) / 299;
    xs.push(x);
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread));
  }
  let a = 1.577;
  let b = 0.895;
  for (let iter = 0; iter < 100; iter++) {
    // Normal equations of the 2-parameter least squares (J^T J) δ = J^T r.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ra = 0;
    let rb = 0;
    for (let t = 0; t < xs.length; t++) {
      const x = xs[t];
      if (x === 0) continue; // f(0) = 1 = y: no residual, and log(0) would poison the derivative
      const x2b = Math.pow(x, 2 * b);
      const den = 1 + a * x2b;
      const f = 1 / den;
      const r = ys[t] - f;
      const da = -x2b / (den * den);
      const db = (-a * x2b * 2 * Math.log(x)) / (den * den);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ra += da * r;
      rb += db * r;
    }
    const det = jaa * jbb - jab * jab;
    if (!(Math.abs(det) > 1e-300)) break;
    const stepA = (jbb * ra - jab * rb) / det;
    const stepB = (jaa * rb - jab * ra) / det;
    a += stepA;
    b += stepB;
    if (Math.abs(stepA) < 1e-10 && Math.abs(stepB) < 1e-10) break;
  }
  return { a, b };
}

export interface LayoutOptions {
  seed: number;
  nEpochs: number;
  minDist: number;
  spread?: number;
  negativeSampleRate?: number;
  repulsionStrength?: number;
  learningRate?: number;
}

/**
 * UMAP's stochastic gradient descent from `init` (n × 2, modified copy returned): attraction along
 * each edge as often as its weight says, `negativeSampleRate` random repulsions per attraction,
 * learning rate falling linearly to 0. Edges lighter than max/nEpochs would be sampled less than once
 * and are left out, as in the reference.
 */
export function optimizeLayout(init: Float32Array, graph: FuzzyGraph, o: LayoutOptions): Float32Array {
  const emb = Float64Array.from(init);
  const { n, head, tail, weight } = graph;
  const nEpochs = Math.max(1, Math.trunc(o.nEpochs));
  const { a, b } = findAB(o.spread ?? 1, o.minDist);
  const gamma = o.repulsionStrength ?? 1;
  const negRate = o.negativeSampleRate ?? 5;
  const initialAlpha = o.learningRate ?? 1;
  const rand = mulberry32(o.seed);
  let max = 0;
  for (let e = 0; e < weight.length; e++) max = Math.max(max, weight[e]);
  const keep: number[] = [];
  for (let e = 0; e < weight.length; e++) if (weight[e] >= max / nEpochs) keep.push(e);
  const m = keep.length;
  const hd = new Int32Array(m);
  const tl = new Int32Array(m);
  const perSample = new Float64Array(m);
  keep.forEach((e, t) => {
    hd[t] = head[e];
    tl[t] = tail[e];
    perSample[t] = max / weight[e];
  });
  const nextSample = Float64Array.from(perSample);
  const perNegative = perSample.map((x) => x / negRate);
  const nextNegative = Float64Array.from(perNegative);
  const clip = (x: number) => (x > 4 ? 4 : x < -4 ? -4 : x);
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const alpha = initialAlpha * (1 - epoch / nEpochs);
    for (let t = 0; t < m; t++) {
      if (nextSample[t] > epoch) continue;
      const j = hd[t];
      const k = tl[t];
      let cx = emb[2 * j];
      let cy = emb[2 * j + 1];
      const dx = cx - emb[2 * k];
      const dy = cy - emb[2 * k + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        // d2^b as exp(b·ln d2): the same value to ~1e-15, at a fraction of Math.pow's cost in V8.
        const pb = Math.exp(b * Math.log(d2));
        const coeff = (-2 * a * b * pb) / d2 / (a * pb + 1);
        const gx = clip(coeff * dx) * alpha;
        const gy = clip(coeff * dy) * alpha;
        cx += gx;
        cy += gy;
        emb[2 * k] -= gx;
        emb[2 * k + 1] -= gy;
      }
      nextSample[t] += perSample[t];
      const negatives = Math.floor((epoch - nextNegative[t]) / perNegative[t]);
      for (let q = 0; q < negatives; q++) {
        const r = Math.floor(rand() * n);
        if (r === j) continue;
        const ex = cx - emb[2 * r];
        const ey = cy - emb[2 * r + 1];
        const e2 = ex * ex + ey * ey;
        if (e2 > 0) {
          const coeff = (2 * gamma * b) / ((0.001 + e2) * (a * Math.exp(b * Math.log(e2)) + 1));
          cx += clip(coeff * ex) * alpha;
          cy += clip(coeff * ey) * alpha;
        } else {
          cx += 4 * alpha;
          cy += 4 * alpha;
        }
      }
      emb[2 * j] = cx;
      emb[2 * j + 1] = cy;
      nextNegative[t] += Math.max(0, negatives) * perNegative[t];
    }
  }
  return Float32Array.from(emb);
}

/**
 * The starting layout from the first two coordinates of `points` (principal components, when
 * `points` are PCA coordinates), scaled to ±10 as umap-learn's `init="pca"`: a start that already
 * has the global shape, so the SGD only has to sharpen it (fewer epochs than from a random start).
 */
export function pcaInit(points: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * 2);
  let big = 0;
  for (let i = 0; i < n; i++) {
    out[2 * i] = points[i * dim];
    out[2 * i + 1] = dim > 1 ? points[i * dim + 1] : 0;
    big = Math.max(big, Math.abs(out[2 * i]), Math.abs(out[2 * i + 1]));
  }
  const scale = big > 0 ? 10 / big : 1;
  for (let t = 0; t < out.length; t++) out[t] *= scale;
  return out;
}

import type { LinearOperator } from './csr.js';
import { symmetricEigen } from '../../math/eigen.js';
import { mulberry32 } from '../../math/prng.js';

export interface SvdOptions {
  /** Number of components wanted. */
  k: number;
  /** Extra random directions for the range finder (Halko et al. recommend 5–10). */
  oversample: number;
  /** Power iterations; each sharpens the spectrum of slowly decaying text matrices. */
  powerIterations: number;
  seed: number;
}

export interface TruncatedSvd {
  /** Right singular vectors, cols × k row-major (columns beyond `rank` are zero). */
  v: Float64Array;
  /** Singular values, length k (zero beyond `rank`). */
  sigma: Float64Array;
  rank: number;
}

/**
 * Orthonormalises the columns of a row-major n × l matrix in place (modified Gram–Schmidt, Float64).
 * Columns that are (numerically) dependent on earlier ones become zero, which happens when the corpus
 * has fewer texts or features than l.
 *
 * Right-looking: once column p is final, its projection is taken out of every later column. Each
 * column sees exactly the operations of the textbook (left-looking) order — the projections on
 * columns 0, 1, … in turn, each dot product summed over i in order — so the result is the same to the
 * last bit (tests/unit/embed-lexical.test.ts checks it against that loop). What changes is that four
 * later columns are handled per pass over column p: four independent sums instead of one chain of
 * dependent additions, which is what limited this loop (≈ 2 × faster in V8).
 */
export function orthonormalize(y: Float64Array, n: number, l: number): void {
  // Work column-major: every inner loop then walks contiguous memory.
  const c = new Float64Array(n * l);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) c[j * n + i] = y[i * l + j];
  // Each column's squared norm before any projection is taken out of it.
  const before = new Float64Array(l);
  for (let j = 0; j < l; j++) {
    const cj = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += c[cj + i] * c[cj + i];
    before[j] = s;
  }
  for (let p = 0; p < l; p++) {
    const cp = p * n;
    let after = 0;
    for (let i = 0; i < n; i++) after += c[cp + i] * c[cp + i];
    if (after <= before[p] * 1e-20 || after === 0) {
      // A zero column projects nothing out of the later ones (every r below would be 0).
      c.fill(0, cp, cp + n);
      continue;
    }
    const inv = 1 / Math.sqrt(after);
    for (let i = 0; i < n; i++) c[cp + i] *= inv;
    let j = p + 1;
    for (; j + 3 < l; j += 4) {
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      let r0 = 0;
      let r1 = 0;
      let r2 = 0;
      let r3 = 0;
      for (let i = 0; i < n; i++) {
        const x = c[cp + i];
        r0 += x * c[c0 + i];
        r1 += x * c[c1 + i];
        r2 += x * c[c2 + i];
        r3 += x * c[c3 + i];
      }
      if (r0 !== 0 && r1 !== 0 && r2 !== 0 && r3 !== 0) {
        for (let i = 0; i < n; i++) {
          const x = c[cp + i];
          c[c0 + i] -= r0 * x;
          c[c1 + i] -= r1 * x;
          c[c2 + i] -= r2 * x;
          c[c3 + i] -= r3 * x;
        }
      } else {
        // As the textbook loop: a column with r = 0 is left alone (subtracting 0 could flip a −0).
        if (r0 !== 0) for (let i = 0; i < n; i++) c[c0 + i] -= r0 * c[cp + i];
        if (r1 !== 0) for (let i = 0; i < n; i++) c[c1 + i] -= r1 * c[cp + i];
        if (r2 !== 0) for (let i = 0; i < n; i++) c[c2 + i] -= r2 * c[cp + i];
        if (r3 !== 0) for (let i = 0; i < n; i++) c[c3 + i] -= r3 * c[cp + i];
      }
    }
    for (; j < l; j++) {
      const cj = j * n;
      let r = 0;
      for (let i = 0; i < n; i++) r += c[cp + i] * c[cj + i];
      if (r !== 0) for (let i = 0; i < n; i++) c[cj + i] -= r * c[cp + i];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = c[j * n + i];
}

/**
 * C = A·B for row-major A (n × l) and B (l × k). Two rows of A and four of B per pass: each number
 * of C still gets its terms one by one in order of j, ((c + a₀b₀) + a₁b₁) + …, only with fewer
 * loads and stores of C (≈ 25 % faster in V8 than one term per pass; same bits). Terms with a zero
 * in A are added too: C never holds −0 (it starts at +0 and x + (−x) is +0), so adding ±0 changes
 * nothing, for finite inputs.
 */
export function times(a: Float64Array, b: Float64Array, n: number, l: number, k: number): Float64Array {
  const c = new Float64Array(n * k);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * l;
    const a1 = a0 + l;
    const c0 = i * k;
    const c1 = c0 + k;
    let j = 0;
    for (; j + 3 < l; j += 4) {
      const x00 = a[a0 + j];
      const x01 = a[a0 + j + 1];
      const x02 = a[a0 + j + 2];
      const x03 = a[a0 + j + 3];
      const x10 = a[a1 + j];
      const x11 = a[a1 + j + 1];
      const x12 = a[a1 + j + 2];
      const x13 = a[a1 + j + 3];
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      for (let t = 0; t < k; t++) {
        const y0 = b[b0 + t];
        const y1 = b[b1 + t];
        const y2 = b[b2 + t];
        const y3 = b[b3 + t];
        c[c0 + t] = c[c0 + t] + x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
        c[c1 + t] = c[c1 + t] + x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
      }
    }
    for (; j < l; j++) {
      const x0 = a[a0 + j];
      const x1 = a[a1 + j];
      const bo = j * k;
      for (let t = 0; t < k; t++) {
        c[c0 + t] += x0 * b[bo + t];
        c[c1 + t] += x1 * b[bo + t];
      }
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j < l; j++) {
      const x = a[i * l + j];
      for (let t = 0; t < k; t++) c[i * k + t] += x * b[j * k + t];
    }
  }
  return c;
}

/** C = Aᵀ·B for row-major A (n × l) and B (n × k): the sum of n outer products, four at a time. */
export function transposeTimes(a: Float64Array, b: Float64Array, n: number, l: number, k = l): Float64Array {
  const c = new Float64Array(l * k);
  let r = 0;
  for (; r + 3 < n; r += 4) {
    for (let i = 0; i < l; i++) {
      const x0 = a[r * l + i];
      const x1 = a[(r + 1) * l + i];
      const x2 = a[(r + 2) * l + i];
      const x3 = a[(r + 3) * l + i];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const co = i * k;
      const b0 = r * k;
      for (let t = 0; t < k; t++) {
        c[co + t] += x0 * b[b0 + t] + x1 * b[b0 + k + t] + x2 * b[b0 + 2 * k + t] + x3 * b[b0 + 3 * k + t];
      }
    }
  }
  for (; r < n; r++) {
    for (let i = 0; i < l; i++) {
      const x = a[r * l + i];
      if (x === 0) continue;
      for (let t = 0; t < k; t++) c[i * k + t] += x * b[r * k + t];
    }
  }
  return c;
}

/**
 * Randomised truncated SVD (Halko, Martinsson & Tropp 2011, algorithms 4.3 + 5.1) of a matrix given as an operator,
 * all in Float64 with a seeded test matrix, so the same input gives bit-identical output.
 *
 * Only the texts side (rows) is orthonormalised: it is the smaller side here, and each A·Aᵀ step
 * squares the condition number at most once before the next orthonormalisation, which Float64 absorbs.
 */
export function randomizedSvd(a: LinearOperator, opts: SvdOptions): TruncatedSvd {
  const { k } = opts;
  const l = Math.max(1, Math.min(k + opts.oversample, a.rows, a.cols));
  const rand = mulberry32(opts.seed);

  // Uniform(−1, 1) test matrix: as good as Gaussian for range finding, and needs no transcendental
  // functions whose last bits could differ between platforms.
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = 2 * rand() - 1;

  const q = a.times(omega, l);
  orthonormalize(q, a.rows, l);
  for (let it = 0; it < opts.powerIterations; it++) {
    q.set(a.times(a.transposeTimes(q, l), l));
    orthonormalize(q, a.rows, l);
  }

  // B = Qᵀ·A (l × cols) is kept as its transpose Z = Aᵀ·Q. Its small Gram matrix B·Bᵀ = Qᵀ·(A·Z)
  // costs rows·l² instead of cols·l², and its eigenvectors are B's left singular vectors.
  const z = a.transposeTimes(q, l);
  const w = a.times(z, l);
  const g = transposeTimes(q, w, a.rows, l);
  // Symmetrise away rounding so Jacobi sees an exactly symmetric matrix.
  for (let i = 0; i < l; i++)
    for (let j = i + 1; j < l; j++) {
      const m = (g[i * l + j] + g[j * l + i]) / 2;
      g[i * l + j] = m;
      g[j * l + i] = m;
    }
  const eig = symmetricEigen(g, l);

  const sigma = new Float64Array(k);
  const top = Math.sqrt(Math.max(eig.values[0], 0));
  let rank = 0;
  for (let c = 0; c < Math.min(k, l); c++) {
    const s = Math.sqrt(Math.max(eig.values[c], 0));
    if (s <= top * 1e-9 || s === 0) break;
    sigma[c] = s;
    rank++;
  }

  // V = Bᵀ·U·Σ⁻¹ = Z·U·Σ⁻¹ (cols × k).
  const uScaled = new Float64Array(l * k);
  for (let j = 0; j < l; j++) for (let c = 0; c < rank; c++) uScaled[j * k + c] = eig.vectors[j * l + c] / sigma[c];
  const v = times(z, uScaled, a.cols, l, k);
  return { v, sigma, rank };
}

import { factoredTimes, factoredTransposeTimes, type Factored, type LinearOperator } from './csr.js';
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
    for (; j + 3 < l; j += 4) projectFour(c, n, cp, j * n, n);
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
 * nothing, for finite inputs. `c`, `t0`, `t1`: the output and its columns [t0, t1) to compute (the
 * rest is left alone; each number's terms do not depend on the range).
 */
export function times(a: Float64Array, b: Float64Array, n: number, l: number, k: number, c: Float64Array = new Float64Array(n * k), t0 = 0, t1 = k): Float64Array {
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
      for (let t = t0; t < t1; t++) {
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
      for (let t = t0; t < t1; t++) {
        c[c0 + t] += x0 * b[bo + t];
        c[c1 + t] += x1 * b[bo + t];
      }
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j < l; j++) {
      const x = a[i * l + j];
      for (let t = t0; t < t1; t++) c[i * k + t] += x * b[j * k + t];
    }
  }
  return c;
}

/** C = Aᵀ·B for row-major A (n × l) and B (n × k): the sum of n outer products, four at a time (columns [t0, t1) of C only when given). */
export function transposeTimes(a: Float64Array, b: Float64Array, n: number, l: number, k = l, c: Float64Array = new Float64Array(l * k), t0 = 0, t1 = k): Float64Array {
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
      for (let t = t0; t < t1; t++) {
        c[co + t] += x0 * b[b0 + t] + x1 * b[b0 + k + t] + x2 * b[b0 + 2 * k + t] + x3 * b[b0 + 3 * k + t];
      }
    }
  }
  for (; r < n; r++) {
    for (let i = 0; i < l; i++) {
      const x = a[r * l + i];
      if (x === 0) continue;
      for (let t = t0; t < t1; t++) c[i * k + t] += x * b[r * k + t];
    }
  }
  return c;
}

/**
 * The products of the randomised SVD, each of which splits by columns: column j of every output needs
 * only column j of the dense operand (and, for `final`'s Gram matrix, the finished Q), so threads can
 * compute disjoint column ranges of one step into shared arrays and get the bits of one thread.
 * Every array a step names is allocated zero-filled by the runner's `alloc`.
 *
 * - `times`: out = A·x
 * - `power`: out = A·(Aᵀ·q) (mid = Aᵀ·q)
 * - `final`: z = Aᵀ·q, w = A·z, g = qᵀ·w (l × l)
 * - `project`: v = z·u (cols × k, u is l × k)
 */
export type SvdStep =
  | { op: 'times'; x: Float64Array; out: Float64Array; scratch: Float64Array[] }
  | { op: 'power'; q: Float64Array; mid: Float64Array; out: Float64Array; scratch: Float64Array[] }
  | { op: 'final'; q: Float64Array; z: Float64Array; w: Float64Array; g: Float64Array; scratch: Float64Array[] }
  | { op: 'project'; z: Float64Array; u: Float64Array; v: Float64Array; k: number };

/** How the randomised SVD's steps are run: in this thread, or split by columns with helpers. */
export interface SvdRunner {
  rows: number;
  cols: number;
  /** Zero-filled arrays for a step; `scratch` lists the operator's own intermediates for this width. */
  alloc(n: number): Float64Array;
  scratch(l: number): Float64Array[];
  /** Runs the step over all `width` columns (l, or k for `project`); resolved when every column is done. */
  run(step: SvdStep, l: number, width: number): Promise<void> | void;
  /** orthonormalize (the same bits), when the runner has another way to do it (two threads). */
  orthonormalize?(y: Float64Array, n: number, l: number): Promise<void>;
}

/**
 * Runs a step of the factored matrix (csr.ts factoredOperator) for columns [j0, j1): what each
 * thread does with its share. `scratch` is [G·X, Mᵀ·Q] (forms × l), zero in these columns.
 */
export function runFactoredStep(f: Factored, step: SvdStep, l: number, j0: number, j1: number): void {
  const rows = f.d.rows;
  const cols = f.d.cols;
  switch (step.op) {
    case 'times':
      factoredTimes(f, step.x, l, step.out, step.scratch[0], j0, j1);
      return;
    case 'power':
      factoredTransposeTimes(f, step.q, l, step.mid, step.scratch[1], j0, j1);
      factoredTimes(f, step.mid, l, step.out, step.scratch[0], j0, j1);
      return;
    case 'final':
      factoredTransposeTimes(f, step.q, l, step.z, step.scratch[1], j0, j1);
      factoredTimes(f, step.z, l, step.w, step.scratch[0], j0, j1);
      transposeTimes(step.q, step.w, rows, l, l, step.g, j0, j1);
      return;
    case 'project':
      times(step.z, step.u, cols, l, step.k, step.v, j0, j1);
      return;
  }
}

/**
 * Steps of a generic operator, in this thread. Its products make their own arrays (no column
 * ranges), so each is copied into the step's output: the same numbers as the operator gives.
 */
export function operatorRunner(a: LinearOperator): SvdRunner {
  return {
    rows: a.rows,
    cols: a.cols,
    alloc: (n) => new Float64Array(n),
    scratch: () => [],
    run(step, l) {
      switch (step.op) {
        case 'times':
          step.out.set(a.times(step.x, l));
          return;
        case 'power':
          step.mid.set(a.transposeTimes(step.q, l));
          step.out.set(a.times(step.mid, l));
          return;
        case 'final':
          step.z.set(a.transposeTimes(step.q, l));
          step.w.set(a.times(step.z, l));
          transposeTimes(step.q, step.w, a.rows, l, l, step.g);
          return;
        case 'project':
          times(step.z, step.u, a.cols, l, step.k, step.v);
          return;
      }
    },
  };
}

/**
 * Randomised truncated SVD (Halko, Martinsson & Tropp 2011, algorithms 4.3 + 5.1) of a matrix given as an operator,
 * all in Float64 with a seeded test matrix, so the same input gives bit-identical output.
 *
 * Only the texts side (rows) is orthonormalised: it is the smaller side here, and each A·Aᵀ step
 * squares the condition number at most once before the next orthonormalisation, which Float64 absorbs.
 */
export function randomizedSvd(a: LinearOperator, opts: SvdOptions): Promise<TruncatedSvd> {
  return randomizedSvdWith(operatorRunner(a), opts);
}

/** randomizedSvd with its products run by `runner` (split by columns between threads, say): the same bits. */
export async function randomizedSvdWith(a: SvdRunner, opts: SvdOptions): Promise<TruncatedSvd> {
  const { k } = opts;
  const l = Math.max(1, Math.min(k + opts.oversample, a.rows, a.cols));
  const rand = mulberry32(opts.seed);

  // Uniform(−1, 1) test matrix: as good as Gaussian for range finding, and needs no transcendental
  // functions whose last bits could differ between platforms.
  const omega = a.alloc(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = 2 * rand() - 1;

  const orth = async (y: Float64Array) => (a.orthonormalize ? a.orthonormalize(y, a.rows, l) : orthonormalize(y, a.rows, l));
  const q = a.alloc(a.rows * l);
  await a.run({ op: 'times', x: omega, out: q, scratch: a.scratch(l) }, l, l);
  await orth(q);
  for (let it = 0; it < opts.powerIterations; it++) {
    const next = a.alloc(a.rows * l);
    await a.run({ op: 'power', q, mid: a.alloc(a.cols * l), out: next, scratch: a.scratch(l) }, l, l);
    q.set(next);
    await orth(q);
  }

  // B = Qᵀ·A (l × cols) is kept as its transpose Z = Aᵀ·Q. Its small Gram matrix B·Bᵀ = Qᵀ·(A·Z)
  // costs rows·l² instead of cols·l², and its eigenvectors are B's left singular vectors.
  const z = a.alloc(a.cols * l);
  const g = a.alloc(l * l);
  await a.run({ op: 'final', q, z, w: a.alloc(a.rows * l), g, scratch: a.scratch(l) }, l, l);
  // Symmetrise away rounding so the eigen-decomposition sees an exactly symmetric matrix.
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
  const uScaled = a.alloc(l * k);
  for (let j = 0; j < l; j++) for (let c = 0; c < rank; c++) uScaled[j * k + c] = eig.vectors[j * l + c] / sigma[c];
  const v = a.alloc(a.cols * k);
  await a.run({ op: 'project', z, u: uScaled, v, k }, l, k);
  return { v, sigma, rank };
}

/** Control words of a shared orthonormalisation (orthonormalizeShare). */
export const ORTH_STARTED = 0;
export const ORTH_DONE = 1;
export const ORTH_FAILED = 2;
/** How long one thread waits for the other's next column before giving up. */
const STALL_MS = 300_000;

/** A column-major n × l block being orthonormalised by two threads (orthonormalizeShare). */
export interface SharedOrth {
  /** Columns, column-major (column j at j·n), on a SharedArrayBuffer. */
  c: Float64Array;
  /** Each column's squared norm before any projection. */
  before: Float64Array;
  /** [started, columns final, failed] */
  ctrl: Int32Array;
  n: number;
  l: number;
}

/** Column-major copy of a row-major n × l block, with each column's squared norm (orthonormalize's first steps). */
export function sharedOrth(y: Float64Array, n: number, l: number, alloc: (n: number) => Float64Array, ctrl: Int32Array): SharedOrth {
  const c = alloc(n * l);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) c[j * n + i] = y[i * l + j];
  const before = alloc(l);
  for (let j = 0; j < l; j++) {
    const cj = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += c[cj + i] * c[cj + i];
    before[j] = s;
  }
  return { c, before, ctrl, n, l };
}

/**
 * One thread's share (`me` = 0 or 1) of modified Gram–Schmidt on a shared block: thread j % 2 owns
 * column j and applies to it the projections on columns 0, 1, … in order, then normalises it (the
 * textbook loop's operations, so orthonormalize's bits) and publishes it in ctrl[ORTH_DONE]; the
 * other thread waits for a column to be final before projecting it out of its own columns. The next
 * column is finished first in each round, so neither thread waits for the other's whole round.
 */
export function orthonormalizeShare(s: SharedOrth, me: number): void {
  const { c, before, ctrl, n, l } = s;
  const finish = (p: number) => {
    const cp = p * n;
    let after = 0;
    for (let i = 0; i < n; i++) after += c[cp + i] * c[cp + i];
    if (after <= before[p] * 1e-20 || after === 0) c.fill(0, cp, cp + n);
    else {
      const inv = 1 / Math.sqrt(after);
      for (let i = 0; i < n; i++) c[cp + i] *= inv;
    }
    Atomics.store(ctrl, ORTH_DONE, p + 1);
    Atomics.notify(ctrl, ORTH_DONE);
  };
  const project = (p: number, j: number) => {
    const cp = p * n;
    const cj = j * n;
    let r = 0;
    for (let i = 0; i < n; i++) r += c[cp + i] * c[cj + i];
    if (r !== 0) for (let i = 0; i < n; i++) c[cj + i] -= r * c[cp + i];
  };
  const waitFor = (count: number) => {
    let spins = 0;
    let since = 0;
    for (;;) {
      const v = Atomics.load(ctrl, ORTH_DONE);
      if (v >= count) return;
      if (Atomics.load(ctrl, ORTH_FAILED) !== 0) throw new Error('orthonormalisation: the other thread failed');
      if (++spins < 256) continue;
      // A thread that died without a word (it cannot set ORTH_FAILED) must not hang this one forever.
      since ||= Date.now();
      if (Date.now() - since > STALL_MS) throw new Error(`orthonormalisation: no column from the other thread for ${STALL_MS / 1000} s`);
      Atomics.wait(ctrl, ORTH_DONE, v, 50);
    }
  };
  if (me === 0 && l > 0) finish(0);
  for (let p = 0; p < l; p++) {
    if (p % 2 !== me) waitFor(p + 1);
    // A zero column projects nothing out of the later ones (every r would be 0).
    let j = p + 1;
    if (j < l && j % 2 === me) {
      project(p, j);
      finish(j);
      j += 2;
    } else if (j % 2 !== me) j++;
    // Four of my columns per pass over column p (as orthonormalize: the same sums, fewer passes).
    const cp = p * n;
    for (; j + 6 < l; j += 8) projectFour(c, n, cp, j * n, 2 * n);
    for (; j < l; j += 2) project(p, j);
  }
}

/** Writes a shared block's columns back into the row-major y (orthonormalize's last step). */
export function sharedOrthBack(s: SharedOrth, y: Float64Array): void {
  const { c, n, l } = s;
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = c[j * n + i];
}

/**
 * Projects column `cp` (unit length) out of four columns at c0, c0 + step, c0 + 2·step, c0 + 3·step,
 * one pass over column cp for the four dot products and one for the updates: each column gets the
 * textbook loop's sums and subtractions in the same order, so the same bits. A column whose dot
 * product is 0 is left alone, as in the textbook loop (subtracting 0 could flip a −0).
 */
function projectFour(c: Float64Array, n: number, cp: number, c0: number, step: number): void {
  const c1 = c0 + step;
  const c2 = c1 + step;
  const c3 = c2 + step;
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
    if (r0 !== 0) for (let i = 0; i < n; i++) c[c0 + i] -= r0 * c[cp + i];
    if (r1 !== 0) for (let i = 0; i < n; i++) c[c1 + i] -= r1 * c[cp + i];
    if (r2 !== 0) for (let i = 0; i < n; i++) c[c2 + i] -= r2 * c[cp + i];
    if (r3 !== 0) for (let i = 0; i < n; i++) c[c3 + i] -= r3 * c[cp + i];
  }
}

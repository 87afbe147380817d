/**
 * Sparse matrices in compressed sparse row form and the linear operators randomised SVD works with.
 * Dense operands are row-major Float64Arrays of width `l`.
 */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array; // rows + 1
  indices: Int32Array; // column of each stored value
  data: Float64Array;
}

/** A matrix known only through its products with dense blocks of l columns. */
export interface LinearOperator {
  rows: number;
  cols: number;
  /** A·X, X is cols × l; returns rows × l. */
  times(x: Float64Array, l: number): Float64Array;
  /** Aᵀ·Q, Q is rows × l; returns cols × l. */
  transposeTimes(q: Float64Array, l: number): Float64Array;
}

/**
 * Column ranges: `j0`, `j1` restrict a product to the output columns [j0, j1) (which need only the
 * same columns of the dense operand), so that threads can share one product by columns. Each output
 * number gets the same terms in the same order whatever the range, so the bits do not depend on it.
 */

/**
 * out += A·X (out is rows × l). Four stored values of a row per pass over the output row: each
 * output number still receives its terms one by one in stored order, ((o + a) + b) + …, so the
 * result is the plain loop's to the last bit, with a quarter of the loads and stores of the output.
 */
export function csrTimesDense(
  a: Csr,
  x: Float64Array,
  l: number,
  out: Float64Array = new Float64Array(a.rows * l),
  j0 = 0,
  j1 = l,
): Float64Array {
  const { indptr, indices, data } = a;
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    const end = indptr[r + 1];
    let p = indptr[r];
    for (; p + 3 < end; p += 4) {
      const v0 = data[p];
      const v1 = data[p + 1];
      const v2 = data[p + 2];
      const v3 = data[p + 3];
      const x0 = indices[p] * l;
      const x1 = indices[p + 1] * l;
      const x2 = indices[p + 2] * l;
      const x3 = indices[p + 3] * l;
      for (let j = j0; j < j1; j++) out[yo + j] = out[yo + j] + v0 * x[x0 + j] + v1 * x[x1 + j] + v2 * x[x2 + j] + v3 * x[x3 + j];
    }
    for (; p < end; p++) {
      const v = data[p];
      const xo = indices[p] * l;
      for (let j = j0; j < j1; j++) out[yo + j] += v * x[xo + j];
    }
  }
  return out;
}

/**
 * out += Aᵀ·Q (out is cols × l). Four stored values of a row per pass over Q's row (loaded once for
 * the four); every output number gets its terms in the plain loop's order (also when a column
 * repeats within a row: its two terms are added one after the other), so the same bits.
 */
export function csrTransposeTimesDense(
  a: Csr,
  q: Float64Array,
  l: number,
  out: Float64Array = new Float64Array(a.cols * l),
  j0 = 0,
  j1 = l,
): Float64Array {
  const { indptr, indices, data } = a;
  for (let r = 0; r < a.rows; r++) {
    const qo = r * l;
    const end = indptr[r + 1];
    let p = indptr[r];
    for (; p + 3 < end; p += 4) {
      const z0 = indices[p] * l;
      const z1 = indices[p + 1] * l;
      const z2 = indices[p + 2] * l;
      const z3 = indices[p + 3] * l;
      const v0 = data[p];
      const v1 = data[p + 1];
      const v2 = data[p + 2];
      const v3 = data[p + 3];
      for (let j = j0; j < j1; j++) {
        const y = q[qo + j];
        out[z0 + j] += v0 * y;
        out[z1 + j] += v1 * y;
        out[z2 + j] += v2 * y;
        out[z3 + j] += v3 * y;
      }
    }
    for (; p < end; p++) {
      const v = data[p];
      const zo = indices[p] * l;
      for (let j = j0; j < j1; j++) out[zo + j] += v * q[qo + j];
    }
  }
  return out;
}

export function csrOperator(a: Csr): LinearOperator {
  return {
    rows: a.rows,
    cols: a.cols,
    times: (x, l) => csrTimesDense(a, x, l),
    transposeTimes: (q, l) => csrTransposeTimesDense(a, q, l),
  };
}

/**
 * A = D + M·G without forming M·G: D holds the directly stored entries, M maps rows to shared
 * sub-rows and G holds those sub-rows. For text, G is "word form → its character n-grams", used by
 * every text containing the form, so the products cost far less than on the expanded matrix.
 */
export function factoredOperator(d: Csr, m: Csr, g: Csr): LinearOperator {
  return {
    rows: d.rows,
    cols: d.cols,
    times: (x, l) => csrTimesDense(m, csrTimesDense(g, x, l), l, csrTimesDense(d, x, l)),
    transposeTimes: (q, l) => csrTransposeTimesDense(g, csrTransposeTimesDense(m, q, l), l, csrTransposeTimesDense(d, q, l)),
  };
}

/** The three parts of factoredOperator's matrix, as plain data (they can be handed to a worker). */
export interface Factored {
  d: Csr;
  m: Csr;
  g: Csr;
}

/**
 * out = (D + M·G)·X in columns [j0, j1): factoredOperator's `times` restricted to those columns, with
 * its intermediate G·X in `gx` (m.cols × l, zero in those columns). out must be zero there too.
 */
export function factoredTimes(f: Factored, x: Float64Array, l: number, out: Float64Array, gx: Float64Array, j0 = 0, j1 = l): void {
  csrTimesDense(f.g, x, l, gx, j0, j1);
  csrTimesDense(f.d, x, l, out, j0, j1);
  csrTimesDense(f.m, gx, l, out, j0, j1);
}

/** out = (D + M·G)ᵀ·Q in columns [j0, j1), as factoredOperator's `transposeTimes`; `mq` (m.cols × l) as gx above. */
export function factoredTransposeTimes(f: Factored, q: Float64Array, l: number, out: Float64Array, mq: Float64Array, j0 = 0, j1 = l): void {
  csrTransposeTimesDense(f.m, q, l, mq, j0, j1);
  csrTransposeTimesDense(f.d, q, l, out, j0, j1);
  csrTransposeTimesDense(f.g, mq, l, out, j0, j1);
}

/** Allocates the arrays of a matrix or block (a worker can share a SharedArrayBuffer's). */
export interface Allocator {
  floats(n: number): Float64Array;
  ints(n: number): Int32Array;
}

export const LOCAL_ARRAYS: Allocator = { floats: (n) => new Float64Array(n), ints: (n) => new Int32Array(n) };

export const SHARED_ARRAYS: Allocator = {
  floats: (n) => new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT)),
  ints: (n) => new Int32Array(new SharedArrayBuffer(n * Int32Array.BYTES_PER_ELEMENT)),
};

/** Builds a CSR matrix from rows of (columns, values). */
export function csrFromRows(rows: readonly { cols: ArrayLike<number>; vals: ArrayLike<number> }[], cols: number, alloc: Allocator = LOCAL_ARRAYS): Csr {
  const nnz = rows.reduce((s, r) => s + r.cols.length, 0);
  const m: Csr = {
    rows: rows.length,
    cols,
    indptr: alloc.ints(rows.length + 1),
    indices: alloc.ints(nnz),
    data: alloc.floats(nnz),
  };
  let p = 0;
  rows.forEach((r, i) => {
    for (let k = 0; k < r.cols.length; k++) {
      m.indices[p] = r.cols[k];
      m.data[p] = r.vals[k];
      p++;
    }
    m.indptr[i + 1] = p;
  });
  return m;
}

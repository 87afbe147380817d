/** Small vector helpers shared by the backends, the stage and the tests. */

/** Scales v to unit length in place (Float64 accumulation); a zero vector stays zero. */
export function l2normalize<T extends Float32Array | Float64Array>(v: T): T {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i] * v[i];
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = norm(a) * norm(b);
  return d > 0 ? dot(a, b) / d : 0;
}

/**
 * out[c] = data[o .. o+dim) · rows[c·dim .. (c+1)·dim) for c < count: one row against a matrix,
 * four matrix rows at a time so that each coordinate of the row is loaded once for four products
 * (the inner loop of the clusters' assignment and of the map's PCA projection).
 */
export function dotsWithRows(data: Float32Array, o: number, dim: number, rows: ArrayLike<number>, count: number, out: Float64Array): void {
  const c4 = count & ~3;
  let c = 0;
  for (; c < c4; c += 4) {
    const a0 = c * dim;
    const a1 = a0 + dim;
    const a2 = a1 + dim;
    const a3 = a2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < dim; d++) {
      const x = data[o + d];
      s0 += x * rows[a0 + d];
      s1 += x * rows[a1 + d];
      s2 += x * rows[a2 + d];
      s3 += x * rows[a3 + d];
    }
    out[c] = s0;
    out[c + 1] = s1;
    out[c + 2] = s2;
    out[c + 3] = s3;
  }
  for (; c < count; c++) {
    const a = c * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[o + d] * rows[a + d];
    out[c] = s;
  }
}

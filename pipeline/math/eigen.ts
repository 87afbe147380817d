/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. Slow for big matrices
 * but exact, simple and deterministic, which is what the l × l step of randomised SVD needs (l ≤ ~300).
 */
export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** n × n row-major; column c is the eigenvector of values[c]. */
  vectors: Float64Array;
}

export function symmetricEigen(input: Float64Array, n: number, maxSweeps = 60): Eigen {
  const a = Float64Array.from(input);
  // The rotations accumulate in vt = Vᵀ: row p of vt is column p of V, so the update of a rotation's
  // two columns walks contiguous memory (the same products and sums as on V itself).
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;

  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  const tolerance = 1e-30 * Math.max(total, 1e-300);

  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      const pn = p * n;
      for (let q = p + 1; q < n; q++) {
        const qn = q * n;
        const apq = a[pn + q];
        if (apq === 0) continue;
        const app = a[pn + p];
        const aqq = a[qn + q];
        // Rotation angle from the classic stable formulation (Golub & Van Loan 8.5.2).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // Columns p and q (stepping down the rows), then rows p and q together with the vectors'
        // rows p and q of Vᵀ: the same products and sums per number as one loop each, fewer passes.
        for (let kp = p, kq = q, end = n * n; kp < end; kp += n, kq += n) {
          const akp = a[kp];
          const akq = a[kq];
          a[kp] = c * akp - s * akq;
          a[kq] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[pn + k];
          const aqk = a[qn + k];
          a[pn + k] = c * apk - s * aqk;
          a[qn + k] = s * apk + c * aqk;
          const vkp = vt[pn + k];
          const vkq = vt[qn + k];
          vt[pn + k] = c * vkp - s * vkq;
          vt[qn + k] = s * vkp + c * vkq;
        }
      }
    }
  }

  // Sort by eigenvalue, largest first; equal values keep index order so the result is deterministic.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    // Eigenvectors are defined up to sign: make the largest component positive.
    const vs = src * n;
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(vt[vs + k]) > Math.abs(vt[vs + big])) big = k;
    const sign = vt[vs + big] < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = sign * vt[vs + k];
  });
  return { values, vectors };
}

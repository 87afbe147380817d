/**
 * The one definition of "at or above the threshold", used by every way pairs are found (exhaustive
 * scan, LSH, new × all, the containment floor), so that methods can differ only in which pairs they
 * look at, never in how a pair is decided.
 *
 * The similarity is computed in float32, operation by operation, exactly as DuckDB's
 * array_cosine_similarity does on FLOAT arrays (a sequential sum of float products, then
 * dot / sqrt(|a|²·|b|²), clamped to [-1, 1]): the stage computed it in SQL until issue 16, and on
 * 50,000 pairs of the 10,000-resolution corpus this emulation gave the same float bit for bit
 * (a double-precision sum matched only 6 %). Math.fround after each double operation is exact
 * float32 arithmetic: a double holds the exact product of two floats, and a sum or quotient
 * rounded once to double and then to float rounds like float arithmetic (53 ≥ 2·24 + 2).
 * So the stored similarities and the set of pairs are the ones the SQL gave, and a pair sitting
 * on the threshold is decided the same way.
 */
const f = Math.fround;

/** Σ x² of one row, in float32 like the cosine's norms. */
export function sumOfSquares(data: Float32Array, offset: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) {
    const x = data[offset + k];
    s = f(s + f(x * x));
  }
  return s;
}

/** Σ x² of every row of an n × dim matrix. */
export function sumsOfSquares(data: Float32Array, n: number, dim: number): Float32Array {
  const sq = new Float32Array(n);
  for (let i = 0; i < n; i++) sq[i] = sumOfSquares(data, i * dim, dim);
  return sq;
}

/**
 * Cosine of rows i and j (a float32 value as a number). `sq` holds each row's sumOfSquares; rows
 * with sq = 0 have no direction and must not be passed (the stage leaves them out).
 */
export function cosineAt(data: Float32Array, dim: number, sq: Float32Array, i: number, j: number): number {
  const a = i * dim;
  const b = j * dim;
  let dot = 0;
  for (let k = 0; k < dim; k++) dot = f(dot + f(data[a + k] * data[b + k]));
  const s = f(dot / f(Math.sqrt(f(sq[i] * sq[j]))));
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

/**
 * How far the float32 similarity can be from the exact cosine, with a factor 2 to spare: a
 * sequential float sum of dim products is off by at most about dim·2⁻²⁴ of Σ|xᵢyᵢ| ≤ |x|·|y|, the
 * two norms by as much again between them, the square root, product and division by a few units
 * of 2⁻²⁴ (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). 256 dims: 6.3e-5.
 */
export function similaritySlack(dim: number): number {
  return (dim + 8) * 2 ** -22;
}

/**
 * The similarity of rows i and j when it is at or above `threshold` (cosineAt, exactly), else NaN.
 * A double-precision dot product with four accumulators comes first (about ten times faster than
 * the float32 chain, whose every step waits for the previous one); a pair more than
 * similaritySlack below the threshold there cannot reach it in float32, so only the others pay for
 * the exact value. On the 10k corpus three verified pairs in four stop there. The result is the
 * same as atLeast(cosineAt(...)) for every pair (tests/unit/near-duplicate-cosine.test.ts).
 */
export function similarityAtLeast(data: Float32Array, dim: number, sq: Float32Array, i: number, j: number, threshold: number, slack: number): number {
  const a = i * dim;
  const b = j * dim;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let k = 0;
  for (; k + 3 < dim; k += 4) {
    d0 += data[a + k] * data[b + k];
    d1 += data[a + k + 1] * data[b + k + 1];
    d2 += data[a + k + 2] * data[b + k + 2];
    d3 += data[a + k + 3] * data[b + k + 3];
  }
  for (; k < dim; k++) d0 += data[a + k] * data[b + k];
  if ((d0 + d1 + d2 + d3) / Math.sqrt(sq[i] * sq[j]) < threshold - slack) return NaN;
  const s = cosineAt(data, dim, sq, i, j);
  return atLeast(s, threshold) ? s : NaN;
}

/**
 * The decision: the float32 similarity against the threshold as given (a double). For any
 * threshold this equals comparing in float32 after rounding the threshold up to the next float,
 * which is what SQL did; pairs exactly at the threshold are kept.
 */
export function atLeast(similarity: number, threshold: number): boolean {
  return similarity >= threshold;
}

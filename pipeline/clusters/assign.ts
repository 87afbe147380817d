/**
 * Every vector to its nearest centroid by cosine, pure: the clusters stage's final assignment
 * (72,856 texts × 40 centroids × 256 dims on the 10k corpus: about half a second in JS, a cross
 * join in DuckDB SQL took 1.6 s of CPU), with the dot products of k-means itself (the SIMD kernel
 * of math/dot-kernel.ts), so a member of the fit sample and any other member are compared alike.
 */
import { DotKernel } from '../math/dot-kernel.js';

export interface Assignment {
  /** Index of the nearest centroid of each row (ties: the lower index). */
  labels: Int32Array;
  /** Cosine of each row to that centroid (0 for a zero row). */
  similarity: Float32Array;
}

/** Rows of `data` (n × dim) against unit-length `centroids` (k × dim). */
export function nearestCentroids(data: Float32Array, n: number, dim: number, centroids: Float32Array, k: number): Assignment {
  return assignRows(data, n, null, dim, centroids, k);
}

/**
 * Each member (a row of `data`) to its nearest centroid, as nearestCentroids does for every row (the
 * same arithmetic, so the same labels and similarity bits), except that the first `known.length`
 * members' nearest centroids are given (a clusterer's labels of its fit sample, which is the head of
 * the members): for those only the similarity is computed, one dot product instead of k. At 20,000
 * recommendations the sample is every member; at the 10,000-resolution corpus, 20,000 of 74,753.
 */
export function assignMembers(
  data: Float32Array,
  rows: ArrayLike<number>,
  dim: number,
  centroids: Float32Array,
  k: number,
  known?: Int32Array,
): Assignment {
  return assignRows(data, rows.length, rows, dim, centroids, k, known);
}

/** The n members are rows[0..n) of `data`, or its first n rows when `rows` is null. */
function assignRows(
  data: Float32Array,
  n: number,
  rows: ArrayLike<number> | null,
  dim: number,
  centroids: Float32Array,
  k: number,
  known?: Int32Array,
): Assignment {
  const labels = new Int32Array(n);
  const similarity = new Float32Array(n);
  const given = known ? Math.min(known.length, n) : 0;
  const offset = (i: number) => (rows ? rows[i] : i) * dim;
  // The centroids and one member at a time in the dot kernel's memory (math/dot-kernel.ts): the
  // products k-means itself computed its labels with.
  const kernel = DotKernel.shared(DotKernel.bytes(k * dim, 4) + DotKernel.bytes(dim, 4) + DotKernel.bytes(k, 8));
  const cents = kernel.floats(k * dim);
  cents.view.set(centroids.subarray(0, k * dim));
  const row = kernel.floats(dim);
  const dots = kernel.doubles(k);
  const rowBytes = dim * 4;
  for (let i = 0; i < n; i++) {
    const o = offset(i);
    row.view.set(data.subarray(o, o + dim));
    const norm = kernel.dot(row.at, row.at, dim);
    let best: number;
    let bestDot: number;
    if (i < given) {
      // A given member: one dot product, with its own centroid.
      best = known![i];
      bestDot = kernel.dot(row.at, cents.at + best * rowBytes, dim);
    } else {
      // The rest against every centroid; a tie goes to the lower index.
      kernel.dots(row.at, cents.at, k, dim, dots.at);
      best = 0;
      bestDot = -Infinity;
      for (let c = 0; c < k; c++) {
        if (dots.view[c] > bestDot) {
          best = c;
          bestDot = dots.view[c];
        }
      }
    }
    labels[i] = best;
    similarity[i] = norm > 0 ? bestDot / Math.sqrt(norm) : 0;
  }
  return { labels, similarity };
}

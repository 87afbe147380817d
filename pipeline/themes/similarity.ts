/**
 * The similarity evidence of the themes, pure: for each text, the best cosine between its vector and
 * each theme's seed phrases. It was a cross join in DuckDB SQL (every vector cast to FLOAT[dim] and
 * compared with every seed: 2–5 s of the stage on the 10,000-resolution corpus, plus a read of all
 * the vectors); here it runs over the vectors the stages of a run share (store/vectors.ts).
 */
import { dotsWithRows } from '../math/vectors.js';

export interface SeedVectors {
  /** Theme of each seed. */
  theme: readonly string[];
  /** seeds × dim, row-major. */
  data: Float32Array;
}

/**
 * For each requested row of `vectors` (n × dim), theme → max cosine over the theme's seeds. A zero
 * vector scores −1 against everything, as DuckDB's array_cosine_similarity (which this replaced) does.
 */
export function bestSeedSimilarity(vectors: Float32Array, dim: number, rows: readonly number[], seeds: SeedVectors): Map<number, Map<string, number>> {
  const k = seeds.theme.length;
  const seedNorm = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    let q = 0;
    for (let d = 0; d < dim; d++) q += seeds.data[s * dim + d] ** 2;
    seedNorm[s] = Math.sqrt(q);
  }
  const dots = new Float64Array(k);
  const out = new Map<number, Map<string, number>>();
  for (const row of rows) {
    if (out.has(row)) continue;
    const o = row * dim;
    let q = 0;
    for (let d = 0; d < dim; d++) q += vectors[o + d] * vectors[o + d];
    const n = Math.sqrt(q);
    dotsWithRows(vectors, o, dim, seeds.data, k, dots);
    const best = new Map<string, number>();
    for (let s = 0; s < k; s++) {
      // Rounded to a float, the precision of the stored vectors (and of the SQL it replaced).
      const cos = n > 0 && seedNorm[s] > 0 ? Math.fround(dots[s] / (n * seedNorm[s])) : -1;
      const t = seeds.theme[s];
      const prev = best.get(t);
      if (prev === undefined || cos > prev) best.set(t, cos);
    }
    out.set(row, best);
  }
  return out;
}

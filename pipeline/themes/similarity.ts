/**
 * The similarity evidence of the themes, pure: for each text, the best cosine between its vector and
 * each theme's seed phrases. It was a cross join in DuckDB SQL (every vector cast to FLOAT[dim] and
 * compared with every seed: 2–5 s of the stage on the 10,000-resolution corpus, plus a read of all
 * the vectors); here it runs in JS over vectors as they are read (a chunk at a time) or over the
 * vectors the stages of a run share (store/vectors.ts).
 */
import { dotsWithRows } from '../math/vectors.js';

export interface SeedVectors {
  /** Theme of each seed. */
  theme: readonly string[];
  /** seeds × dim, row-major. */
  data: Float32Array;
}

/** Seeds prepared once for many calls of seedSimilarities: their norms and their themes' positions. */
export interface PreparedSeeds {
  data: Float32Array;
  count: number;
  norm: Float64Array;
  /** Position in `themes` of each seed's theme. */
  themeAt: Int32Array;
  /** How many themes (columns of the result). */
  themes: number;
}

export function prepareSeeds(seeds: SeedVectors, dim: number, themes: readonly string[]): PreparedSeeds {
  const k = seeds.theme.length;
  const norm = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    let q = 0;
    for (let d = 0; d < dim; d++) q += seeds.data[s * dim + d] ** 2;
    norm[s] = Math.sqrt(q);
  }
  const themeAt = Int32Array.from(seeds.theme, (t) => themes.indexOf(t));
  return { data: seeds.data, count: k, norm, themeAt, themes: themes.length };
}

/**
 * For rows `rows` of `vectors` (n × dim; all n rows when `rows` is null), the max cosine over each
 * theme's seeds: a Float32Array of (rows) × themes, row-major, NaN for a theme without seeds. A zero
 * vector scores −1 against everything, as DuckDB's array_cosine_similarity (which this replaced) does.
 * Values are rounded to a float, the precision of the stored vectors (and of the SQL it replaced).
 */
export function seedSimilarities(vectors: Float32Array, dim: number, rows: ArrayLike<number> | null, seeds: PreparedSeeds): Float32Array {
  const n = rows === null ? Math.floor(vectors.length / dim) : rows.length;
  const T = seeds.themes;
  const out = new Float32Array(n * T).fill(NaN);
  const dots = new Float64Array(seeds.count);
  for (let i = 0; i < n; i++) {
    const o = (rows === null ? i : rows[i]) * dim;
    let q = 0;
    for (let d = 0; d < dim; d++) q += vectors[o + d] * vectors[o + d];
    const len = Math.sqrt(q);
    dotsWithRows(vectors, o, dim, seeds.data, seeds.count, dots);
    const at = i * T;
    for (let s = 0; s < seeds.count; s++) {
      const cos = len > 0 && seeds.norm[s] > 0 ? Math.fround(dots[s] / (len * seeds.norm[s])) : -1;
      const t = seeds.themeAt[s];
      if (t < 0) continue;
      const prev = out[at + t];
      if (prev !== prev || cos > prev) out[at + t] = cos;
    }
  }
  return out;
}

/**
 * For each requested row of `vectors` (n × dim), theme → max cosine over the theme's seeds
 * (seedSimilarities as maps; for small callers and the tests).
 */
export function bestSeedSimilarity(vectors: Float32Array, dim: number, rows: readonly number[], seeds: SeedVectors): Map<number, Map<string, number>> {
  const themes = [...new Set(seeds.theme)];
  const unique = [...new Set(rows)];
  const sims = seedSimilarities(vectors, dim, unique, prepareSeeds(seeds, dim, themes));
  const out = new Map<number, Map<string, number>>();
  unique.forEach((row, i) => out.set(row, new Map(themes.map((t, k) => [t, sims[i * themes.length + k]]))));
  return out;
}

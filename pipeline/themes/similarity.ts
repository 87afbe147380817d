/**
 * The similarity evidence of the themes, pure: for each text, the best cosine between its vector and
 * each theme's seed phrases. It was a cross join in DuckDB SQL (every vector cast to FLOAT[dim] and
 * compared with every seed: 2–5 s of the stage on the 10,000-resolution corpus, plus a read of all
 * the vectors); here it runs in JS over vectors as they are read (a chunk at a time) or over the
 * vectors the stages of a run share (store/vectors.ts).
 */
import { dotsWithRows } from '../math/vectors.js';
import { dotsTwoRows } from '../math/dots.js';

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
  const k = seeds.count;
  const dots0 = new Float64Array(k);
  const dots1 = new Float64Array(k);
  const len = new Float64Array(2);
  const offsetOf = (i: number) => (rows === null ? i : rows[i]) * dim;
  // Two texts at a time: each seed coordinate loaded once for both (every sum still runs over the
  // coordinates in order, so the values are the one-text-at-a-time ones, bit for bit).
  let i = 0;
  for (; i + 1 < n; i += 2) {
    dotsOfPair(vectors, offsetOf(i), offsetOf(i + 1), dim, seeds.data, k, dots0, dots1, len);
    best(dots0, len[0], seeds, out, i * T);
    best(dots1, len[1], seeds, out, (i + 1) * T);
  }
  if (i < n) {
    const o = offsetOf(i);
    let q = 0;
    for (let d = 0; d < dim; d++) q += vectors[o + d] * vectors[o + d];
    dotsWithRows(vectors, o, dim, seeds.data, k, dots0);
    best(dots0, Math.sqrt(q), seeds, out, i * T);
  }
  return out;
}

/** Per theme, the max over its seeds of the cosine from `dots` (a zero vector: −1), into out[at …]. */
function best(dots: Float64Array, len: number, seeds: PreparedSeeds, out: Float32Array, at: number): void {
  for (let s = 0; s < seeds.count; s++) {
    const cos = len > 0 && seeds.norm[s] > 0 ? Math.fround(dots[s] / (len * seeds.norm[s])) : -1;
    const t = seeds.themeAt[s];
    if (t < 0) continue;
    const prev = out[at + t];
    if (prev !== prev || cos > prev) out[at + t] = cos;
  }
}

/**
 * Dots of rows a and b of `data` with `count` seeds (four seeds at a time, then one), and the two
 * rows' lengths into len[0], len[1]. Each sum runs over d = 0 … dim − 1 in order, as dotsWithRows
 * (math/dots.ts, the kernel k-means uses too).
 */
function dotsOfPair(data: Float32Array, a: number, b: number, dim: number, seeds: Float32Array, count: number, outA: Float64Array, outB: Float64Array, len: Float64Array): void {
  let qa = 0;
  let qb = 0;
  for (let d = 0; d < dim; d++) {
    const x = data[a + d];
    const y = data[b + d];
    qa += x * x;
    qb += y * y;
  }
  len[0] = Math.sqrt(qa);
  len[1] = Math.sqrt(qb);
  dotsTwoRows(data, a, b, dim, seeds, count, outA, outB);
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

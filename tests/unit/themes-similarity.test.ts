/** The themes' similarity evidence (themes/similarity.ts) against its definition: max cosine over a theme's seeds. */
import { describe, expect, it } from 'vitest';
import { bestSeedSimilarity, prepareSeeds, seedSimilarities } from '../../pipeline/themes/similarity.js';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';

function rows(n: number, dim: number, seed: number): Float32Array {
  const g = normalish(mulberry32(seed));
  return Float32Array.from({ length: n * dim }, () => g());
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('best seed similarity', () => {
  it('is, per theme, the highest cosine of the text with any of its seeds (vectors of any length)', () => {
    const dim = 11;
    const vectors = rows(30, dim, 1);
    const seeds = { theme: ['a', 'b', 'a', 'c', 'b'], data: rows(5, dim, 2) };
    const best = bestSeedSimilarity(vectors, dim, [0, 7, 29, 7], seeds);
    expect([...best.keys()]).toEqual([0, 7, 29]);
    for (const row of [0, 7, 29]) {
      const v = vectors.subarray(row * dim, row * dim + dim);
      for (const theme of ['a', 'b', 'c']) {
        const expected = Math.max(...seeds.theme.flatMap((t, s) => (t === theme ? [cosine(v, seeds.data.subarray(s * dim, s * dim + dim))] : [])));
        expect(best.get(row)!.get(theme)).toBeCloseTo(expected, 6);
      }
    }
  });

  it('gives a zero vector −1 against every theme, as the SQL it replaced did', () => {
    const dim = 4;
    const vectors = new Float32Array(2 * dim);
    vectors.set([1, 0, 0, 0], dim);
    const best = bestSeedSimilarity(vectors, dim, [0, 1], { theme: ['a'], data: Float32Array.from([2, 0, 0, 0]) });
    expect(best.get(0)!.get('a')).toBe(-1);
    expect(best.get(1)!.get('a')).toBe(1);
  });

  it('two texts at a time give the one-at-a-time values bit for bit, NaN for a theme without seeds', () => {
    const dim = 37;
    const vectors = rows(9, dim, 3);
    const seeds = prepareSeeds({ theme: ['a', 'b', 'a', 'b', 'a', 'b', 'a'], data: rows(7, dim, 4) }, dim, ['a', 'b', 'none']);
    const all = seedSimilarities(vectors, dim, null, seeds);
    expect(all).toHaveLength(9 * 3);
    for (let i = 0; i < 9; i++) {
      const one = seedSimilarities(vectors, dim, [i], seeds);
      expect([...all.subarray(i * 3, i * 3 + 3)]).toEqual([...one]);
      expect(one[2]).toBeNaN();
    }
    expect([...seedSimilarities(vectors, dim, [8, 2], seeds)]).toEqual([...all.subarray(24, 27), ...all.subarray(6, 9)]);
  });
});

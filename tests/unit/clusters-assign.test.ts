/** The clusters stage's final assignment (clusters/assign.ts) and the warm start of the final fit. */
import { describe, expect, it } from 'vitest';
import { nearestCentroids } from '../../pipeline/clusters/assign.js';
import { kmeans } from '../../pipeline/clusters/clusterers/kmeans.js';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';

function unitRows(n: number, dim: number, seed: number, scale = 1): Float32Array {
  const gauss = normalish(mulberry32(seed));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (out[i * dim + d] = gauss()) ** 2;
    for (let d = 0; d < dim; d++) out[i * dim + d] *= scale / Math.sqrt(s);
  }
  return out;
}

describe('nearest centroid', () => {
  it('picks the centroid of highest cosine and reports that cosine, whatever the row length', () => {
    const dim = 13; // not a multiple of four
    const k = 7; // nor this
    const data = unitRows(200, dim, 1, 3); // rows of length 3: the cosine divides by it
    const centroids = unitRows(k, dim, 2);
    const { labels, similarity } = nearestCentroids(data, 200, dim, centroids, k);
    for (let i = 0; i < 200; i++) {
      const cos = Array.from({ length: k }, (_, c) => {
        let s = 0;
        for (let d = 0; d < dim; d++) s += data[i * dim + d] * centroids[c * dim + d];
        return s / 3;
      });
      const best = cos.indexOf(Math.max(...cos));
      expect(labels[i]).toBe(best);
      expect(similarity[i]).toBeCloseTo(cos[best], 5);
    }
  });

  it('gives a tie to the lower index, as the SQL it replaced', () => {
    const centroids = Float32Array.from([0, 1, 1, 0, 1, 0, 0, 1, 1, 0]); // 1 = 2 = 4, 0 = 3
    const { labels } = nearestCentroids(Float32Array.from([1, 0, 0, 1]), 2, 2, centroids, 5);
    expect(Array.from(labels)).toEqual([1, 0]);
  });
});

describe('k-means warm start', () => {
  it('starts from the given centroids instead of k-means++', () => {
    const data = unitRows(300, 8, 3);
    const init = unitRows(4, 8, 4);
    expect(Array.from(kmeans(data, 300, 8, 4, { seed: 1, maxIter: 0, init }).centroids)).toEqual(Array.from(init));
    expect(Array.from(kmeans(data, 300, 8, 4, { seed: 1, maxIter: 0 }).centroids)).not.toEqual(Array.from(init));
  });
});

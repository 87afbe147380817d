import { describe, it, expect } from 'vitest';
import { kmeans, silhouette, candidateKs, KMeansClusterer } from '../../pipeline/clusters/clusterers/kmeans.js';
import { classTfIdf, CtfidfLabeler } from '../../pipeline/clusters/labelers/ctfidf.js';
import { createClusterer, CLUSTERERS } from '../../pipeline/clusters/clusterers/index.js';
import { createLabeler, LABELERS } from '../../pipeline/clusters/labelers/index.js';
import { UsageError } from '../../pipeline/errors.js';

/** Three well separated groups of unit vectors around the axes of a 3-d space, with jitter. */
function blobs(perGroup: number): Float32Array {
  const out = new Float32Array(perGroup * 3 * 3);
  let x = 7;
  const jitter = () => ((x = (x * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < perGroup; i++) {
      const row = (g * perGroup + i) * 3;
      const v = [jitter(), jitter(), jitter()];
      v[g] += 1;
      const n = Math.hypot(...v);
      v.forEach((c, d) => (out[row + d] = c / n));
    }
  }
  return out;
}

describe('k-means, silhouette and class-based TF-IDF', () => {
  it('recovers three separated groups, and silhouette prefers k = 3', () => {
    const data = blobs(20);
    const km = kmeans(data, 60, 3, 3, { seed: 1 });
    for (let g = 0; g < 3; g++) {
      const labels = new Set(Array.from(km.labels.subarray(g * 20, g * 20 + 20)));
      expect(labels.size).toBe(1);
    }
    const s3 = silhouette(data, 60, 3, km.labels, 3);
    const s2 = silhouette(data, 60, 3, kmeans(data, 60, 3, 2, { seed: 1 }).labels, 2);
    expect(s3).toBeGreaterThan(s2);
  });

  it('is deterministic for a seed', () => {
    const data = blobs(15);
    expect(Array.from(kmeans(data, 45, 3, 4, { seed: 9 }).labels)).toEqual(Array.from(kmeans(data, 45, 3, 4, { seed: 9 }).labels));
  });

  it('labels a class by the terms that set it apart, not the ones every class has', () => {
    const terms = classTfIdf(
      new Map([
        [1, [['обеспечить', 'олимпиада', 'одаренный'], ['обеспечить', 'олимпиада']]],
        [2, [['обеспечить', 'воспитание'], ['обеспечить', 'патриотический', 'воспитание']]],
      ]),
    );
    expect(terms.get(1)![0].term).toBe('олимпиада');
    expect(terms.get(2)![0].term).toBe('воспитание');
  });

  it('offers a spread of k that grows with the corpus and is capped', () => {
    expect(candidateKs(39, 40)).toEqual([2, 3, 4, 5, 6]);
    expect(Math.max(...candidateKs(100_000, 40))).toBe(40);
  });
});

describe('the clusterer and labeler slots', () => {
  it('the k-means clusterer finds the three groups and returns unit centroids', () => {
    const data = blobs(20);
    // The refits (one k-means per candidate k) choose k = 3.
    const refit = new KMeansClusterer({ seed: 1, selection: 'refit' }).fit({ data, n: 60, dim: 3 });
    expect(refit.k).toBe(3);
    expect(refit.details).toMatchObject({ k: 3 });
    // One fit and its merges (the default) score k = 3 the same (0.9933) and also find a 4-partition
    // at 0.9004 — one group split — that the refit at k = 4 does not reach (0.8055): the guard (a
    // smaller k's own fit must stay within the tolerance) rejects it, so the default also says k = 3.
    const model = new KMeansClusterer({ seed: 1 }).fit({ data, n: 60, dim: 3 });
    const scores = model.details.silhouette as Record<number, number>;
    expect(scores[3]).toBe((refit.details.silhouette as Record<number, number>)[3]);
    expect(model.k).toBe(3);
    expect(model.details).toMatchObject({ k: 3 });
    for (const m of [refit, model]) {
      for (let j = 0; j < m.k; j++) expect(Math.hypot(...m.centroids.subarray(j * 3, j * 3 + 3))).toBeCloseTo(1, 5);
      // Each centroid sits on one axis: the groups' directions, every one of them.
      const axes = Array.from({ length: m.k }, (_, j) => Array.from(m.centroids.subarray(j * 3, j * 3 + 3)).findIndex((x) => x > 0.9));
      expect(new Set(axes)).toEqual(new Set([0, 1, 2]));
    }
  });

  it('the c-TF-IDF labeler names each cluster by the lemmas that set it apart, three in the label', async () => {
    const labels = await new CtfidfLabeler().label(
      new Map([
        [1, ['провести олимпиаду для одарённых детей', 'расширить олимпиадное движение одарённых школьников', 'поддержать одарённых детей на олимпиадах']],
        [2, ['развивать патриотическое воспитание молодёжи', 'усилить патриотическое воспитание школьников', 'организовать военно-патриотическое воспитание']],
      ]),
    );
    expect([...labels.keys()]).toEqual([1, 2]);
    expect(labels.get(1)!.label.split(', ')).toHaveLength(3);
    expect(labels.get(1)!.label).toMatch(/одарённый|одаренный|олимпиада/);
    expect(labels.get(2)!.label).toMatch(/патриотический|воспитание/);
    expect(labels.get(1)!.terms[0].weight).toBeGreaterThanOrEqual(labels.get(1)!.terms.at(-1)!.weight);
  });

  it('registries make a clusterer or labeler by name, and refuse an unknown one', () => {
    expect(Object.keys(CLUSTERERS)).toContain('kmeans');
    expect(Object.keys(LABELERS)).toContain('ctfidf');
    expect(createClusterer('kmeans', { seed: 5 }).params).toMatchObject({ seed: 5 });
    expect(createLabeler('ctfidf').id).toBe('ctfidf');
    expect(() => createClusterer('hdbscan')).toThrow(UsageError);
    expect(() => createLabeler('phrases-that-do-not-exist')).toThrow(/unknown labeler/);
  });
});

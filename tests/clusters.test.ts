import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Store } from '../pipeline/store/db.js';
import { ingestFolder } from '../pipeline/ingest/stage.js';
import { segmentStage } from '../pipeline/segment/stage.js';
import { embedStage } from '../pipeline/embed/stage.js';
import { clustersStage, candidateKs } from '../pipeline/clusters/stage.js';
import { kmeans, silhouette } from '../pipeline/clusters/kmeans.js';
import { classTfIdf } from '../pipeline/clusters/ctfidf.js';
import { silentLogger } from '../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from './helpers/tmp.js';

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

describe('clusters stage on the sample corpus', () => {
  let store: Store;
  const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } };
  beforeAll(async () => {
    store = await Store.open(join(tempDir(), 'clusters.duckdb'));
    await ingestFolder(store, SAMPLE_DIR, ctx);
    await segmentStage.run(store, ctx);
    await embedStage.run(store, ctx);
  });
  afterAll(() => store.close());

  const snapshot = async () => ({
    clusters: await store.all(`SELECT cluster_id, label, top_terms::VARCHAR AS t, size, n_documents, medoid_rec_id FROM clusters ORDER BY cluster_id`),
    members: await store.all(`SELECT rec_id, cluster_id, round(similarity, 6) AS s FROM rec_clusters ORDER BY rec_id`),
  });

  it('assigns every recommendation (none dropped), with labels, medoids and year spans', async () => {
    const s = await clustersStage.run(store, ctx);
    expect(s.counts.recommendations).toBe(39);
    expect(await store.scalar('SELECT count(*) FROM rec_clusters')).toBe(39);
    const clusters = await store.all<{ size: number; label: string; label_lemmas: string; phrases: string; medoid_rec_id: string; first_year: number; recurring: boolean }>(
      'SELECT * EXCLUDE (phrases), phrases::VARCHAR AS phrases FROM clusters',
    );
    expect(clusters.length).toBeGreaterThanOrEqual(2);
    const clustered = clusters.reduce((a, c) => a + c.size, 0);
    expect(clustered + (s.counts.unclustered as number)).toBe(39);
    for (const c of clusters) {
      // The label is a phrase (no lemma list), the first of the stored phrases; the lemmas stay beside it.
      expect(c.label).not.toContain(', ');
      expect(JSON.parse(c.phrases)[0].phrase).toBe(c.label);
      expect(c.label_lemmas.split(', ')).toHaveLength(3);
      expect(await store.scalar(`SELECT count(*) FROM rec_clusters WHERE rec_id = $1`, [c.medoid_rec_id])).toBe(1);
    }
    expect(clusters.some((c) => c.recurring)).toBe(true);
  });

  it('clustering twice gives identical tables', async () => {
    const first = await snapshot();
    await clustersStage.run(store, { ...ctx, options: { ...ctx.options, all: true } });
    expect(await snapshot()).toEqual(first);
  });

  it('a few new recommendations join the existing clusters without re-clustering', async () => {
    const before = await snapshot();
    const dir = tempDir();
    writeFileSync(
      join(dir, 'extra.txt'),
      'РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- развивать олимпиадное движение для одарённых детей.\n',
    );
    await ingestFolder(store, dir, ctx);
    await segmentStage.run(store, ctx);
    await embedStage.run(store, ctx);
    const s = await clustersStage.run(store, ctx);
    expect(s.counts).toMatchObject({ incremental: true, joined: 1, removed: 0 });
    const after = await snapshot();
    expect(after.members).toHaveLength(40);
    expect(after.clusters.map((c) => c.label)).toEqual(before.clusters.map((c) => c.label));
  });
});

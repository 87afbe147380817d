import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { clustersStage } from '../../pipeline/clusters/stage.js';
import { LABELERS } from '../../pipeline/clusters/labelers/index.js';
import { silentLogger } from '../../pipeline/progress.js';
import { stageFreshness } from '../../pipeline/freshness.js';
import { openSampleCopy } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };

const snapshot = async (store: Store) => ({
  clusters: await store.all<{ label: string }>(`SELECT cluster_id, label, top_terms::VARCHAR AS t, size, n_documents, medoid_rec_id FROM clusters ORDER BY cluster_id`),
  members: await store.all(`SELECT rec_id, cluster_id, round(similarity, 6) AS s FROM rec_clusters ORDER BY rec_id`),
});

/** Each test on its own copy of the sample database (ingest … similar done by the global setup). */
async function withSample(fn: (store: Store) => Promise<void>) {
  const store = await openSampleCopy();
  try {
    await fn(store);
  } finally {
    store.close();
  }
}

describe('clusters stage on the sample corpus', () => {
  it('assigns every recommendation (none dropped), with labels, medoids and year spans', () =>
    withSample(async (store) => {
      const s = await clustersStage.run(store, { ...log, options: { all: true } });
      const current = await store.scalar<number>('SELECT count(*) FROM current_recommendations');
      expect(s.counts.recommendations).toBe(current);
      expect(await store.scalar('SELECT count(*) FROM rec_clusters')).toBe(current);
      const clusters = await store.all<{ cluster_id: number; size: number; label: string; label_lemmas: string; phrases: string; medoid_rec_id: string; first_year: number; last_year: number; recurring: boolean; n_documents: number }>(
        'SELECT * EXCLUDE (phrases), phrases::VARCHAR AS phrases FROM clusters',
      );
      expect(clusters.length).toBeGreaterThanOrEqual(2);
      const clustered = clusters.reduce((a, c) => a + c.size, 0);
      expect(clustered + (s.counts.unclustered as number)).toBe(current);
      for (const c of clusters) {
        // The default labeler gives a phrase (no lemma list), the first of the stored phrases; the lemmas stay beside it.
        expect(c.label).not.toContain(', ');
        expect(JSON.parse(c.phrases)[0].phrase).toBe(c.label);
        expect(c.label_lemmas.split(', ')).toHaveLength(3);
        expect(await store.scalar(`SELECT cluster_id FROM rec_clusters WHERE rec_id = $1`, [c.medoid_rec_id])).toBe(c.cluster_id);
        const span = await store.one<{ first: number; last: number; docs: number }>(
          `SELECT min(year) AS first, max(year) AS last, count(DISTINCT doc_id) AS docs FROM current_recommendations WHERE cluster_id = $1`,
          [c.cluster_id],
        );
        expect([c.first_year, c.last_year, c.n_documents]).toEqual([span!.first, span!.last, span!.docs]);
      }
      expect(clusters.some((c) => c.recurring)).toBe(true);
    }));

  it('clustering twice gives identical tables', () =>
    withSample(async (store) => {
      const first = await snapshot(store);
      await clustersStage.run(store, { ...log, options: { all: true } });
      expect(await snapshot(store)).toEqual(first);
    }));

  it('a few new recommendations join the existing clusters without re-clustering', () =>
    withSample(async (store) => {
      const before = await snapshot(store);
      const dir = tempDir();
      writeFileSync(join(dir, 'extra.txt'), 'РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- развивать олимпиадное движение для одарённых детей.\n');
      await ingestFolder(store, dir, { ...log, options: { rehash: false } });
      await segmentStage.run(store, log);
      await embedStage.run(store, { ...log, options: { embedder: 'lexical' } });
      const s = await clustersStage.run(store, log);
      expect(s.counts).toMatchObject({ incremental: true, joined: 1, removed: 0 });
      const after = await snapshot(store);
      expect(after.members).toHaveLength(before.members.length + 1);
      expect(after.clusters.map((c) => c.label)).toEqual(before.clusters.map((c) => c.label));
    }));

  it('a labeler registered in the slot names the clusters, and changing it makes the clusters stale', () =>
    withSample(async (store) => {
      LABELERS.first_words = () => ({
        id: 'first_words',
        label: async (texts) => new Map([...texts].map(([c, t]) => [c, { label: `#${c}: ${t[0].split(' ').slice(0, 2).join(' ')}`, terms: [{ term: t[0], weight: t.length }] }])),
      });
      try {
        const fingerprint = await clustersStage.fingerprint(store, clustersStage.parseOptions({ labeler: 'first_words' }));
        expect(fingerprint.config.labeler).toBe('first_words');
        await clustersStage.run(store, { ...log, options: clustersStage.parseOptions({ labeler: 'first_words' }) });
        const labels = await store.all<{ cluster_id: number; label: string; size: number; t: string }>(`SELECT cluster_id, label, size, top_terms::VARCHAR AS t FROM clusters ORDER BY cluster_id`);
        for (const l of labels) {
          expect(l.label).toMatch(new RegExp(`^#${l.cluster_id}: \\S+ \\S+$`));
          expect(JSON.parse(l.t)[0].weight).toBeLessThanOrEqual(l.size);
        }
        // Measured against the default labeler, the clusters are now stale.
        expect(await stageFreshness(store, 'clusters')).toMatchObject({ fresh: false, status: 'config-changed', refreshCommand: 'confrec clusters' });
      } finally {
        delete LABELERS.first_words;
      }
    }));
});

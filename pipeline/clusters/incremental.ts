import { createHash } from 'node:crypto';
import type { Store } from '../store/db.js';
import type { CurrentEmbedding } from '../embed/current.js';
import type { StageSummary } from '../stages.js';

/** Bumped when clustering changes so that stored clusters are recomputed. */
export const CLUSTERS_VERSION = 'clusters-2';

/** Share of new or removed recommendations up to which they join the existing clusters. */
export const MAX_INCREMENTAL_SHARE = 0.1;

export function clusterFingerprint(params: object, embedderId: string): string {
  return createHash('sha256').update(JSON.stringify({ v: CLUSTERS_VERSION, params, embedderId })).digest('hex').slice(0, 16);
}

/**
 * When the clusters were computed with the same parameters in the same embedding space and only a
 * few recommendations came or went, the new ones are assigned to the nearest stored centroid (in SQL)
 * and the statistics recomputed; labels stay. Returns null when a full clustering is needed.
 */
export async function joinExistingClusters(
  store: Store,
  current: CurrentEmbedding,
  fingerprint: string,
  runId: number,
  segmentedAfter: number,
): Promise<(StageSummary & { counts: Record<string, unknown> }) | { counts: Record<string, unknown>; line: string } | null> {
  const last = await store.one<{ fp: string | null }>(
    `SELECT json_extract_string(params, '$.fingerprint') AS fp FROM runs WHERE stage = 'clusters' AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
  );
  if (last?.fp !== fingerprint) return null;
  if ((await store.scalar<number>(`SELECT count(*) FROM cluster_centroids WHERE embedder = $1`, [current.id])) === 0) return null;
  // Recommendations re-segmented since the last run keep their rec_id but may have a new text: they
  // count as gone and as new.
  const current_ = `SELECT r.rec_id FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current AND r.run_id <= $1`;
  const known = await store.scalar<number>(`SELECT count(*) FROM rec_clusters`);
  const gone = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE rec_id NOT IN (${current_})`, [segmentedAfter]);
  const fresh = await store.scalar<number>(
    `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id)
     WHERE d.is_current AND (r.run_id > $1 OR r.rec_id NOT IN (SELECT rec_id FROM rec_clusters))`,
    [segmentedAfter],
  );
  if (known === 0 || fresh + gone > MAX_INCREMENTAL_SHARE * known) return null;

  const dim = Math.trunc(current.dim);
  if (fresh + gone > 0) await store.transaction(async () => {
    await store.run(`DELETE FROM rec_clusters WHERE rec_id NOT IN (${current_})`, [segmentedAfter]);
    await store.run(
      `INSERT INTO rec_clusters
       SELECT r.rec_id,
              first(c.cluster_id ORDER BY array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}]) DESC NULLS LAST, c.c),
              max(array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}])),
              $2
       FROM recommendations r JOIN documents d USING (doc_id)
       JOIN embeddings e ON e.text_hash = r.text_hash AND e.embedder = $1
       CROSS JOIN cluster_centroids c
       WHERE d.is_current AND c.embedder = $1 AND r.rec_id NOT IN (SELECT rec_id FROM rec_clusters)
       GROUP BY r.rec_id`,
      [current.id, runId],
    );
    // Statistics and medoids follow the members; labels keep describing the fitted clusters.
    await store.run(
      `UPDATE clusters SET size = s.size, n_documents = s.n_documents, n_conferences = s.n_conferences,
              first_year = s.first_year, last_year = s.last_year, medoid_rec_id = s.medoid, recurring = s.n_documents >= 2
       FROM (SELECT rc.cluster_id, count(*) AS size, count(DISTINCT r.doc_id) AS n_documents,
                    count(DISTINCT coalesce(d.title, d.doc_id)) AS n_conferences, min(d.year) AS first_year,
                    max(d.year) AS last_year, first(rc.rec_id ORDER BY rc.similarity DESC, rc.rec_id) AS medoid
             FROM rec_clusters rc JOIN recommendations r USING (rec_id) JOIN documents d USING (doc_id)
             WHERE rc.cluster_id IS NOT NULL GROUP BY rc.cluster_id) s
       WHERE clusters.cluster_id = s.cluster_id`,
    );
  });
  const total = await store.scalar<number>(`SELECT count(*) FROM rec_clusters`);
  const clusters = await store.scalar<number>(`SELECT count(*) FROM clusters`);
  const recurring = await store.scalar<number>(`SELECT count(*) FROM clusters WHERE recurring`);
  const unclustered = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE cluster_id IS NULL`);
  return {
    counts: { recommendations: total, incremental: true, joined: fresh, removed: gone, clusters, recurring, unclustered },
    line: `clusters: ${fresh} new recommendation(s) joined the existing ${clusters} cluster(s), ${gone} removed (re-cluster with --all)`,
  };
}

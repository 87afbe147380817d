import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { withScratch } from '../store/scratch.js';
import { embeddingsOf, type CurrentEmbedding } from '../embed/current.js';

/**
 * When the clusters were computed with the same configuration in the same embedding space (the
 * stage's fingerprint says so) and only a few recommendations came or went, the new ones are
 * assigned to the nearest stored centroid (in SQL) and the statistics recomputed; labels stay.
 * Returns null when a full clustering is needed (config.incremental.clustersMaxChange).
 */
export async function joinExistingClusters(
  store: Store,
  current: CurrentEmbedding,
  runId: number,
  segmentedAfter: number,
): Promise<{ counts: Record<string, unknown>; line: string } | null> {
  if ((await store.scalar<number>(`SELECT count(*) FROM cluster_centroids WHERE embedder = $1`, [current.id])) === 0) return null;
  // Recommendations re-segmented since the last run keep their rec_id but may have a new text: they
  // count as gone and as new.
  const current_ = `SELECT r.rec_id FROM recommendations r JOIN current_documents USING (doc_id) WHERE r.run_id <= $1`;
  const known = await store.scalar<number>(`SELECT count(*) FROM rec_clusters`);
  const gone = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE rec_id NOT IN (${current_})`, [segmentedAfter]);
  const fresh = await store.scalar<number>(
    `SELECT count(*) FROM recommendations r JOIN current_documents USING (doc_id)
     WHERE r.run_id > $1 OR r.rec_id NOT IN (SELECT rec_id FROM rec_clusters)`,
    [segmentedAfter],
  );
  if (known === 0 || fresh + gone > config.incremental.clustersMaxChange * known) return null;

  const dim = Math.trunc(current.dim);
  if (fresh + gone > 0) await withScratch(store, 'clusters', (scratch) => store.transaction(async () => {
    await store.run(`DELETE FROM rec_clusters WHERE rec_id NOT IN (${current_})`, [segmentedAfter]);
    // The recommendations without a cluster are listed first and only they are joined to their
    // vectors: with the NOT IN in the same query DuckDB joined every recommendation to its vector
    // before filtering (0.5–1 s at 10,000 resolutions for 11 new ones; ≈ 0.15 s this way), and their
    // vectors are fetched by rowid (embeddingsOf): a join on text_hash read all 696,000 at 100k (2.1 s).
    const joining = await scratch.query(
      'joining',
      `SELECT r.rec_id, r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)
       WHERE r.rec_id NOT IN (SELECT rec_id FROM rec_clusters)`,
    );
    await store.run(
      `INSERT INTO rec_clusters
       SELECT r.rec_id,
              first(c.cluster_id ORDER BY array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}]) DESC NULLS LAST, c.c),
              max(array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}])),
              $2
       FROM ${joining.name} r
       JOIN ${embeddingsOf(`SELECT text_hash FROM ${joining.name}`, '$1')} e USING (text_hash)
       CROSS JOIN cluster_centroids c
       WHERE c.embedder = $1
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
  }));
  const total = await store.scalar<number>(`SELECT count(*) FROM rec_clusters`);
  const clusters = await store.scalar<number>(`SELECT count(*) FROM clusters`);
  const recurring = await store.scalar<number>(`SELECT count(*) FROM clusters WHERE recurring`);
  const unclustered = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE cluster_id IS NULL`);
  return {
    counts: { recommendations: total, incremental: true, joined: fresh, removed: gone, clusters, recurring, unclustered },
    line: `clusters: ${fresh} new recommendation(s) joined the existing ${clusters} cluster(s), ${gone} removed (re-cluster with --all)`,
  };
}

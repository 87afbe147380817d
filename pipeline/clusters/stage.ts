import { FLOAT, INTEGER, LIST, VARCHAR } from '@duckdb/node-api';
import { choiceFlag } from '../flags.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { checkFreshness, fingerprintParams, recommendationInputs, watermarkOf, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { CLUSTERERS, DEFAULT_CLUSTERER, createClusterer, type Clusterer } from './clusterers/index.js';
import { nearestCentroids } from './assign.js';
import { LABELERS, DEFAULT_LABELER, createLabeler } from './labelers/index.js';
import { joinExistingClusters } from './incremental.js';
import { readVectorRows } from '../store/vectors.js';

export { candidateKs, chooseK } from './clusterers/kmeans.js';

/** Bumped when clustering changes so that stored clusters are recomputed. */
export const CLUSTERS_VERSION = 'clusters-3';

/** What the stage itself does around the clusterer and the labeler. */
export interface ClusterParams {
  /** Rows the centroids are fitted on (a deterministic sample); every row is then assigned in SQL. */
  fitSample: number;
  /** Texts per cluster the labeler sees. */
  labelSample: number;
  /** Clusters smaller than this are dissolved; their members are kept as unclustered. */
  minClusterSize: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = { fitSample: 20_000, labelSample: 1_000, minClusterSize: 3 };

export interface ClustersOptions {
  /** Cluster again from scratch instead of letting a few new recommendations join the stored clusters. */
  all: boolean;
  /** Registry names (clusterers/index.ts, labelers/index.ts). */
  clusterer: string;
  labeler: string;
  /** The clusterer's own parameters (k-means: seed, selectionSample, maxK). */
  clustererParams: Record<string, unknown>;
  params: ClusterParams;
}

function clustersFingerprintConfig(o: ClustersOptions, clusterer: Clusterer, current: CurrentEmbedding | null): Record<string, unknown> {
  return { version: CLUSTERS_VERSION, params: o.params, clusterer: { id: clusterer.id, ...clusterer.params }, labeler: o.labeler, embedder: current?.id ?? null };
}

/** What the clusters depend on: the current recommendations, the embedding space, clusterer, labeler and parameters. */
async function clustersFingerprint(store: Store, o: ClustersOptions): Promise<Fingerprint> {
  const current = await currentEmbedding(store);
  return { inputs: await recommendationInputs(store), config: clustersFingerprintConfig(o, createClusterer(o.clusterer, o.clustererParams), current) };
}

/**
 * The clusters stage: discovers recurring themes beyond the seeded four. A clusterer (the slot
 * clusterers/, k-means with k by silhouette by default) fits centroids on a sample of the current
 * vectors; the final assignment of every recommendation to its nearest centroid, the medoids and the
 * per-cluster statistics are DuckDB SQL over the stored vectors; a labeler (the slot labelers/,
 * class-based TF-IDF by default) names each cluster from a sample of its texts.
 */
export const clustersStage: PipelineStage<ClustersOptions> = {
  name: 'clusters',
  after: ['segment', 'embed'],
  refresh: 'confrec clusters',
  flags: { all: { type: 'boolean' }, clusterer: { type: 'string' }, labeler: { type: 'string' } },
  parseOptions: (values) => ({
    all: values.all === true,
    clusterer: choiceFlag(values.clusterer, 'clusterer', Object.keys(CLUSTERERS), DEFAULT_CLUSTERER),
    labeler: choiceFlag(values.labeler, 'labeler', Object.keys(LABELERS), DEFAULT_LABELER),
    clustererParams: {},
    params: DEFAULT_CLUSTER_PARAMS,
  }),
  fingerprint: clustersFingerprint,
  async run(store: Store, ctx: StageContext<ClustersOptions>) {
    const o = stageOptions(clustersStage, ctx);
    const p = { ...DEFAULT_CLUSTER_PARAMS, ...o.params };
    const clusterer = createClusterer(o.clusterer, o.clustererParams);
    const labeler = createLabeler(o.labeler);
    const current = await currentEmbedding(store);
    const fingerprint: Fingerprint = { inputs: await recommendationInputs(store), config: clustersFingerprintConfig({ ...o, params: p }, clusterer, current) };
    const freshness = await checkFreshness(store, 'clusters', fingerprint);
    const since = watermarkOf(freshness.last);
    const params = { ...p, clusterer: clusterer.id, ...clusterer.params, labeler: labeler.id, embedder: current?.id ?? null, ...fingerprintParams(fingerprint) };
    return withRun(store, 'clusters', params, async (runId) => {
      if (!current) {
        return { counts: { recommendations: 0, clusters: 0 }, line: 'clusters: skipped (no embeddings yet: run `confrec embed`)' };
      }
      const sameSpace = freshness.status === 'fresh' || freshness.status === 'inputs-changed';
      if (!o.all && sameSpace && since !== null) {
        const inc = await joinExistingClusters(store, current, runId, since);
        if (inc) return inc;
      }
      return withScratch(store, 'clusters', async (scratch) => {
        const dim = Math.trunc(current.dim);
        const t0 = Date.now();
        // Every current text's vector, read once (unordered, straight from the chunks' float storage):
        // the fit sample is taken from it and every text assigned here. Before, DuckDB read the vectors
        // twice — a top-20,000 by md5 with the vectors as payload, and a cross join of 74,914 rows × k
        // cosines in SQL — and getColumnsJS made 20,000 JS arrays of 256 numbers.
        const texts = await readVectorRows(
          store,
          `SELECT e.text_hash, e.vector FROM current_embeddings e
           WHERE len(e.vector) = ${dim} AND e.text_hash IN (SELECT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id))`,
          undefined,
          dim,
        );
        const rowOf = new Map(texts.keys.map((h, i) => [h, i]));
        // Centroids are fitted on a deterministic sample (md5 order of rec_id; a text counts once per
        // recommendation, as before); every text is assigned below.
        const order = await store.all<{ text_hash: string }>(
          `SELECT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id) ORDER BY md5(r.rec_id)`,
        );
        const picked: number[] = [];
        let n = 0;
        for (const { text_hash } of order) {
          const row = rowOf.get(text_hash);
          if (row === undefined) continue;
          n++;
          if (picked.length < p.fitSample) picked.push(row);
        }
        const m = picked.length;
        const data = new Float32Array(m * dim);
        picked.forEach((row, i) => data.set(texts.data.subarray(row * dim, row * dim + dim), i * dim));
        const progress = createProgress('clusters', 3, ctx);
        const t1 = Date.now();
        const model = clusterer.fit({ data, n: m, dim });
        const t2 = Date.now();
        progress.tick(1, `k = ${model.k}`);

        // Every text to its nearest centroid (cosine; ties to the lower index, as the SQL it replaces).
        const centroids = await scratch.table<{ c: number; vector: number[] }>('centroids', { c: INTEGER, vector: LIST(FLOAT) });
        await centroids.append(Array.from({ length: model.k }, (_, j) => ({ c: j, vector: Array.from(model.centroids.subarray(j * dim, j * dim + dim)) })));
        const nearest = nearestCentroids(texts.data, texts.keys.length, dim, model.centroids, model.k);
        const byText = await scratch.table<{ text_hash: string; c: number; similarity: number }>('by_text', { text_hash: VARCHAR, c: INTEGER, similarity: FLOAT });
        await byText.appendValues(texts.keys.map((h, i) => [h, nearest.labels[i], nearest.similarity[i]]));
        const assignment = await scratch.query(
          'assignment',
          `SELECT r.rec_id, r.doc_id, t.c, t.similarity
           FROM recommendations r JOIN current_documents USING (doc_id) JOIN ${byText.name} t USING (text_hash)`,
        );
        await scratch.drop(byText);
        progress.tick(1, 'assigning');
        const t3 = Date.now();
        // Clusters below the minimum size dissolve; ids follow size, then the medoid's id, for stability.
        const stats = await store.all<{
          c: number; size: number; n_documents: number; n_conferences: number; first_year: number | null; last_year: number | null; medoid: string;
        }>(
          `SELECT a.c, count(*) AS size, count(DISTINCT a.doc_id) AS n_documents,
                  count(DISTINCT coalesce(d.title, d.doc_id)) AS n_conferences,
                  min(d.year) AS first_year, max(d.year) AS last_year,
                  first(a.rec_id ORDER BY a.similarity DESC, a.rec_id) AS medoid
           FROM ${assignment.name} a JOIN documents d USING (doc_id)
           GROUP BY a.c HAVING count(*) >= $1
           ORDER BY size DESC, medoid`,
          [Math.min(p.minClusterSize, Math.max(2, Math.floor(n / 10)))],
        );
        const idOf = new Map(stats.map((s, i) => [s.c, i + 1]));

        // Labels from a deterministic sample of each kept cluster's texts (a few thousand are plenty).
        const textsByCluster = new Map<number, string[]>();
        const labelRows = await store.all<{ c: number; text: string }>(
          `SELECT a.c, coalesce(r.proposal, r.text) AS text FROM ${assignment.name} a JOIN recommendations r USING (rec_id)
           QUALIFY row_number() OVER (PARTITION BY a.c ORDER BY md5(a.rec_id)) <= $1`,
          [p.labelSample],
        );
        for (const row of labelRows) {
          const id = idOf.get(row.c);
          if (id !== undefined) (textsByCluster.get(id) ?? textsByCluster.set(id, []).get(id)!).push(row.text);
        }
        const t4 = Date.now();
        const labels = await labeler.label(textsByCluster);
        const t5 = Date.now();
        progress.tick(1);
        progress.done();

        await store.transaction(async () => {
          await store.run('DELETE FROM clusters');
          await store.run('DELETE FROM rec_clusters');
          for (const s of stats) {
            const id = idOf.get(s.c)!;
            const label = labels.get(id) ?? { label: '', terms: [] };
            await store.run(
              `INSERT INTO clusters (cluster_id, run_id, label, top_terms, size, n_documents, n_conferences, first_year, last_year,
                                     medoid_rec_id, recurring, label_lemmas, phrases)
               VALUES ($1, $2, $3, $4::JSON, $5, $6, $7, $8, $9, $10, $11, $12, $13::JSON)`,
              [id, runId, label.label, JSON.stringify(label.terms), s.size, s.n_documents, s.n_conferences,
                s.first_year, s.last_year, s.medoid, s.n_documents >= 2, label.lemmaLabel ?? label.label, JSON.stringify(label.phrases ?? [])],
            );
          }
          const clusterIds = await scratch.table<{ c: number; cluster_id: number }>('ids', { c: INTEGER, cluster_id: INTEGER });
          await clusterIds.append([...idOf].map(([c, id]) => ({ c, cluster_id: id })));
          await store.run(
            `INSERT INTO rec_clusters SELECT a.rec_id, i.cluster_id, a.similarity, $1 FROM ${assignment.name} a LEFT JOIN ${clusterIds.name} i USING (c)`,
            [runId],
          );
          await store.run('DELETE FROM cluster_centroids');
          await store.run(
            `INSERT INTO cluster_centroids SELECT c.c, i.cluster_id, $1, c.vector, $2 FROM ${centroids.name} c LEFT JOIN ${clusterIds.name} i USING (c)`,
            [current.id, runId],
          );
        });
        const t6 = Date.now();
        const unclustered = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE cluster_id IS NULL`);
        const recurring = stats.filter((s) => s.n_documents >= 2).length;
        const counts = { recommendations: n, k: model.k, ...model.details, clusters: stats.length, recurring, unclustered,
          read_ms: t1 - t0, fit_ms: t2 - t1, assign_ms: t3 - t2, stats_ms: t4 - t3, label_ms: t5 - t4, write_ms: t6 - t5 };
        const how = clusterer.id === 'kmeans' ? `k = ${counts.k} by silhouette` : `${clusterer.id}: k = ${counts.k}`;
        return {
          counts,
          line: `clusters: ${stats.length} cluster(s) (${how}), ${recurring} recurring across documents, ${unclustered} recommendation(s) unclustered`,
        };
      });
    });
  },
};

import { FLOAT, INTEGER, LIST } from '@duckdb/node-api';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { currentEmbedding } from '../embed/current.js';
import { loadMorph } from '../text/morph.js';
import { RUSSIAN_STOPWORDS } from '../text/stopwords.js';
import { lemmatise } from '../themes/evidence.js';
import { kmeans, silhouette } from './kmeans.js';
import { classTfIdf } from './ctfidf.js';
import { phraseLabels } from './phrase-labeler.js';
import { clusterFingerprint, joinExistingClusters } from './incremental.js';
import { lastWatermark, segmentWatermark } from '../store/runs.js';

export interface ClusterParams {
  seed: number;
  /** Rows the centroids are fitted on (a deterministic sample); every row is then assigned in SQL. */
  fitSample: number;
  /** Rows used to choose k (k-means + silhouette on a deterministic sample). */
  selectionSample: number;
  /** Texts per cluster used for its label. */
  labelSample: number;
  /** Clusters smaller than this are dissolved; their members are kept as unclustered. */
  minClusterSize: number;
  maxK: number;
}

/** Lemmas that describe no topic in this genre (dates, quantities) and so make poor labels. */
const LABEL_NOISE = new Set(['год', 'месяц', 'число', 'рамка', 'счет', 'целое', 'иной', 'ряд', 'тот', 'весь', 'год.']);

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  seed: 42,
  fitSample: 20_000,
  selectionSample: 2_000,
  labelSample: 3_000,
  minClusterSize: 3,
  maxK: 40,
};

/** Candidate numbers of clusters for n items: a spread up to √n (and n/4), never more than maxK. */
export function candidateKs(n: number, maxK: number): number[] {
  const hi = Math.min(maxK, Math.max(2, Math.floor(Math.sqrt(n))), Math.floor(n / 4));
  if (hi < 2) return [1];
  const out = new Set<number>();
  for (let k = 2; k <= Math.min(hi, 6); k++) out.add(k);
  for (let k = 8; k <= hi; k = Math.ceil(k * 1.4)) out.add(k);
  out.add(hi);
  return [...out].sort((a, b) => a - b);
}

/**
 * Picks k by mean silhouette of k-means on a deterministic sample. Silhouettes that differ by less
 * than 10% of the best are within sampling noise, so among those the largest k is taken: finer
 * clusters say more in a report than two broad ones that are no better separated.
 */
export function chooseK(data: Float32Array, n: number, dim: number, p: ClusterParams): { k: number; scores: Record<number, number> } {
  const step = Math.max(1, Math.floor(n / p.selectionSample));
  const rows: number[] = [];
  for (let i = 0; i < n && rows.length < p.selectionSample; i += step) rows.push(i);
  const sample = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => sample.set(data.subarray(r * dim, r * dim + dim), i * dim));
  const scores: Record<number, number> = {};
  let bestScore = -Infinity;
  for (const k of candidateKs(rows.length, p.maxK)) {
    if (k < 2) break;
    const km = kmeans(sample, rows.length, dim, k, { seed: p.seed, maxIter: 15 });
    const s = silhouette(sample, rows.length, dim, km.labels, km.k, 800);
    scores[k] = Number(s.toFixed(4));
    bestScore = Math.max(bestScore, s);
  }
  const near = Object.entries(scores).filter(([, s]) => s >= bestScore - Math.max(0.1 * Math.abs(bestScore), 1e-4));
  return { k: near.length ? Math.max(...near.map(([k]) => Number(k))) : 1, scores };
}

/**
 * The clusters stage: discovers recurring themes beyond the seeded four. Vectors are clustered with
 * spherical k-means (k by silhouette); the final assignment of every recommendation to its nearest
 * centroid, the medoids and the per-cluster statistics are DuckDB SQL over the stored vectors.
 */
export const clustersStage: PipelineStage = {
  name: 'clusters',
  async run(store: Store, ctx: StageContext) {
    const p = { ...DEFAULT_CLUSTER_PARAMS, ...((ctx.options.clusterParams as Partial<ClusterParams>) ?? {}) };
    const current = await currentEmbedding(store);
    const since = await lastWatermark(store, 'clusters');
    const params = {
      ...p,
      embedder: current?.id ?? null,
      fingerprint: current ? clusterFingerprint(p, current.id) : null,
      segment_run: await segmentWatermark(store),
    };
    return withRun(store, 'clusters', params, async (runId) => {
      if (!current) {
        return { counts: { recommendations: 0, clusters: 0 }, line: 'clusters: skipped (no embeddings yet: run `confrec embed`)' };
      }
      const dim = Math.trunc(current.dim);
      const fingerprint = clusterFingerprint(p, current.id);
      if (!ctx.options.all && since !== null) {
        const inc = await joinExistingClusters(store, current, fingerprint, runId, since);
        if (inc) return inc;
      }
      const n = await store.scalar<number>(
        `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id)
         JOIN embeddings e ON e.text_hash = r.text_hash AND e.embedder = $1 WHERE d.is_current`,
        [current.id],
      );
      // Centroids are fitted on a deterministic sample (md5 order of rec_id); every row is assigned below.
      const rows = await store.all<{ vector: number[] }>(
        `SELECT e.vector FROM recommendations r JOIN documents d USING (doc_id)
         JOIN embeddings e ON e.text_hash = r.text_hash AND e.embedder = $1
         WHERE d.is_current ORDER BY md5(r.rec_id) LIMIT $2`,
        [current.id, p.fitSample],
      );
      const m = rows.length;
      const data = new Float32Array(m * dim);
      rows.forEach((r, i) => data.set(r.vector, i * dim));
      const progress = createProgress('clusters', 3, ctx);
      const { k, scores } = m >= 6 ? chooseK(data, m, dim, p) : { k: 1, scores: {} };
      progress.tick(1, `k = ${k}`);
      const km = kmeans(data, m, dim, k, { seed: p.seed, maxIter: 40 });
      progress.tick(1, 'assigning');

      // Final assignment, medoids and statistics in SQL over the stored vectors.
      await store.run(`CREATE OR REPLACE TEMP TABLE centroids (c INTEGER, vector FLOAT[])`);
      await store.append(
        'centroids',
        [INTEGER, LIST(FLOAT)],
        Array.from({ length: km.k }, (_, j) => [j, Array.from(km.centroids.subarray(j * dim, j * dim + dim))]),
      );
      await store.run(
        `CREATE OR REPLACE TEMP TABLE assignment AS
         SELECT r.rec_id, r.doc_id, first(c.c ORDER BY array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}]) DESC NULLS LAST, c.c) AS c,
                max(array_cosine_similarity(e.vector::FLOAT[${dim}], c.vector::FLOAT[${dim}])) AS similarity
         FROM recommendations r JOIN documents d USING (doc_id)
         JOIN embeddings e ON e.text_hash = r.text_hash AND e.embedder = $1
         CROSS JOIN centroids c
         WHERE d.is_current
         GROUP BY r.rec_id, r.doc_id`,
        [current.id],
      );
      // Clusters below the minimum size dissolve; ids follow size, then the medoid's id, for stability.
      const stats = await store.all<{
        c: number; size: number; n_documents: number; n_conferences: number; first_year: number | null; last_year: number | null; medoid: string;
      }>(
        `SELECT a.c, count(*) AS size, count(DISTINCT a.doc_id) AS n_documents,
                count(DISTINCT coalesce(d.title, d.doc_id)) AS n_conferences,
                min(d.year) AS first_year, max(d.year) AS last_year,
                first(a.rec_id ORDER BY a.similarity DESC, a.rec_id) AS medoid
         FROM assignment a JOIN documents d USING (doc_id)
         GROUP BY a.c HAVING count(*) >= $1
         ORDER BY size DESC, medoid`,
        [Math.min(p.minClusterSize, Math.max(2, Math.floor(n / 10)))],
      );
      const idOf = new Map(stats.map((s, i) => [s.c, i + 1]));

      // Labels: class-based TF-IDF over content lemmas of each cluster's texts (a deterministic sample
      // of each large cluster is plenty for the most distinctive words).
      const morph = await loadMorph();
      const byCluster = new Map<number, string[][]>();
      const textsByCluster = new Map<number, string[]>();
      const labelRows = await store.all<{ c: number; text: string }>(
        `SELECT a.c, coalesce(r.proposal, r.text) AS text FROM assignment a JOIN recommendations r USING (rec_id)
         QUALIFY row_number() OVER (PARTITION BY a.c ORDER BY md5(a.rec_id)) <= $1`,
        [p.labelSample],
      );
      for (const row of labelRows) {
        const id = idOf.get(row.c);
        if (id === undefined) continue;
        const lemmas = lemmatise(row.text, morph).filter((l) => l.length >= 3 && !RUSSIAN_STOPWORDS.has(l) && !LABEL_NOISE.has(l) && !/\d/.test(l));
        (byCluster.get(id) ?? byCluster.set(id, []).get(id)!).push(lemmas);
        (textsByCluster.get(id) ?? textsByCluster.set(id, []).get(id)!).push(row.text);
      }
      const terms = classTfIdf(byCluster, 8);
      // The label people read: the cluster's most distinctive noun phrase (phrase-labeler.ts); the lemmas stay as a secondary field.
      const phrases = phraseLabels(textsByCluster, morph);
      progress.tick(1);
      progress.done();

      await store.transaction(async () => {
        await store.run('DELETE FROM clusters');
        await store.run('DELETE FROM rec_clusters');
        for (const s of stats) {
          const id = idOf.get(s.c)!;
          const top = (terms.get(id) ?? []).map((t) => ({ term: t.term, weight: Number(t.weight.toFixed(5)) }));
          const lemmaLabel = top.slice(0, 3).map((t) => t.term).join(', ');
          const phrase = phrases.get(id);
          await store.run(
            `INSERT INTO clusters (cluster_id, run_id, label, top_terms, size, n_documents, n_conferences, first_year, last_year,
                                   medoid_rec_id, recurring, label_lemmas, phrases)
             VALUES ($1, $2, $3, $4::JSON, $5, $6, $7, $8, $9, $10, $11, $12, $13::JSON)`,
            [id, runId, phrase?.label ?? lemmaLabel, JSON.stringify(top), s.size, s.n_documents, s.n_conferences,
              s.first_year, s.last_year, s.medoid, s.n_documents >= 2, lemmaLabel, JSON.stringify(phrase?.phrases ?? [])],
          );
        }
        await store.run(`CREATE OR REPLACE TEMP TABLE cluster_ids (c INTEGER, cluster_id INTEGER)`);
        await store.append('cluster_ids', [INTEGER, INTEGER], [...idOf].map(([c, id]) => [c, id]));
        await store.run(
          `INSERT INTO rec_clusters SELECT a.rec_id, i.cluster_id, a.similarity, $1 FROM assignment a LEFT JOIN cluster_ids i USING (c)`,
          [runId],
        );
        await store.run('DELETE FROM cluster_centroids');
        await store.run(
          `INSERT INTO cluster_centroids SELECT c.c, i.cluster_id, $1, c.vector, $2 FROM centroids c LEFT JOIN cluster_ids i USING (c)`,
          [current.id, runId],
        );
      });
      await store.run('DROP TABLE IF EXISTS assignment; DROP TABLE IF EXISTS centroids; DROP TABLE IF EXISTS cluster_ids');
      const unclustered = await store.scalar<number>(`SELECT count(*) FROM rec_clusters WHERE cluster_id IS NULL`);
      const recurring = stats.filter((s) => s.n_documents >= 2).length;
      const counts = { recommendations: n, k, silhouette: scores, clusters: stats.length, recurring, unclustered };
      return {
        counts,
        line: `clusters: ${stats.length} cluster(s) (k = ${k} by silhouette), ${recurring} recurring across documents, ${unclustered} recommendation(s) unclustered`,
      };
    });
  },
};

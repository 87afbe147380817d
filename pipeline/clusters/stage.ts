import { choiceFlag } from '../flags.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { checkFreshness, fingerprintParams, recommendationInputs, watermarkOf, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { CLUSTERERS, DEFAULT_CLUSTERER, createClusterer, type Clusterer } from './clusterers/index.js';
import { assignMembers } from './assign.js';
import { LABELERS, DEFAULT_LABELER, createLabeler } from './labelers/index.js';
import { PHRASE_SAMPLE } from './labelers/phrases.js';
import { joinExistingClusters } from './incremental.js';
import { currentVectorSet } from '../store/vectors.js';
import { clusterStatistics, sampleMembers, type Members } from './statistics.js';
import { DOUBLE, INTEGER } from '@duckdb/node-api';
import { withScratch, type Scratch, type TableRef } from '../store/scratch.js';
import { CLUSTER_CENTROIDS } from '../store/columns.js';

export { candidateKs, chooseK } from './clusterers/kmeans.js';

/** Bumped when clustering changes so that stored clusters are recomputed. */
export const CLUSTERS_VERSION = 'clusters-4';

/** What the stage itself does around the clusterer and the labeler. */
export interface ClusterParams {
  /** Rows the centroids are fitted on (a deterministic sample); every row is then assigned in SQL. */
  fitSample: number;
  /** Texts per cluster the labeler sees (as many as the phrase labeler reads: labelers/phrases.ts PHRASE_SAMPLE). */
  labelSample: number;
  /** Clusters smaller than this are dissolved; their members are kept as unclustered. */
  minClusterSize: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = { fitSample: 20_000, labelSample: PHRASE_SAMPLE, minClusterSize: 3 };

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
        // Every current vector, read once per process (store/vectors.ts: kept from the embed stage of
        // the same `confrec run`, else read straight from the chunks' float storage).
        const texts = await currentVectorSet(store, current);
        // The current documents and recommendations numbered in SQL, so that only numbers and the
        // text hashes cross into JS (reading rec_id and doc_id strings was most of the stage's
        // reading: ≈ 0.2 s at 75,000 recommendations): a document by its code; a recommendation by
        // its place in md5(rec_id) order (`ord`: the fit sample is the head of that order, the
        // labeler's sample each cluster's first members) and its rank in rec_id order (ties of the
        // medoid go to the smaller rec_id).
        const docs = await scratch.query(
          'docs',
          `SELECT (row_number() OVER (ORDER BY doc_id) - 1)::INTEGER AS code, doc_id, coalesce(title, doc_id) AS conference, year
             FROM documents WHERE doc_id IN (SELECT doc_id FROM current_documents)`,
        );
        const ordered = await scratch.query(
          'members',
          `SELECT (row_number() OVER (ORDER BY md5(r.rec_id)) - 1)::INTEGER AS ord, (row_number() OVER (ORDER BY r.rec_id) - 1)::INTEGER AS rank,
                  r.rec_id, r.text_hash, d.code
             FROM recommendations r JOIN ${docs.name} d USING (doc_id)`,
        );
        const recs = await store.columns<{ text_hash: string[]; rank: number[]; code: number[] }>(`SELECT text_hash, rank, code FROM ${ordered.name} ORDER BY ord`);
        // Members: the recommendations whose text has a vector (index into recs = ord).
        const members: number[] = [];
        const rowOfMember: number[] = [];
        for (let i = 0; i < recs.text_hash.length; i++) {
          const row = texts.rowOf.get(recs.text_hash[i]);
          if (row === undefined) continue;
          members.push(i);
          rowOfMember.push(row);
        }
        const n = members.length;
        const m = Math.min(n, p.fitSample);
        const data = new Float32Array(m * dim);
        for (let i = 0; i < m; i++) data.set(texts.data.subarray(rowOfMember[i] * dim, rowOfMember[i] * dim + dim), i * dim);
        const progress = createProgress('clusters', 3, ctx);
        const t1 = Date.now();
        const model = clusterer.fit({ data, n: m, dim });
        const t2 = Date.now();
        progress.tick(1, `k = ${model.k}`);

        // Every member to its nearest centroid (cosine; ties to the lower index). Where the fit says
        // where its sample rows (the head of the members) landed, that is taken and only their
        // similarity computed (assign.ts assignMembers).
        const { labels: cluster, similarity } = assignMembers(texts.data, rowOfMember, dim, model.centroids, model.k, model.labels);
        const assigned: Members = {
          recRank: Int32Array.from(members, (i) => recs.rank[i]),
          doc: Int32Array.from(members, (i) => recs.code[i]),
          cluster,
          similarity,
        };
        progress.tick(1, 'assigning');
        const t3 = Date.now();
        // Clusters below the minimum size dissolve; ids follow size, then the medoid's id, for stability.
        const facts = await store.columns<{ conference: string[]; year: (number | null)[] }>(`SELECT conference, year FROM ${docs.name} ORDER BY code`);
        const documents = facts.conference.map((conference, i) => ({ conference, year: facts.year[i] }));
        const stats = clusterStatistics(assigned, documents, Math.min(p.minClusterSize, Math.max(2, Math.floor(n / 10))));
        const idOf = new Map(stats.map((s, i) => [s.c, i + 1]));
        // The medoids' rec_ids (one per kept cluster).
        const medoidIds = await idsOfMembers(scratch, store, ordered, stats.map((st) => members[st.medoid]));

        // Labels from a deterministic sample of each kept cluster's texts (a few thousand are plenty).
        // Only the sampled members' texts are read (reading all 74,753 took longer than the labels).
        const sampled = sampleMembers(assigned.cluster, p.labelSample);
        const kept = [...sampled].flatMap(([c, list]) => (idOf.has(c) ? [[idOf.get(c)!, list] as [number, number[]]] : []));
        const textOf = await textsOfMembers(scratch, store, ordered, kept.flatMap(([, list]) => list), (i) => members[i]);
        const textsByCluster = new Map(kept.map(([id, list]) => [id, list.map((i) => textOf.get(i) ?? '')]));
        const t4 = Date.now();
        const labels = await labeler.label(textsByCluster);
        const t5 = Date.now();
        progress.tick(1);
        progress.done();

        await store.transaction(async () => {
          await store.run('DELETE FROM clusters');
          await store.run('DELETE FROM rec_clusters');
          // Every cluster in one statement (one statement per cluster was most of the write's time).
          const values: unknown[] = [];
          const tuples: string[] = [];
          for (const s of stats) {
            const id = idOf.get(s.c)!;
            const label = labels.get(id) ?? { label: '', terms: [] };
            const at = values.length;
            tuples.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}::JSON, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8}, $${at + 9}, $${at + 10}, $${at + 11}, $${at + 12}, $${at + 13}::JSON)`);
            values.push(id, runId, label.label, JSON.stringify(label.terms), s.size, s.n_documents, s.n_conferences,
              s.first_year, s.last_year, medoidIds.get(members[s.medoid]), s.n_documents >= 2, label.lemmaLabel ?? label.label, JSON.stringify(label.phrases ?? []));
          }
          if (tuples.length > 0) {
            await store.run(
              `INSERT INTO clusters (cluster_id, run_id, label, top_terms, size, n_documents, n_conferences, first_year, last_year,
                                     medoid_rec_id, recurring, label_lemmas, phrases)
               VALUES ${tuples.join(', ')}`,
              values,
            );
          }
          // Members of dissolved clusters are kept, unclustered (NULL; 0 in the scratch column, ids
          // start at 1); the rec_ids are joined in SQL from the members' numbers.
          const rows = await scratch.table<{ ord: number; cluster_id: number; similarity: number }>('assigned', { ord: INTEGER, cluster_id: INTEGER, similarity: DOUBLE });
          await rows.appendColumns([Int32Array.from(members), Int32Array.from(assigned.cluster, (c) => idOf.get(c) ?? 0), assigned.similarity], n);
          await store.run(
            `INSERT INTO rec_clusters (rec_id, cluster_id, similarity, run_id)
             SELECT m.rec_id, nullif(a.cluster_id, 0), a.similarity, $1 FROM ${rows.name} a JOIN ${ordered.name} m USING (ord) ORDER BY a.ord`,
            [runId],
          );
          await store.run('DELETE FROM cluster_centroids');
          const ks = Array.from({ length: model.k }, (_, j) => j);
          await store.appendVectors(
            CLUSTER_CENTROIDS,
            [ks, ks.map((j) => idOf.get(j) ?? null), ks.map(() => current.id), { packed: model.centroids, dim }, ks.map(() => runId)],
            model.k,
          );
        });
        const t6 = Date.now();
        const unclustered = assigned.cluster.reduce((k, c) => k + (idOf.has(c) ? 0 : 1), 0);
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

/** The texts (proposal, else the whole text) of members given by index, through a scratch table of their places (`ord`). */
async function textsOfMembers(
  scratch: Scratch,
  store: Store,
  ordered: TableRef,
  indices: readonly number[],
  ordOf: (i: number) => number,
): Promise<Map<number, string>> {
  if (indices.length === 0) return new Map();
  const picked = await scratch.table<{ i: number; ord: number }>('label_sample', { i: INTEGER, ord: INTEGER });
  await picked.appendColumns([Int32Array.from(indices), Int32Array.from(indices, ordOf)], indices.length);
  const rows = await store.columns<{ i: number[]; text: string[] }>(
    `SELECT p.i, coalesce(r.proposal, r.text) AS text FROM ${picked.name} p JOIN ${ordered.name} m USING (ord) JOIN recommendations r USING (rec_id)`,
  );
  return new Map(rows.i.map((i, k) => [i, rows.text[k]]));
}

/** The rec_ids of recommendations given by their place (`ord`). */
async function idsOfMembers(scratch: Scratch, store: Store, ordered: TableRef, ords: readonly number[]): Promise<Map<number, string>> {
  if (ords.length === 0) return new Map();
  const picked = await scratch.table<{ ord: number }>('medoids', { ord: INTEGER });
  await picked.appendColumns([Int32Array.from(ords)], ords.length);
  const rows = await store.columns<{ ord: number[]; rec_id: string[] }>(`SELECT ord, rec_id FROM ${ordered.name} WHERE ord IN (SELECT ord FROM ${picked.name})`);
  return new Map(rows.ord.map((o, k) => [o, rows.rec_id[k]]));
}

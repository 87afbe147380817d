/**
 * The clustering slot of the clusters stage (BERTopic's `hdbscan_model`): types only. A clusterer
 * sees a deterministic sample of the current vectors and returns centroids; the stage then assigns
 * every recommendation to its nearest centroid in SQL (so 100,000 vectors never need to be in JS at
 * once), dissolves clusters below the minimum size and computes medoids and statistics. A clusterer
 * without centroids of its own (density-based ones) returns the mean of each cluster's members.
 * A new clusterer is one file in this folder plus one entry in index.ts.
 */

/** n unit vectors of `dim` numbers, row after row. */
export interface VectorSample {
  data: Float32Array;
  n: number;
  dim: number;
}

export interface ClusterModel {
  /** Number of clusters. */
  k: number;
  /** k × dim unit-length centroids, row after row. */
  centroids: Float32Array;
  /**
   * Optional: the cluster of each sample row, when it is the nearest centroid's index (ties to the
   * lower) as the stage's own assignment would find it. The stage takes these for the sample's
   * members instead of comparing them with every centroid once more.
   */
  labels?: Int32Array;
  /** What the run record should say about the fit (k chosen how, scores, iterations). */
  details: Record<string, unknown>;
}

export interface Clusterer {
  /** Registry name, recorded with the run and part of the clusters fingerprint. */
  readonly id: string;
  /** Everything that shapes its result (seed, sample sizes…): part of the fingerprint too. */
  readonly params: Record<string, unknown>;
  /** Deterministic: the same sample gives the same centroids. */
  fit(sample: VectorSample): ClusterModel;
}

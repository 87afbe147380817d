/**
 * The labelling slot of the clusters stage (BERTopic's `representation_model`): types only. A
 * labeler gets a deterministic sample of each cluster's texts (proposals, the recommendation without
 * its addressing frame) and returns a short label and the weighted terms (words or phrases) behind
 * it; the stage writes them to clusters.label and clusters.top_terms. Labels depend on the texts
 * only, so a labeler can be swapped without clustering again (`confrec clusters --labeler ID --all`).
 * A new labeler is one file in this folder plus one entry in index.ts.
 */

export interface LabelTerm {
  /** A lemma, or a phrase as it should be shown. */
  term: string;
  weight: number;
}

export interface ClusterLabel {
  /** What reports and listings show, e.g. «поддержка семей детей с ОВЗ» or "олимпиада, одаренный, конкурс". */
  label: string;
  /** Most distinctive first. */
  terms: LabelTerm[];
  /** The three most distinctive lemmas (clusters.label_lemmas), when the label is something else. */
  lemmaLabel?: string;
  /** Distinctive noun phrases, the label first (clusters.phrases), for labelers that find phrases. */
  phrases?: { phrase: string; key: string; weight: number; coverage: number }[];
}

export interface Labeler {
  /** Registry name, recorded with the run and part of the clusters fingerprint. */
  readonly id: string;
  /** cluster id → a sample of its texts; returns cluster id → label (every cluster given gets one). */
  label(textsByCluster: ReadonlyMap<number, readonly string[]>): Promise<Map<number, ClusterLabel>>;
}

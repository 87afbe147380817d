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

/**
 * What a labeler reads of one text, computed on its own (the per-text part of labelling: lemmas,
 * noun phrases — most of its time), so that it can be done in another thread while the clusters are
 * being fitted, and be sent there and back (plain data).
 */
export interface PreparedText {
  /** Content lemmas (ctfidf.ts contentLemmas). */
  lemmas: string[];
  /** Noun phrases that may be labels, every occurrence in order (phrases.ts labelPhraseOccurrences). */
  phrases?: { key: string; length: number; surface: string }[];
}

/**
 * A labeler in two parts: `prepare` each text alone, then `labelPrepared` the clusters from their
 * texts' prepared forms. label(textsByCluster) is labelPrepared of the prepared texts: the same labels.
 */
export interface TextLabeler extends Labeler {
  prepare(texts: readonly string[]): Promise<PreparedText[]>;
  labelPrepared(byCluster: ReadonlyMap<number, readonly PreparedText[]>): Promise<Map<number, ClusterLabel>>;
}

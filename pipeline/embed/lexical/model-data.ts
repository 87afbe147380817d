/**
 * The lexical model's data and parameters, as types only: model.ts and the helper thread's messages
 * (parallel.ts) both use them, and neither imports the other for them.
 */
/** Everything that shapes the lexical space; stored with the model and hashed into its id. */
export interface LexicalParams {
  /** Output dimension (the SVD rank; trailing components are zero when the corpus is smaller). */
  dim: number;
  charMin: number;
  charMax: number;
  /** Features in fewer texts are dropped — only once the corpus has `minDfFrom` texts, since in a small corpus every word matters. */
  minDf: number;
  minDfFrom: number;
  /** Vocabulary caps, most frequent (by document frequency) first; they bound memory at 100,000+ texts. */
  maxWordFeatures: number;
  maxCharFeatures: number;
  /** Share of the squared norm given to lemmas; the rest goes to character n-grams. */
  wordWeight: number;
  /** Texts the SVD is fitted on: the first N by text_hash, i.e. a uniform pseudo-random sample. */
  svdSample: number;
  oversample: number;
  powerIterations: number;
  seed: number;
}

/** A fitted lexical space: vocabulary, idf and the projection onto `dim` SVD components. */
export interface LexicalModelData {
  id: string;
  corpusHash: string;
  params: LexicalParams;
  nTexts: number;
  /** Column order: the `nWordFeatures` lemma features (`w:`) first, then n-grams (`c:`). */
  features: string[];
  nWordFeatures: number;
  idf: Float64Array;
  /** features × dim, row-major. Float32 because that is what is stored and what queries will use. */
  projection: Float32Array;
}

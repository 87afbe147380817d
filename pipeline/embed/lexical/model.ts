import { createHash } from 'node:crypto';
import { csrFromRows, LOCAL_ARRAYS, SHARED_ARRAYS } from './csr.js';
import type { LexicalAnalyzer } from './features.js';
import { factoredRunner, shareWork, type CountedFeatures, type LexicalHelper } from './parallel.js';
import { randomizedSvdWith } from './svd.js';
import type { CorpusText } from '../types.js';

export type { CorpusText };
export type { LexicalModelData, LexicalParams } from './model-data.js';
import type { LexicalModelData, LexicalParams } from './model-data.js';

export const LEXICAL_VERSION = 'lexical-v1';


export const DEFAULT_LEXICAL_PARAMS: LexicalParams = {
  dim: 256,
  charMin: 3,
  charMax: 5,
  minDf: 2,
  minDfFrom: 1000,
  maxWordFeatures: 20_000,
  maxCharFeatures: 30_000,
  wordWeight: 0.5,
  svdSample: 4_000,
  oversample: 10,
  powerIterations: 2,
  seed: 20240601,
};



/** JSON with sorted keys, so equal parameters always give equal strings (ids, stored rows). */
export function paramsKey(params: LexicalParams): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify(sorted);
}

export function lexicalModelId(corpusHash: string, params: LexicalParams): string {
  const h = createHash('sha256').update(corpusHash).update('\n').update(paramsKey(params)).digest('hex');
  return `${LEXICAL_VERSION}:${h.slice(0, 16)}`;
}

/** One word form's place in the vocabulary: its lemma column and its idf-weighted n-grams. */
export interface FormEntry {
  /** Index among the forms this vectorizer has seen (rows of the fit's form → n-gram matrix). */
  index: number;
  lemmaCol: number; // −1 when the lemma is not in the vocabulary
  gramCols: Int32Array;
  gramVals: Float64Array; // idf × occurrences of the n-gram in the form
  /** Projection of gramVals (filled lazily by LexicalModel). */
  projected?: Float64Array;
  /** Scratch for `vectorize`: the text last seen in, and the form's count there. */
  seen: number;
  count: number;
}

/**
 * One text as TF-IDF, kept factored: lemma features directly, n-gram features as "weight × the
 * form's n-gram vector" per distinct word form, which lets both the SVD and the projection work per
 * form instead of per n-gram. Weights: sublinear tf (1 + ln count) × idf; lemmas by lemma count,
 * n-grams by word-form count (n-grams shared by different words add up). Each block is scaled to its
 * share of a unit norm, so the numerous n-grams do not drown the lemmas.
 */
export interface TextVector {
  lemmaCols: Int32Array;
  lemmaVals: Float64Array;
  forms: FormEntry[];
  formWeights: Float64Array;
}

export class Vectorizer {
  private readonly columns = new Map<string, number>();
  private readonly entries = new Map<string, FormEntry | null>();
  private readonly scratch: Float64Array;
  private nextIndex = 0;
  private serial = 0;

  constructor(
    readonly analyzer: LexicalAnalyzer,
    readonly features: readonly string[],
    readonly nWordFeatures: number,
    readonly idf: Float64Array,
    readonly wordWeight: number,
    /** Forms kept in the cache before it is emptied (each may carry a projected vector). */
    private readonly cacheLimit = 50_000,
  ) {
    features.forEach((f, i) => this.columns.set(f, i));
    this.scratch = new Float64Array(features.length);
  }

  /** Number of distinct forms seen so far (the form index space). */
  get formCount(): number {
    return this.nextIndex;
  }

  entry(form: string): FormEntry | null {
    let e = this.entries.get(form);
    if (e !== undefined) return e;
    const wf = this.analyzer.word(form);
    e = null;
    if (wf) {
      const counts = new Map<number, number>();
      for (const g of wf.grams) {
        const c = this.columns.get(g);
        if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const gramCols = Int32Array.from(counts.keys());
      const gramVals = Float64Array.from(gramCols, (c) => counts.get(c)! * this.idf[c]);
      const lemmaCol = this.columns.get(wf.lemma) ?? -1;
      if (lemmaCol >= 0 || gramCols.length > 0) e = { index: this.nextIndex++, lemmaCol, gramCols, gramVals, seen: 0, count: 0 };
    }
    this.entries.set(form, e);
    return e;
  }

  /** Features in first-occurrence order, so every float sum over them is reproducible. */
  vectorize(text: string): TextVector {
    // Emptied only between texts, so one text never sees two entries for the same form.
    if (this.entries.size >= this.cacheLimit) this.entries.clear();
    const serial = ++this.serial;
    // Lemma columns and n-gram columns are disjoint ranges, so one scratch array serves both.
    const acc = this.scratch;
    const allForms: FormEntry[] = [];
    const lemmas: number[] = [];
    for (const form of this.analyzer.words(text)) {
      const e = this.entry(form);
      if (!e) continue;
      if (e.seen !== serial) {
        e.seen = serial;
        e.count = 0;
        allForms.push(e);
      }
      e.count++;
      if (e.lemmaCol >= 0) {
        if (acc[e.lemmaCol] === 0) lemmas.push(e.lemmaCol);
        acc[e.lemmaCol]++;
      }
    }
    const lemmaCols = Int32Array.from(lemmas);
    const lemmaVals = new Float64Array(lemmaCols.length);
    let sw = 0;
    for (let i = 0; i < lemmaCols.length; i++) {
      const c = lemmaCols[i];
      const v = (1 + Math.log(acc[c])) * this.idf[c];
      acc[c] = 0;
      lemmaVals[i] = v;
      sw += v * v;
    }
    const forms = allForms.filter((e) => e.gramCols.length > 0);
    const formWeights = Float64Array.from(forms, (e) => 1 + Math.log(e.count));

    // The n-gram block's norm needs the expanded sum (n-grams shared between forms add up).
    const touched: number[] = [];
    for (let i = 0; i < forms.length; i++) {
      const e = forms[i];
      const a = formWeights[i];
      for (let k = 0; k < e.gramCols.length; k++) {
        const c = e.gramCols[k];
        if (acc[c] === 0) touched.push(c);
        acc[c] += a * e.gramVals[k];
      }
    }
    let sc = 0;
    for (const c of touched) {
      sc += acc[c] * acc[c];
      acc[c] = 0;
    }
    const fw = sw > 0 ? Math.sqrt(this.wordWeight / sw) : 0;
    const fc = sc > 0 ? Math.sqrt((1 - this.wordWeight) / sc) : 0;
    for (let i = 0; i < lemmaVals.length; i++) lemmaVals[i] *= fw;
    for (let i = 0; i < formWeights.length; i++) formWeights[i] *= fc;
    return { lemmaCols, lemmaVals, forms, formWeights };
  }
}

/** Applies a fitted model: text → unit vector of `dim` floats (all zero when no feature is known). */
export class LexicalModel {
  readonly vectorizer: Vectorizer;

  constructor(
    readonly data: LexicalModelData,
    analyzer: LexicalAnalyzer,
  ) {
    this.vectorizer = new Vectorizer(analyzer, data.features, data.nWordFeatures, data.idf, data.params.wordWeight);
  }

  get id(): string {
    return this.data.id;
  }

  get dim(): number {
    return this.data.params.dim;
  }

  /** P·(n-gram vector of a form), computed once per form. */
  private projected(e: FormEntry): Float64Array {
    if (e.projected) return e.projected;
    const dim = this.dim;
    const p = this.data.projection;
    const out = new Float64Array(dim);
    for (let k = 0; k < e.gramCols.length; k++) {
      const v = e.gramVals[k];
      const o = e.gramCols[k] * dim;
      for (let j = 0; j < dim; j++) out[j] += v * p[o + j];
    }
    e.projected = out;
    return out;
  }

  embed(text: string): Float32Array {
    const dim = this.dim;
    const p = this.data.projection;
    const tv = this.vectorizer.vectorize(text);
    const y = new Float64Array(dim);
    for (let i = 0; i < tv.lemmaCols.length; i++) {
      const v = tv.lemmaVals[i];
      const o = tv.lemmaCols[i] * dim;
      for (let j = 0; j < dim; j++) y[j] += v * p[o + j];
    }
    for (let i = 0; i < tv.forms.length; i++) {
      const v = tv.formWeights[i];
      const f = this.projected(tv.forms[i]);
      for (let j = 0; j < dim; j++) y[j] += v * f[j];
    }
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += y[j] * y[j];
    const out = new Float32Array(dim);
    if (sq > 0) {
      const inv = 1 / Math.sqrt(sq);
      for (let j = 0; j < dim; j++) out[j] = y[j] * inv;
    }
    return out;
  }
}

export interface FitProgress {
  (phase: 'count' | 'svd' | 'done', done: number, total: number): void;
}

/** Milliseconds of the fit's parts (the embed stage stores them in its run's counts). */
export interface FitTimings {
  count_ms: number;
  sample_ms: number;
  svd_ms: number;
}

/** Document frequencies as the count pass gathers them (temporary ids in first-seen order). */
export interface FeatureCounts {
  ids: Map<string, number>;
  names: string[];
  df: number[];
  sampleDf: number[];
  /** The last text (by its index in the sorted corpus) each feature was counted for. */
  stamp: number[];
  /** Feature ids of each word form seen (analysed once). */
  formIds: Map<string, number[]>;
}

export function newFeatureCounts(): FeatureCounts {
  return { ids: new Map(), names: [], df: [], sampleDf: [], stamp: [], formIds: new Map() };
}

function featureId(c: FeatureCounts, name: string): number {
  let id = c.ids.get(name);
  if (id === undefined) {
    id = c.names.length;
    c.ids.set(name, id);
    c.names.push(name);
    c.df.push(0);
    c.sampleDf.push(0);
    c.stamp.push(-1);
  }
  return id;
}

/**
 * Counts texts[i] (the corpus's text number first + i) into `c`: each feature once per text, and
 * once more in `sampleDf` when the text is among the first `sampleSize`. A feature's counts are sums
 * over texts, so texts counted into separate tables and added up (`addCounts`) give the same numbers.
 */
export function countTexts(c: FeatureCounts, texts: readonly string[], first: number, sampleSize: number, analyzer: LexicalAnalyzer): void {
  for (let i = 0; i < texts.length; i++) {
    const d = first + i;
    for (const form of analyzer.words(texts[i])) {
      let fids = c.formIds.get(form);
      if (!fids) {
        const wf = analyzer.word(form);
        fids = wf ? [featureId(c, wf.lemma), ...wf.grams.map((g) => featureId(c, g))] : [];
        c.formIds.set(form, fids);
      }
      for (const id of fids) {
        if (c.stamp[id] === d) continue;
        c.stamp[id] = d;
        c.df[id]++;
        if (d < sampleSize) c.sampleDf[id]++;
      }
    }
  }
}

/** Adds another table's counts (of other texts) to `c`. */
export function addCounts(c: FeatureCounts, other: { names: readonly string[]; df: ArrayLike<number>; sampleDf: ArrayLike<number> }): void {
  for (let k = 0; k < other.names.length; k++) {
    const id = featureId(c, other.names[k]);
    c.df[id] += other.df[k];
    c.sampleDf[id] += other.sampleDf[k];
  }
}

/** Texts per chunk of the shared count pass and transform: this thread's (it yields after each) and the helper's. */
export interface ChunkSizes {
  local: number;
  remote: number;
}

const CHUNKS: ChunkSizes = { local: 128, remote: 1024 };

/**
 * Fits the lexical space on a corpus: document frequencies over all texts, vocabulary pruning, then a
 * randomised SVD of the TF-IDF matrix of a sample. The corpus is sorted by text_hash first and every
 * tie is broken by feature string, so the same set of texts always gives the same bits. With a
 * helper thread (parallel.ts) the count pass and the SVD's products are shared with it: same bits.
 */
export async function fitLexicalModel(
  corpusIn: readonly CorpusText[],
  corpusHash: string,
  params: LexicalParams,
  analyzer: LexicalAnalyzer,
  progress?: FitProgress,
  helper: LexicalHelper | null = null,
  chunks: ChunkSizes = CHUNKS,
  timings?: FitTimings,
): Promise<LexicalModelData> {
  let clock = Date.now();
  const lap = (part: keyof FitTimings) => {
    const now = Date.now();
    if (timings) timings[part] += now - clock;
    clock = now;
  };
  const corpus = [...corpusIn].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const n = corpus.length;
  const sampleSize = Math.min(n, params.svdSample);

  // Pass 1: document frequency of every feature.
  const counts = newFeatureCounts();
  const texts = corpus.map((t) => t.text);
  let counted = 0;
  let reported = -1;
  const tick = (k: number) => {
    counted += k;
    if (progress && counted >> 10 !== reported) {
      reported = counted >> 10;
      progress('count', counted, n);
    }
  };
  await shareWork(
    n,
    helper ? chunks.local : n,
    chunks.remote,
    (from, to) => {
      countTexts(counts, texts.slice(from, to), from, sampleSize, analyzer);
      tick(to - from);
    },
    helper
      ? (from, to) => helper.run<null>({ op: 'count', texts: texts.slice(from, to), first: from, sampleSize, charMin: params.charMin, charMax: params.charMax })
      : null,
    (_r, from, to) => tick(to - from),
  );
  if (helper) addCounts(counts, await helper.run<CountedFeatures>({ op: 'counts' }));
  counts.formIds.clear();
  const { names, df, sampleDf } = counts;
  lap('count_ms');

  // Vocabulary: frequent enough, seen in the SVD sample (else its projection row would be zero),
  // most frequent first within the caps; ties broken by the feature string (so the order in which
  // features were first seen does not matter).
  const minDf = n >= params.minDfFrom ? params.minDf : 1;
  const pick = (prefix: string, cap: number): number[] => {
    const cand: number[] = [];
    for (let id = 0; id < names.length; id++) {
      if (df[id] >= minDf && sampleDf[id] > 0 && names[id].startsWith(prefix)) cand.push(id);
    }
    cand.sort((a, b) => df[b] - df[a] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    return cand.slice(0, cap);
  };
  const wordIds = pick('w:', params.maxWordFeatures);
  const charIds = pick('c:', params.maxCharFeatures);
  const chosen = [...wordIds, ...charIds];
  const features = chosen.map((id) => names[id]);
  // Smooth idf (as scikit-learn): ln((1 + n) / (1 + df)) + 1.
  const idf = Float64Array.from(chosen, (id) => Math.log((1 + n) / (1 + df[id])) + 1);

  // Pass 2: the TF-IDF matrix of the sample, through the same vectorizer queries will use, factored
  // as lemmas (D) + texts → forms (M) · forms → n-grams (G).
  const vectorizer = new Vectorizer(analyzer, features, wordIds.length, idf, params.wordWeight, Infinity);
  const rows = corpus.slice(0, sampleSize).map((t) => vectorizer.vectorize(t.text));
  const formRows: FormEntry[] = new Array(vectorizer.formCount);
  for (const r of rows) for (const e of r.forms) formRows[e.index] = e;
  const empty = { cols: new Int32Array(0), vals: new Float64Array(0) };
  // On SharedArrayBuffers when a helper shares the products.
  const alloc = helper ? SHARED_ARRAYS : LOCAL_ARRAYS;
  const d = csrFromRows(rows.map((r) => ({ cols: r.lemmaCols, vals: r.lemmaVals })), features.length, alloc);
  const m = csrFromRows(rows.map((r) => ({ cols: r.forms.map((e) => e.index), vals: r.formWeights })), formRows.length, alloc);
  const g = csrFromRows(Array.from(formRows, (e) => (e ? { cols: e.gramCols, vals: e.gramVals } : empty)), features.length, alloc);

  lap('sample_ms');
  progress?.('svd', 0, 1);
  const projection = new Float32Array(features.length * params.dim);
  if (features.length > 0 && rows.length > 0) {
    const svd = await randomizedSvdWith(factoredRunner({ d, m, g }, helper), {
      k: params.dim,
      oversample: params.oversample,
      powerIterations: params.powerIterations,
      seed: params.seed,
    });
    projection.set(svd.v);
  }
  lap('svd_ms');
  progress?.('done', 1, 1);

  return {
    id: lexicalModelId(corpusHash, params),
    corpusHash,
    params,
    nTexts: n,
    features,
    nWordFeatures: wordIds.length,
    idf,
    projection,
  };
}

/**
 * Vectors of `texts` in a fitted model into `out` (texts.length × dim, row after row), shared with
 * the helper when there is one (it is sent the model first); each vector is computed whole by one
 * thread, so the bits are those of `model.embed`.
 */
export async function embedTexts(
  model: LexicalModel,
  texts: readonly string[],
  out: Float32Array,
  tick: (n: number) => void,
  helper: LexicalHelper | null = null,
  chunks: ChunkSizes = CHUNKS,
): Promise<void> {
  const dim = model.dim;
  if (helper) await helper.run<null>({ op: 'model', model: model.data });
  await shareWork(
    texts.length,
    helper ? chunks.local : 1024,
    chunks.remote,
    (from, to) => {
      for (let i = from; i < to; i++) out.set(model.embed(texts[i]), i * dim);
      tick(to - from);
    },
    helper ? (from, to) => helper.run<Float32Array>({ op: 'embed', id: model.id, texts: texts.slice(from, to) }) : null,
    (vectors, from, to) => {
      out.set(vectors, from * dim);
      tick(to - from);
    },
  );
}

/** sha256 over the sorted distinct text hashes: names a corpus regardless of row order or duplicates. */
export function corpusHash(corpus: readonly CorpusText[]): string {
  const hashes = [...new Set(corpus.map((t) => t.hash))].sort();
  const h = createHash('sha256');
  for (const x of hashes) h.update(x).update('\n');
  return h.digest('hex');
}

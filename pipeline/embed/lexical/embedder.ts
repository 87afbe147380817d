import { config } from '../../config.js';
import { ConfrecError } from '../../errors.js';
import type { Store } from '../../store/db.js';
import type { TableRef } from '../../store/scratch.js';
import { loadMorph } from '../../text/morph.js';
import type { CorpusText, Embedder, EmbedKind, Refit } from '../types.js';
import { LexicalAnalyzer } from './features.js';
import {
  DEFAULT_LEXICAL_PARAMS,
  LEXICAL_VERSION,
  LexicalModel,
  corpusHash,
  embedTexts,
  fitLexicalModel,
  lexicalModelId,
  type FitTimings,
  type LexicalModelData,
  type LexicalParams,
} from './model.js';
import { openLexicalHelper, PARALLEL_FROM_TEXTS, type LexicalHelper } from './parallel.js';
import { deleteLexicalModel, loadFitTexts, loadLexicalModel, saveFitTexts, saveLexicalModel } from './store.js';

/**
 * The offline embedder: TF-IDF over lemmas and character n-grams, reduced by SVD to `dim` numbers.
 * Its space is learnt from the corpus, so it refits (through `adaptTo`) when the corpus changes and
 * keeps the fitted model in the store, where later queries find it.
 */
/** How the space follows a growing corpus. */
export interface LexicalDrift {
  /**
   * Share of current texts the space was not fitted on that is tolerated before refitting (default
   * config.incremental.lexicalMaxUnseen): below it, new texts are embedded into the existing space, so adding one resolution to a
   * large database does not refit and re-embed everything.
   */
  maxDrift: number;
  /** Refit even when the drift is small (`confrec embed --refit`). */
  force: boolean;
}

export const DEFAULT_DRIFT: LexicalDrift = { maxDrift: config.incremental.lexicalMaxUnseen, force: false };

export class LexicalEmbedder implements Embedder {
  private model: LexicalModel | null;
  private fittedOn: Set<string> | null;
  private readFittedOn: (() => Promise<Set<string> | null>) | null;
  private lastCorpus: { hashes: string[]; hash: string } | null = null;
  /** The helper thread of a fit (parallel.ts), opened when a refit is decided and closed by dispose. */
  private helper: LexicalHelper | null = null;
  /** Where the last fit's time went (count pass, sample matrix, SVD), for the stage's counts. */
  readonly fitTimings: FitTimings = { count_ms: 0, sample_ms: 0, svd_ms: 0 };

  constructor(
    private readonly analyzer: LexicalAnalyzer,
    readonly params: LexicalParams,
    data?: LexicalModelData,
    /**
     * Text hashes the loaded space was fitted on (null when unknown: then any change refits), or how to
     * read them: they are read only when the space is adapted (`adaptTo`), not by the stages that only
     * embed in it (72,654 rows at 10,000 resolutions).
     */
    fittedOn: Set<string> | null | (() => Promise<Set<string> | null>) = null,
    private readonly drift: LexicalDrift = DEFAULT_DRIFT,
    /** Threads a fit and its vectors may use (2 or more: the main thread and one helper). */
    private readonly threads = 1,
  ) {
    this.model = data ? new LexicalModel(data, analyzer) : null;
    this.fittedOn = typeof fittedOn === 'function' ? null : fittedOn;
    this.readFittedOn = typeof fittedOn === 'function' ? fittedOn : null;
  }

  get id(): string {
    return this.model?.id ?? `${LEXICAL_VERSION}:unfitted`;
  }

  get dim(): number {
    return this.params.dim;
  }

  // The fitted model is named by the id (it changes with a refit); info only says how it is built.
  get info(): Record<string, unknown> {
    return { backend: 'lexical', params: this.params };
  }

  /** The fitted model (vocabulary, idf, projection), or null before the first fit. */
  get fitted(): LexicalModelData | null {
    return this.model?.data ?? null;
  }

  // Passages and queries share one space: the kind does not change a lexical vector.
  async embed(texts: string[], _kind: EmbedKind = 'passage'): Promise<Float32Array[]> {
    const model = this.model;
    if (!model) {
      throw new ConfrecError('no lexical model has been fitted in this database yet', {
        hint: 'run `confrec embed --embedder lexical` first',
      });
    }
    return texts.map((t) => model.embed(t));
  }

  /**
   * corpusHash(corpus), remembered for the last corpus: the embed stage asks twice for the same
   * hashes (first without the texts, then with them), and the hash sorts and digests all of them.
   */
  private corpusHashOf(corpus: readonly CorpusText[]): string {
    const last = this.lastCorpus;
    if (last && last.hashes.length === corpus.length && corpus.every((t, i) => t.hash === last.hashes[i])) return last.hash;
    const hash = corpusHash(corpus);
    this.lastCorpus = { hashes: corpus.map((t) => t.hash), hash };
    return hash;
  }

  /** Forgets the remembered corpus hash and closes the helper thread (the stage is done with this embedder). */
  async dispose(): Promise<void> {
    this.lastCorpus = null;
    const helper = this.helper;
    this.helper = null;
    await helper?.close();
  }

  /** Share of `corpus` the current space was not fitted on (1 when there is no space yet). */
  async driftFrom(corpus: readonly CorpusText[]): Promise<number> {
    if (this.readFittedOn) {
      this.fittedOn = await this.readFittedOn();
      this.readFittedOn = null;
    }
    if (!this.model || !this.fittedOn || corpus.length === 0) return 1;
    let unseen = 0;
    for (const t of corpus) if (!this.fittedOn.has(t.hash)) unseen++;
    return unseen / corpus.length;
  }

  /**
   * adaptTo's null decided in SQL (Embedder.keepsSpace): the space is the stored one, its fit texts
   * are stored, and the share of current texts it was not fitted on is within the drift — the test
   * of driftFrom, on counts. Anything else (no model, --refit, an embedder not read from a store) is
   * left to adaptTo.
   */
  async keepsSpace(store: Store, current: TableRef, total: number): Promise<boolean> {
    if (total === 0) return true;
    if (!this.model || this.drift.force || !this.readFittedOn) return false;
    const r = await store.one<{ fitted: number; unseen: number }>(
      `WITH f AS (SELECT text_hash FROM lexical_fit_texts WHERE model_id = $1)
       SELECT (SELECT count(*) FROM f) AS fitted, (SELECT count(*) FROM ${current.name} c ANTI JOIN f USING (text_hash)) AS unseen`,
      [this.model.id],
    );
    if (!r || Number(r.fitted) === 0) return false;
    return Number(r.unseen) / total <= this.drift.maxDrift;
  }

  /**
   * Null when the space stays: the corpus is the one it was fitted on, or it drifted less than
   * tolerated. The drift is looked at first: a re-run after one new resolution then does not hash the
   * whole corpus (corpusHash, ≈ 0.2 s at 10,000 resolutions) only to learn that it changed.
   */
  async adaptTo(corpus: readonly CorpusText[]): Promise<Refit | null> {
    if (corpus.length === 0) return null;
    if (this.model && !this.drift.force && (await this.driftFrom(corpus)) <= this.drift.maxDrift) return null;
    const hash = this.corpusHashOf(corpus);
    if (this.model && this.model.data.corpusHash === hash) return null;
    const previous = this.model?.id;
    let fitted: LexicalModelData | undefined;
    // Started now, so that the worker loads its dictionary while this thread reads the texts.
    if (corpus.length >= PARALLEL_FROM_TEXTS) this.helper ??= openLexicalHelper(this.threads);
    return {
      id: lexicalModelId(hash, this.params),
      replaces: previous ? [previous] : [],
      timings: this.fitTimings,
      fit: async (progress) => {
        fitted = await fitLexicalModel(corpus, hash, this.params, this.analyzer, progress, this.helper, undefined, this.fitTimings);
        this.model = new LexicalModel(fitted, this.analyzer);
      },
      embedAll: async (texts, out, tick) => {
        if (!fitted || !this.model) throw new Error('lexical refit embedded before it was fitted');
        await embedTexts(this.model, texts, out, tick, this.helper);
      },
      save: async (store, runId) => {
        if (!fitted) throw new Error('lexical refit saved before it was fitted');
        // The model first: its projection blob is the long write (in DuckDB's threads), which the
        // embed stage overlaps with computing the vectors. The ids differ (a refit of the same
        // corpus and parameters is no refit), so the order of insert and delete does not matter.
        await saveLexicalModel(store, fitted, runId);
        if (previous) await deleteLexicalModel(store, previous);
        await saveFitTexts(store, fitted.id, corpus.map((t) => t.hash));
        this.fittedOn = new Set(corpus.map((t) => t.hash));
        this.readFittedOn = null;
      },
    };
  }
}

export function lexicalParams(overrides: Partial<LexicalParams> = {}): LexicalParams {
  return { ...DEFAULT_LEXICAL_PARAMS, ...overrides };
}

export async function newAnalyzer(params: LexicalParams): Promise<LexicalAnalyzer> {
  return new LexicalAnalyzer(await loadMorph(), { charMin: params.charMin, charMax: params.charMax });
}

/** The lexical embedder with the newest model fitted with these parameters (if any) loaded from the store. */
export async function openLexicalEmbedder(
  store: Store,
  overrides: Partial<LexicalParams> = {},
  drift: Partial<LexicalDrift> = {},
  threads = 1,
): Promise<LexicalEmbedder> {
  const params = lexicalParams(overrides);
  const data = await loadLexicalModel(store, params);
  const fittedOn = data
    ? async () => {
        const hashes = await loadFitTexts(store, data.id);
        return hashes.size ? hashes : null;
      }
    : null;
  return new LexicalEmbedder(await newAnalyzer(params), params, data, fittedOn, { ...DEFAULT_DRIFT, ...drift }, threads);
}

/**
 * A lexical embedder fitted on `corpus` without a store (tests, notebooks, benchmarks). With
 * `threads` > 1 the fit shares its work with a helper thread, closed before this returns.
 */
export async function fitLexicalEmbedder(corpus: readonly CorpusText[], overrides: Partial<LexicalParams> = {}, threads = 1): Promise<LexicalEmbedder> {
  const params = lexicalParams(overrides);
  const embedder = new LexicalEmbedder(await newAnalyzer(params), params, undefined, null, DEFAULT_DRIFT, threads);
  try {
    const refit = await embedder.adaptTo(corpus);
    await refit?.fit();
  } finally {
    await embedder.dispose();
  }
  return embedder;
}

/**
 * The embedding interface (types only, like BERTopic's `_base` and transformers.js's interface files):
 * backends (embed/lexical/, embed/transformers/) implement it, the registry (registry.ts) creates
 * them, stages see nothing else. Nothing here imports a backend, so there is no import circle.
 */
import type { Store } from '../store/db.js';
import type { TableRef } from '../store/scratch.js';

export type EmbedKind = 'passage' | 'query';

/** One text to embed, named by its text_hash (sha256 of the proposal). */
export interface CorpusText {
  hash: string;
  text: string;
}

/**
 * What every stage embeds through. `id` names backend, model and version
 * ('transformers:Xenova/multilingual-e5-small@q8', 'lexical-v1:<hash>'): it is the cache key next to
 * text_hash, so vectors from different embedders never mix.
 */
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  /** Unit-length vectors, one per text, in input order. */
  embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]>;
  /** Backend, model, dtype, parameters: what a run record should say about this embedder. */
  readonly info: Record<string, unknown>;
  /**
   * Only for backends whose space is learnt from the corpus (lexical): returns the refit needed to
   * embed `corpus`, or null when the current space already fits it.
   */
  adaptTo?(corpus: readonly CorpusText[]): Promise<Refit | null>;
  /**
   * adaptTo's null without the corpus in JS: true when the space stays for the current texts —
   * `current`, a table of their `text_hash`, `total` rows — decided in SQL; false when adaptTo must
   * be asked with the corpus. A re-run after one new resolution then reads no hash of the others.
   */
  keepsSpace?(store: Store, current: TableRef, total: number): Promise<boolean>;
  /**
   * The order in which to feed `texts` for the fastest run (indices, a permutation), when the
   * backend has one: a transformer pads each batch to its longest text, so it wants texts of
   * equal token counts side by side. The stage embeds its work list in this order.
   */
  batchOrder?(texts: readonly string[], kind: EmbedKind): number[];
  /** Frees native resources (ONNX sessions). */
  dispose?(): Promise<void>;
}

/** A pending refit of a corpus-dependent space. The stage runs `fit`, then `save` in its transaction. */
export interface Refit {
  /** The embedder id once fitted. */
  id: string;
  /** Embedder ids whose vectors the new space makes obsolete. */
  replaces: string[];
  fit(progress?: (phase: string, done: number, total: number) => void): Promise<void>;
  /** Stores the fitted space (inside the stage's transaction; the stage computes vectors meanwhile). */
  save(store: Store, runId: number | null): Promise<void>;
  /**
   * Every text's vector in the fitted space into `out` (texts.length × dim, row after row), when the
   * backend has a faster way than `embed` batch by batch (the lexical one shares the texts with a
   * helper thread). It must yield to the event loop now and then: the stage's save goes on meanwhile.
   */
  embedAll?(texts: readonly string[], out: Float32Array, tick: (n: number) => void): Promise<void>;
  /** Milliseconds of the fit's parts once fitted (the stage adds them to its counts). */
  readonly timings?: object;
}

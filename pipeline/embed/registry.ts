import { resolve } from 'node:path';
import { config } from '../config.js';
import { UsageError } from '../errors.js';
import { silentLogger, type Logger } from '../progress.js';
import type { Store } from '../store/db.js';
import type { CorpusText, LexicalParams } from './lexical/model.js';
import type { Dtype } from './transformers/models.js';

export type EmbedKind = 'passage' | 'query';

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
  save(store: Store, runId: number | null): Promise<void>;
}

export const EMBEDDER_CHOICES = ['auto', 'transformers', 'lexical'] as const;
export type EmbedderChoice = (typeof EMBEDDER_CHOICES)[number];

export interface EmbedderOptions {
  embedder?: EmbedderChoice;
  /** Sentence model id for the transformers backend (default Xenova/multilingual-e5-small). */
  model?: string;
  /** Folder holding `<org>/<model>` folders (default config.modelDir). */
  modelDir?: string;
  /** Let transformers.js fetch missing model files from the Hugging Face hub into modelDir. */
  allowDownload?: boolean;
  /** Texts per ONNX run (transformers). */
  batchSize?: number;
  /** Weights to load (default: the model rule's preference among the files present). */
  dtype?: Dtype;
  /** Overrides of the lexical parameters (tests, benchmarks). */
  lexical?: Partial<LexicalParams>;
  /** Refit a corpus-fitted space (lexical) even when few texts are new. */
  refit?: boolean;
}

type BackendFactory = (store: Store, opts: EmbedderOptions, log: Logger) => Promise<Embedder>;

/**
 * Backends by name. A new backend is one module plus one entry here; stages only see `Embedder`.
 * Modules load on demand, so the lexical path never pays for onnxruntime.
 */
const BACKENDS: Record<Exclude<EmbedderChoice, 'auto'>, BackendFactory> = {
  transformers: async (_store, opts, log) => (await import('./transformers/embedder.js')).loadTransformersEmbedder(opts, log),
  lexical: async (store, opts) => (await import('./lexical/embedder.js')).openLexicalEmbedder(store, opts.lexical, { force: Boolean(opts.refit) }),
};

/** `auto`: the transformer model when it is on disk (or may be downloaded), else lexical — said in one line. */
async function resolveAuto(opts: EmbedderOptions, log: Logger): Promise<Exclude<EmbedderChoice, 'auto'>> {
  const { DEFAULT_MODEL, modelOnDisk } = await import('./transformers/models.js');
  const model = opts.model ?? DEFAULT_MODEL;
  const modelDir = resolve(opts.modelDir ?? config.modelDir);
  if (opts.allowDownload || modelOnDisk(modelDir, model)) return 'transformers';
  log.info(`embed: model ${model} is not in ${modelDir}; using the lexical embedder (fetch the model with \`confrec model pull ${model}\`)`);
  return 'lexical';
}

export async function createEmbedder(store: Store, opts: EmbedderOptions = {}, log: Logger = silentLogger): Promise<Embedder> {
  const choice = opts.embedder ?? 'auto';
  if (!(EMBEDDER_CHOICES as readonly string[]).includes(choice)) {
    throw new UsageError(`unknown embedder "${choice}"`, `use one of ${EMBEDDER_CHOICES.join(', ')}`);
  }
  const backend = choice === 'auto' ? await resolveAuto(opts, log) : choice;
  return BACKENDS[backend](store, opts, log);
}

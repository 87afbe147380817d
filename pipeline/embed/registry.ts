import { resolve } from 'node:path';
import { config } from '../config.js';
import { UsageError } from '../errors.js';
import { silentLogger, type Logger } from '../progress.js';
import type { Store } from '../store/db.js';
import { defaultThreads } from '../workers/threads.js';
import type { LexicalParams } from './lexical/model.js';
import type { TransformersOptions } from './transformers/embedder.js';
import type { Embedder } from './types.js';

/**
 * The embedder registry: backends by name and the one factory stages call. The interface lives in
 * types.ts (types only); each backend is a sub-folder that imports the interface, never this file.
 */
export type { CorpusText, Embedder, EmbedKind, Refit } from './types.js';

export const EMBEDDER_CHOICES = ['auto', 'transformers', 'lexical'] as const;
export type EmbedderChoice = (typeof EMBEDDER_CHOICES)[number];

export interface EmbedderOptions extends TransformersOptions {
  embedder?: EmbedderChoice;
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
  // --threads: the lexical fit and its vectors share their work with a helper thread from 2 on (default: every core).
  lexical: async (store, opts) =>
    (await import('./lexical/embedder.js')).openLexicalEmbedder(store, opts.lexical, { force: Boolean(opts.refit) }, opts.threads ?? defaultThreads()),
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

/** Whether `createEmbedder` will open the lexical backend with these options (auto: no model on disk), without saying so. */
export async function opensLexical(opts: EmbedderOptions = {}): Promise<boolean> {
  const choice = opts.embedder ?? 'auto';
  if (choice !== 'auto') return choice === 'lexical';
  const { DEFAULT_MODEL, modelOnDisk } = await import('./transformers/models.js');
  return !(opts.allowDownload || modelOnDisk(resolve(opts.modelDir ?? config.modelDir), opts.model ?? DEFAULT_MODEL));
}

export async function createEmbedder(store: Store, opts: EmbedderOptions = {}, log: Logger = silentLogger): Promise<Embedder> {
  const choice = opts.embedder ?? 'auto';
  if (!(EMBEDDER_CHOICES as readonly string[]).includes(choice)) {
    throw new UsageError(`unknown embedder "${choice}"`, `use one of ${EMBEDDER_CHOICES.join(', ')}`);
  }
  const backend = choice === 'auto' ? await resolveAuto(opts, log) : choice;
  return BACKENDS[backend](store, opts, log);
}

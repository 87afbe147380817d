import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { config } from '../../config.js';
import { ConfrecError } from '../../errors.js';
import { silentLogger, type Logger } from '../../progress.js';
import type { Embedder, EmbedKind } from '../types.js';
import { DEFAULT_MODEL, checkModelFolder, modelFolder, modelInputs, modelRule, type Dtype } from './models.js';

/** What the transformers backend is opened with (part of the registry's EmbedderOptions). */
export interface TransformersOptions {
  /** Sentence model id (default Xenova/multilingual-e5-small). */
  model?: string;
  /** Folder holding `<org>/<model>` folders (default config.modelDir). */
  modelDir?: string;
  /** Let transformers.js fetch missing model files from the Hugging Face hub into modelDir. */
  allowDownload?: boolean;
  /** Texts per ONNX run. */
  batchSize?: number;
  /** Weights to load (default: the model rule's preference among the files present). */
  dtype?: Dtype;
}

/** The slice of the transformers.js feature-extraction pipeline this backend uses. */
interface Extractor {
  (texts: string[], opts: { pooling: 'mean'; normalize: boolean }): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  dispose(): Promise<void>;
}

type TransformersEnv = (typeof import('@huggingface/transformers'))['env'];

/**
 * Points transformers.js at the model folder. Remote access stays off unless the user allowed a
 * download; downloads then land in the same folder (cacheDir uses the `<org>/<model>/<file>` layout
 * that localModelPath reads), so the next run finds them offline.
 */
export function configureTransformersEnv(env: TransformersEnv, modelDir: string, allowRemote: boolean): void {
  env.allowLocalModels = true;
  env.localModelPath = modelDir.endsWith('/') ? modelDir : modelDir + '/';
  env.allowRemoteModels = allowRemote;
  env.useFSCache = allowRemote;
  env.cacheDir = modelDir;
}

/** ONNX Runtime session options: all cores for the matrix products, one inter-op thread. */
export function sessionOptions(): Record<string, unknown> {
  return { intraOpNumThreads: Math.max(1, cpus().length), interOpNumThreads: 1 };
}

/**
 * Sentence embeddings from an ONNX transformer: the model's own tokenizer, mean pooling over real
 * tokens (attention mask), L2 normalisation. Texts are batched longest first, so each batch pads to
 * similar lengths; results come back in input order.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;

  constructor(
    private readonly extractor: Extractor,
    readonly model: string,
    readonly dtype: Dtype,
    readonly dim: number,
    readonly batchSize: number,
  ) {
    this.id = `transformers:${model}@${dtype}`;
  }

  get info(): Record<string, unknown> {
    return { backend: 'transformers', model: this.model, dtype: this.dtype, prefix_rule: modelRule(this.model).name };
  }

  /** The exact strings the tokenizer receives (with the model family's prefix). */
  inputs(texts: readonly string[], kind: EmbedKind): string[] {
    return modelInputs(this.model, texts, kind);
  }

  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const inputs = this.inputs(texts, kind);
    const order = inputs.map((_, i) => i).sort((a, b) => inputs[b].length - inputs[a].length || a - b);
    const out: Float32Array[] = new Array(texts.length);
    for (let s = 0; s < order.length; s += this.batchSize) {
      const idx = order.slice(s, s + this.batchSize);
      const result = await this.extractor(
        idx.map((i) => inputs[i]),
        { pooling: 'mean', normalize: true },
      );
      const dim = result.dims[result.dims.length - 1];
      if (dim !== this.dim) throw new Error(`model ${this.model} returned ${dim} dimensions, expected ${this.dim}`);
      const data = result.data;
      idx.forEach((orig, j) => {
        out[orig] = Float32Array.from({ length: dim }, (_, k) => data[j * dim + k]);
      });
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * Loads a sentence model from the model folder. The folder is checked first, so a missing or broken
 * model is one ConfrecError naming the folder and file, before any text is embedded.
 */
export async function loadTransformersEmbedder(opts: TransformersOptions, _log: Logger = silentLogger): Promise<TransformersEmbedder> {
  const model = opts.model ?? DEFAULT_MODEL;
  const modelDir = resolve(opts.modelDir ?? config.modelDir);
  const allowDownload = Boolean(opts.allowDownload);
  const folder = modelFolder(modelDir, model);
  let dtype: Dtype;
  if (allowDownload) dtype = opts.dtype ?? modelRule(model).dtypes[0];
  else dtype = checkModelFolder(modelDir, model, opts.dtype).dtype;

  const { pipeline, env } = await import('@huggingface/transformers');
  configureTransformersEnv(env, modelDir, allowDownload);
  let extractor: Extractor;
  try {
    extractor = (await pipeline('feature-extraction', model, {
      dtype,
      local_files_only: !allowDownload,
      session_options: sessionOptions(),
    })) as unknown as Extractor;
  } catch (err) {
    throw new ConfrecError(`cannot load model ${model} (${dtype}): ${describe(err)}`, {
      file: folder,
      hint: `the files may be corrupt; fetch them again with \`confrec model pull ${model}\``,
      cause: err,
    });
  }
  // One tiny run tells the output width and proves the graph actually executes.
  let dim: number;
  try {
    const probe = await extractor(['проверка'], { pooling: 'mean', normalize: true });
    dim = probe.dims[probe.dims.length - 1];
  } catch (err) {
    await extractor.dispose().catch(() => {});
    throw new ConfrecError(`model ${model} (${dtype}) loads but does not run: ${describe(err)}`, { file: folder, cause: err });
  }
  return new TransformersEmbedder(extractor, model, dtype, dim, opts.batchSize ?? 32);
}

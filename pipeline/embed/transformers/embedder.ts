import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { config } from '../../config.js';
import { ConfrecError } from '../../errors.js';
import { silentLogger, type Logger } from '../../progress.js';
import type { Embedder, EmbedKind } from '../types.js';
import { checkDevice, type Device } from './device.js';
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
  /** ONNX Runtime intra-op threads (default: all cores). */
  threads?: number;
  /** Where the model runs: cpu (default) or cuda (needs onnxruntime-node's CUDA build). */
  device?: Device;
  /**
   * Batch texts of similar length together (default true): each batch pads to its longest text, so
   * sorting saves the padded tokens (bench/results/model.json measures how much). Off only to measure.
   */
  sortByLength?: boolean;
}

/** The slice of the transformers.js feature-extraction pipeline this backend uses. */
interface Extractor {
  (texts: string[], opts: { pooling: 'mean'; normalize: boolean }): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  dispose(): Promise<void>;
  tokenizer?: { encode(text: string): number[]; model_max_length?: number };
  model?: (feeds: Record<string, unknown>) => Promise<{ last_hidden_state?: { data: ArrayLike<number>; dims: number[] } }>;
}

type TensorCtor = new (type: string, data: BigInt64Array, dims: number[]) => unknown;

/**
 * Mean over the real tokens of each row, then L2 normalisation, written into one vector per row
 * (what transformers.js's mean_pooling + normalize compute, without a BigInt conversion per number).
 */
export function poolRows(hidden: ArrayLike<number>, lengths: readonly number[], seq: number, dim: number): Float32Array[] {
  return lengths.map((n, j) => {
    const v = new Float32Array(dim);
    const base = j * seq * dim;
    for (let t = 0; t < n; t++) {
      const o = base + t * dim;
      for (let k = 0; k < dim; k++) v[k] += hidden[o + k];
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) {
      v[k] /= Math.max(n, 1);
      norm += v[k] * v[k];
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dim; k++) v[k] /= norm;
    return v;
  });
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

/**
 * ONNX Runtime session options: all cores (or `threads`) for the matrix products, one inter-op
 * thread (a BERT graph is a chain: there is nothing to run side by side).
 */
export function sessionOptions(threads?: number): Record<string, unknown> {
  return { intraOpNumThreads: Math.max(1, threads ?? cpus().length), interOpNumThreads: 1 };
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
    readonly run: { device: Device; threads: number; sortByLength: boolean } = { device: 'cpu', threads: cpus().length, sortByLength: true },
  ) {
    this.id = `transformers:${model}@${dtype}`;
  }

  get info(): Record<string, unknown> {
    return { backend: 'transformers', model: this.model, dtype: this.dtype, prefix_rule: modelRule(this.model).name, device: this.run.device, threads: this.run.threads };
  }

  /** The underlying transformers.js pipeline (tokenizer, model sessions): for benchmarks. */
  get pipeline(): unknown {
    return this.extractor;
  }

  /** The Tensor class of transformers.js, set by the loader: enables the direct path below. */
  tensor: TensorCtor | null = null;

  /** The exact strings the tokenizer receives (with the model family's prefix). */
  inputs(texts: readonly string[], kind: EmbedKind): string[] {
    return modelInputs(this.model, texts, kind);
  }

  /**
   * Longest first by token count (the model's own tokenizer; characters if it has none). Sorting by
   * characters leaves 37 % padding on synthetic recommendations, by tokens a few per cent: words the
   * vocabulary lacks cost many tokens for few characters (bench/results/model.json).
   */
  batchOrder(texts: readonly string[], kind: EmbedKind): number[] {
    const inputs = this.inputs(texts, kind);
    const order = inputs.map((_, i) => i);
    if (!this.run.sortByLength) return order;
    const tok = this.extractor.tokenizer;
    // The ids are kept for embed(), which then does not tokenise these texts a second time.
    const size = inputs.map((t) => {
      if (!tok) return t.length;
      const ids = this.encode(t);
      this.encoded.set(t, ids);
      return ids.length;
    });
    return order.sort((a, b) => size[b] - size[a] || a - b);
  }

  /** Token ids computed by batchOrder, used (and dropped) by the next embed of the same text. */
  private readonly encoded = new Map<string, number[]>();

  private takeIds(text: string): number[] {
    const ids = this.encoded.get(text);
    if (!ids) return this.encode(text);
    this.encoded.delete(text);
    return ids;
  }

  /**
   * Token ids with [CLS]/[SEP], cut to the model's maximum length keeping the final [SEP], as the
   * Python tokenizers the models were trained with do (transformers.js's own truncation drops the
   * [SEP]; only texts over the maximum length, 512 tokens for e5, differ).
   */
  private encode(text: string): number[] {
    const tok = this.extractor.tokenizer!;
    const ids = tok.encode(text);
    const max = tok.model_max_length ?? 512;
    return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids[ids.length - 1]];
  }

  /**
   * The direct path: each text tokenised once, sorted by its token count, batches padded by hand
   * and run through the model session, pooled in one loop. The transformers.js pipeline would
   * tokenise again per batch (1.5 ms a text here: a fifth of a q8 run) and pool through BigInts.
   */
  private async embedDirect(inputs: string[]): Promise<Float32Array[]> {
    const Tensor = this.tensor!;
    const ids = inputs.map((t) => this.takeIds(t));
    const order = inputs.map((_, i) => i);
    if (this.run.sortByLength) order.sort((a, b) => ids[b].length - ids[a].length || a - b);
    const out: Float32Array[] = new Array(inputs.length);
    for (let s = 0; s < order.length; s += this.batchSize) {
      const idx = order.slice(s, s + this.batchSize);
      const lengths = idx.map((i) => ids[i].length);
      const seq = Math.max(...lengths);
      const inputIds = new BigInt64Array(idx.length * seq);
      const mask = new BigInt64Array(idx.length * seq);
      idx.forEach((i, j) => {
        ids[i].forEach((id, t) => {
          inputIds[j * seq + t] = BigInt(id);
          mask[j * seq + t] = 1n;
        });
      });
      const dims = [idx.length, seq];
      const result = await this.extractor.model!({
        input_ids: new Tensor('int64', inputIds, dims),
        attention_mask: new Tensor('int64', mask, dims),
        token_type_ids: new Tensor('int64', new BigInt64Array(idx.length * seq), dims),
      });
      const hidden = result.last_hidden_state;
      if (!hidden) throw new Error(`model ${this.model} has no last_hidden_state output`);
      const dim = hidden.dims[hidden.dims.length - 1];
      if (dim !== this.dim) throw new Error(`model ${this.model} returned ${dim} dimensions, expected ${this.dim}`);
      poolRows(hidden.data, lengths, seq, dim).forEach((v, j) => (out[idx[j]] = v));
    }
    return out;
  }

  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const inputs = this.inputs(texts, kind);
    if (this.tensor && this.extractor.tokenizer && this.extractor.model) return this.embedDirect(inputs);
    // One batch needs no order (and ordering costs a tokenisation: 1.5 ms a text on this machine).
    const order = texts.length > this.batchSize ? this.batchOrder(texts, kind) : inputs.map((_, i) => i);
    this.encoded.clear(); // the pipeline tokenises by itself
    const out: Float32Array[] = new Array(texts.length);
    for (let s = 0; s < order.length; s += this.batchSize) {
      const idx = order.slice(s, s + this.batchSize);
      const result = await this.extractor(
        idx.map((i) => inputs[i]),
        { pooling: 'mean', normalize: true },
      );
      const dim = result.dims[result.dims.length - 1];
      if (dim !== this.dim) throw new Error(`model ${this.model} returned ${dim} dimensions, expected ${this.dim}`);
      const data = result.data instanceof Float32Array ? result.data : Float32Array.from(result.data);
      // slice (a copy) rather than subarray: a view would keep the whole batch's buffer alive.
      idx.forEach((orig, j) => {
        out[orig] = data.slice(j * dim, (j + 1) * dim);
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
  const device = opts.device ?? 'cpu';
  checkDevice(device);
  const threads = Math.max(1, opts.threads ?? cpus().length);
  let dtype: Dtype;
  if (allowDownload) dtype = opts.dtype ?? modelRule(model).dtypes[0];
  else dtype = checkModelFolder(modelDir, model, opts.dtype).dtype;

  const { pipeline, env, Tensor } = await import('@huggingface/transformers');
  configureTransformersEnv(env, modelDir, allowDownload);
  let extractor: Extractor;
  try {
    extractor = (await pipeline('feature-extraction', model, {
      dtype,
      local_files_only: !allowDownload,
      device,
      session_options: sessionOptions(threads),
    })) as unknown as Extractor;
  } catch (err) {
    if (device === 'cuda') {
      throw new ConfrecError(`cannot start model ${model} on the GPU: ${describe(err)}`, {
        file: folder,
        hint: 'the CUDA provider is installed but did not start: check the NVIDIA driver, CUDA 12 and cuDNN 9 libraries (LD_LIBRARY_PATH), or leave out --device',
        cause: err,
      });
    }
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
  const embedder = new TransformersEmbedder(extractor, model, dtype, dim, opts.batchSize ?? 32, { device, threads, sortByLength: opts.sortByLength ?? true });
  embedder.tensor = Tensor as unknown as TensorCtor;
  return embedder;
}

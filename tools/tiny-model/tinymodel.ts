import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../../pipeline/config.js';
import { DTYPE_FILES } from '../../pipeline/embed/transformers/models.js';
import {
  ONNX_FLOAT,
  ONNX_INT64,
  modelWriter,
  nodeProto,
  tensorProto,
  valueInfo,
  type AttrValue,
  type ProtoWriter,
} from './onnx-proto.js';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { buildVocab, tokenizerConfigJson, tokenizerJson, type VocabOptions } from './tiny-tokenizer.js';

export interface TinyBertOptions {
  layers?: number;
  hidden?: number;
  heads?: number;
  /** Feed-forward width (default 4 × hidden, as in BERT). */
  intermediate?: number;
  maxPosition?: number;
  seed?: number;
  /** Which file name the weights get: fp32 → onnx/model.onnx, q8 → onnx/model_quantized.onnx. */
  dtype?: TinyDtype;
  /** Several weight files from the same random weights (fp32 and its int8-quantised copy). Wins over dtype. */
  dtypes?: TinyDtype[];
  /** Texts the tokenizer vocabulary is built from (default: the sample resolutions). */
  corpus?: string[];
  /** How many words, word beginnings and `##` endings the vocabulary takes from the corpus. */
  vocab?: Partial<VocabOptions>;
  /**
   * Pads the vocabulary with never-produced `[unusedN]` tokens up to this size, so the embedding
   * table (and the model file, and its memory) has a real model's size (250,037 for e5-small).
   */
  vocabSize?: number;
}

export type TinyDtype = 'fp32' | 'q8';

/**
 * The shape of intfloat/multilingual-e5-small (its config.json: BertModel, 12 layers, hidden 384,
 * 12 heads, intermediate 1536, 512 positions, the XLM-R vocabulary of 250,037 tokens): inference
 * cost depends on the shape, not on the weights, so a random model of this shape costs what the
 * real one costs. ~470 MB fp32, ~120 MB q8; generate it under /tmp or .cache, never commit it.
 */
export const E5_SMALL_SHAPE = {
  layers: 12,
  hidden: 384,
  heads: 12,
  intermediate: 1536,
  maxPosition: 512,
  vocabSize: 250_037,
  vocab: { words: 20_000, prefixes: 6_000, suffixes: 2_000 },
} as const satisfies TinyBertOptions;

export interface TinyBertModel {
  dir: string;
  vocabSize: number;
  hidden: number;
  /** Size of the first weight file written. */
  onnxBytes: number;
  /** Bytes per weight file, by dtype. */
  weights: Partial<Record<TinyDtype, number>>;
  files: string[];
}

const OPSET = 17; // LayerNormalization is a standard op from 17 on
const IR_VERSION = 8;

/** Symmetric per-tensor int8 quantisation (zero point 0), as onnxruntime's quantize_dynamic does by default. */
export function quantizeInt8(data: Float32Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(data[i]));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(data[i] / scale)));
  return { q, scale };
}

/** Collects nodes and initializers; every op gets a fresh output name. */
class GraphBuilder {
  readonly nodes: ProtoWriter[] = [];
  readonly initializers: ProtoWriter[] = [];
  private count = 0;
  private readonly normal: () => number;

  constructor(seed: number) {
    this.normal = normalish(mulberry32(seed));
  }

  /** Random weights; drawn in the same order whatever is done with them, so fp32 and q8 share weights. */
  draw(dims: number[], std: number, mean = 0): Float32Array {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * this.normal();
    return data;
  }

  random(name: string, dims: number[], std: number, mean = 0): string {
    this.initializers.push(tensorProto(name, dims, this.draw(dims, std, mean)));
    return name;
  }

  /** Random weights stored as int8 with one scale; returns the names of data, scale and zero point. */
  randomInt8(name: string, dims: number[], std: number): { q: string; scale: string; zero: string } {
    const { q, scale } = quantizeInt8(this.draw(dims, std));
    this.initializers.push(tensorProto(`${name}_quantized`, dims, q));
    this.initializers.push(tensorProto(`${name}_scale`, [], Float32Array.of(scale)));
    this.initializers.push(tensorProto(`${name}_zero_point`, [], Int8Array.of(0)));
    return { q: `${name}_quantized`, scale: `${name}_scale`, zero: `${name}_zero_point` };
  }

  floats(name: string, dims: number[], values: number[]): string {
    this.initializers.push(tensorProto(name, dims, Float32Array.from(values)));
    return name;
  }

  ints(name: string, values: number[]): string {
    this.initializers.push(tensorProto(name, [values.length], BigInt64Array.from(values.map(BigInt))));
    return name;
  }

  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.opN(op, inputs, 1, attrs, output ? [output] : undefined)[0];
  }

  /** An op with several outputs (DynamicQuantizeLinear: data, scale, zero point). */
  opN(op: string, inputs: string[], n: number, attrs: Record<string, AttrValue> = {}, outputs?: string[]): string[] {
    const id = this.count++;
    const outs = outputs ?? Array.from({ length: n }, (_, i) => `${op.toLowerCase()}_${id}${n > 1 ? `_${i}` : ''}`);
    this.nodes.push(nodeProto(op, inputs, outs, `${op}_${id}`, attrs));
    return outs;
  }
}

type GraphOptions = Required<Omit<TinyBertOptions, 'corpus' | 'dtype' | 'dtypes' | 'vocab' | 'vocabSize'>> & { vocabSize: number; quantize?: boolean };

/**
 * The ONNX graph of a BERT encoder: word + position + token-type embeddings and LayerNorm, then N
 * layers of multi-head self-attention (additive mask bias from attention_mask) and a GELU (erf)
 * feed-forward block, each with a residual connection and LayerNorm. Output: last_hidden_state.
 *
 * With `quantize`, the graph is what onnxruntime's quantize_dynamic makes of it (the int8 copies
 * transformers.js ships as model_quantized.onnx): every weight MatMul becomes DynamicQuantizeLinear
 * (activations to uint8 with a per-batch scale) → MatMulInteger (int8 weights, one scale per tensor)
 * → Cast → Mul by the product of the scales, which onnxruntime fuses into one DynamicQuantizeMatMul;
 * the word-embedding table is stored as int8 and dequantised after the Gather. The weights are the
 * fp32 model's (same seed, same draw order), quantised.
 */
export function tinyBertGraph(o: GraphOptions): ProtoWriter {
  const { hidden: h, heads, layers, intermediate, maxPosition, vocabSize } = o;
  if (h % heads !== 0) throw new Error(`hidden (${h}) must be a multiple of heads (${heads})`);
  const dh = h / heads;
  const g = new GraphBuilder(o.seed);
  const ln = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, g.random(`${prefix}.gamma`, [h], 0.05, 1), g.random(`${prefix}.beta`, [h], 0.02)], {
      axis: -1,
      epsilon: { float: 1e-12 },
    });
  const dense = (x: string, prefix: string, inDim: number, outDim: number) => {
    const std = 1 / Math.sqrt(inDim);
    if (!o.quantize) return g.op('Add', [g.op('MatMul', [x, g.random(`${prefix}.weight`, [inDim, outDim], std)]), g.random(`${prefix}.bias`, [outDim], 0.02)]);
    const w = g.randomInt8(`${prefix}.weight`, [inDim, outDim], std);
    const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', [x], 3);
    const product = g.op('Cast', [g.op('MatMulInteger', [xq, w.q, xZero, w.zero])], { to: ONNX_FLOAT });
    const scaled = g.op('Mul', [product, g.op('Mul', [xScale, w.scale])]);
    return g.op('Add', [scaled, g.random(`${prefix}.bias`, [outDim], 0.02)]);
  };

  // Embeddings. Position ids are 0..seq-1: slice the table to the input's sequence length.
  let words: string;
  if (o.quantize) {
    const table = g.randomInt8('embeddings.word', [vocabSize, h], 0.5);
    words = g.op('DequantizeLinear', [g.op('Gather', [table.q, 'input_ids'], { axis: 0 }), table.scale, table.zero]);
  } else {
    words = g.op('Gather', [g.random('embeddings.word', [vocabSize, h], 0.5), 'input_ids'], { axis: 0 });
  }
  const shape = g.op('Shape', ['input_ids']);
  const seqLen = g.op('Slice', [shape, g.ints('c.one', [1]), g.ints('c.two', [2]), g.ints('c.axis0', [0])]);
  const positions = g.op('Slice', [g.random('embeddings.position', [maxPosition, h], 0.5), g.ints('c.zero', [0]), seqLen, 'c.axis0']);
  const types = g.op('Gather', [g.random('embeddings.token_type', [2, h], 0.5), 'token_type_ids'], { axis: 0 });
  let x = ln(g.op('Add', [g.op('Add', [words, positions]), types]), 'embeddings.ln');

  // Padding positions get −10000 added to their attention scores: softmax gives them exactly 0.
  const maskF = g.op('Cast', ['attention_mask'], { to: ONNX_FLOAT });
  const inverted = g.op('Sub', [g.floats('c.one_f', [], [1]), maskF]);
  const bias = g.op('Unsqueeze', [g.op('Mul', [inverted, g.floats('c.neg_big', [], [-10000])]), g.ints('c.axes12', [1, 2])]);
  const headsShape = g.ints('c.heads_shape', [0, 0, heads, dh]);
  const hiddenShape = g.ints('c.hidden_shape', [0, 0, h]);
  const scale = g.floats('c.scale', [], [1 / Math.sqrt(dh)]);
  const half = g.floats('c.half', [], [0.5]);
  const sqrt2 = g.floats('c.sqrt2', [], [Math.SQRT2]);

  for (let l = 0; l < layers; l++) {
    const p = `layer.${l}`;
    const split = (name: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [dense(x, `${p}.attention.${name}`, h, h), headsShape])], { perm });
    const q = split('query', [0, 2, 1, 3]); // [B, heads, S, dh]
    const k = split('key', [0, 2, 3, 1]); // [B, heads, dh, S]
    const v = split('value', [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), scale]), bias]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), hiddenShape]);
    const attended = ln(g.op('Add', [dense(context, `${p}.attention.output`, h, h), x]), `${p}.attention.ln`);
    const inner = dense(attended, `${p}.intermediate`, h, intermediate);
    // GELU(x) = x · ½ · (1 + erf(x / √2))
    const gelu = g.op('Mul', [g.op('Mul', [inner, half]), g.op('Add', [g.floats(`${p}.one`, [], [1]), g.op('Erf', [g.op('Div', [inner, sqrt2])])])]);
    x = ln(g.op('Add', [dense(gelu, `${p}.output`, intermediate, h), attended]), `${p}.output.ln`);
  }
  g.op('Identity', [x], {}, 'last_hidden_state');

  const ids = (name: string) => valueInfo(name, ONNX_INT64, ['batch_size', 'sequence_length']);
  return modelWriter(
    {
      name: 'tiny_bert',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
      outputs: [valueInfo('last_hidden_state', ONNX_FLOAT, ['batch_size', 'sequence_length', h])],
    },
    { irVersion: IR_VERSION, opset: OPSET, producer: o.quantize ? 'confrec-tinymodel-q8' : 'confrec-tinymodel' },
  );
}

function sampleCorpus(): string[] {
  const dir = config.sampleDir;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/**
 * Writes a randomly initialised but architecturally real BERT model folder, laid out as
 * transformers.js expects a local model: config.json, tokenizer.json, tokenizer_config.json and
 * onnx/model.onnx and/or onnx/model_quantized.onnx (the int8 copy of the same weights). By default
 * a few hundred KB for offline tests; with E5_SMALL_SHAPE a model that costs what e5-small costs.
 */
export function writeTinyBertModel(dir: string, opts: TinyBertOptions = {}): TinyBertModel {
  const hidden = opts.hidden ?? 32;
  const o = {
    layers: opts.layers ?? 2,
    hidden,
    heads: opts.heads ?? 2,
    intermediate: opts.intermediate ?? 4 * hidden,
    maxPosition: opts.maxPosition ?? 128,
    seed: opts.seed ?? 7,
  };
  const vocab = buildVocab(opts.corpus ?? sampleCorpus(), { words: 400, prefixes: 300, suffixes: 300, ...opts.vocab });
  if (opts.vocabSize !== undefined) {
    if (opts.vocabSize < vocab.length) throw new Error(`vocabSize ${opts.vocabSize} is smaller than the ${vocab.length} tokens the corpus needs`);
    for (let i = 0; vocab.length < opts.vocabSize; i++) vocab.push(`[unused${i}]`);
  }
  const dtypes = opts.dtypes ?? [opts.dtype ?? 'fp32'];

  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const json = (file: string, value: unknown) => writeFileSync(join(dir, file), JSON.stringify(value, null, 1) + '\n');
  json('config.json', {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocab.length,
    hidden_size: o.hidden,
    num_hidden_layers: o.layers,
    num_attention_heads: o.heads,
    intermediate_size: o.intermediate,
    hidden_act: 'gelu',
    max_position_embeddings: o.maxPosition,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
  });
  json('tokenizer.json', tokenizerJson(vocab));
  json('tokenizer_config.json', tokenizerConfigJson(o.maxPosition));
  json('special_tokens_map.json', { pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]' });
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];
  const weights: Partial<Record<TinyDtype, number>> = {};
  for (const d of dtypes) {
    const file = `onnx/${DTYPE_FILES[d]}`;
    // One graph at a time: the e5-small-sized fp32 graph alone holds ~470 MB of weights.
    weights[d] = tinyBertGraph({ ...o, vocabSize: vocab.length, quantize: d === 'q8' }).writeTo(join(dir, file));
    files.push(file);
  }
  return { dir, vocabSize: vocab.length, hidden: o.hidden, onnxBytes: weights[dtypes[0]] ?? 0, weights, files };
}

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../../pipeline/config.js';
import { DTYPE_FILES } from '../../pipeline/embed/transformers/models.js';
import {
  ONNX_FLOAT,
  ONNX_INT64,
  modelProto,
  nodeProto,
  tensorProto,
  valueInfo,
  type AttrValue,
  type ProtoWriter,
} from './onnx-proto.js';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { buildVocab, tokenizerConfigJson, tokenizerJson } from './tiny-tokenizer.js';

export interface TinyBertOptions {
  layers?: number;
  hidden?: number;
  heads?: number;
  /** Feed-forward width (default 4 × hidden, as in BERT). */
  intermediate?: number;
  maxPosition?: number;
  seed?: number;
  /** Which file name the weights get: fp32 → onnx/model.onnx, q8 → onnx/model_quantized.onnx. */
  dtype?: 'fp32' | 'q8';
  /** Texts the tokenizer vocabulary is built from (default: the sample resolutions). */
  corpus?: string[];
}

export interface TinyBertModel {
  dir: string;
  vocabSize: number;
  hidden: number;
  onnxBytes: number;
  files: string[];
}

const OPSET = 17; // LayerNormalization is a standard op from 17 on
const IR_VERSION = 8;

/** Collects nodes and initializers; every op gets a fresh output name. */
class GraphBuilder {
  readonly nodes: ProtoWriter[] = [];
  readonly initializers: ProtoWriter[] = [];
  private count = 0;
  private readonly normal: () => number;

  constructor(seed: number) {
    this.normal = normalish(mulberry32(seed));
  }

  random(name: string, dims: number[], std: number, mean = 0): string {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * this.normal();
    this.initializers.push(tensorProto(name, dims, data));
    return name;
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
    const out = output ?? `${op.toLowerCase()}_${this.count}`;
    this.nodes.push(nodeProto(op, inputs, [out], `${op}_${this.count++}`, attrs));
    return out;
  }
}

/**
 * The ONNX graph of a BERT encoder: word + position + token-type embeddings and LayerNorm, then N
 * layers of multi-head self-attention (additive mask bias from attention_mask) and a GELU (erf)
 * feed-forward block, each with a residual connection and LayerNorm. Output: last_hidden_state.
 */
export function tinyBertGraph(o: Required<Omit<TinyBertOptions, 'corpus' | 'dtype'>> & { vocabSize: number }): Uint8Array {
  const { hidden: h, heads, layers, intermediate, maxPosition, vocabSize } = o;
  if (h % heads !== 0) throw new Error(`hidden (${h}) must be a multiple of heads (${heads})`);
  const dh = h / heads;
  const g = new GraphBuilder(o.seed);
  const ln = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, g.random(`${prefix}.gamma`, [h], 0.05, 1), g.random(`${prefix}.beta`, [h], 0.02)], {
      axis: -1,
      epsilon: { float: 1e-12 },
    });
  const dense = (x: string, prefix: string, inDim: number, outDim: number) =>
    g.op('Add', [g.op('MatMul', [x, g.random(`${prefix}.weight`, [inDim, outDim], 1 / Math.sqrt(inDim))]), g.random(`${prefix}.bias`, [outDim], 0.02)]);

  // Embeddings. Position ids are 0..seq-1: slice the table to the input's sequence length.
  const words = g.op('Gather', [g.random('embeddings.word', [vocabSize, h], 0.5), 'input_ids'], { axis: 0 });
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
  return modelProto(
    {
      name: 'tiny_bert',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
      outputs: [valueInfo('last_hidden_state', ONNX_FLOAT, ['batch_size', 'sequence_length', h])],
    },
    { irVersion: IR_VERSION, opset: OPSET, producer: 'confrec-tinymodel' },
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
 * Writes a small, randomly initialised but architecturally real BERT model folder, laid out as
 * transformers.js expects a local model: config.json, tokenizer.json, tokenizer_config.json and
 * onnx/model.onnx (or model_quantized.onnx). A few hundred KB; for offline tests and benchmarks.
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
  const vocab = buildVocab(opts.corpus ?? sampleCorpus(), { words: 400, prefixes: 300, suffixes: 300 });
  const onnx = tinyBertGraph({ ...o, vocabSize: vocab.length });

  const weights = `onnx/${DTYPE_FILES[opts.dtype ?? 'fp32']}`;
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
  writeFileSync(join(dir, weights), onnx);
  return {
    dir,
    vocabSize: vocab.length,
    hidden: o.hidden,
    onnxBytes: onnx.length,
    files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', weights],
  };
}

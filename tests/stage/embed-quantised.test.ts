import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTransformersEmbedder, type TransformersEmbedder } from '../../pipeline/embed/transformers/embedder.js';
import { checkModelFolder } from '../../pipeline/embed/transformers/models.js';
import { cudaProviderPath } from '../../pipeline/embed/transformers/device.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { dot } from '../../pipeline/math/vectors.js';
import { writeTinyBertModel } from '../../tools/tiny-model/tinymodel.js';
import { GOLD_DIR, tempDir } from '../helpers/tmp.js';

// Small generated models only: the e5-small-shaped one (590 MB) belongs to `npm run bench -- model`.
const modelDir = tempDir('confrec-q8-models-');
const ID = 'test/tiny-both';
const folder = join(modelDir, 'test', 'tiny-both');

const texts: string[] = JSON.parse(readFileSync(join(GOLD_DIR, 'resolution-02.json'), 'utf8')).recommendations.map(
  (r: { text: string }) => r.text,
);

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('the int8-quantised copy of a generated model', () => {
  let fp32: TransformersEmbedder;
  let q8: TransformersEmbedder;
  let auto: TransformersEmbedder;
  beforeAll(async () => {
    // Four layers so that quantisation error has room to accumulate, as in a real encoder.
    writeTinyBertModel(folder, { layers: 4, hidden: 64, heads: 4, seed: 5, dtypes: ['fp32', 'q8'] });
    fp32 = await loadTransformersEmbedder({ model: ID, modelDir, dtype: 'fp32' });
    q8 = await loadTransformersEmbedder({ model: ID, modelDir, dtype: 'q8' });
    auto = await loadTransformersEmbedder({ model: ID, modelDir });
  });
  afterAll(async () => {
    await fp32?.dispose();
    await q8?.dispose();
    await auto?.dispose();
  });

  it('is a real int8 graph: dynamic quantisation ops, int8 weights, a quarter of the weight bytes', () => {
    const f = readFileSync(join(folder, 'onnx', 'model.onnx'));
    const q = readFileSync(join(folder, 'onnx', 'model_quantized.onnx'));
    for (const op of ['DynamicQuantizeLinear', 'MatMulInteger', 'DequantizeLinear']) {
      expect(q.includes(op)).toBe(true);
      expect(f.includes(op)).toBe(false);
    }
    // Every large tensor (embedding table, dense weights) shrinks 4×; biases and LayerNorms stay fp32.
    expect(q.length).toBeLessThan(0.35 * f.length);
  });

  it('gives vectors close to the fp32 model it was quantised from, but not the same ones', async () => {
    const a = await fp32.embed(texts, 'passage');
    const b = await q8.embed(texts, 'passage');
    for (let i = 0; i < texts.length; i++) {
      expect(dot(a[i], b[i])).toBeGreaterThan(0.99);
      expect(maxDiff(a[i], b[i])).toBeGreaterThan(1e-5);
    }
    // …and it still tells texts apart: each q8 vector is nearest to its own fp32 vector.
    for (let i = 0; i < texts.length; i++) {
      const sims = a.map((v) => dot(v, b[i]));
      expect(sims.indexOf(Math.max(...sims))).toBe(i);
    }
  });

  it('q8 is what a real model uses by default when both files are there', () => {
    expect(checkModelFolder(modelDir, ID).dtype).toBe('q8');
    expect(auto.dtype).toBe('q8');
    expect(auto.id).toBe(`transformers:${ID}@q8`);
  });

  it('length-sorted batching changes only the order of work, not the vectors', async () => {
    const unsorted = await loadTransformersEmbedder({ model: ID, modelDir, dtype: 'q8', sortByLength: false, batchSize: 4 });
    const sorted = await loadTransformersEmbedder({ model: ID, modelDir, dtype: 'q8', sortByLength: true, batchSize: 4 });
    try {
      const x = await unsorted.embed(texts, 'passage');
      const y = await sorted.embed(texts, 'passage');
      // Dynamic quantisation scales activations per batch, so batch-mates shift q8 vectors slightly.
      for (let i = 0; i < texts.length; i++) expect(dot(x[i], y[i])).toBeGreaterThan(0.999);
    } finally {
      await unsorted.dispose();
      await sorted.dispose();
    }
  });

  it('the direct path (one tokenisation, own padding and pooling) equals the transformers.js pipeline', async () => {
    const direct = await fp32.embed(texts, 'passage');
    const tensor = fp32.tensor;
    fp32.tensor = null; // falls back to the feature-extraction pipeline
    try {
      const viaPipeline = await fp32.embed(texts, 'passage');
      for (let i = 0; i < texts.length; i++) expect(maxDiff(direct[i], viaPipeline[i])).toBeLessThan(1e-5);
    } finally {
      fp32.tensor = tensor;
    }
  });

  it('runs with the number of threads asked for and records it', async () => {
    const one = await loadTransformersEmbedder({ model: ID, modelDir, dtype: 'fp32', threads: 1 });
    try {
      expect(one.info).toMatchObject({ threads: 1, device: 'cpu', dtype: 'fp32' });
      const [v] = await one.embed([texts[0]], 'passage');
      const [w] = await fp32.embed([texts[0]], 'passage');
      expect(maxDiff(v, w)).toBeLessThan(1e-5);
    } finally {
      await one.dispose();
    }
  });
});

describe('model builder: a real model vocabulary size', () => {
  const dir = tempDir('confrec-vocab-');
  it('pads the vocabulary to the requested size, and the model runs with it', async () => {
    const m = writeTinyBertModel(join(dir, 'test', 'padded'), { seed: 2, vocabSize: 5000 });
    expect(m.vocabSize).toBe(5000);
    const cfg = JSON.parse(readFileSync(join(dir, 'test', 'padded', 'config.json'), 'utf8'));
    const tok = JSON.parse(readFileSync(join(dir, 'test', 'padded', 'tokenizer.json'), 'utf8'));
    expect(cfg.vocab_size).toBe(5000);
    expect(Object.keys(tok.model.vocab)).toHaveLength(5000);
    const e = await loadTransformersEmbedder({ model: 'test/padded', modelDir: dir });
    try {
      const [v] = await e.embed([texts[0]], 'passage');
      expect(v).toHaveLength(32);
    } finally {
      await e.dispose();
    }
  });

  it('refuses a vocabulary size smaller than the corpus needs', () => {
    expect(() => writeTinyBertModel(join(dir, 'test', 'small'), { seed: 2, vocabSize: 50 })).toThrow(/smaller than/);
  });
});

describe('--device cuda', () => {
  it.runIf(cudaProviderPath() === null)('without the CUDA build of onnxruntime-node: a ConfrecError saying what to install', async () => {
    writeTinyBertModel(join(modelDir, 'test', 'gpu'), { seed: 9 });
    try {
      const e = await loadTransformersEmbedder({ model: 'test/gpu', modelDir, device: 'cuda' });
      await e.dispose();
      throw new Error('expected --device cuda to fail without the CUDA provider');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfrecError);
      const line = (err as ConfrecError).toLine();
      expect(line).toContain('libonnxruntime_providers_cuda.so');
      expect(line).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node');
    }
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbedder } from '../../pipeline/embed/registry.js';
import { modelRule } from '../../pipeline/embed/transformers/models.js';
import { writeTinyBertModel } from '../../tools/tiny-model/tinymodel.js';
import { loadTransformersEmbedder, type TransformersEmbedder } from '../../pipeline/embed/transformers/embedder.js';
import { norm } from '../../pipeline/math/vectors.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { Store } from '../../pipeline/store/db.js';
import { GOLD_DIR, tempDir } from '../helpers/tmp.js';

const modelDir = tempDir('confrec-models-');
const PLAIN = 'test/tiny-bert';
const E5 = 'test/tiny-e5-bert'; // same weights; its name matches the e5 prefix rule

const texts: string[] = JSON.parse(readFileSync(join(GOLD_DIR, 'resolution-01.json'), 'utf8')).recommendations.map(
  (r: { text: string }) => r.text,
);

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('transformers backend with a generated tiny BERT', () => {
  let plain: TransformersEmbedder;
  let e5: TransformersEmbedder;
  let store: Store;
  beforeAll(async () => {
    const made = writeTinyBertModel(join(modelDir, ...PLAIN.split('/')), { layers: 2, hidden: 32, heads: 2, seed: 11 });
    expect(made.onnxBytes).toBeLessThan(1_000_000);
    cpSync(join(modelDir, ...PLAIN.split('/')), join(modelDir, ...E5.split('/')), { recursive: true });
    store = await Store.open(':memory:');
    // Through the same factory the stage uses.
    plain = (await createEmbedder(store, { embedder: 'transformers', model: PLAIN, modelDir })) as TransformersEmbedder;
    e5 = await loadTransformersEmbedder({ model: E5, modelDir, batchSize: 32 });
  });
  afterAll(async () => {
    await plain?.dispose();
    await e5?.dispose();
    store?.close();
  });

  it('names backend, model and dtype, and reports the hidden size as dimension', () => {
    expect(plain.id).toBe(`transformers:${PLAIN}@fp32`);
    expect(plain.dim).toBe(32);
  });

  it('returns unit-length vectors', async () => {
    const vs = await plain.embed(texts, 'passage');
    expect(vs).toHaveLength(texts.length);
    for (const v of vs) {
      expect(v).toHaveLength(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('applies the e5 passage/query prefixes from the model table', async () => {
    expect(modelRule('Xenova/multilingual-e5-small').name).toBe('e5');
    expect(modelRule(E5).name).toBe('e5');
    expect(modelRule(PLAIN).name).toBe('default');
    expect(e5.inputs(['текст'], 'passage')).toEqual(['passage: текст']);
    expect(e5.inputs(['текст'], 'query')).toEqual(['query: текст']);
    expect(plain.inputs(['текст'], 'query')).toEqual(['текст']);
    // The tokenizer really sees the prefix: e5(passage, t) equals plain("passage: " + t).
    const [p] = await e5.embed([texts[0]], 'passage');
    const [q] = await e5.embed([texts[0]], 'query');
    const [manual] = await plain.embed([`passage: ${texts[0]}`], 'passage');
    expect(maxDiff(p, manual)).toBeLessThan(1e-6);
    expect(maxDiff(p, q)).toBeGreaterThan(1e-3);
  });

  it('is deterministic: the same input twice gives identical vectors', async () => {
    const a = await plain.embed(texts, 'passage');
    const b = await plain.embed(texts, 'passage');
    a.forEach((v, i) => expect(Buffer.from(v.buffer).equals(Buffer.from(b[i].buffer))).toBe(true));
  });

  it('one batch of 32 equals 32 single calls (padding is masked out)', async () => {
    const batch = Array.from({ length: 32 }, (_, i) => texts[i % texts.length].slice(0, 40 + 13 * i));
    const together = await plain.embed(batch, 'passage');
    for (let i = 0; i < batch.length; i++) {
      const [alone] = await plain.embed([batch[i]], 'passage');
      expect(maxDiff(alone, together[i])).toBeLessThan(1e-5);
    }
  });
});

describe('a missing or broken model folder', () => {
  const dir = tempDir('confrec-badmodels-');
  const ID = 'test/broken';
  const folder = join(dir, 'test', 'broken');
  const fresh = () => {
    rmSync(folder, { recursive: true, force: true });
    writeTinyBertModel(folder, { seed: 3 });
  };

  async function failure(model = ID): Promise<ConfrecError> {
    try {
      const e = await loadTransformersEmbedder({ model, modelDir: dir });
      await e.dispose();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfrecError);
      return err as ConfrecError;
    }
    throw new Error('expected the model load to fail');
  }

  it('names the folder when the model is absent', async () => {
    const err = await failure('test/absent');
    expect(err.file).toBe(join(dir, 'test', 'absent'));
    expect(err.toLine()).toContain('confrec model pull test/absent');
  });

  it.each([['config.json'], ['tokenizer.json'], ['tokenizer_config.json'], ['onnx/model.onnx']])('names a missing %s', async (file) => {
    fresh();
    rmSync(join(folder, file));
    const err = await failure();
    expect(err.file).toBe(folder);
    expect(err.message).toContain(file);
  });

  it('names a corrupt config.json', async () => {
    fresh();
    writeFileSync(join(folder, 'config.json'), '{"model_type": "bert", ');
    const err = await failure();
    expect(err.file).toBe(folder);
    expect(err.message).toMatch(/config\.json.*not valid JSON/);
  });

  it('reports corrupt ONNX weights as a ConfrecError, not a crash', async () => {
    fresh();
    const path = join(folder, 'onnx', 'model.onnx');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const err = await failure();
    expect(err.file).toBe(folder);
    expect(err.message).toMatch(/cannot load model|does not run/);
  });

  it('an explicit dtype whose file is absent names that file', async () => {
    fresh();
    try {
      await loadTransformersEmbedder({ model: ID, modelDir: dir, dtype: 'q8' });
      throw new Error('expected failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfrecError);
      expect((err as ConfrecError).message).toContain('onnx/model_quantized.onnx');
    }
  });
});

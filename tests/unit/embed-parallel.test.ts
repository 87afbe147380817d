/**
 * The lexical fit and its vectors shared with a helper thread (embed/lexical/parallel.ts) give the
 * bits of one thread: the count pass split into chunks counted into separate tables, the SVD's
 * products split by columns, the vectors split by texts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { newAnalyzer, lexicalParams } from '../../pipeline/embed/lexical/embedder.js';
import { corpusHash, embedTexts, fitLexicalModel, LexicalModel, type LexicalModelData } from '../../pipeline/embed/lexical/model.js';
import { openLexicalHelper, orthonormalizeWith, shareWork, type LexicalHelper, type LexicalTask } from '../../pipeline/embed/lexical/parallel.js';
import { runLexicalTask } from '../../pipeline/embed/lexical/worker.js';
import { csrTimesDense, csrTransposeTimesDense, SHARED_ARRAYS, type Csr } from '../../pipeline/embed/lexical/csr.js';
import { orthonormalize, times, transposeTimes } from '../../pipeline/embed/lexical/svd.js';
import type { LexicalAnalyzer } from '../../pipeline/embed/lexical/features.js';
import type { CorpusText } from '../../pipeline/embed/types.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { GOLD_DIR } from '../helpers/tmp.js';

const texts: string[] = readdirSync(GOLD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as { recommendations: { text: string }[] }).recommendations.map((r) => r.text));
// 400 distinct texts from the gold recommendations' pairs, so that the work splits into many chunks.
const pairs = Array.from({ length: 400 }, (_, i) => `${texts[i % texts.length]} ${texts[(i * 7 + Math.floor(i / texts.length)) % texts.length]}`);
const corpus: CorpusText[] = [...new Set(pairs)].map((text) => ({ hash: createHash('sha256').update(text).digest('hex'), text }));
const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** A helper that runs its tasks in this thread (worker.ts's code), after a turn of the event loop, and logs them. */
function inThreadHelper(ops: string[]): LexicalHelper {
  return {
    run: async <T>(task: LexicalTask) => {
      ops.push(task.op);
      await new Promise((r) => setTimeout(r, 1));
      return (await runLexicalTask(task)) as T;
    },
    close: async () => {},
    blocking: false,
  };
}

function sameModel(a: LexicalModelData, b: LexicalModelData) {
  expect(b.id).toBe(a.id);
  expect(b.features).toEqual(a.features);
  expect(b.nWordFeatures).toBe(a.nWordFeatures);
  expect(same(b.idf, a.idf)).toBe(true);
  expect(same(b.projection, a.projection)).toBe(true);
}

describe('the lexical fit shared with a helper thread', () => {
  // A small SVD sample and no df floor, so that the gold corpus exercises every part.
  const params = lexicalParams({ svdSample: 150, dim: 40, oversample: 6 });
  let analyzer: LexicalAnalyzer;
  let alone: LexicalModelData;
  let vectors: Float32Array;
  const hash = corpusHash(corpus);
  beforeAll(async () => {
    analyzer = await newAnalyzer(params);
    alone = await fitLexicalModel(corpus, hash, params, analyzer);
    const model = new LexicalModel(alone, analyzer);
    vectors = new Float32Array(corpus.length * params.dim);
    corpus.forEach((t, i) => vectors.set(model.embed(t.text), i * params.dim));
  });

  it('has texts enough for the test to split', () => {
    expect(corpus.length).toBeGreaterThan(350);
  });

  it('fits the same model, bit for bit, with the count pass and the SVD split (helper in this thread, small chunks)', async () => {
    const ops: string[] = [];
    const shared = await fitLexicalModel(corpus, hash, params, await newAnalyzer(params), undefined, inThreadHelper(ops), { local: 7, remote: 23 });
    sameModel(alone, shared);
    expect(ops.filter((o) => o === 'count').length).toBeGreaterThan(2);
    expect(ops).toContain('counts');
    expect(ops.filter((o) => o === 'svd').length).toBe(5);
  });

  it('computes the same vectors, bit for bit, split between the threads', async () => {
    const ops: string[] = [];
    const model = new LexicalModel(alone, await newAnalyzer(params));
    const out = new Float32Array(corpus.length * params.dim);
    let ticked = 0;
    await embedTexts(model, corpus.map((t) => t.text), out, (n) => (ticked += n), inThreadHelper(ops), { local: 5, remote: 31 });
    expect(ticked).toBe(corpus.length);
    expect(ops.filter((o) => o === 'embed').length).toBeGreaterThan(2);
    expect(same(out, vectors)).toBe(true);
  });

  it('gives the same bits with a real worker thread', async () => {
    const helper = openLexicalHelper(2)!;
    expect(helper).not.toBeNull();
    try {
      const shared = await fitLexicalModel(corpus, hash, params, await newAnalyzer(params), undefined, helper, { local: 16, remote: 64 });
      sameModel(alone, shared);
      const out = new Float32Array(corpus.length * params.dim);
      await embedTexts(new LexicalModel(shared, await newAnalyzer(params)), corpus.map((t) => t.text), out, () => {}, helper, { local: 16, remote: 64 });
      expect(same(out, vectors)).toBe(true);
    } finally {
      await helper.close();
    }
  }, 60_000);

  it('orthonormalises with a real worker thread to the bits of one thread', async () => {
    const helper = openLexicalHelper(2)!;
    try {
      const rand = mulberry32(77);
      const cases: [number, number, (i: number, j: number) => number][] = [
        [97, 23, () => 2 * rand() - 1],
        [9, 14, () => 2 * rand() - 1],
        [31, 11, (i, j) => (j % 3 === 2 ? 0 : j % 5 === 4 ? i + 1 : Math.sin(i * (j + 1)))],
        [300, 40, (i, j) => (j < 3 ? i * (j + 1) : 2 * rand() - 1)],
      ];
      for (const [n, l, f] of cases) {
        const y = new Float64Array(n * l);
        for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = f(i, j);
        const expected = Float64Array.from(y);
        orthonormalize(expected, n, l);
        await orthonormalizeWith(helper, y, n, l);
        expect(same(y, expected)).toBe(true);
      }
    } finally {
      await helper.close();
    }
  }, 60_000);

  it('opens no helper for one thread', () => {
    expect(openLexicalHelper(1)).toBeNull();
  });
});

describe('sharing work', () => {
  it('does every item once, in the helper or here, and merges the helper\'s results', async () => {
    for (const [total, local, remote] of [[0, 3, 5], [1, 3, 5], [100, 3, 7], [57, 10, 1]]) {
      const done = new Array<number>(total).fill(0);
      let merged = 0;
      await shareWork(
        total,
        local,
        remote,
        (from, to) => {
          for (let i = from; i < to; i++) done[i]++;
        },
        async (from, to) => {
          await new Promise((r) => setTimeout(r, 0));
          for (let i = from; i < to; i++) done[i]++;
          return to - from;
        },
        (n) => (merged += n),
      );
      expect(done.every((d) => d === 1)).toBe(true);
      if (total > 1) expect(merged).toBeGreaterThan(0);
    }
  });
});

describe('products restricted to column ranges', () => {
  const rand = mulberry32(5);
  const rows = 23;
  const cols = 17;
  const l = 9;
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < r % 9; t++) {
      idx.push(Math.floor(rand() * cols));
      vals.push(2 * rand() - 1);
    }
    indptr[r + 1] = idx.length;
  }
  const a: Csr = { rows, cols, indptr, indices: Int32Array.from(idx), data: Float64Array.from(vals) };
  const x = Float64Array.from({ length: cols * l }, () => 2 * rand() - 1);
  const q = Float64Array.from({ length: rows * l }, () => 2 * rand() - 1);

  it('give, range by range, the bits of the whole product', () => {
    for (const cut of [0, 1, 4, 8, 9]) {
      const ax = SHARED_ARRAYS.floats(rows * l);
      csrTimesDense(a, x, l, ax, 0, cut);
      csrTimesDense(a, x, l, ax, cut, l);
      expect(same(ax, csrTimesDense(a, x, l))).toBe(true);
      const atq = new Float64Array(cols * l);
      csrTransposeTimesDense(a, q, l, atq, cut, l);
      csrTransposeTimesDense(a, q, l, atq, 0, cut);
      expect(same(atq, csrTransposeTimesDense(a, q, l))).toBe(true);
      const k = 6;
      const b = Float64Array.from({ length: l * k }, () => 2 * rand() - 1);
      const t = Math.min(cut, k);
      const ab = new Float64Array(rows * k);
      times(q, b, rows, l, k, ab, t, k);
      times(q, b, rows, l, k, ab, 0, t);
      expect(same(ab, times(q, b, rows, l, k))).toBe(true);
      const qtq = new Float64Array(l * l);
      transposeTimes(q, q, rows, l, l, qtq, 0, cut);
      transposeTimes(q, q, rows, l, l, qtq, cut, l);
      expect(same(qtq, transposeTimes(q, q, rows, l))).toBe(true);
    }
  });
});

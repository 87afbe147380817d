import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fitLexicalEmbedder, LexicalEmbedder, newAnalyzer } from '../../pipeline/embed/lexical/embedder.js';
import type { CorpusText } from '../../pipeline/embed/types.js';
import { symmetricEigen } from '../../pipeline/math/eigen.js';
import { orthonormalize, randomizedSvd, times } from '../../pipeline/embed/lexical/svd.js';
import { corpusHash } from '../../pipeline/embed/lexical/model.js';
import { csrOperator, csrTimesDense, csrTransposeTimesDense, type Csr } from '../../pipeline/embed/lexical/csr.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { dot, norm } from '../../pipeline/math/vectors.js';
import { GOLD_DIR, tempDir } from '../helpers/tmp.js';
import { opensLexical } from '../../pipeline/embed/registry.js';

interface GoldRec {
  text: string;
  themes: string[];
}

const gold: GoldRec[] = readdirSync(GOLD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as { recommendations: GoldRec[] }).recommendations);

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const corpus: CorpusText[] = gold.map((r) => ({ hash: sha(r.text), text: r.text }));

const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe('lexical embedder on the gold recommendations', () => {
  let a: LexicalEmbedder;
  let vectors: Float32Array[];
  beforeAll(async () => {
    a = await fitLexicalEmbedder(corpus);
    vectors = await a.embed(gold.map((r) => r.text), 'passage');
  });

  it('gives unit vectors of the configured dimension', () => {
    expect(a.dim).toBe(256);
    expect(a.id).toMatch(/^lexical-v1:[0-9a-f]{16}$/);
    for (const v of vectors) {
      expect(v).toHaveLength(256);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('is bit-identical across two fits, whatever the input order', async () => {
    const b = await fitLexicalEmbedder([...corpus].reverse());
    expect(b.id).toBe(a.id);
    expect(bytes(b.fitted!.projection).equals(bytes(a.fitted!.projection))).toBe(true);
    const again = await b.embed(gold.map((r) => r.text), 'passage');
    again.forEach((v, i) => expect(bytes(v).equals(bytes(vectors[i]))).toBe(true));
  });

  it('embeds a query in the same space: each text as a query ranks itself first', async () => {
    for (let i = 0; i < gold.length; i++) {
      const [q] = await a.embed([gold[i].text], 'query');
      const scores = vectors.map((v) => dot(q, v));
      const best = scores.indexOf(Math.max(...scores));
      expect(best).toBe(i);
    }
  });

  it('a reworded query finds its recommendation (lemmas and n-grams bridge word forms)', async () => {
    const target = gold.findIndex((r) => r.text.includes('родительской') && r.themes.includes('parental_competence'));
    const [q] = await a.embed(['повышение родительских компетенций'], 'query');
    const scores = vectors.map((v) => dot(q, v));
    const rank = [...scores].sort((x, y) => y - x).indexOf(scores[target]);
    expect(rank).toBeLessThan(5);
  });

  it('puts recommendations that share a theme closer than those that share none', () => {
    let shared = 0;
    let nShared = 0;
    let none = 0;
    let nNone = 0;
    for (let i = 0; i < gold.length; i++) {
      for (let j = i + 1; j < gold.length; j++) {
        const s = dot(vectors[i], vectors[j]);
        if (gold[i].themes.some((t) => gold[j].themes.includes(t))) {
          shared += s;
          nShared++;
        } else {
          none += s;
          nNone++;
        }
      }
    }
    const meanShared = shared / nShared;
    const meanNone = none / nNone;
    console.log(`lexical: mean cosine, shared theme ${meanShared.toFixed(4)} (${nShared} pairs), no shared theme ${meanNone.toFixed(4)} (${nNone} pairs)`);
    expect(meanShared).toBeGreaterThan(meanNone);
  });

  it('names the space by the corpus it is asked about, also when asked again with the texts or with another corpus', async () => {
    const { lexicalParams } = await import('../../pipeline/embed/lexical/embedder.js');
    const { lexicalModelId } = await import('../../pipeline/embed/lexical/model.js');
    const p = lexicalParams();
    const e = new LexicalEmbedder(await newAnalyzer(p), p);
    const sorted = [...corpus].sort((x, y) => (x.hash < y.hash ? -1 : 1));
    const hashesOnly = sorted.map((t) => ({ hash: t.hash, text: '' }));
    expect((await e.adaptTo(hashesOnly))!.id).toBe(a.id);
    expect((await e.adaptTo(sorted))!.id).toBe(a.id);
    const fewer = sorted.slice(1);
    expect((await e.adaptTo(fewer))!.id).toBe(lexicalModelId(corpusHash(fewer), p));
    const swapped = [sorted[1], sorted[0], ...sorted.slice(2)];
    const other = [{ hash: sha('другой текст'), text: 'другой текст' }, ...sorted.slice(1)];
    expect((await e.adaptTo(swapped))!.id).toBe(a.id);
    expect((await e.adaptTo(other))!.id).toBe(lexicalModelId(corpusHash(other), p));
    expect((await e.adaptTo(other))!.id).not.toBe(a.id);
  });

  it('refuses to embed before any fit', async () => {
    const { LexicalEmbedder: Ctor, lexicalParams, newAnalyzer } = await import('../../pipeline/embed/lexical/embedder.js');
    const p = lexicalParams();
    const empty = new Ctor(await newAnalyzer(p), p);
    await expect(empty.embed(['текст'], 'query')).rejects.toThrow(/no lexical model/);
  });
});

describe('whether the lexical space follows a grown corpus', () => {
  /** A new embedder over `fitted`'s space that reads the texts it was fitted on only when asked. */
  const reopened = async (fitted: LexicalEmbedder, fittedOn: readonly CorpusText[], force = false) => {
    let reads = 0;
    const e = new LexicalEmbedder(
      await newAnalyzer(fitted.params),
      fitted.params,
      fitted.fitted!,
      async () => {
        reads++;
        return new Set(fittedOn.map((t) => t.hash));
      },
      { maxDrift: 0.1, force },
    );
    return { e, reads: () => reads };
  };
  const extra = (n: number): CorpusText[] => Array.from({ length: n }, (_, i) => ({ hash: sha(`extra ${i}`), text: `Обеспечить участие педагогов номер ${i}` }));

  it('reads the fitted texts only to adapt, and keeps the space for a small drift, refits past it', async () => {
    const fitted = await fitLexicalEmbedder(corpus);
    const small = await reopened(fitted, corpus);
    expect(small.reads()).toBe(0);
    await small.e.embed(['Обеспечить участие'], 'query');
    expect(small.reads()).toBe(0);
    const few = [...corpus, ...extra(Math.floor(corpus.length * 0.05))];
    expect(await small.e.driftFrom(few)).toBeCloseTo((few.length - corpus.length) / few.length);
    expect(await small.e.adaptTo(few)).toBeNull();
    expect(small.reads()).toBe(1);
    const many = [...corpus, ...extra(Math.ceil(corpus.length * 0.2))];
    const refit = await (await reopened(fitted, corpus)).e.adaptTo(many);
    expect(refit?.replaces).toEqual([fitted.id]);
  });

  it('--refit (force) refits a changed corpus however small the drift, and not the corpus it was fitted on', async () => {
    const fitted = await fitLexicalEmbedder(corpus);
    expect(await (await reopened(fitted, corpus, true)).e.adaptTo(corpus)).toBeNull();
    const refit = await (await reopened(fitted, corpus, true)).e.adaptTo([...corpus, ...extra(1)]);
    expect(refit).not.toBeNull();
  });
});

describe('linear algebra of the lexical fit', () => {
  /** Modified Gram–Schmidt as in the textbook: column by column, projections on earlier columns in order. */
  function textbookOrthonormalize(y: Float64Array, n: number, l: number): void {
    const c = new Float64Array(n * l);
    for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) c[j * n + i] = y[i * l + j];
    for (let j = 0; j < l; j++) {
      const cj = j * n;
      let before = 0;
      for (let i = 0; i < n; i++) before += c[cj + i] * c[cj + i];
      for (let p = 0; p < j; p++) {
        let r = 0;
        for (let i = 0; i < n; i++) r += c[p * n + i] * c[cj + i];
        if (r !== 0) for (let i = 0; i < n; i++) c[cj + i] -= r * c[p * n + i];
      }
      let after = 0;
      for (let i = 0; i < n; i++) after += c[cj + i] * c[cj + i];
      if (after <= before * 1e-20 || after === 0) c.fill(0, cj, cj + n);
      else for (let i = 0; i < n; i++) c[cj + i] *= 1 / Math.sqrt(after);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = c[j * n + i];
  }

  /** A symmetric n × n matrix Q·diag(values)·Qᵀ with a seeded random orthogonal Q (Gram–Schmidt). */
  function withEigenvalues(values: number[], seed: number): Float64Array {
    const n = values.length;
    const rand = mulberry32(seed);
    const q = Float64Array.from({ length: n * n }, () => rand() - 0.5); // columns of Q, column-major
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < j; p++) {
        let r = 0;
        for (let i = 0; i < n; i++) r += q[p * n + i] * q[j * n + i];
        for (let i = 0; i < n; i++) q[j * n + i] -= r * q[p * n + i];
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += q[j * n + i] ** 2;
      for (let i = 0; i < n; i++) q[j * n + i] /= Math.sqrt(s);
    }
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) m[i * n + j] += q[c * n + i] * values[c] * q[c * n + j];
    return m;
  }

  /** Checks A·v = λ·v, VᵀV = I, the order (largest first) and the sign convention (largest component positive). */
  function expectEigenpairs(m: Float64Array, n: number, tol: number) {
    const { values, vectors } = symmetricEigen(m, n);
    let scale = 1e-300;
    for (const x of m) scale = Math.max(scale, Math.abs(x));
    for (let c = 0; c < n; c++) {
      if (c > 0) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
      let big = 0;
      for (let i = 0; i < n; i++) {
        let mv = 0;
        for (let k = 0; k < n; k++) mv += m[i * n + k] * vectors[k * n + c];
        expect(Math.abs(mv - values[c] * vectors[i * n + c])).toBeLessThan(tol * scale);
        if (Math.abs(vectors[i * n + c]) > Math.abs(vectors[big * n + c])) big = i;
      }
      expect(vectors[big * n + c]).toBeGreaterThan(0);
      for (let c2 = 0; c2 <= c; c2++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + c] * vectors[i * n + c2];
        expect(Math.abs(dot - (c === c2 ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
    return values;
  }

  it('the eigen-decomposition (Householder + QL) finds the eigenpairs of random, repeated, rank-deficient and diagonal matrices', () => {
    const rand = mulberry32(31);
    for (const n of [1, 2, 3, 29, 90]) {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          const x = (rand() - 0.5) / (1 + i + j);
          m[i * n + j] = x;
          m[j * n + i] = x;
        }
      expectEigenpairs(m, n, 1e-12);
    }
    // Known spectra, repeated eigenvalues and zeros among them (a Gram matrix of lower rank).
    const spectrum = [5, 3, 3, 3, 1e-3, 0, 0, -2, 7.5, 1];
    const values = expectEigenpairs(withEigenvalues(spectrum, 5), spectrum.length, 1e-12);
    [...spectrum].sort((a, b) => b - a).forEach((v, i) => expect(values[i]).toBeCloseTo(v, 12));
    // Diagonal (nothing to reduce), with a zero row, and the zero matrix.
    const diag = new Float64Array(16);
    [2, 0, -1, 4].forEach((v, i) => (diag[i * 4 + i] = v));
    expect(Array.from(expectEigenpairs(diag, 4, 1e-15))).toEqual([4, 2, 0, -1]);
    expect(Array.from(symmetricEigen(new Float64Array(9), 3).values)).toEqual([0, 0, 0]);
  });

  it('the eigen-decomposition is deterministic and agrees with Jacobi rotations on a Gram matrix', () => {
    const rand = mulberry32(8);
    const rows = 60;
    const l = 24;
    const b = Float64Array.from({ length: rows * l }, () => rand() - 0.5);
    const g = new Float64Array(l * l);
    for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) for (let r = 0; r < rows; r++) g[i * l + j] += b[r * l + i] * b[r * l + j];
    const one = symmetricEigen(g, l);
    const two = symmetricEigen(g, l);
    expect(Buffer.from(one.vectors.buffer).equals(Buffer.from(two.vectors.buffer))).toBe(true);
    // Textbook cyclic Jacobi as the reference: the same eigenvalues, the same vectors up to sign.
    const a = Float64Array.from(g);
    const v = new Float64Array(l * l);
    for (let i = 0; i < l; i++) v[i * l + i] = 1;
    for (let sweep = 0; sweep < 50; sweep++) {
      for (let p = 0; p < l - 1; p++)
        for (let q = p + 1; q < l; q++) {
          const apq = a[p * l + q];
          if (Math.abs(apq) < 1e-300) continue;
          const tau = (a[q * l + q] - a[p * l + p]) / (2 * apq);
          const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
          const c = 1 / Math.sqrt(1 + t * t);
          const s = t * c;
          for (const [x, stride, at] of [[a, l, 1], [a, 1, l], [v, l, 1]] as const) {
            for (let k = 0; k < l; k++) {
              const ip = k * stride + p * at;
              const iq = k * stride + q * at;
              const xp = x[ip];
              const xq = x[iq];
              x[ip] = c * xp - s * xq;
              x[iq] = s * xp + c * xq;
            }
          }
        }
    }
    const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y] - a[x * l + x]);
    order.forEach((src, dst) => {
      expect(Math.abs(one.values[dst] - a[src * l + src])).toBeLessThan(1e-10);
      let dot = 0;
      for (let k = 0; k < l; k++) dot += one.vectors[k * l + dst] * v[k * l + src];
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-9);
    });
  });

  it('the dense product takes several terms per pass to the same bits as one at a time (zeros in A too)', () => {
    const rand = mulberry32(41);
    for (const [n, l, k] of [[7, 11, 5], [8, 4, 3], [1, 6, 2]]) {
      const a = Float64Array.from({ length: n * l }, (_, i) => (i % 7 === 3 ? 0 : 2 * rand() - 1));
      const b = Float64Array.from({ length: l * k }, () => 2 * rand() - 1);
      const expected = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) for (let t = 0; t < k; t++) expected[i * k + t] += a[i * l + j] * b[j * k + t];
      expect(Buffer.from(times(a, b, n, l, k).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it('sparse products take four stored values per pass to the same bits as one at a time', () => {
    const rand = mulberry32(23);
    const rows = 37;
    const cols = 19;
    const l = 7;
    // Rows of 0–11 stored values, some columns repeated within a row.
    const indptr = new Int32Array(rows + 1);
    const idx: number[] = [];
    const vals: number[] = [];
    for (let r = 0; r < rows; r++) {
      const k = r % 12;
      for (let t = 0; t < k; t++) {
        idx.push(t % 5 === 4 ? idx[idx.length - 1] : Math.floor(rand() * cols));
        vals.push(2 * rand() - 1);
      }
      indptr[r + 1] = idx.length;
    }
    const a: Csr = { rows, cols, indptr, indices: Int32Array.from(idx), data: Float64Array.from(vals) };
    const x = Float64Array.from({ length: cols * l }, () => 2 * rand() - 1);
    const q = Float64Array.from({ length: rows * l }, () => 2 * rand() - 1);
    const ax = new Float64Array(rows * l).fill(0.25);
    const atq = new Float64Array(cols * l).fill(0.25);
    for (let r = 0; r < rows; r++) {
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        for (let j = 0; j < l; j++) ax[r * l + j] += a.data[p] * x[a.indices[p] * l + j];
        for (let j = 0; j < l; j++) atq[a.indices[p] * l + j] += a.data[p] * q[r * l + j];
      }
    }
    const same = (u: Float64Array, v: Float64Array) => Buffer.from(u.buffer).equals(Buffer.from(v.buffer));
    expect(same(csrTimesDense(a, x, l, new Float64Array(rows * l).fill(0.25)), ax)).toBe(true);
    expect(same(csrTransposeTimesDense(a, q, l, new Float64Array(cols * l).fill(0.25)), atq)).toBe(true);
  });

  it('orthonormalises four columns per pass to the same bits as the textbook loop', () => {
    const rand = mulberry32(17);
    // Random columns; then a matrix with fewer rows than columns (dependent columns become zero),
    // one with repeated and zero columns, and widths that leave 1–3 columns after the groups of four.
    const cases: [number, number, (i: number, j: number) => number][] = [
      [97, 23, () => 2 * rand() - 1],
      [9, 14, () => 2 * rand() - 1],
      [31, 11, (i, j) => (j % 3 === 2 ? 0 : j % 5 === 4 ? i + 1 : Math.sin(i * (j + 1)))],
      [40, 6, (i, j) => (j < 3 ? i * (j + 1) : 2 * rand() - 1)],
    ];
    for (const [n, l, f] of cases) {
      const y = new Float64Array(n * l);
      for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) y[i * l + j] = f(i, j);
      const expected = Float64Array.from(y);
      textbookOrthonormalize(expected, n, l);
      orthonormalize(y, n, l);
      expect(Buffer.from(y.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it('Jacobi finds the eigenpairs of a symmetric matrix', () => {
    const n = 12;
    const rand = mulberry32(3);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const x = rand() - 0.5;
        m[i * n + j] = x;
        m[j * n + i] = x;
      }
    const { values, vectors } = symmetricEigen(m, n);
    for (let c = 0; c < n; c++) {
      if (c > 0) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
      for (let i = 0; i < n; i++) {
        let mv = 0;
        for (let k = 0; k < n; k++) mv += m[i * n + k] * vectors[k * n + c];
        expect(mv).toBeCloseTo(values[c] * vectors[i * n + c], 10);
      }
    }
  });

  it('randomised SVD recovers an exactly low-rank sparse matrix', async () => {
    // A = sum of 3 rank-one terms with known singular values, stored as CSR.
    const rows = 40;
    const cols = 30;
    const rand = mulberry32(9);
    const dense = new Float64Array(rows * cols);
    for (let r = 0; r < 3; r++) {
      const u = Array.from({ length: rows }, () => rand() - 0.5);
      const v = Array.from({ length: cols }, () => rand() - 0.5);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dense[i * cols + j] += (3 - r) * u[i] * v[j];
    }
    const indptr = new Int32Array(rows + 1);
    const idx: number[] = [];
    const data: number[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        idx.push(j);
        data.push(dense[i * cols + j]);
      }
      indptr[i + 1] = idx.length;
    }
    const svd = await randomizedSvd(
      csrOperator({ rows, cols, indptr, indices: Int32Array.from(idx), data: Float64Array.from(data) }),
      { k: 8, oversample: 5, powerIterations: 2, seed: 1 },
    );
    expect(svd.rank).toBe(3);
    // A·V·Vᵀ = A when V spans A's row space.
    for (let i = 0; i < rows; i += 7) {
      const proj = new Float64Array(8);
      for (let j = 0; j < cols; j++) for (let c = 0; c < 8; c++) proj[c] += dense[i * cols + j] * svd.v[j * 8 + c];
      for (let j = 0; j < cols; j++) {
        let back = 0;
        for (let c = 0; c < 8; c++) back += proj[c] * svd.v[j * 8 + c];
        expect(back).toBeCloseTo(dense[i * cols + j], 8);
      }
    }
  });
});

describe('which backend the embed stage will open', () => {
  const empty = tempDir('confrec-models-');
  it('says lexical for lexical, and for auto only when no transformer model is on disk or may be downloaded', async () => {
    expect(await opensLexical({ embedder: 'lexical' })).toBe(true);
    expect(await opensLexical({ embedder: 'transformers', modelDir: empty })).toBe(false);
    expect(await opensLexical({ embedder: 'auto', modelDir: empty })).toBe(true);
    expect(await opensLexical({ embedder: 'auto', modelDir: empty, allowDownload: true })).toBe(false);
  });
});

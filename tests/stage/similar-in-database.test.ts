import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { INTEGER } from '@duckdb/node-api';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { EMBEDDINGS } from '../../pipeline/store/columns.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { atLeast, cosineAt } from '../../pipeline/similar/pairs/cosine.js';
import { vectorTable, type VectorTable } from '../../pipeline/similar/pairs/vectors.js';
import { nearPairsAtLeast, storedNearPairs, type StoredVectors } from '../../pipeline/similar/pairs/in-database.js';
import { clusteredVectors } from '../helpers/vectors.js';
import { openSampleCopy } from '../helpers/db.js';
import { currentEmbedding } from '../../pipeline/embed/current.js';
import { countTexts, EXHAUSTIVE_BELOW, planNearDuplicates } from '../../pipeline/similar/plan.js';
import { parseNearDuplicateOptions } from '../../pipeline/similar/options.js';
import { config } from '../../pipeline/config.js';
import { codedCandidates, codesCover, refreshCodes } from '../../pipeline/similar/pairs/codes.js';
import { containmentWith } from '../../pipeline/similar/containment/store.js';
import { PROPOSAL_LEMMAS } from '../../pipeline/store/columns.js';
import { LIST, VARCHAR } from '@duckdb/node-api';

/**
 * The incremental path decides pairs in SQL over the stored vectors (pairs/in-database.ts); the
 * full run decides them in JS (pairs/cosine.ts). Both must give the same pairs with the same
 * similarities, including pairs sitting exactly on the threshold.
 */
describe('pairs decided where the vectors are stored', () => {
  const dim = 48;
  const embedder = 'test-space';
  let store: Store;
  let scratch: Scratch;
  let js: VectorTable;
  let stored: StoredVectors;

  beforeAll(async () => {
    store = await Store.open(':memory:');
    scratch = new Scratch(store, 'test');
    const vectors = clusteredVectors(600, dim, 7);
    // Copies of rows (cosine 1) and a zero vector, which has no direction and no idx.
    vectors.push(vectors[3], vectors[40], vectors[41], new Array<number>(dim).fill(0));
    const keys = vectors.map((_, i) => `h${String((i * 7919) % 100003).padStart(6, '0')}`);
    await store.append(EMBEDDINGS, vectors.map((v, i) => ({ text_hash: keys[i], embedder, dim, vector: v })));
    // Another space's rows under the same hashes must not take part.
    await store.append(EMBEDDINGS, vectors.slice(0, 50).map((v, i) => ({ text_hash: keys[i], embedder: 'other', dim, vector: v.map((x) => -x) })));
    js = await vectorTable(scratch, keys, Float32Array.from(vectors.flat()), dim);
    stored = { table: js.table, count: js.count, embedder, dim, coded: false };
  });
  afterAll(() => store?.close());

  const cos = (i: number, j: number) => cosineAt(js.data, dim, js.sq, i, j);

  async function freshTable(idx: number[]) {
    const t = await scratch.table<{ idx: number; text_hash: string }>('fresh', { idx: INTEGER, text_hash: EMBEDDINGS.columns.text_hash });
    await t.appendValues(idx.map((k) => [k, js.hashes[k]]));
    return t;
  }

  it('fresh × all down to a floor, and the pairs at the threshold: the JS definition, in (fresh, other) order, each once', async () => {
    expect(js.count).toBe(603);
    const rand = mulberry32(3);
    const fresh = [...new Set(Array.from({ length: 25 }, () => Math.floor(rand() * js.count)))].sort((a, b) => a - b);
    // A threshold equal to one pair's float similarity: that pair is on it and must be kept.
    const other = [...Array(js.count).keys()].find((b) => b !== fresh[1] && cos(fresh[1], b) >= 0.6 && cos(fresh[1], b) < 0.99);
    expect(other).toBeDefined();
    const t = cos(fresh[1], other!);
    const isFresh = new Set(fresh);
    const scan = (low: number) => {
      const out: [number, number, number][] = [];
      for (const a of fresh) {
        for (let b = 0; b < js.count; b++) {
          if (b === a || (isFresh.has(b) && b < a)) continue;
          const s = cos(a, b);
          if (atLeast(s, low)) out.push([Math.min(a, b), Math.max(a, b), s]);
        }
      }
      return out;
    };
    const expected = scan(t);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.some(([, , s]) => s === t)).toBe(true);
    // One scan down to a lower floor (the containment floor) holds every pair above it ...
    const floor = 0.3;
    const near = await storedNearPairs(store, scratch, stored, { table: await freshTable(fresh) }, floor);
    const sorted = (rows: [number, number, number][]) => [...rows].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const all = await store.all<{ i: number; j: number; similarity: number }>(`SELECT i, j, similarity FROM ${near.name} ORDER BY i, j`);
    expect(all.map((r) => [r.i, r.j, r.similarity])).toEqual(sorted(scan(floor)));
    expect(all.length).toBeGreaterThan(expected.length);
    // ... and those at the threshold come out in (fresh end, other end) order.
    const got = await nearPairsAtLeast(store, scratch, near, t);
    expect(Array.from({ length: got.length }, (_, k) => [got.i[k], got.j[k], got.similarity[k]])).toEqual(expected);
    expect(await store.all(`SELECT i, j, similarity FROM ${got.table.name}`)).toEqual(expected.map(([i, j, similarity]) => ({ i, j, similarity })));
  });

  it('the scan through the 8-bit codes finds the same pairs with the same similarities, and only a share of them is checked exactly', async () => {
    const rand = mulberry32(11);
    const fresh = [...new Set(Array.from({ length: 30 }, () => Math.floor(rand() * js.count)))].sort((a, b) => a - b);
    const read = async (t: { name: string }) => store.all(`SELECT a, b, i, j, similarity FROM ${t.name} ORDER BY a, b`);
    const saved = config.nearDuplicates.codesFromTexts;
    try {
      // Below the size that keeps codes a full run deletes them; from it on they cover the space.
      config.nearDuplicates.codesFromTexts = js.count + 1;
      expect(await refreshCodes(store, { id: embedder, dim }, js.count)).toBe(0);
      config.nearDuplicates.codesFromTexts = 1;
      // Every vector of the space gets a code (the zero vector too, with scale 0); none of the other space.
      expect(await refreshCodes(store, { id: embedder, dim }, js.count)).toBe(604);
      expect(await store.scalar<number>(`SELECT count(*) FROM vector_codes WHERE scale = 0`)).toBe(1);
      const freshT = await freshTable(fresh);
      expect(await codesCover(store, { id: embedder, dim }, freshT)).toBe(true);
      for (const floor of [0.3, 0.5, 0.8]) {
        const plain = await storedNearPairs(store, scratch, stored, { table: freshT }, floor);
        const coded = await storedNearPairs(store, scratch, { ...stored, coded: true }, { table: freshT }, floor);
        const expected = await read(plain);
        expect(expected.length).toBeGreaterThan(30);
        expect(await read(coded)).toEqual(expected);
        expect(coded.candidates).toBeGreaterThan(0);
        expect(coded.candidates).toBeLessThan(js.count);
        // Past codesFetchUpTo candidates the vectors are scanned, not fetched: the same pairs.
        const fetchUpTo = config.nearDuplicates.codesFetchUpTo;
        config.nearDuplicates.codesFetchUpTo = coded.candidates! - 1;
        try {
          expect(await read(await storedNearPairs(store, scratch, { ...stored, coded: true }, { table: freshT }, floor))).toEqual(expected);
        } finally {
          config.nearDuplicates.codesFetchUpTo = fetchUpTo;
        }
      }
      // The bound prunes: at 0.8 most of the fresh × all pairs are never fetched.
      const pruned = await store.scalar<number>(`SELECT count(*) FROM (${codedCandidates(freshT.name, `'${embedder}'`, '0.8')})`);
      expect(pruned).toBeLessThan((fresh.length * js.count) / 4);
      // Below the threshold the coded scan compares only pairs whose lemma sets hold one another;
      // what the stage takes from `near` (pairs at the threshold, contained pairs above the floor) is
      // the same. Lemma sets drawn from six lemmas, so that many pairs are contained.
      const lemmaOf = (k: number) => ['a', 'b', 'c', 'd', 'e', 'f'].filter((_, b) => ((k * 2654435761) >>> (b + 3)) & 1);
      const isFresh = new Set(fresh);
      await store.append(PROPOSAL_LEMMAS, js.hashes.flatMap((h, k) => (isFresh.has(k) ? [] : [{ text_hash: h, lemmas: lemmaOf(k) }])));
      const lemmas = await scratch.table<{ text_hash: string; lemmas: string[] }>('lemmas', { text_hash: VARCHAR, lemmas: LIST(VARCHAR) });
      await lemmas.append(fresh.map((k) => ({ text_hash: js.hashes[k], lemmas: lemmaOf(k) })));
      const given = { table: lemmas, rows: [], ms: 0 };
      const threshold = 0.8;
      const taken = async (coded: boolean) => {
        const near = await storedNearPairs(store, scratch, { ...stored, coded }, { table: freshT }, 0.5, { threshold, lemmas });
        const at = await nearPairsAtLeast(store, scratch, near, threshold);
        const contained = await containmentWith(store, scratch, { ...stored, coded }, near, threshold, given);
        return { near: (await read(near)).length, at: await store.all(`SELECT * FROM ${at.table.name}`), contained: await store.all(`SELECT * FROM ${contained.pairs.table.name}`) };
      };
      const [plainTaken, codedTaken] = [await taken(false), await taken(true)];
      expect(plainTaken.at.length).toBeGreaterThan(10);
      expect(plainTaken.contained.length).toBeGreaterThan(10);
      expect(codedTaken.at).toEqual(plainTaken.at);
      expect(codedTaken.contained).toEqual(plainTaken.contained);
      expect(codedTaken.near).toBeLessThan(plainTaken.near);
      await store.run('DELETE FROM proposal_lemmas');
      // A vector the codes lack (written behind the stage's back) makes them not cover the space.
      await store.append(EMBEDDINGS, [{ text_hash: 'zz-new', embedder, dim, vector: Array.from(js.data.subarray(0, dim)) }]);
      expect(await codesCover(store, { id: embedder, dim }, freshT)).toBe(false);
      // Unless it is one of the texts the run compares: its code is added, and they cover it again.
      const withNew = await scratch.table<{ text_hash: string }>('new', { text_hash: EMBEDDINGS.columns.text_hash });
      await withNew.appendValues([['zz-new']]);
      expect(await codesCover(store, { id: embedder, dim }, withNew)).toBe(true);
      const codes = await store.all<{ scale: number; err: number }>(`SELECT scale, err FROM vector_codes WHERE text_hash = 'zz-new'`);
      expect(codes).toHaveLength(1);
      expect(codes[0].scale).toBeGreaterThan(0);
      expect(codes[0].err).toBeLessThan(0.05);
    } finally {
      config.nearDuplicates.codesFromTexts = saved;
      await store.run(`DELETE FROM embeddings WHERE text_hash = 'zz-new'`);
      await store.run('DELETE FROM vector_codes');
    }
  });
});

/**
 * What chooses the pair method is whether fewer than EXHAUSTIVE_BELOW current texts have a vector,
 * so the plan counts them only up to that (the join stops at the LIMIT), and not at all when the
 * method is given.
 */
describe('the texts that choose the pair method', () => {
  it('are counted exactly up to the cap, and the plan asks only when the method is auto', async () => {
    const store = await openSampleCopy();
    try {
      const current = (await currentEmbedding(store))!;
      const all = await store.scalar<number>(
        `SELECT count(*) FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) t
         JOIN current_embeddings e USING (text_hash) WHERE e.dim = $1`,
        [current.dim],
      );
      expect(all).toBeGreaterThan(5);
      expect(all).toBeLessThan(EXHAUSTIVE_BELOW);
      expect(await countTexts(store, current.dim, 5)).toBe(5);
      expect(await countTexts(store, current.dim, all)).toBe(all);
      expect(await countTexts(store, current.dim, all + 10)).toBe(all);
      const auto = await planNearDuplicates(store, parseNearDuplicateOptions({}));
      expect(auto).toMatchObject({ texts: all, method: 'exhaustive' });
      const given = await planNearDuplicates(store, parseNearDuplicateOptions({ method: 'lsh' }));
      expect(given).toMatchObject({ texts: null, method: 'lsh' });
    } finally {
      store.close();
    }
  });
});

import { DOUBLE, FLOAT, INTEGER } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { currentVectorSet, keepVectorSet, readVectorRows, readVectorsInto, vectorsOf } from '../../pipeline/store/vectors.js';
import { EMBEDDINGS } from '../../pipeline/store/columns.js';

describe('Store bulk paths', () => {
  it('appendColumns writes typed-array columns row for row, across chunk boundaries', async () => {
    const store = await Store.open(':memory:');
    try {
      const scratch = new Scratch(store, 'test');
      const n = 5000; // more than two 2,048-row chunks
      const a = Int32Array.from({ length: n }, (_, k) => k * 3);
      const b = Float32Array.from({ length: n }, (_, k) => k / 7);
      const t = await scratch.table<{ i: number; x: number }>('cols', { i: INTEGER, x: FLOAT });
      await t.appendColumns([a, b], n);
      expect(await t.count()).toBe(n);
      const rows = await store.all<{ i: number; x: number }>(`SELECT i, x FROM ${t.name} WHERE i IN (0, 6141, 14997) ORDER BY i`);
      expect(rows.map((r) => r.i)).toEqual([0, 6141, 14997]);
      expect(rows[1].x).toBeCloseTo(2047 / 7, 4);
      await t.appendColumns([a, b], 0);
      expect(await t.count()).toBe(n);
    } finally {
      store.close();
    }
  });

  it('appendColumns stores the same values from typed arrays (copied whole) as from plain arrays (value by value)', async () => {
    const store = await Store.open(':memory:');
    try {
      const scratch = new Scratch(store, 'test');
      const n = 4100;
      const f32 = Float32Array.from({ length: n }, (_, k) => Math.fround(k / 7 - 100));
      const cols = [
        Int32Array.from({ length: n }, (_, k) => k * 524287 - 2 ** 30), // INTEGER ← Int32Array: copied
        Uint8Array.from({ length: n }, (_, k) => k % 256), // INTEGER ← Uint8Array: copied
        f32, // DOUBLE ← Float32Array: copied, each float exactly
        Float64Array.from({ length: n }, (_, k) => k / 3), // DOUBLE ← Float64Array: copied
        Float64Array.from({ length: n }, (_, k) => k), // INTEGER ← Float64Array: value by value (checked integers)
        Uint32Array.from({ length: n }, (_, k) => k), // INTEGER ← Uint32Array: value by value (range)
      ];
      const spec = { a: INTEGER, b: INTEGER, c: DOUBLE, d: DOUBLE, e: INTEGER, f: INTEGER };
      const typed = await scratch.table('typed', spec);
      const plain = await scratch.table('plain', spec);
      await typed.appendColumns(cols, n);
      await plain.appendColumns(
        cols.map((c) => Array.from(c)),
        n,
      );
      expect(await store.scalar<number>(`SELECT count(*) FROM (SELECT * FROM ${typed.name} EXCEPT ALL SELECT * FROM ${plain.name})`)).toBe(0);
      expect(await typed.count()).toBe(n);
      const c = await store.columns<{ c: number[] }>(`SELECT c FROM ${typed.name} WHERE a = ${4099 * 524287 - 2 ** 30}`);
      expect(c.c).toEqual([f32[4099]]);
      await expect(typed.appendColumns([cols[0]], n)).rejects.toThrow(/1 column/);
    } finally {
      store.close();
    }
  });

  it('readVectorsInto puts each vector at the row its query numbers it', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`CREATE TEMP TABLE v AS SELECT i AS idx, [i * 10 + 1, i * 10 + 2, i * 10 + 3]::FLOAT[] AS v FROM range(3000) t(i)`);
      const out = new Float32Array(3001 * 3);
      // Rows in any order, one row left unread (zeros).
      expect(await readVectorsInto(store, `SELECT (2999 - idx)::INTEGER, v FROM v ORDER BY idx % 7, idx`, undefined, 3, out)).toBe(3000);
      expect(Array.from(out.subarray(0, 3))).toEqual([29991, 29992, 29993]);
      expect(Array.from(out.subarray(2999 * 3, 3000 * 3))).toEqual([1, 2, 3]);
      expect(Array.from(out.subarray(3000 * 3))).toEqual([0, 0, 0]);
      await expect(readVectorsInto(store, `SELECT 3001::INTEGER, v FROM v LIMIT 1`, undefined, 3, out)).rejects.toThrow(/outside/);
    } finally {
      store.close();
    }
  });

  it('readVectorRows returns the key of each row and vector packed in row order, lists and arrays alike', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`CREATE TEMP TABLE v AS SELECT i AS idx, 'k' || i AS key, [i * 10 + 1, i * 10 + 2, i * 10 + 3]::FLOAT[3] AS v FROM range(3000) t(i)`);
      for (const col of ['v::FLOAT[]', 'v']) {
        const rows = await readVectorRows(store, `SELECT key, ${col} FROM v ORDER BY idx DESC`, undefined, 3);
        expect(rows.keys.slice(0, 2)).toEqual(['k2999', 'k2998']);
        expect(rows.keys).toHaveLength(3000);
        expect(Array.from(rows.data.subarray(0, 6))).toEqual([29991, 29992, 29993, 29981, 29982, 29983]);
        expect(Array.from(rows.data.subarray(8997))).toEqual([1, 2, 3]);
      }
    } finally {
      store.close();
    }
  });
  it('appendVectors writes packed float lists row for row, in any column position, across chunks', async () => {
    const store = await Store.open(':memory:');
    try {
      const n = 4100;
      const dim = 5;
      const packed = Float32Array.from({ length: n * dim }, (_, k) => k / 3);
      const keys = Array.from({ length: n }, (_, i) => `h${i}`);
      await store.appendVectors(EMBEDDINGS, [keys, keys.map(() => 'space'), keys.map(() => dim), { packed, dim }], n);
      expect(await store.scalar<number>(`SELECT count(*) FROM embeddings`)).toBe(n);
      const row = await store.one<{ v: number[] }>(`SELECT vector AS v FROM embeddings WHERE text_hash = 'h4099'`);
      expect(row!.v).toEqual(Array.from(packed.subarray(4099 * dim, 4100 * dim)));
      expect(await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE len(vector) <> ${dim} OR dim <> ${dim} OR embedder <> 'space'`)).toBe(0);
      // A packed array shorter than the rows it must fill is refused before anything is written.
      await expect(store.appendVectors(EMBEDDINGS, [['x'], ['space'], [dim], { packed: new Float32Array(3), dim }], 1)).rejects.toThrow(/floats/);
      expect(await store.scalar<number>(`SELECT count(*) FROM embeddings`)).toBe(n);
    } finally {
      store.close();
    }
  });

  it('currentVectorSet reads a space once and reads again when its rows or its run change', async () => {
    const store = await Store.open(':memory:');
    try {
      const dim = 3;
      const write = (keys: string[], base: number) =>
        store.appendVectors(EMBEDDINGS, [keys, keys.map(() => 'space'), keys.map(() => dim), { packed: Float32Array.from({ length: keys.length * dim }, (_, k) => base + k), dim }], keys.length);
      await write(['a', 'b'], 0);
      const space = { id: 'space', dim, runId: 1 };
      const first = await currentVectorSet(store, space);
      expect(first.keys.slice().sort()).toEqual(['a', 'b']);
      expect(Array.from(first.data.subarray(first.rowOf.get('b')! * dim, first.rowOf.get('b')! * dim + dim))).toEqual([3, 4, 5]);
      expect(await currentVectorSet(store, space)).toBe(first); // kept
      await write(['c'], 100); // a row more: read again
      const second = await currentVectorSet(store, space);
      expect(second).not.toBe(first);
      expect(second.keys.slice().sort()).toEqual(['a', 'b', 'c']);
      expect(await currentVectorSet(store, { ...space, runId: 2 })).not.toBe(second); // another embed run: read again
      // Vectors handed over by a writer are kept only when they are all the space's rows.
      await keepVectorSet(store, { ...space, runId: 3 }, ['a'], new Float32Array(dim));
      expect((await currentVectorSet(store, { ...space, runId: 3 })).keys).toHaveLength(3);
      const all = new Float32Array(3 * dim).fill(7);
      await keepVectorSet(store, { ...space, runId: 4 }, ['a', 'b', 'c'], all);
      expect((await currentVectorSet(store, { ...space, runId: 4 })).data).toBe(all);
      // vectorsOf: the kept set when there is one; without it, only the rows asked for (a few of many).
      expect((await vectorsOf(store, { ...space, runId: 4 }, ['c'])).data).toBe(all);
      await write(Array.from({ length: 20 }, (_, i) => `x${i}`), 1000);
      const few = await vectorsOf(store, { ...space, runId: 5 }, ['c', 'x3', 'c', 'missing']);
      expect(few.keys.slice().sort()).toEqual(['c', 'x3']);
      expect(Array.from(few.data.subarray(few.rowOf.get('x3')! * dim, few.rowOf.get('x3')! * dim + dim))).toEqual([1009, 1010, 1011]);
      expect(Array.from(few.data.subarray(few.rowOf.get('c')! * dim, few.rowOf.get('c')! * dim + dim))).toEqual([100, 101, 102]);
      const many = await vectorsOf(store, { ...space, runId: 5 }, Array.from({ length: 20 }, (_, i) => `x${i}`));
      expect(many.keys).toHaveLength(23); // most of the space wanted: read whole, and kept
      expect(await currentVectorSet(store, { ...space, runId: 5 })).toBe(many);
    } finally {
      store.close();
    }
  });
});

import { FLOAT, INTEGER } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { currentVectorSet, keepVectorSet, readVectorRows } from '../../pipeline/store/vectors.js';
import { EMBEDDINGS, REC_CLUSTERS } from '../../pipeline/store/columns.js';

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
    } finally {
      store.close();
    }
  });
  it('replaceAll swaps in a new set of rows: the key still holds, views see them, a failure leaves the old rows', async () => {
    const store = await Store.open(':memory:');
    try {
      const spec = REC_CLUSTERS;
      await store.appendValues(spec, [['a', 1, 0.5, 1], ['b', 2, 0.25, 1]]);
      await store.run(`CREATE TEMP VIEW rc_count AS SELECT count(*) AS n, max(run_id) AS run FROM rec_clusters`);
      const rows = Array.from({ length: 5000 }, (_, i) => [`r${i}`, i % 7, i / 5000, 2]);
      await store.transaction(() => store.replaceAll(spec, (t) => store.appendValues(t, rows)));
      expect(await store.one(`SELECT n, run FROM rc_count`)).toEqual({ n: 5000, run: 2 });
      expect(await store.scalar(`SELECT count(*) FROM rec_clusters WHERE rec_id IN ('a', 'b')`)).toBe(0);
      // The primary key is back: a second row for a rec_id is refused; no staging table is left.
      await expect(store.run(`INSERT INTO rec_clusters VALUES ('r1', 1, 0.1, 3)`)).rejects.toThrow();
      expect(await store.scalar(`SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'rec_clusters' AND constraint_type = 'PRIMARY KEY'`)).toBe(1);
      expect(await store.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%replacing%'`)).toBe(0);
      // Rows that break the key fail the replacement, and the transaction keeps the old rows.
      await expect(
        store.transaction(() => store.replaceAll(spec, (t) => store.appendValues(t, [['x', 1, 0, 4], ['x', 2, 0, 4]]))),
      ).rejects.toThrow();
      expect(await store.one(`SELECT n, run FROM rc_count`)).toEqual({ n: 5000, run: 2 });
      // A table without a key is emptied and refilled in place.
      await store.appendValues(EMBEDDINGS, [['h', 'e', 1, [1]]]);
      await store.run(`CREATE TABLE plain (x INTEGER)`);
      await store.run(`INSERT INTO plain VALUES (1), (2)`);
      const { TableSpec } = await import('../../pipeline/store/columns.js');
      const { INTEGER: INT } = await import('@duckdb/node-api');
      await store.transaction(() => store.replaceAll(new TableSpec<{ x: number }>('plain', { x: INT }), (t) => store.appendValues(t, [[7]])));
      expect(await store.all(`SELECT x FROM plain`)).toEqual([{ x: 7 }]);
    } finally {
      store.close();
    }
  });
});

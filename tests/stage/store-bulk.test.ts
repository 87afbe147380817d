import { FLOAT, INTEGER } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { readVectorRows } from '../../pipeline/store/vectors.js';

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
});

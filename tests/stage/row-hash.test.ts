import { describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { rowHash } from '../../pipeline/store/freshness.js';

/**
 * The order-free signatures (XOR of row hashes: fingerprints, addressees' and recurring's state) must
 * change when two rows change the same way — with DuckDB's multi-argument hash they did not: two
 * recommendations of one near-duplicate group renamed from one addressee entity to another left the
 * recurring signature unchanged (seen on 10k resolutions).
 */
describe('rowHash: a set signature that sees every change', () => {
  it('changes when two rows change their last value the same way, and when a NULL becomes empty', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`CREATE TABLE t (k VARCHAR, part INTEGER, v VARCHAR)`);
      await store.run(`INSERT INTO t VALUES ('r1', 1, 'a:old'), ('r2', 1, 'a:old'), ('r3', 1, NULL)`);
      const sig = () => store.scalar<string>(`SELECT bit_xor(${rowHash('k', 'part', 'v')})::VARCHAR FROM t`);
      const before = await sig();
      await store.run(`UPDATE t SET v = 'a:new' WHERE v = 'a:old'`);
      const renamed = await sig();
      expect(renamed).not.toBe(before);
      await store.run(`UPDATE t SET v = '' WHERE v IS NULL`);
      expect(await sig()).not.toBe(renamed);
      // Order-free: the same rows in another order give the same sum.
      await store.run(`CREATE TABLE u AS SELECT * FROM t ORDER BY k DESC`);
      expect(await store.scalar<string>(`SELECT bit_xor(${rowHash('k', 'part', 'v')})::VARCHAR FROM u`)).toBe(await sig());
    } finally {
      store.close();
    }
  });
});

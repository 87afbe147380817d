import { describe, expect, it } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { recommendationInputs, rowHash, settleRecommendations, unsettleRecommendations } from '../../pipeline/store/freshness.js';
import { openSampleCopy } from '../helpers/db.js';

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

/**
 * `confrec run` settles the recommendations after segment (no later stage writes them): the five
 * stages that fingerprint them then share one computation. Settled means "not computed again", so
 * the signature is the one of the rows as they stood; unsettled, every call sees the rows as they are.
 */
describe('recommendationInputs on a settled store', () => {
  it('gives the signature an unsettled call gives, computes it once, and sees changes again once unsettled', async () => {
    const store = await openSampleCopy();
    try {
      const before = await recommendationInputs(store);
      expect(before.recommendations).toMatch(/^\d+:-?\d+$/);
      settleRecommendations(store);
      expect(await recommendationInputs(store)).toEqual(before);
      // Not computed again: a row deleted behind the settled store's back does not show.
      await store.run(`DELETE FROM recommendations WHERE rec_id = (SELECT min(rec_id) FROM recommendations)`);
      expect(await recommendationInputs(store)).toEqual(before);
      unsettleRecommendations(store);
      const after = await recommendationInputs(store);
      expect(after.recommendations).not.toBe(before.recommendations);
      expect(Number(after.recommendations.split(':')[0])).toBe(Number(before.recommendations.split(':')[0]) - 1);
    } finally {
      store.close();
    }
  });
});

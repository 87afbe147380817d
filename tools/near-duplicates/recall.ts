import type { Store } from '../../pipeline/store/db.js';
import type { LshParams } from '../../pipeline/similar/pairs/lsh.js';
import { exhaustivePairs, lshPairs } from '../../pipeline/similar/pairs/pairs.js';

export interface RecallReport {
  /** Pairs at or above the threshold by the exhaustive scan. */
  truth: number;
  /** Of those, the pairs the LSH run also returned. */
  found: number;
  recall: number;
  candidates: number;
  verified: number;
}

export const pairKey = (i: number, j: number): string => (i < j ? `${i}:${j}` : `${j}:${i}`);

/** Share of the true pairs that were found; 1 when there is nothing to find. */
export function pairRecall(truth: Iterable<readonly [number, number]>, found: ReadonlySet<string>): { truth: number; found: number; recall: number } {
  let total = 0;
  let hit = 0;
  for (const [i, j] of truth) {
    total++;
    if (found.has(pairKey(i, j))) hit++;
  }
  return { truth: total, found: hit, recall: total === 0 ? 1 : hit / total };
}

/**
 * Runs both methods over the vectors staged in nd_vec and compares them in SQL. Leaves the LSH
 * result in nd_pairs.
 */
export async function measureLshRecall(store: Store, threshold: number, dim: number, params: LshParams): Promise<RecallReport> {
  await exhaustivePairs(store, threshold);
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_truth AS SELECT i, j FROM nd_pairs`);
  const lsh = await lshPairs(store, threshold, dim, params);
  const row = await store.one<{ truth: number; found: number }>(
    `SELECT count(*) AS truth, count(p.i) AS found FROM nd_truth t LEFT JOIN nd_pairs p ON p.i = t.i AND p.j = t.j`,
  );
  await store.run(`DROP TABLE IF EXISTS nd_truth`);
  const truth = row?.truth ?? 0;
  const found = row?.found ?? 0;
  return { truth, found, recall: truth === 0 ? 1 : found / truth, candidates: lsh.candidates, verified: lsh.verified };
}

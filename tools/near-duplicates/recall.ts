import type { Store } from '../../pipeline/store/db.js';
import type { Scratch } from '../../pipeline/store/scratch.js';
import type { LshParams } from '../../pipeline/similar/pairs/lsh.js';
import { exhaustivePairs, lshPairs } from '../../pipeline/similar/pairs/pairs.js';
import type { VectorTable } from '../../pipeline/similar/pairs/vectors.js';
import type { TableRef } from '../../pipeline/store/scratch.js';

export interface RecallReport {
  /** Pairs at or above the threshold by the exhaustive scan. */
  truth: number;
  /** Of those, the pairs the LSH run also returned. */
  found: number;
  recall: number;
  candidates: number;
  verified: number;
  /** The LSH pairs (i, j, similarity), for further checks. */
  pairs: TableRef;
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

/** Runs both methods over the vectors and compares them in SQL. */
export async function measureLshRecall(store: Store, scratch: Scratch, vectors: VectorTable, threshold: number, params: LshParams): Promise<RecallReport> {
  const truth = await exhaustivePairs(scratch, vectors, threshold);
  const lsh = await lshPairs(scratch, vectors, threshold, params);
  const row = await store.one<{ truth: number; found: number }>(
    `SELECT count(*) AS truth, count(p.i) AS found FROM ${truth.pairs.table.name} t LEFT JOIN ${lsh.pairs.table.name} p ON p.i = t.i AND p.j = t.j`,
  );
  await scratch.drop(truth.pairs.table);
  const t = row?.truth ?? 0;
  const found = row?.found ?? 0;
  return { truth: t, found, recall: t === 0 ? 1 : found / t, candidates: lsh.candidates, verified: lsh.verified, pairs: lsh.pairs.table };
}

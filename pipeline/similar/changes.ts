/**
 * What an incremental similar run changed, for the stages after it (recurring's conference novelty):
 * the ends of every pair it added, removed or gave another similarity — the `dirty` recommendations
 * its cover update starts from — and one row with rec_id NULL that says this run recorded its changes.
 * Written in the run's transaction, so the rows exist exactly when its pairs do. A run that recomputes
 * every pair writes nothing: a reader that finds a run without its marker row recomputes everything.
 * The reader prunes the rows it has consumed (pipeline/recurring/novelty.ts).
 */
import type { Store } from '../store/db.js';

export const PAIR_CHANGES_TABLE = 'near_duplicate_changes';

/**
 * Records run `runId`'s changed pair ends (inside its transaction). `recIdsSql` is a query with one
 * column `id` (the rec_ids): they go from table to table in SQL, never through JS.
 */
export async function recordPairChanges(store: Store, runId: number, recIdsSql: string): Promise<void> {
  await store.run(`INSERT INTO ${PAIR_CHANGES_TABLE} SELECT $1::INTEGER, NULL UNION ALL SELECT $1::INTEGER, id FROM (${recIdsSql})`, [runId]);
}

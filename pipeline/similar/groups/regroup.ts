import type { Store } from '../../store/db.js';
import { NEAR_DUPLICATE_GROUPS, type GroupMemberRow } from '../../store/columns.js';
import type { Scratch } from '../../store/scratch.js';
import { starGroups, type IndexedPairs } from './groups.js';

/** Groups are recomputed from all stored pairs (star groups are not a local property). */
export async function regroup(store: Store, scratch: Scratch, runId: number): Promise<void> {
  await store.run('DELETE FROM near_duplicate_groups');
  // Dense integer ids in rec_id order: pairs cross into JS as three numeric columns, not strings.
  const idTable = await scratch.query(
    'ids',
    `SELECT rec_id, (row_number() OVER (ORDER BY rec_id) - 1)::INTEGER AS k
     FROM (SELECT rec_a AS rec_id FROM near_duplicates UNION SELECT rec_b FROM near_duplicates)`,
  );
  const ids = ((await store.conn.runAndReadAll(`SELECT rec_id FROM ${idTable.name} ORDER BY k`)).getColumnsJS()[0] ?? []) as string[];
  const reader = await store.conn.runAndReadAll(
    `SELECT ia.k AS a, ib.k AS b, n.similarity FROM near_duplicates n
     JOIN ${idTable.name} ia ON ia.rec_id = n.rec_a JOIN ${idTable.name} ib ON ib.rec_id = n.rec_b ORDER BY a, b`,
  );
  // An empty result has no columns at all.
  const [a = [], b = [], similarity = []] = reader.getColumnsJS() as [number[]?, number[]?, number[]?];
  await scratch.drop(idTable);
  await writeGroups(store, runId, { a, b, similarity, n: ids.length }, ids);
}

/**
 * Star groups of pairs over dense ids (ids[k] = the rec_id of k, ascending), written into the
 * emptied near_duplicate_groups. The full run passes the pairs it has just expanded in JS; the same
 * groups as reading them back (ids in rec_id order keep every comparison of starGroups the same).
 */
export async function writeGroups(store: Store, runId: number, pairs: IndexedPairs, ids: readonly string[]): Promise<void> {
  await store.run('DELETE FROM near_duplicate_groups');
  const groups = starGroups(pairs);
  const rows: GroupMemberRow[] = groups.flatMap((g) =>
    g.members.map((m) => ({ group_id: ids[g.groupId], rec_id: ids[m.id], is_medoid: m.isMedoid, similarity_to_medoid: m.similarityToMedoid, run_id: runId })),
  );
  await store.append(NEAR_DUPLICATE_GROUPS, rows);
}

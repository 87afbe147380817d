import { listValue } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import { NEAR_DUPLICATE_GROUPS, NEAR_DUPLICATE_NODES, type GroupMemberRow, type StarNodeRow } from '../../store/columns.js';
import type { Scratch } from '../../store/scratch.js';
import { starCover, type IndexedPairs } from './groups.js';
import { updateCover, type Adjacency, type CoverChange, type NodeState, type StoredCover } from './incremental.js';

/** Groups are recomputed from all stored pairs (the fallback when no cover state is stored). */
export async function regroup(store: Store, scratch: Scratch, runId: number): Promise<void> {
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
 * emptied near_duplicate_groups, and the cover's state of every id into near_duplicate_nodes (what
 * updateGroups starts from). The full run passes the pairs it has just expanded in JS; the same
 * groups as reading them back (ids in rec_id order keep every comparison of the cover the same).
 */
export async function writeGroups(store: Store, runId: number, pairs: IndexedPairs, ids: readonly string[]): Promise<void> {
  await store.run('DELETE FROM near_duplicate_groups');
  await store.run('DELETE FROM near_duplicate_nodes');
  const { groups, nodes } = starCover(pairs);
  const rows: GroupMemberRow[] = groups.flatMap((g) =>
    g.members.map((m) => ({ group_id: ids[g.groupId], rec_id: ids[m.id], is_medoid: m.isMedoid, similarity_to_medoid: m.similarityToMedoid, run_id: runId })),
  );
  await store.append(NEAR_DUPLICATE_GROUPS, rows);
  const states: StarNodeRow[] = [];
  for (let k = 0; k < ids.length; k++) {
    if (nodes.degree[k] > 0) states.push({ rec_id: ids[k], degree: nodes.degree[k], strength: nodes.strength[k], opener: nodes.opener[k] === 1, run_id: runId });
  }
  await store.append(NEAR_DUPLICATE_NODES, states);
}

const ids = (xs: readonly string[]) => [listValue([...xs])] as never;
const byId = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Pair rows (a, b, s), each listed from both ends, as adjacency lists ascending by id. */
export function toAdjacency(c: { a?: string[]; b?: string[]; s?: number[] }): Map<string, Adjacency> {
  // Rows grouped by their first end as runs of row numbers (no [id, similarity] pair per row: the
  // cover reads up to millions of rows, and the pairs were most of the garbage), each run sorted
  // by id and, between equal ids, by row number (what a stable sort of the rows gives).
  const a = c.a ?? [];
  const b = c.b ?? [];
  const s = c.s ?? [];
  const slotOf = new Map<string, number>();
  const slot = new Int32Array(a.length);
  const sizes: number[] = [];
  for (let k = 0; k < a.length; k++) {
    let x = slotOf.get(a[k]);
    if (x === undefined) {
      x = sizes.length;
      slotOf.set(a[k], x);
      sizes.push(0);
    }
    slot[k] = x;
    sizes[x]++;
  }
  const start = new Int32Array(sizes.length + 1);
  for (let x = 0; x < sizes.length; x++) start[x + 1] = start[x] + sizes[x];
  const fill = start.slice(0, sizes.length);
  const rows = new Int32Array(a.length);
  for (let k = 0; k < a.length; k++) rows[fill[slot[k]]++] = k;
  const out = new Map<string, Adjacency>();
  for (const [id, x] of slotOf) {
    const run = rows.subarray(start[x], start[x + 1]);
    run.sort((i, j) => byId(b[i], b[j]) || i - j);
    const ids = new Array<string>(run.length);
    const sims = new Array<number>(run.length);
    for (let k = 0; k < run.length; k++) {
      ids[k] = b[run[k]];
      sims[k] = s[run[k]];
    }
    out.set(id, { ids, sims });
  }
  return out;
}

/**
 * The cover as stored: pairs in near_duplicates (as they are now), state and groups as the last cover
 * left them; asked only for non-empty lists (DuckDB cannot bind an empty list of unknown type).
 */
function storedCover(store: Store): StoredCover {
  const c = storedCoverQueries(store);
  const guard =
    <T>(f: (xs: readonly string[]) => Promise<Map<string, T>>) =>
    async (xs: readonly string[]) =>
      xs.length ? f(xs) : new Map<string, T>();
  return { adjacency: guard(c.adjacency), links: guard(c.links), nodes: guard(c.nodes), groupOf: guard(c.groupOf), members: guard(c.members) };
}

function storedCoverQueries(store: Store): StoredCover {
  return {
    async adjacency(wanted) {
      return toAdjacency(
        await store.columns<{ a: string[]; b: string[]; s: number[] }>(
          // One scan of the pairs (a UNION ALL of the two ends read them twice: at 100k, 33 million rows each).
          `WITH w AS (SELECT unnest($1::VARCHAR[]) AS id),
                p AS MATERIALIZED (SELECT rec_a, rec_b, similarity FROM near_duplicates WHERE rec_a IN (SELECT id FROM w) OR rec_b IN (SELECT id FROM w))
           SELECT rec_a AS a, rec_b AS b, similarity AS s FROM p WHERE rec_a IN (SELECT id FROM w)
           UNION ALL SELECT rec_b, rec_a, similarity FROM p WHERE rec_b IN (SELECT id FROM w)`,
          ids(wanted),
        ),
      );
    },
    async links(among) {
      return toAdjacency(
        await store.columns<{ a: string[]; b: string[]; s: number[] }>(
          `WITH w AS (SELECT unnest($1::VARCHAR[]) AS id),
                p AS MATERIALIZED (SELECT rec_a, rec_b, similarity FROM near_duplicates WHERE rec_a IN (SELECT id FROM w) AND rec_b IN (SELECT id FROM w))
           SELECT rec_a AS a, rec_b AS b, similarity AS s FROM p UNION ALL SELECT rec_b, rec_a, similarity FROM p`,
          ids(among),
        ),
      );
    },
    async nodes(wanted) {
      const rows = await store.all<{ rec_id: string; degree: number; strength: number; opener: boolean }>(
        `SELECT rec_id, degree, strength, opener FROM near_duplicate_nodes WHERE rec_id IN (SELECT unnest($1::VARCHAR[]))`,
        ids(wanted),
      );
      return new Map<string, NodeState>(rows.map((r) => [r.rec_id, { degree: r.degree, strength: r.strength, opener: r.opener }]));
    },
    async groupOf(wanted) {
      const rows = await store.all<{ rec_id: string; group_id: string }>(
        `SELECT rec_id, group_id FROM near_duplicate_groups WHERE rec_id IN (SELECT unnest($1::VARCHAR[]))`,
        ids(wanted),
      );
      return new Map(rows.map((r) => [r.rec_id, r.group_id]));
    },
    async members(groups) {
      const rows = await store.all<{ rec_id: string; group_id: string }>(
        `SELECT rec_id, group_id FROM near_duplicate_groups WHERE group_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY rec_id`,
        ids(groups),
      );
      const out = new Map<string, string[]>();
      for (const r of rows) {
        if (!out.has(r.group_id)) out.set(r.group_id, []);
        out.get(r.group_id)!.push(r.rec_id);
      }
      return out;
    },
  };
}

/**
 * After the pairs of `dirty` (the ends of every pair added, removed or changed) were rewritten: the
 * groups and cover state brought up to date locally (groups/incremental.ts). Same tables as
 * regroup, which reads every pair.
 */
export async function updateGroups(store: Store, runId: number, dirty: readonly string[], known?: ReadonlyMap<string, Adjacency>): Promise<CoverChange> {
  const change = await updateCover(storedCover(store), dirty, known);
  if (change.removedGroups.length) {
    await store.run(`DELETE FROM near_duplicate_groups WHERE group_id IN (SELECT unnest($1::VARCHAR[]))`, ids(change.removedGroups));
  }
  await store.append(
    NEAR_DUPLICATE_GROUPS,
    change.groups.flatMap((g) =>
      g.members.map((m) => ({ group_id: g.groupId, rec_id: m.id, is_medoid: m.isMedoid, similarity_to_medoid: m.similarityToMedoid, run_id: runId })),
    ),
  );
  if (change.nodes.size) {
    await store.run(`DELETE FROM near_duplicate_nodes WHERE rec_id IN (SELECT unnest($1::VARCHAR[]))`, ids([...change.nodes.keys()]));
    const rows: StarNodeRow[] = [];
    for (const [rec_id, s] of change.nodes) if (s) rows.push({ rec_id, degree: s.degree, strength: s.strength, opener: s.opener, run_id: runId });
    await store.append(NEAR_DUPLICATE_NODES, rows);
  }
  return change;
}

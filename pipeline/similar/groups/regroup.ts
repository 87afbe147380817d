import { DOUBLE, INTEGER, listValue } from '@duckdb/node-api';
import { config } from '../../config.js';
import type { Store } from '../../store/db.js';
import { NEAR_DUPLICATE_GROUPS, NEAR_DUPLICATE_NODES, type GroupMemberRow, type StarNodeRow } from '../../store/columns.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { starCover, type IndexedPairs } from './groups.js';
import { updateCover, type Adjacency, type CoverChange, type NodeState, type StoredCover } from './incremental.js';
import { PairIndex } from './pair-index.js';
import { copyNumbers } from '../../store/vectors.js';

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

/** A list of codes as one bound parameter (cast to INTEGER[] in SQL). */
const codeList = (xs: readonly number[]) => [listValue([...xs])] as never;

/**
 * Pair rows (a, b, s), each listed from both ends, as adjacency lists ascending by id (codes, which
 * are in rec_id order).
 */
export function toAdjacency(c: { a?: ArrayLike<number>; b?: ArrayLike<number>; s?: ArrayLike<number> }): Map<number, Adjacency> {
  // Rows grouped by their first end as runs of row numbers (no [id, similarity] pair per row: the
  // cover reads up to millions of rows, and the pairs were most of the garbage), each run sorted
  // by id and, between equal ids, by row number (what a stable sort of the rows gives).
  const a = c.a ?? [];
  const b = c.b ?? [];
  const s = c.s ?? [];
  const m = a.length;
  const slotOf = new Map<number, number>();
  const slot = new Int32Array(m);
  const sizes: number[] = [];
  for (let k = 0; k < m; k++) {
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
  const rows = new Int32Array(m);
  for (let k = 0; k < m; k++) rows[fill[slot[k]]++] = k;
  // Sort keys id·m + row (exact in a double: ids and rows are below 2^26 each at any size we run).
  const keys = new Float64Array(m);
  const out = new Map<number, Adjacency>();
  for (const [id, x] of slotOf) {
    const from = start[x];
    const to = start[x + 1];
    const run = keys.subarray(from, to);
    for (let k = from; k < to; k++) keys[k] = b[rows[k]] * m + rows[k];
    run.sort();
    const ids = new Int32Array(to - from);
    const sims = new Float64Array(to - from);
    for (let k = 0; k < run.length; k++) {
      const row = run[k] % m;
      ids[k] = b[row];
      sims[k] = s[row];
    }
    out.set(id, { ids, sims });
  }
  return out;
}

/**
 * The recommendations the cover may touch, coded in rec_id order: every one with pairs before the
 * change (near_duplicate_nodes holds each) and every end of the pairs written now (`inserted`, a
 * table of near_duplicates' columns). A scratch table (rec_id, c).
 */
export async function coverCodes(scratch: Scratch, inserted: TableRef): Promise<TableRef> {
  return scratch.query(
    'codes',
    `SELECT rec_id, (row_number() OVER (ORDER BY rec_id) - 1)::INTEGER AS c
     FROM (SELECT rec_id FROM near_duplicate_nodes UNION SELECT rec_a FROM ${inserted.name} UNION SELECT rec_b FROM ${inserted.name})`,
  );
}

/** Integer columns of a result as they are read (number[]), empty when the result has no rows. */
async function intColumns<K extends string>(store: Store, sql: string, params?: never): Promise<Record<K, number[]>> {
  return (await store.columns<Record<K, number[]>>(sql, params)) as Record<K, number[]>;
}

/**
 * The cover as stored, on codes: pairs in near_duplicates (as they are now), state and groups as the
 * last cover left them; asked only for non-empty lists (DuckDB cannot bind an empty list of unknown
 * type). Every query turns rec_ids into codes in SQL, so only numbers reach JS.
 */
export function storedCover(store: Store, codes: TableRef, scratch?: Scratch): StoredCover {
  const c = storedCoverQueries(store, codes, scratch);
  const guard =
    <T>(f: (xs: readonly number[]) => Promise<Map<number, T>>) =>
    async (xs: readonly number[]) =>
      xs.length ? f(xs) : new Map<number, T>();
  return { adjacency: guard(c.adjacency), links: guard(c.links), nodes: guard(c.nodes), groupOf: guard(c.groupOf), members: guard(c.members) };
}

function storedCoverQueries(store: Store, codes: TableRef, scratch?: Scratch): StoredCover {
  const wanted = `w AS MATERIALIZED (SELECT rec_id, c FROM ${codes.name} WHERE c IN (SELECT unnest($1::INTEGER[])))`;
  /** Pairs of `from` (rec_a, rec_b, similarity) on codes: (a, b, s). */
  const onCodes = (from: string) => `SELECT ca.c AS a, cb.c AS b, p.similarity AS s FROM ${from} p JOIN ${codes.name} ca ON ca.rec_id = p.rec_a JOIN ${codes.name} cb ON cb.rec_id = p.rec_b`;
  const coded = onCodes('p');
  /**
   * A cascade of role flips asks for adjacency round after round, one hop further each time, and
   * each ask scans every stored pair by its rec_id strings: 0.6–0.7 s at 100k, where one hand-written
   * resolution set off ≈ 200 asks (the stage 151 s). So the asks climb two steps, each taken once
   * what the asks so far have cost is about what the step costs (ski rental: never worse than twice
   * the better choice in hindsight):
   *   1. after `coverScansBeforeStaging` asks the pairs are staged once on codes (a, b, s; 4.5–5.7 s
   *      at 100k) and later asks scan integers (0.2–0.4 s each; the cascade's stage 87.5 s);
   *   2. after `coverStagedAsksBeforeMemory` asks of the staged table it is read into memory and
   *      indexed by both ends (pair-index.ts; 3 + 2 s at 100k, ≈ 0.8 GB for 33 million pairs), and
   *      later asks cost microseconds (with the state below in memory too: the cascade's stage 33 s).
   * Same pairs either way (tests/stage/cover-staged.test.ts).
   */
  let asks = 0;
  const { coverScansBeforeStaging, coverStagedAsksBeforeMemory, coverStateAsksBeforeMemory } = config.nearDuplicates;
  let staged: TableRef | null = null;
  let index: PairIndex | null = null;
  const source = async (): Promise<TableRef | PairIndex | null> => {
    asks++;
    if (index || !scratch) return index;
    if (!staged && asks > coverScansBeforeStaging) staged = await scratch.query('cover_pairs', onCodes('near_duplicates'));
    if (staged && asks > coverScansBeforeStaging + coverStagedAsksBeforeMemory) {
      index = await readPairIndex(store, staged, codes);
      await scratch.drop(staged);
      staged = null;
    }
    return index ?? staged;
  };
  const asked = `x AS MATERIALIZED (SELECT unnest($1::INTEGER[]) AS c)`;
  /**
   * The same cascade asks for the state and groups the last cover left about as often (≈ 0.1 s each
   * at 100k, a scan of 750,000 rows by rec_id; 197 asks, 19 s). After `coverStateAsksBeforeMemory`
   * asks both are read once on codes (≈ 1 s at 100k) and later asks answered from memory.
   */
  let stateAsks = 0;
  let state: CoverState | null = null;
  const memoryState = async (): Promise<CoverState | null> => {
    if (!state && ++stateAsks > coverStateAsksBeforeMemory) state = await readCoverState(store, codes);
    return state;
  };
  return {
    async adjacency(ids) {
      const t = await source();
      if (t instanceof PairIndex) return t.adjacency(ids);
      return toAdjacency(
        await intColumns<'a' | 'b' | 's'>(
          store,
          t
            ? `WITH ${asked}, q AS MATERIALIZED (SELECT a, b, s FROM ${t.name} WHERE a IN (SELECT c FROM x) OR b IN (SELECT c FROM x))
               SELECT a, b, s FROM q WHERE a IN (SELECT c FROM x)
               UNION ALL SELECT b, a, s FROM q WHERE b IN (SELECT c FROM x)`
            : // One scan of the pairs (a UNION ALL of the two ends read them twice: at 100k, 33 million rows each).
              `WITH ${wanted},
                p AS MATERIALIZED (SELECT rec_a, rec_b, similarity FROM near_duplicates WHERE rec_a IN (SELECT rec_id FROM w) OR rec_b IN (SELECT rec_id FROM w)),
                q AS MATERIALIZED (${coded})
               SELECT a, b, s FROM q WHERE a IN (SELECT c FROM w)
               UNION ALL SELECT b, a, s FROM q WHERE b IN (SELECT c FROM w)`,
          codeList(ids),
        ),
      );
    },
    async links(among) {
      const t = await source();
      if (t instanceof PairIndex) return t.links(among);
      return toAdjacency(
        await intColumns<'a' | 'b' | 's'>(
          store,
          t
            ? `WITH ${asked}, q AS MATERIALIZED (SELECT a, b, s FROM ${t.name} WHERE a IN (SELECT c FROM x) AND b IN (SELECT c FROM x))
               SELECT a, b, s FROM q UNION ALL SELECT b, a, s FROM q`
            : `WITH ${wanted},
                p AS MATERIALIZED (SELECT rec_a, rec_b, similarity FROM near_duplicates WHERE rec_a IN (SELECT rec_id FROM w) AND rec_b IN (SELECT rec_id FROM w)),
                q AS MATERIALIZED (${coded})
               SELECT a, b, s FROM q UNION ALL SELECT b, a, s FROM q`,
          codeList(among),
        ),
      );
    },
    async nodes(ids) {
      const m = await memoryState();
      if (m) return pick(m.nodes, ids);
      const r = await store.columns<{ id: number[]; degree: number[]; strength: number[]; opener: boolean[] }>(
        `WITH ${wanted} SELECT w.c AS id, n.degree, n.strength, n.opener FROM near_duplicate_nodes n JOIN w USING (rec_id)`,
        codeList(ids),
      );
      const out = new Map<number, NodeState>();
      const id = r.id ?? [];
      for (let k = 0; k < id.length; k++) out.set(id[k], { degree: r.degree[k], strength: r.strength[k], opener: r.opener[k] });
      return out;
    },
    async groupOf(ids) {
      const m = await memoryState();
      if (m) return pick(m.groupOf, ids);
      const r = await intColumns<'id' | 'g'>(
        store,
        `WITH ${wanted} SELECT w.c AS id, cg.c AS g FROM near_duplicate_groups n JOIN w USING (rec_id) JOIN ${codes.name} cg ON cg.rec_id = n.group_id`,
        codeList(ids),
      );
      const out = new Map<number, number>();
      const id = r.id ?? [];
      for (let k = 0; k < id.length; k++) out.set(id[k], r.g[k]);
      return out;
    },
    async members(groups) {
      const m = await memoryState();
      if (m) return new Map([...pick(m.members, groups)].map(([g, list]) => [g, list.slice()]));
      const r = await intColumns<'g' | 'id'>(
        store,
        `WITH ${wanted} SELECT w.c AS g, cr.c AS id FROM near_duplicate_groups n JOIN w ON w.rec_id = n.group_id JOIN ${codes.name} cr ON cr.rec_id = n.rec_id ORDER BY id`,
        codeList(groups),
      );
      const out = new Map<number, number[]>();
      const g = r.g ?? [];
      for (let k = 0; k < g.length; k++) {
        let list = out.get(g[k]);
        if (!list) out.set(g[k], (list = []));
        list.push(r.id[k]);
      }
      return out;
    },
  };
}

/** The state and groups the last cover left, on codes (what storedCover's nodes, groupOf and members read). */
interface CoverState {
  nodes: Map<number, NodeState>;
  groupOf: Map<number, number>;
  /** Members of each group, ascending. */
  members: Map<number, number[]>;
}

/** The entries of `from` for the given keys (a key asked twice, once). */
function pick<T>(from: ReadonlyMap<number, T>, keys: readonly number[]): Map<number, T> {
  const out = new Map<number, T>();
  for (const k of keys) {
    const v = from.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

async function readCoverState(store: Store, codes: TableRef): Promise<CoverState> {
  const n = await store.columns<{ id: number[]; degree: number[]; strength: number[]; opener: boolean[] }>(
    `SELECT c.c AS id, n.degree, n.strength, n.opener FROM near_duplicate_nodes n JOIN ${codes.name} c USING (rec_id)`,
  );
  const nodes = new Map<number, NodeState>();
  const ids = n.id ?? [];
  for (let k = 0; k < ids.length; k++) nodes.set(ids[k], { degree: n.degree[k], strength: n.strength[k], opener: n.opener[k] });
  const g = await intColumns<'id' | 'g'>(
    store,
    `SELECT cr.c AS id, cg.c AS g FROM near_duplicate_groups n JOIN ${codes.name} cr ON cr.rec_id = n.rec_id JOIN ${codes.name} cg ON cg.rec_id = n.group_id ORDER BY id`,
  );
  const groupOf = new Map<number, number>();
  const members = new Map<number, number[]>();
  const gid = g.id ?? [];
  for (let k = 0; k < gid.length; k++) {
    groupOf.set(gid[k], g.g[k]);
    let list = members.get(g.g[k]);
    if (!list) members.set(g.g[k], (list = []));
    list.push(gid[k]);
  }
  return { nodes, groupOf, members };
}

/** A staged table of pairs on codes (a, b, s) read into memory and indexed by both ends. */
async function readPairIndex(store: Store, staged: TableRef, codes: TableRef): Promise<PairIndex> {
  const m = Number(await store.scalar<number>(`SELECT count(*) FROM ${staged.name}`));
  const n = Number(await store.scalar<number>(`SELECT count(*) FROM ${codes.name}`));
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const s = new Float64Array(m);
  const result = await store.conn.stream(`SELECT a, b, s FROM ${staged.name}`);
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (at + rows > m) throw new Error(`the staged pairs grew while they were read (${m} counted)`);
    copyNumbers(chunk.getColumnVector(0), 0, rows, a, at);
    copyNumbers(chunk.getColumnVector(1), 0, rows, b, at);
    copyNumbers(chunk.getColumnVector(2), 0, rows, s, at);
    at += rows;
  }
  if (at !== m) throw new Error(`read ${at} staged pairs of ${m}`);
  return new PairIndex(a, b, s, n);
}

/**
 * After the pairs of `dirty` (the ends of every pair added, removed or changed; codes of `codes`)
 * were rewritten: the groups and cover state brought up to date locally (groups/incremental.ts).
 * Same tables as regroup, which reads every pair. Rows go in as codes and get their rec_ids in SQL.
 */
export async function updateGroups(
  store: Store,
  scratch: Scratch,
  codes: TableRef,
  runId: number,
  dirty: readonly number[],
  known?: ReadonlyMap<number, Adjacency>,
): Promise<CoverChange> {
  const change = await updateCover(storedCover(store, codes, scratch), dirty, known);
  const recIdOf = (c: string) => `(SELECT rec_id FROM ${codes.name} WHERE c IN (SELECT unnest(${c}::INTEGER[])))`;
  if (change.removedGroups.length) {
    await store.run(`DELETE FROM near_duplicate_groups WHERE group_id IN ${recIdOf('$1')}`, codeList(change.removedGroups));
  }
  let rows = 0;
  for (const g of change.groups) rows += g.members.length;
  if (rows) {
    const group = new Int32Array(rows);
    const member = new Int32Array(rows);
    const medoid = new Int32Array(rows);
    const similarity = new Float64Array(rows);
    let k = 0;
    for (const g of change.groups) {
      for (const m of g.members) {
        group[k] = g.groupId;
        member[k] = m.id;
        medoid[k] = m.isMedoid ? 1 : 0;
        similarity[k++] = m.similarityToMedoid;
      }
    }
    const t = await scratch.table<{ k: number; g: number; r: number; medoid: number; similarity: number }>('group_rows', {
      k: INTEGER,
      g: INTEGER,
      r: INTEGER,
      medoid: INTEGER,
      similarity: DOUBLE,
    });
    await t.appendColumns([Int32Array.from({ length: rows }, (_, i) => i), group, member, medoid, similarity], rows);
    await store.run(
      `INSERT INTO near_duplicate_groups (group_id, rec_id, is_medoid, similarity_to_medoid, run_id)
       SELECT cg.rec_id, cr.rec_id, t.medoid = 1, t.similarity, ${Math.trunc(runId)}::INTEGER
       FROM ${t.name} t JOIN ${codes.name} cg ON cg.c = t.g JOIN ${codes.name} cr ON cr.c = t.r ORDER BY t.k`,
    );
    await scratch.drop(t);
  }
  if (change.nodes.size) {
    await store.run(`DELETE FROM near_duplicate_nodes WHERE rec_id IN ${recIdOf('$1')}`, codeList([...change.nodes.keys()]));
    const id: number[] = [];
    const degree: number[] = [];
    const strength: number[] = [];
    const opener: number[] = [];
    for (const [c, s] of change.nodes) {
      if (!s) continue;
      id.push(c);
      degree.push(s.degree);
      strength.push(s.strength);
      opener.push(s.opener ? 1 : 0);
    }
    if (id.length) {
      const t = await scratch.table<{ k: number; r: number; degree: number; strength: number; opener: number }>('node_rows', {
        k: INTEGER,
        r: INTEGER,
        degree: INTEGER,
        strength: DOUBLE,
        opener: INTEGER,
      });
      await t.appendColumns([Int32Array.from({ length: id.length }, (_, i) => i), id, degree, strength, opener], id.length);
      await store.run(
        `INSERT INTO near_duplicate_nodes (rec_id, degree, strength, opener, run_id)
         SELECT c.rec_id, t.degree, t.strength, t.opener = 1, ${Math.trunc(runId)}::INTEGER
         FROM ${t.name} t JOIN ${codes.name} c ON c.c = t.r ORDER BY t.k`,
      );
      await scratch.drop(t);
    }
  }
  return change;
}

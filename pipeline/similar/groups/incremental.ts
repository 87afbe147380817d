/**
 * The star cover (groups.ts), brought up to date after a few pairs came or went, without reading
 * every pair: the same groups as starCover over all pairs now, from the stored state of the last
 * cover (each id's number of pairs, summed similarity and whether it opened a group) and the
 * adjacency of the ids near the change, read on demand.
 *
 * Why it is local: the cover takes ids in a fixed order (more pairs, higher summed similarity,
 * smaller rec_id), and an id opens a group exactly when none of its neighbours before it opened
 * one; every other id joins the first opener among its neighbours. So an id's role depends only on
 * its neighbours before it. When pairs change, the ids whose order changed are the ends of the
 * changed pairs ("dirty"); their neighbours see a different order around them. Those are
 * re-decided in cover order, and an id whose role flips passes the question on to its neighbours
 * after it — each id at most once, all earlier ones final by then. Then the ids whose opener may
 * differ are assigned again, and only the groups they leave or join are rebuilt (members, medoid).
 * At 10k resolutions one new resolution touches a few hundred ids of 72,000; reading the 580,000
 * pairs and covering them again took 1.5 s of the re-run (81 s at 100k).
 *
 * Ids are integer codes ordered like the rec_ids they stand for (the similar stage numbers the
 * recommendations with pairs in rec_id order in SQL), so every comparison of the cover is the one on
 * rec_ids and no rec_id string crosses into JS: at 100k the cover's neighbourhood is millions of
 * adjacency entries, and as strings they were most of the re-run's time (decoding, hashing, GC).
 */
import { withMedoid } from './groups.js';

export interface NodeState {
  degree: number;
  strength: number;
  opener: boolean;
}

/** Neighbours ascending (code order = rec_id order) with the similarity of each pair. */
export interface Adjacency {
  ids: ArrayLike<number>;
  sims: ArrayLike<number>;
}

/** What the update reads (ids are codes): pairs as they are now, and the state and groups the last cover left. */
export interface StoredCover {
  adjacency(ids: readonly number[]): Promise<Map<number, Adjacency>>;
  /** Stored state; an id without pairs before is absent. */
  nodes(ids: readonly number[]): Promise<Map<number, NodeState>>;
  /** The stored group id (the code of its smallest member) of each id that is in a group. */
  groupOf(ids: readonly number[]): Promise<Map<number, number>>;
  /** Every member of each stored group. */
  members(groupIds: readonly number[]): Promise<Map<number, number[]>>;
  /** The pairs among `ids` (both ends in it), as adjacency: what a group's medoid needs. */
  links(ids: readonly number[]): Promise<Map<number, Adjacency>>;
}

export interface CoverGroup {
  groupId: number;
  medoid: number;
  members: { id: number; isMedoid: boolean; similarityToMedoid: number }[];
}

export interface CoverChange {
  /** The new state of every id whose state changed; null: it has no pair any more. */
  nodes: Map<number, NodeState | null>;
  /** Stored groups to delete (all their rows), replaced by `groups`. */
  removedGroups: number[];
  groups: CoverGroup[];
  /** Ids whose role was decided again, and ids assigned again (how local the update was). */
  decided: number;
  assigned: number;
}

const byId = (x: number, y: number) => x - y;
const NO_PAIRS: Adjacency = { ids: [], sims: [] };

/** A binary heap of ids in cover order. */
class Queue {
  private readonly items: number[] = [];
  constructor(private readonly before: (x: number, y: number) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let k = a.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.before(a[k], a[p])) break;
      const t = a[k];
      a[k] = a[p];
      a[p] = t;
      k = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < a.length && this.before(a[l], a[m])) m = l;
        if (r < a.length && this.before(a[r], a[m])) m = r;
        if (m === k) break;
        const t = a[k];
        a[k] = a[m];
        a[m] = t;
        k = m;
      }
    }
    return top;
  }
}

/**
 * `known`: the adjacency (as it is now, complete, ascending) of ids the caller already holds — the
 * similar stage's recommendations whose pairs it has just replaced — so those are not read again.
 */
export async function updateCover(stored: StoredCover, dirtyIds: Iterable<number>, known?: ReadonlyMap<number, Adjacency>): Promise<CoverChange> {
  const adjacency = new Map<number, Adjacency>(known ?? []);
  const state = new Map<number, NodeState>();
  const stateBefore = new Map<number, NodeState>();
  const none = (): NodeState => ({ degree: 0, strength: 0, opener: false });

  const loadStates = async (ids: Iterable<number>) => {
    const missing: number[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      if (state.has(id) || seen.has(id)) continue;
      seen.add(id);
      missing.push(id);
    }
    if (!missing.length) return;
    const found = await stored.nodes(missing);
    for (const id of missing) {
      const s = found.get(id) ?? none();
      stateBefore.set(id, s);
      state.set(id, { ...s });
    }
  };
  /** Adjacency of `ids`, and the state of every id they touch. */
  const loadAdjacency = async (ids: Iterable<number>) => {
    const list = [...new Set(ids)];
    const missing = list.filter((id) => !adjacency.has(id));
    if (missing.length) {
      const found = await stored.adjacency(missing);
      for (const id of missing) adjacency.set(id, found.get(id) ?? NO_PAIRS);
    }
    const touched: number[] = [];
    for (const id of list) {
      touched.push(id);
      const n = adjacency.get(id)!.ids;
      for (let k = 0; k < n.length; k++) touched.push(n[k]);
    }
    await loadStates(touched);
  };
  const adj = (id: number) => adjacency.get(id)!;
  const st = (id: number) => state.get(id)!;
  // The cover's order: more pairs, then higher summed similarity, then the smaller rec_id (code).
  const before = (x: number, y: number): boolean => {
    const a = st(x);
    const b = st(y);
    if (a.degree !== b.degree) return a.degree > b.degree;
    if (a.strength !== b.strength) return a.strength > b.strength;
    return x < y;
  };

  // 1. The ends of changed pairs: their pairs and sums as they are now (summed in neighbour order, as starCover does).
  const dirty = [...new Set(dirtyIds)];
  await loadAdjacency(dirty);
  for (const u of dirty) {
    const sims = adj(u).sims;
    let sum = 0;
    for (let k = 0; k < sims.length; k++) sum += sims[k];
    const s = st(u);
    s.degree = sims.length;
    s.strength = s.degree ? sum : 0;
    if (!s.degree) s.opener = false;
  }

  // 2. Roles decided again in cover order: the dirty ids and their neighbours, then whoever a flip reaches.
  const queue = new Queue(before);
  const queued = new Set<number>();
  // Queued ids whose adjacency is not read yet: read all at once before the next one is decided (a
  // few queries, not one per id).
  const unread = new Set<number>();
  const enqueue = (x: number) => {
    if (queued.has(x) || st(x).degree === 0) return;
    queued.add(x);
    queue.push(x);
    if (!adjacency.has(x)) unread.add(x);
  };
  for (const u of dirty) {
    enqueue(u);
    const n = adj(u).ids;
    for (let k = 0; k < n.length; k++) enqueue(n[k]);
  }
  while (queue.size) {
    if (unread.size) {
      await loadAdjacency([...unread]);
      unread.clear();
    }
    const u = queue.pop();
    const n = adj(u).ids;
    let opens = true;
    for (let k = 0; k < n.length; k++) {
      const w = n[k];
      if (st(w).opener && before(w, u)) {
        opens = false;
        break;
      }
    }
    if (opens !== st(u).opener) {
      st(u).opener = opens;
      for (let k = 0; k < n.length; k++) if (before(u, n[k])) enqueue(n[k]);
    }
  }

  // 3. Who may now join a different opener: the ids decided again (the dirty ones, their neighbours
  // and the neighbours after every flip). A neighbour before a flip is not affected: its opener, if
  // not itself, is its earliest opening neighbour, which comes before it.
  const assign = new Set<number>(queued);
  for (const u of dirty) assign.add(u);
  await loadAdjacency(assign);
  const openerOf = (x: number): number | null => {
    if (st(x).degree === 0) return null;
    if (st(x).opener) return x;
    let best: number | null = null;
    const n = adj(x).ids;
    for (let k = 0; k < n.length; k++) {
      const w = n[k];
      if (st(w).opener && (best === null || before(w, best))) best = w;
    }
    return best;
  };
  const assigned = new Map<number, number | null>();
  for (const x of assign) assigned.set(x, openerOf(x));

  // The groups to rebuild: those the reassigned ids were in, and the old groups of the openers they
  // join. An opener that was one before and still is keeps its members outside `assign` (their
  // neighbours and the order around them did not change, so neither did their opener).
  const keeps = (o: number) => Boolean(stateBefore.get(o)?.opener && st(o).opener);
  const openers = new Set<number>();
  for (const o of assigned.values()) if (o !== null) openers.add(o);
  const groupBefore = await stored.groupOf([...new Set([...assign, ...[...openers].filter(keeps)])]);
  const oldGroups = new Set<number>();
  for (const x of assign) if (groupBefore.has(x)) oldGroups.add(groupBefore.get(x)!);
  const keptGroup = new Map<number, number>();
  for (const o of openers) if (keeps(o) && groupBefore.has(o)) keptGroup.set(o, groupBefore.get(o)!);
  for (const g of keptGroup.values()) oldGroups.add(g);
  const oldMembers = await stored.members([...oldGroups]);
  await loadStates([...oldMembers.values()].flat());
  // A rebuilt group whose opener still opens is rebuilt around it, even when no reassigned id joins it.
  for (const [g, members] of oldMembers) {
    const o = members.find((m) => stateBefore.get(m)?.opener);
    if (o !== undefined && keeps(o)) {
      openers.add(o);
      keptGroup.set(o, g);
    }
  }

  // Members of each opener's group: the reassigned ids that join it, and (a kept group) its old
  // members that were not reassigned.
  const joining = new Map<number, number[]>();
  for (const [x, to] of assigned) {
    if (to === null || to === x) continue;
    let list = joining.get(to);
    if (!list) joining.set(to, (list = []));
    list.push(x);
  }
  const memberLists: number[][] = [];
  for (const o of [...openers].sort(byId)) {
    const rest = new Set<number>(joining.get(o) ?? []);
    const g = keptGroup.get(o);
    if (g !== undefined) for (const y of oldMembers.get(g) ?? []) if (y !== o && !assign.has(y)) rest.add(y);
    if (rest.size) memberLists.push([o, ...[...rest].sort(byId)]);
  }
  // A group rebuilt with exactly its old members, among which at most one end of a changed pair,
  // has the same pairs among its members, so the same medoid and rows: it stays as stored (not
  // deleted, not written again, no links read for it). After one new resolution most of the
  // rebuilt groups are of this kind (at 10k: 358 rebuilt groups, 18,000 members' links read).
  const dirtySet = new Set(dirty);
  const unchanged = new Set<number>();
  const rebuilt = memberLists.filter((members) => {
    const g = groupBefore.get(members[0]);
    const old = g === undefined ? undefined : oldMembers.get(g);
    if (!old || old.length !== members.length) return true;
    const oldSet = new Set(old);
    let ends = 0;
    for (const x of members) {
      if (!oldSet.has(x)) return true;
      if (dirtySet.has(x) && ++ends > 1) return true;
    }
    unchanged.add(g!);
    return false;
  });
  // The pairs among members, for the medoids: a member whose adjacency was read (or known) has all
  // its pairs at hand; those among the other members come in one read (not every member's pairs: a
  // member of a big group has hundreds, most of them outside it).
  const find = (a: Adjacency | undefined, y: number): number | undefined => {
    if (!a) return undefined;
    const ids = a.ids;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = ids[mid];
      if (v === y) return a.sims[mid];
      if (v < y) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const outside = [...new Set(rebuilt.flat())].filter((x) => !adjacency.has(x));
  const among = outside.length > 1 ? await stored.links(outside) : new Map<number, Adjacency>();
  const link = (x: number, y: number): number | undefined =>
    adjacency.has(x) ? find(adjacency.get(x), y) : adjacency.has(y) ? find(adjacency.get(y), x) : find(among.get(x), y);
  const groups: CoverGroup[] = [];
  for (const members of rebuilt) groups.push(withMedoid(members, link, byId));

  const nodes = new Map<number, NodeState | null>();
  for (const [id, s] of state) {
    const b = stateBefore.get(id)!;
    if (s.degree === b.degree && s.strength === b.strength && s.opener === b.opener) continue;
    nodes.set(id, s.degree ? s : null);
  }
  return { nodes, removedGroups: [...oldGroups].filter((g) => !unchanged.has(g)).sort(byId), groups: groups.sort((a, b) => a.groupId - b.groupId), decided: queued.size, assigned: assign.size };
}

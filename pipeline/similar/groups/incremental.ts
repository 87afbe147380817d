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
 */
import { withMedoid } from './groups.js';

export interface NodeState {
  degree: number;
  strength: number;
  opener: boolean;
}

/** Neighbours ascending (rec_id order) with the similarity of each pair. */
export interface Adjacency {
  ids: string[];
  sims: number[];
}

/** What the update reads: pairs as they are now, and the state and groups the last cover left. */
export interface StoredCover {
  adjacency(ids: readonly string[]): Promise<Map<string, Adjacency>>;
  /** Stored state; an id without pairs before is absent. */
  nodes(ids: readonly string[]): Promise<Map<string, NodeState>>;
  /** The stored group_id of each id that is in a group. */
  groupOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** Every member of each stored group. */
  members(groupIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The pairs among `ids` (both ends in it), as adjacency: what a group's medoid needs. */
  links(ids: readonly string[]): Promise<Map<string, Adjacency>>;
}

export interface CoverGroup {
  groupId: string;
  medoid: string;
  members: { id: string; isMedoid: boolean; similarityToMedoid: number }[];
}

export interface CoverChange {
  /** The new state of every id whose state changed; null: it has no pair any more. */
  nodes: Map<string, NodeState | null>;
  /** Stored groups to delete (all their rows), replaced by `groups`. */
  removedGroups: string[];
  groups: CoverGroup[];
  /** Ids whose role was decided again, and ids assigned again (how local the update was). */
  decided: number;
  assigned: number;
}

const byId = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** A binary heap of ids in cover order. */
class Queue {
  private readonly items: string[] = [];
  constructor(private readonly before: (x: string, y: string) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: string): void {
    const a = this.items;
    a.push(x);
    let k = a.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.before(a[k], a[p])) break;
      [a[k], a[p]] = [a[p], a[k]];
      k = p;
    }
  }
  pop(): string {
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
        [a[k], a[m]] = [a[m], a[k]];
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
export async function updateCover(stored: StoredCover, dirtyIds: Iterable<string>, known?: ReadonlyMap<string, Adjacency>): Promise<CoverChange> {
  const adjacency = new Map<string, Adjacency>(known ?? []);
  const state = new Map<string, NodeState>();
  const stateBefore = new Map<string, NodeState>();
  const none = (): NodeState => ({ degree: 0, strength: 0, opener: false });

  const loadStates = async (ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !state.has(id));
    if (!missing.length) return;
    const found = await stored.nodes(missing);
    for (const id of missing) {
      const s = found.get(id) ?? none();
      stateBefore.set(id, s);
      state.set(id, { ...s });
    }
  };
  /** Adjacency of `ids`, and the state of every id they touch. */
  const loadAdjacency = async (ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !adjacency.has(id));
    if (missing.length) {
      const found = await stored.adjacency(missing);
      for (const id of missing) adjacency.set(id, found.get(id) ?? { ids: [], sims: [] });
    }
    const touched: string[] = [];
    for (const id of ids) {
      touched.push(id);
      for (const n of adjacency.get(id)!.ids) touched.push(n);
    }
    await loadStates(touched);
  };
  const adj = (id: string) => adjacency.get(id)!;
  const st = (id: string) => state.get(id)!;
  // The cover's order: more pairs, then higher summed similarity, then the smaller rec_id.
  const before = (x: string, y: string): boolean => {
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
    let sum = 0;
    for (const s of adj(u).sims) sum += s;
    const s = st(u);
    s.degree = adj(u).ids.length;
    s.strength = s.degree ? sum : 0;
    if (!s.degree) s.opener = false;
  }

  // 2. Roles decided again in cover order: the dirty ids and their neighbours, then whoever a flip reaches.
  const queue = new Queue(before);
  const queued = new Set<string>();
  // Queued ids whose adjacency is not read yet: read all at once before the next one is decided (a
  // few queries, not one per id).
  const unread = new Set<string>();
  const enqueue = (x: string) => {
    if (queued.has(x) || st(x).degree === 0) return;
    queued.add(x);
    queue.push(x);
    if (!adjacency.has(x)) unread.add(x);
  };
  for (const u of dirty) {
    enqueue(u);
    for (const n of adj(u).ids) enqueue(n);
  }
  while (queue.size) {
    if (unread.size) {
      await loadAdjacency([...unread]);
      unread.clear();
    }
    const u = queue.pop();
    const opens = !adj(u).ids.some((w) => st(w).opener && before(w, u));
    if (opens !== st(u).opener) {
      st(u).opener = opens;
      for (const w of adj(u).ids) if (before(u, w)) enqueue(w);
    }
  }

  // 3. Who may now join a different opener: the ids decided again (the dirty ones, their neighbours
  // and the neighbours after every flip). A neighbour before a flip is not affected: its opener, if
  // not itself, is its earliest opening neighbour, which comes before it.
  const assign = new Set<string>(queued);
  for (const u of dirty) assign.add(u);
  await loadAdjacency(assign);
  const openerOf = (x: string): string | null => {
    if (st(x).degree === 0) return null;
    if (st(x).opener) return x;
    let best: string | null = null;
    for (const w of adj(x).ids) if (st(w).opener && (best === null || before(w, best))) best = w;
    return best;
  };
  const assigned = new Map<string, string | null>();
  for (const x of assign) assigned.set(x, openerOf(x));

  // The groups to rebuild: those the reassigned ids were in, and the old groups of the openers they
  // join. An opener that was one before and still is keeps its members outside `assign` (their
  // neighbours and the order around them did not change, so neither did their opener).
  const keeps = (o: string) => Boolean(stateBefore.get(o)?.opener && st(o).opener);
  const openers = new Set<string>();
  for (const o of assigned.values()) if (o !== null) openers.add(o);
  const groupBefore = await stored.groupOf([...new Set([...assign, ...[...openers].filter(keeps)])]);
  const oldGroups = new Set<string>();
  for (const x of assign) if (groupBefore.has(x)) oldGroups.add(groupBefore.get(x)!);
  const keptGroup = new Map<string, string>();
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

  const memberLists: string[][] = [];
  for (const o of [...openers].sort(byId)) {
    const rest = new Set<string>();
    for (const [x, to] of assigned) if (to === o && x !== o) rest.add(x);
    const g = keptGroup.get(o);
    if (g !== undefined) for (const y of oldMembers.get(g) ?? []) if (y !== o && !assign.has(y)) rest.add(y);
    if (rest.size) memberLists.push([o, ...[...rest].sort(byId)]);
  }
  // The pairs among members, for the medoids: a member whose adjacency was read (or known) has all
  // its pairs at hand; those among the other members come in one read (not every member's pairs: a
  // member of a big group has hundreds, most of them outside it).
  const find = (a: Adjacency | undefined, y: string): number | undefined => {
    if (!a) return undefined;
    let lo = 0;
    let hi = a.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a.ids[mid] === y) return a.sims[mid];
      if (a.ids[mid] < y) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const outside = [...new Set(memberLists.flat())].filter((x) => !adjacency.has(x));
  const among = outside.length > 1 ? await stored.links(outside) : new Map<string, Adjacency>();
  const link = (x: string, y: string): number | undefined =>
    adjacency.has(x) ? find(adjacency.get(x), y) : adjacency.has(y) ? find(adjacency.get(y), x) : find(among.get(x), y);
  const groups: CoverGroup[] = [];
  for (const members of memberLists) groups.push(withMedoid(members, link, byId));

  const nodes = new Map<string, NodeState | null>();
  for (const [id, s] of state) {
    const b = stateBefore.get(id)!;
    if (s.degree === b.degree && s.strength === b.strength && s.opener === b.opener) continue;
    nodes.set(id, s.degree ? s : null);
  }
  return { nodes, removedGroups: [...oldGroups].sort(byId), groups: groups.sort((a, b) => byId(a.groupId, b.groupId)), decided: queued.size, assigned: assign.size };
}

/**
 * Near-duplicate pairs → groups. Connected components chain: A≈B and B≈C put A and C together even
 * when they share little. Groups here are stars instead: every member is at or above the threshold
 * to the group's medoid, so a group never holds two items that are only linked through others.
 *
 * Greedy star cover: recommendations are taken in order of (more near-duplicates, higher summed
 * similarity, smaller rec_id); each one not yet grouped opens a group with its neighbours not yet
 * grouped. The medoid is then the member most similar in sum to the rest among those at or above
 * the threshold to all of them (the opener always qualifies). A recommendation whose near-duplicates
 * all went to other groups without it stays ungrouped; its pairs remain in near_duplicates.
 */
export interface Pair {
  a: string;
  b: string;
  similarity: number;
}

export interface GroupMember {
  recId: string;
  isMedoid: boolean;
  similarityToMedoid: number;
}

export interface Group {
  /** The smallest rec_id of the group: the same input always gives the same id. */
  groupId: string;
  medoid: string;
  members: GroupMember[];
}

const byId = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Pairs over dense integer ids 0..n-1 (ids ordered like the rec_ids they stand for). */
export interface IndexedPairs {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  similarity: ArrayLike<number>;
  n: number;
}

export interface IndexedGroup {
  /** The smallest member id. */
  groupId: number;
  medoid: number;
  /** Ascending ids, with their similarity to the medoid (1 for the medoid). */
  members: { id: number; isMedoid: boolean; similarityToMedoid: number }[];
}

/**
 * The cover's view of every id: its number of pairs (0: not in any), their similarities summed in
 * ascending neighbour order, and whether it opened a group when its turn came (ungrouped then; with
 * no neighbour left ungrouped it opens a group of one, which is not kept). An id opens exactly when
 * none of its neighbours that come before it opened: what groups/incremental.ts maintains.
 */
export interface StarNodes {
  degree: Int32Array;
  strength: Float64Array;
  opener: Uint8Array;
}

/** The star cover's groups (see starCover). */
export function starGroups(p: IndexedPairs): IndexedGroup[] {
  return starCover(p).groups;
}

/**
 * The star cover on integer ids with compressed adjacency lists: at 600,000 pairs, maps keyed by
 * rec_id strings took two seconds of an incremental run that has ten.
 */
export function starCover(p: IndexedPairs): { groups: IndexedGroup[]; nodes: StarNodes } {
  const m = p.a.length;
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    lo[k] = Math.min(p.a[k], p.b[k]);
    hi[k] = Math.max(p.a[k], p.b[k]);
  }
  // Pair order (lo, hi); the SQL already sorts, so this is usually a check (the full run's expanded
  // pairs are not sorted).
  let order: Int32Array | null = null;
  for (let k = 1; k < m; k++) {
    if (lo[k - 1] > lo[k] || (lo[k - 1] === lo[k] && hi[k - 1] > hi[k])) {
      order = pairOrder(lo, hi, p.n);
      break;
    }
  }
  const at = (k: number) => (order ? order[k] : k);
  // A pair listed twice keeps its last similarity.
  const keep = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const e = at(k);
    if (lo[e] === hi[e]) continue;
    const next = k + 1 < m ? at(k + 1) : -1;
    if (next >= 0 && lo[next] === lo[e] && hi[next] === hi[e]) continue;
    keep[e] = 1;
  }
  const n = p.n;
  const degree = new Int32Array(n);
  for (let e = 0; e < m; e++) if (keep[e]) (degree[lo[e]]++, degree[hi[e]]++);
  const start = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v] + degree[v];
  const fill = start.slice(0, n);
  const nbr = new Int32Array(start[n]);
  const sim = new Float64Array(start[n]);
  // In (lo, hi) order every node's neighbours arrive ascending: the smaller ones first (as hi), then its own block.
  for (let k = 0; k < m; k++) {
    const e = at(k);
    if (!keep[e]) continue;
    nbr[fill[lo[e]]] = hi[e];
    sim[fill[lo[e]]++] = p.similarity[e];
    nbr[fill[hi[e]]] = lo[e];
    sim[fill[hi[e]]++] = p.similarity[e];
  }
  const strength = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let sum = 0;
    for (let k = start[v]; k < start[v + 1]; k++) sum += sim[k];
    strength[v] = sum;
  }
  const link = (x: number, y: number): number | undefined => {
    let l = start[x];
    let h = start[x + 1] - 1;
    while (l <= h) {
      const mid = (l + h) >> 1;
      if (nbr[mid] === y) return sim[mid];
      if (nbr[mid] < y) l = mid + 1;
      else h = mid - 1;
    }
    return undefined;
  };
  const nodes = Int32Array.from({ length: n }, (_, i) => i)
    .filter((v) => degree[v] > 0)
    .sort((x, y) => degree[y] - degree[x] || strength[y] - strength[x] || x - y);

  const grouped = new Uint8Array(n);
  const opener = new Uint8Array(n);
  const groups: IndexedGroup[] = [];
  for (const centre of nodes) {
    if (grouped[centre]) continue;
    opener[centre] = 1;
    const members = [centre];
    for (let k = start[centre]; k < start[centre + 1]; k++) if (!grouped[nbr[k]]) members.push(nbr[k]);
    if (members.length < 2) continue;
    for (const x of members) grouped[x] = 1;
    groups.push(withMedoid(members, link));
  }
  return { groups: groups.sort((g, h) => g.groupId - h.groupId), nodes: { degree, strength, opener } };
}

/**
 * Positions 0..m-1 of the pairs sorted by (lo, hi, position): a stable counting sort by hi, then one
 * by lo, on the ids (0..n-1). Linear where the comparison sort it replaced was m log m with a closure
 * call per comparison: at 100k the full run hands the cover 33 million unsorted pairs.
 */
export function pairOrder(lo: Int32Array, hi: Int32Array, n: number): Int32Array {
  const m = lo.length;
  const count = new Int32Array(n + 1);
  const byKey = (key: Int32Array, from: Int32Array | null, into: Int32Array) => {
    count.fill(0);
    for (let k = 0; k < m; k++) count[key[k] + 1]++;
    for (let v = 0; v < n; v++) count[v + 1] += count[v];
    for (let t = 0; t < m; t++) {
      const k = from ? from[t] : t;
      into[count[key[k]]++] = k;
    }
  };
  const byHi = new Int32Array(m);
  byKey(hi, null, byHi);
  const order = new Int32Array(m);
  byKey(lo, byHi, order);
  return order;
}

/**
 * The medoid: the member most similar in sum to the rest among those linked to all of them (the
 * opener, first in `members`, always is). Sums run in `members` order. Ids are dense numbers here
 * and rec_ids in groups/incremental.ts (`order` sorts them the same way).
 */
export function withMedoid<T extends number | string>(
  members: T[],
  link: (x: T, y: T) => number | undefined,
  order: (x: T, y: T) => number = (x, y) => (x as number) - (y as number),
): { groupId: T; medoid: T; members: { id: T; isMedoid: boolean; similarityToMedoid: number }[] } {
  const sorted = [...members].sort(order);
  let medoid = members[0];
  let best = -Infinity;
  for (const x of sorted) {
    let sum = 0;
    let linkedToAll = true;
    for (const other of members) {
      if (other === x) continue;
      const s = link(x, other);
      if (s === undefined) {
        linkedToAll = false;
        break;
      }
      sum += s;
    }
    if (linkedToAll && sum > best) {
      best = sum;
      medoid = x;
    }
  }
  return {
    groupId: sorted[0],
    medoid,
    members: sorted.map((id) => ({ id, isMedoid: id === medoid, similarityToMedoid: id === medoid ? 1 : link(medoid, id)! })),
  };
}

/** The same on rec_id strings. */
export function groupNearDuplicates(pairs: readonly Pair[]): Group[] {
  const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort(byId);
  const index = new Map(ids.map((id, k) => [id, k]));
  const groups = starGroups({
    a: pairs.map((p) => index.get(p.a)!),
    b: pairs.map((p) => index.get(p.b)!),
    similarity: pairs.map((p) => p.similarity),
    n: ids.length,
  });
  return groups.map((g) => ({
    groupId: ids[g.groupId],
    medoid: ids[g.medoid],
    members: g.members.map((m) => ({ recId: ids[m.id], isMedoid: m.isMedoid, similarityToMedoid: m.similarityToMedoid })),
  }));
}

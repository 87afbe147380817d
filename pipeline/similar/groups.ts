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

export function groupNearDuplicates(pairs: readonly Pair[]): Group[] {
  const adj = new Map<string, Map<string, number>>();
  const link = (x: string, y: string, s: number) => {
    let m = adj.get(x);
    if (!m) adj.set(x, (m = new Map()));
    m.set(y, s);
  };
  const sorted = [...pairs].sort((p, q) => byId(p.a, q.a) || byId(p.b, q.b));
  for (const p of sorted) {
    if (p.a === p.b) continue;
    link(p.a, p.b, p.similarity);
    link(p.b, p.a, p.similarity);
  }
  const strength = new Map<string, number>();
  for (const [id, m] of adj) {
    let sum = 0;
    for (const n of [...m.keys()].sort(byId)) sum += m.get(n)!;
    strength.set(id, sum);
  }
  const order = [...adj.keys()].sort(
    (x, y) => adj.get(y)!.size - adj.get(x)!.size || strength.get(y)! - strength.get(x)! || byId(x, y),
  );

  const grouped = new Set<string>();
  const groups: Group[] = [];
  for (const centre of order) {
    if (grouped.has(centre)) continue;
    const members = [centre, ...[...adj.get(centre)!.keys()].filter((n) => !grouped.has(n)).sort(byId)];
    if (members.length < 2) continue;
    for (const m of members) grouped.add(m);
    groups.push(withMedoid(members, adj));
  }
  return groups.sort((g, h) => byId(g.groupId, h.groupId));
}

function withMedoid(members: string[], adj: Map<string, Map<string, number>>): Group {
  let medoid = members[0];
  let best = -Infinity;
  for (const m of [...members].sort(byId)) {
    const links = adj.get(m)!;
    let sum = 0;
    let linkedToAll = true;
    for (const other of members) {
      if (other === m) continue;
      const s = links.get(other);
      if (s === undefined) {
        linkedToAll = false;
        break;
      }
      sum += s;
    }
    if (linkedToAll && sum > best) {
      best = sum;
      medoid = m;
    }
  }
  const links = adj.get(medoid)!;
  const sortedMembers = [...members].sort(byId);
  return {
    groupId: sortedMembers[0],
    medoid,
    members: sortedMembers.map((recId) => ({
      recId,
      isMedoid: recId === medoid,
      similarityToMedoid: recId === medoid ? 1 : links.get(recId)!,
    })),
  };
}

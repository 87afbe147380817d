import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { starCover } from '../../pipeline/similar/groups/groups.js';
import { updateCover, type Adjacency, type NodeState, type StoredCover } from '../../pipeline/similar/groups/incremental.js';

/**
 * The local update of the star cover against the cover computed from scratch on the new pairs:
 * random graphs (dense clumps, so roles cascade), random changes (new ids with pairs, ids gone,
 * pairs added, dropped or with another similarity), similarities from a few values so that sums
 * tie and the rec_id decides.
 */
type Pairs = Map<string, number>; // "a|b" (a < b) → similarity; ids are codes (numbers in rec_id order)
const id = (k: number) => k;
const key = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const ends = (k: string) => k.split('|').map(Number);
const SIMS = [0.8, 0.85, 0.9, 1];

function randomPairs(rand: () => number, n: number): Pairs {
  const pairs: Pairs = new Map();
  const clumps = Math.max(1, Math.floor(n / 12));
  for (let c = 0; c < clumps; c++) {
    const size = 3 + Math.floor(rand() * 14);
    const members = Array.from({ length: size }, () => Math.floor(rand() * n));
    const density = 0.3 + rand() * 0.7;
    for (let x = 0; x < size; x++)
      for (let y = x + 1; y < size; y++)
        if (members[x] !== members[y] && rand() < density) pairs.set(key(id(members[x]), id(members[y])), SIMS[Math.floor(rand() * SIMS.length)]);
  }
  return pairs;
}

/** The cover from scratch, keyed by rec_id: node states and group rows. */
function cover(pairs: Pairs) {
  const ids = [...new Set([...pairs.keys()].flatMap(ends))].sort((x, y) => x - y);
  const index = new Map(ids.map((x, k) => [x, k]));
  const entries = [...pairs.entries()].map(([k, s]) => [...ends(k).map((x) => index.get(x)!), s] as [number, number, number]);
  entries.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const c = starCover({ a: entries.map((e) => e[0]), b: entries.map((e) => e[1]), similarity: entries.map((e) => e[2]), n: ids.length });
  const nodes = new Map<number, NodeState>();
  ids.forEach((x, k) => nodes.set(x, { degree: c.nodes.degree[k], strength: c.nodes.strength[k], opener: c.nodes.opener[k] === 1 }));
  const rows = new Map<number, { group: number; medoid: boolean; sim: number }>();
  for (const g of c.groups) for (const m of g.members) rows.set(ids[m.id], { group: ids[g.groupId], medoid: m.isMedoid, sim: m.similarityToMedoid });
  return { nodes, rows };
}

/** Stored state of `before`'s cover, pairs of `now`: what the stage holds after writing new pairs. */
function stored(now: Pairs, before: ReturnType<typeof cover>, log: { reads: number }): StoredCover {
  const lists = new Map<number, { ids: number[]; sims: number[] }>();
  for (const [k, s] of [...now.entries()].sort()) {
    const [a, b] = ends(k);
    for (const [x, y] of [[a, b], [b, a]]) {
      if (!lists.has(x)) lists.set(x, { ids: [], sims: [] });
      lists.get(x)!.ids.push(y);
      lists.get(x)!.sims.push(s);
    }
  }
  const adjacency = new Map<number, Adjacency>();
  for (const [x, a] of lists) {
    const order = a.ids.map((_, k) => k).sort((p, q) => a.ids[p] - a.ids[q]);
    adjacency.set(x, { ids: order.map((k) => a.ids[k]), sims: order.map((k) => a.sims[k]) });
  }
  const pick = <T>(m: Map<number, T>, ids: readonly number[]) => new Map(ids.filter((x) => m.has(x)).map((x) => [x, m.get(x)!]));
  const groupOf = new Map([...before.rows].map(([x, r]) => [x, r.group]));
  return {
    adjacency: async (ids) => (log.reads++, pick(adjacency, ids)),
    nodes: async (ids) => pick(before.nodes, ids),
    groupOf: async (ids) => pick(groupOf, ids),
    members: async (groups) => new Map(groups.map((g) => [g, [...before.rows].filter(([, r]) => r.group === g).map(([x]) => x)])),
    links: async (ids) => {
      const among = new Set(ids);
      const out = new Map<number, Adjacency>();
      for (const x of among) {
        const a = adjacency.get(x);
        if (!a) continue;
        const keep = Array.from(a.ids, (_, k) => k).filter((k) => among.has(a.ids[k]));
        if (keep.length) out.set(x, { ids: keep.map((k) => a.ids[k]), sims: keep.map((k) => a.sims[k]) });
      }
      return out;
    },
  };
}

function change(rand: () => number, before: Pairs, n: number): { after: Pairs; dirty: Set<number> } {
  const after: Pairs = new Map(before);
  const ids = [...new Set([...before.keys()].flatMap(ends))];
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const r = rand();
    if (r < 0.35) {
      // A new id with pairs to an existing clump.
      const x = id(n + e);
      const anchor = ids[Math.floor(rand() * ids.length)];
      const near = [anchor, ...[...before.keys()].filter((k) => ends(k).includes(anchor)).flatMap(ends)];
      for (const y of new Set(near)) if (rand() < 0.7) after.set(key(x, y), SIMS[Math.floor(rand() * SIMS.length)]);
    } else if (r < 0.6) {
      // An id gone with all its pairs.
      const x = ids[Math.floor(rand() * ids.length)];
      for (const k of [...after.keys()]) if (ends(k).includes(x)) after.delete(k);
    } else if (r < 0.8) {
      const ks = [...after.keys()];
      const k = ks[Math.floor(rand() * ks.length)];
      if (k) after.set(k, SIMS[Math.floor(rand() * SIMS.length)]);
    } else {
      const ks = [...after.keys()];
      if (ks.length) after.delete(ks[Math.floor(rand() * ks.length)]);
      const a = ids[Math.floor(rand() * ids.length)];
      const b = ids[Math.floor(rand() * ids.length)];
      if (a !== b) after.set(key(a, b), SIMS[Math.floor(rand() * SIMS.length)]);
    }
  }
  const dirty = new Set<number>();
  for (const k of new Set([...before.keys(), ...after.keys()])) if (before.get(k) !== after.get(k)) for (const x of ends(k)) dirty.add(x);
  return { after, dirty };
}

describe('the star cover updated locally', () => {
  it('equals the cover from scratch after random changes (400 cases)', async () => {
    let touchedShare = 0;
    let rewritten = 0;
    for (let t = 0; t < 400; t++) {
      const rand = mulberry32(1000 + t);
      const n = 20 + Math.floor(rand() * 120);
      const before = randomPairs(rand, n);
      if (!before.size) continue;
      const old = cover(before);
      const { after, dirty } = change(rand, before, n);
      const log = { reads: 0 };
      const c = await updateCover(stored(after, old, log), dirty);
      // Apply the change to the stored state and groups.
      const nodes = new Map(old.nodes);
      for (const [x, s] of c.nodes) s ? nodes.set(x, s) : nodes.delete(x);
      const rows = new Map([...old.rows].filter(([, r]) => !c.removedGroups.includes(r.group)));
      for (const g of c.groups) for (const m of g.members) {
        expect(rows.has(m.id), `case ${t}: ${m.id} in two groups`).toBe(false);
        rows.set(m.id, { group: g.groupId, medoid: m.isMedoid, sim: m.similarityToMedoid });
      }
      const fresh = cover(after);
      expect(new Map([...rows].sort()), `case ${t}: groups`).toEqual(new Map([...fresh.rows].sort()));
      expect(new Map([...nodes].sort()), `case ${t}: node states`).toEqual(new Map([...fresh.nodes].sort()));
      // Only groups that change are written: a group written again with its old members holds a
      // changed pair (two ends of changed pairs among its members).
      const oldGroups = new Map<number, number[]>();
      for (const [x, r] of old.rows) oldGroups.set(r.group, [...(oldGroups.get(r.group) ?? []), x]);
      for (const g of c.groups) {
        const oldMembers = (oldGroups.get(g.groupId) ?? []).sort((x, y) => x - y);
        const same = oldMembers.join() === g.members.map((m) => m.id).join();
        if (same) (rewritten++, expect(g.members.filter((m) => dirty.has(m.id)).length, `case ${t}: group ${g.groupId} written unchanged`).toBeGreaterThan(1));
      }
      touchedShare += c.assigned / Math.max(1, fresh.nodes.size);
    }
    // Local: on average only part of the ids are assigned again.
    expect(touchedShare / 400).toBeLessThan(0.8);
    // Groups with their old members and a changed pair inside do occur (and are rewritten).
    expect(rewritten).toBeGreaterThan(0);
  });

  it('takes the adjacency it is handed as known and reads none of it again (200 cases)', async () => {
    for (let t = 0; t < 200; t++) {
      const rand = mulberry32(7000 + t);
      const n = 20 + Math.floor(rand() * 120);
      const before = randomPairs(rand, n);
      if (!before.size) continue;
      const old = cover(before);
      const { after, dirty } = change(rand, before, n);
      const log = { reads: 0 };
      const base = stored(after, old, log);
      // What the stage hands over: the complete adjacency now of some ids (its affected recommendations,
      // gone ones with none), here a random half of the dirty ids.
      const known = new Map<number, Adjacency>();
      const all = await base.adjacency([...dirty]);
      for (const x of dirty) if (rand() < 0.5) known.set(x, all.get(x) ?? { ids: [], sims: [] });
      const asked: number[] = [];
      const watched: StoredCover = {
        ...base,
        adjacency: async (ids) => (asked.push(...ids), base.adjacency(ids)),
        links: async (ids) => (asked.push(...ids), base.links(ids)),
      };
      const c = await updateCover(watched, dirty, known);
      expect(asked.filter((x) => known.has(x)), `case ${t}: known ids read again`).toEqual([]);
      const nodes = new Map(old.nodes);
      for (const [x, s] of c.nodes) s ? nodes.set(x, s) : nodes.delete(x);
      const rows = new Map([...old.rows].filter(([, r]) => !c.removedGroups.includes(r.group)));
      for (const g of c.groups) for (const m of g.members) rows.set(m.id, { group: g.groupId, medoid: m.isMedoid, sim: m.similarityToMedoid });
      const fresh = cover(after);
      expect(new Map([...rows].sort()), `case ${t}: groups`).toEqual(new Map([...fresh.rows].sort()));
      expect(new Map([...nodes].sort()), `case ${t}: node states`).toEqual(new Map([...fresh.nodes].sort()));
    }
  });

  it('changes nothing when no pair changed', async () => {
    const pairs = randomPairs(mulberry32(5), 80);
    const c = await updateCover(stored(pairs, cover(pairs), { reads: 0 }), []);
    expect(c).toMatchObject({ removedGroups: [], groups: [], decided: 0 });
    expect(c.nodes.size).toBe(0);
  });
});

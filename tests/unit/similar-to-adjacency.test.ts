import { describe, it, expect } from 'vitest';
import { toAdjacency } from '../../pipeline/similar/groups/regroup.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

/** The textbook version: rows grouped by their first end, each list sorted stably by id. */
function reference(c: { a: number[]; b: number[]; s: number[] }) {
  const rows = new Map<number, [number, number][]>();
  c.a.forEach((a, k) => {
    if (!rows.has(a)) rows.set(a, []);
    rows.get(a)!.push([c.b[k], c.s[k]]);
  });
  const out = new Map<number, { ids: number[]; sims: number[] }>();
  for (const [a, list] of rows) {
    list.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    out.set(a, { ids: list.map((x) => x[0]), sims: list.map((x) => x[1]) });
  }
  return out;
}

/** Typed arrays as plain arrays, to compare with the reference. */
const plainLists = (m: Map<number, { ids: ArrayLike<number>; sims: ArrayLike<number> }>) =>
  new Map([...m].map(([k, a]) => [k, { ids: Array.from(a.ids), sims: Array.from(a.sims) }]));

describe('toAdjacency (the cover reads pairs as adjacency lists of codes)', () => {
  it('groups rows by their first end in order of first appearance, each list by id, equal ids in row order', () => {
    const rand = mulberry32(17);
    for (let round = 0; round < 50; round++) {
      const n = Math.floor(rand() * 400);
      // Codes: small and large (up to a million), so the sort key id·rows + row is exercised.
      const ids = Array.from({ length: 1 + Math.floor(rand() * 60) }, (_, k) => Math.floor(rand() * 9) * 100_000 + k * 13);
      const pick = () => ids[Math.floor(rand() * ids.length)];
      // Repeated (a, b) rows with other similarities too: their order must be the rows'.
      const c = { a: Array.from({ length: n }, pick), b: Array.from({ length: n }, pick), s: Array.from({ length: n }, () => Math.round(rand() * 8) / 8) };
      const got = toAdjacency(c);
      const want = reference(c);
      expect([...got.keys()]).toEqual([...want.keys()]);
      expect(plainLists(got)).toEqual(want);
      for (const a of got.values()) expect(a.ids).toBeInstanceOf(Int32Array);
    }
    expect(toAdjacency({})).toEqual(new Map());
  });
});

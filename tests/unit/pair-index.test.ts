import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PairIndex } from '../../pipeline/similar/groups/pair-index.js';

/** What an ask of the stored pairs returns, computed the slow way: every pair looked at. */
function reference(a: number[], b: number[], s: number[], ids: number[], within: Set<number> | null) {
  const out = new Map<number, { ids: Int32Array; sims: Float64Array }>();
  for (const id of ids) {
    if (out.has(id)) continue;
    const list: [number, number, number][] = [];
    a.forEach((x, k) => {
      const other = x === id ? b[k] : b[k] === id ? x : -1;
      if (other >= 0 && (within === null || within.has(other))) list.push([other, k, s[k]]);
    });
    if (list.length === 0) continue;
    list.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    out.set(id, { ids: Int32Array.from(list, (p) => p[0]), sims: Float64Array.from(list, (p) => p[2]) });
  }
  return out;
}

describe('PairIndex (the stored pairs in memory, by both ends)', () => {
  it('answers adjacency and links as a look at every pair does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.double({ min: 0.5, max: 1, noNaN: true })), { maxLength: 120 }),
            ids: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 15 }),
          }),
        ),
        ({ n, pairs, ids }) => {
          const kept = pairs.filter(([x, y]) => x !== y);
          const a = kept.map((p) => Math.min(p[0], p[1]));
          const b = kept.map((p) => Math.max(p[0], p[1]));
          const s = kept.map((p) => p[2]);
          const index = new PairIndex(Int32Array.from(a), Int32Array.from(b), Float64Array.from(s), n);
          expect(index.adjacency(ids)).toEqual(reference(a, b, s, ids, null));
          expect(index.links(ids)).toEqual(reference(a, b, s, [...new Set(ids)], new Set(ids)));
        },
      ),
      { seed: 16, numRuns: 300 },
    );
  });

  it('lists a pair under both of its ends, and nothing for a code without pairs', () => {
    const index = new PairIndex(Int32Array.of(0, 0, 2), Int32Array.of(3, 2, 3), Float64Array.of(0.9, 0.8, 0.95), 5);
    const adj = index.adjacency([3, 4, 0]);
    expect([...adj.keys()]).toEqual([3, 0]);
    expect(Array.from(adj.get(3)!.ids)).toEqual([0, 2]);
    expect(Array.from(adj.get(3)!.sims)).toEqual([0.9, 0.95]);
    expect(Array.from(adj.get(0)!.ids)).toEqual([2, 3]);
    expect(Array.from(index.links([0, 3]).get(0)!.ids)).toEqual([3]);
  });

  it('refuses pairs outside its codes', () => {
    expect(() => new PairIndex(Int32Array.of(0), Int32Array.of(5), Float64Array.of(0.9), 5)).toThrow(/outside codes/);
  });
});

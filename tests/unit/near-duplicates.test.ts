import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { groupNearDuplicates, pairOrder } from '../../pipeline/similar/groups/groups.js';
import { candidateProbability, lshParams } from '../../pipeline/similar/pairs/lsh.js';
import { fwht } from '../../pipeline/similar/pairs/rotation.js';
import { pairRecall, pairKey } from '../../tools/near-duplicates/recall.js';
import { fitThreshold } from '../../pipeline/similar/calibration/fit-threshold.js';
import { EDIT_KINDS, editText, splice } from '../../pipeline/similar/calibration/edits.js';
import { nearDuplicateThreshold, DEFAULT_NEAR_DUPLICATE_THRESHOLD } from '../../pipeline/similar/calibration/thresholds.js';

// The near-duplicate machinery that needs no database: star groups, LSH parameters, the rotation,
// threshold fitting and the edits it is calibrated on. (The stage itself: tests/stage/similar.test.ts.)

describe('groups do not chain', () => {
  it('A≈B and B≈C without A≈C are not one group; every member is linked to the medoid', () => {
    const pairs = [
      { a: 'a', b: 'b', similarity: 0.9 },
      { a: 'b', b: 'c', similarity: 0.9 },
      { a: 'c', b: 'd', similarity: 0.95 },
      { a: 'x', b: 'y', similarity: 1 },
      { a: 'x', b: 'z', similarity: 0.92 },
      { a: 'y', b: 'z', similarity: 0.91 },
    ];
    const sim = new Map(pairs.flatMap((p) => [[`${p.a}|${p.b}`, p.similarity], [`${p.b}|${p.a}`, p.similarity]]));
    const groups = groupNearDuplicates(pairs);
    // a-b-c-d is a chain: connected components would make it one group; the star around c leaves a out.
    expect(groups.map((g) => [g.groupId, g.medoid, g.members.map((m) => m.recId)])).toEqual([
      ['b', 'c', ['b', 'c', 'd']],
      ['x', 'x', ['x', 'y', 'z']],
    ]);
    for (const g of groups) {
      expect(g.members.filter((m) => m.isMedoid)).toHaveLength(1);
      for (const m of g.members) expect(m.similarityToMedoid).toBe(m.isMedoid ? 1 : sim.get(`${m.recId}|${g.medoid}`));
    }
  });

  it('is deterministic whatever the order of the pairs', () => {
    const pairs = [
      { a: 'p', b: 'q', similarity: 0.9 },
      { a: 'q', b: 'r', similarity: 0.88 },
      { a: 'p', b: 'r', similarity: 0.87 },
      { a: 'r', b: 's', similarity: 0.86 },
    ];
    expect(groupNearDuplicates([...pairs].reverse())).toEqual(groupNearDuplicates(pairs));
  });

  it('on random graphs: stars around a medoid, disjoint, the same for any pair order', () => {
    const edges = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 }), fc.double({ min: 0.8, max: 1, noNaN: true })), {
      selector: ([a, b]) => `${Math.min(a, b)}|${Math.max(a, b)}`,
      maxLength: 80,
    });
    fc.assert(
      fc.property(edges, (raw) => {
        const id = (k: number) => `r${String(k).padStart(2, '0')}`;
        const pairs = raw.filter(([a, b]) => a !== b).map(([a, b, s]) => ({ a: id(a), b: id(b), similarity: s }));
        const linked = new Set(pairs.flatMap((p) => [`${p.a}|${p.b}`, `${p.b}|${p.a}`]));
        const groups = groupNearDuplicates(pairs);
        const seen = new Set<string>();
        for (const g of groups) {
          expect(g.members.length).toBeGreaterThanOrEqual(2);
          for (const m of g.members) {
            expect(seen.has(m.recId)).toBe(false);
            seen.add(m.recId);
            if (!m.isMedoid) expect(linked.has(`${m.recId}|${g.medoid}`)).toBe(true);
          }
        }
        expect(groupNearDuplicates([...pairs].reverse().map((p) => ({ a: p.b, b: p.a, similarity: p.similarity })))).toEqual(groups);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('pair order of the star cover', () => {
  it('pairOrder sorts by (lo, hi, position), as the comparison sort did, repeated pairs included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 200 }), (n, raw) => {
        const lo = Int32Array.from(raw, ([x]) => x % n);
        const hi = Int32Array.from(raw, ([, y]) => y % n);
        const expected = Array.from(lo.keys()).sort((x, y) => lo[x] - lo[y] || hi[x] - hi[y] || x - y);
        expect(Array.from(pairOrder(lo, hi, n))).toEqual(expected);
      }),
    );
  });
});

describe('calibration pieces', () => {
  it('fitThreshold puts the cut in the middle of the gap', () => {
    const items = [0.99, 0.95, 0.9].map((score) => ({ score, positive: true, kind: 'e' })).concat([0.7, 0.5].map((score) => ({ score, positive: false, kind: 'n' })));
    const fit = fitThreshold(items);
    expect(fit.threshold).toBeCloseTo(0.8, 10);
    expect(fit.precision).toBe(1);
    expect(fit.recall).toBe(1);
  });

  it('edits change a little, splices change half', () => {
    const text = 'обеспечить развитие системы методического сопровождения педагогов в образовательных организациях региона';
    for (const kind of EDIT_KINDS) {
      const edited = editText(text, kind, mulberry32(1));
      expect(edited).not.toBeNull();
      expect(edited).not.toBe(text);
    }
    expect(editText(text, 'synonym', mulberry32(1))).toMatch(/совершенствование|учителей|учреждений|модели|субъекта/);
    expect(splice(text, 'проводить мониторинг работы профессиональных сообществ учителей')).toBe(
      'обеспечить развитие системы методического сопровождения профессиональных сообществ учителей',
    );
  });

  it('an uncalibrated family gets the conservative default', async () => {
    expect(await nearDuplicateThreshold('transformers:some/model@q8')).toEqual({ threshold: DEFAULT_NEAR_DUPLICATE_THRESHOLD, calibrated: false });
    expect((await nearDuplicateThreshold('lexical-v1')).calibrated).toBe(true);
  });
});

describe('LSH parameters and rotations', () => {
  it('picks enough bands for the target recall at the threshold', () => {
    const p = lshParams(0.85, 256);
    expect(p.bitsPerBand).toBe(16);
    expect(candidateProbability(0.85, 16, p.bands)).toBeGreaterThanOrEqual(0.95);
    expect(p.rotations).toBe(Math.ceil(p.bands / 16));
    expect(lshParams(0.95, 256).bands).toBeLessThan(p.bands);
    expect(lshParams(0.85, 384).rotations).toBeGreaterThanOrEqual(1);
    expect(() => lshParams(0.85, 256, { bitsPerBand: 40 })).toThrow(ConfrecError);
  });

  it('the Walsh–Hadamard transform is its own inverse up to n and keeps angles', () => {
    const a = Float64Array.from({ length: 8 }, (_, i) => i - 3);
    const b = Float64Array.from(a);
    fwht(b);
    fwht(b);
    expect(Array.from(b).map((x) => x / 8)).toEqual(Array.from(a));
  });

  it('fwht gives the textbook radix-2 transform bit for bit, at every size', () => {
    const rand = mulberry32(5);
    for (let size = 1; size <= 1024; size *= 2) {
      const a = Float64Array.from({ length: size }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3));
      const b = Float64Array.from(a);
      fwht(a);
      for (let h = 1; h < size; h *= 2) {
        for (let i = 0; i < size; i += 2 * h) {
          for (let j = i; j < i + h; j++) {
            const x = b[j];
            const y = b[j + h];
            b[j] = x + y;
            b[j + h] = x - y;
          }
        }
      }
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('pairRecall counts found true pairs', () => {
    expect(pairRecall([[1, 2], [3, 4]], new Set([pairKey(2, 1)]))).toEqual({ truth: 2, found: 1, recall: 0.5 });
  });
});

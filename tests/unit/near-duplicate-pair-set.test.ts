import { describe, expect, it } from 'vitest';
import { pairKeys, PairSet } from '../../pipeline/similar/pairs/found.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

describe('PairSet', () => {
  it('answers membership as a set of "i,j" strings does (ordered pairs, repeats, large ids)', () => {
    const rand = mulberry32(21);
    const n = 5000;
    const i = new Int32Array(n);
    const j = new Int32Array(n);
    const truth = new Set<string>();
    for (let k = 0; k < n; k++) {
      // Small ids collide often (and repeat); a few near 2^31 - 1.
      i[k] = k % 7 === 0 ? 2147483647 - Math.floor(rand() * 3) : Math.floor(rand() * 60);
      j[k] = Math.floor(rand() * 120);
      truth.add(`${i[k]},${j[k]}`);
    }
    const set = pairKeys({ i, j, length: n });
    expect(set.size).toBe(truth.size);
    for (let a = 0; a < 70; a++) for (let b = 0; b < 130; b++) expect(set.has(a, b)).toBe(truth.has(`${a},${b}`));
    for (let k = 0; k < n; k++) expect(set.has(j[k], i[k])).toBe(truth.has(`${j[k]},${i[k]}`));
    expect(set.has(2147483647, 0)).toBe(truth.has('2147483647,0'));
  });

  it('holds as many pairs as it was made for, and refuses more than its capacity', () => {
    const set = new PairSet(3);
    for (let k = 0; k < 3; k++) set.add(k, k + 1);
    set.add(0, 1);
    expect(set.size).toBe(3);
    const full = new PairSet(1);
    expect(() => {
      for (let k = 0; k < 100; k++) full.add(k, 0);
    }).toThrow(RangeError);
  });
});

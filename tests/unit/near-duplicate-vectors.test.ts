import { describe, expect, it } from 'vitest';
import { copyRows } from '../../pipeline/similar/pairs/vectors.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

describe('copyRows', () => {
  it('copies the kept rows in order, bit for bit, runs and gaps alike, from a view at an offset', () => {
    const rand = mulberry32(9);
    const dim = 5;
    const n = 40;
    const backing = new Float32Array(3 + n * dim).map(() => rand() - 0.5);
    backing[3 + 7 * dim] = -0; // a signed zero survives a byte copy
    const rows = backing.subarray(3);
    const keep = [0, 1, 2, 7, 9, 10, 11, 30, 5, 6, 39];
    const out = new Float32Array(new SharedArrayBuffer(keep.length * dim * 4));
    copyRows(rows, keep, dim, out);
    keep.forEach((r, k) => expect(Array.from(out.subarray(k * dim, (k + 1) * dim))).toEqual(Array.from(rows.subarray(r * dim, (r + 1) * dim))));
    expect(Object.is(out[3 * dim], -0)).toBe(true);
    const none = new Float32Array(0);
    copyRows(rows, [], dim, none);
    expect(none.length).toBe(0);
  });
});

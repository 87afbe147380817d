/**
 * The WebAssembly dot-product kernel of k-means (math/dot-kernel.ts) against its definition in plain
 * JS (dotF32: eight float64 lanes, then a fixed order of additions) and against exact arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { DotKernel, dotF32 } from '../../pipeline/math/dot-kernel.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

describe('dot kernel', () => {
  it('gives the bits of its JS definition for every dimension (whole lanes and a remainder), in either order', () => {
    const rand = mulberry32(12);
    for (const dim of [1, 3, 7, 8, 9, 15, 16, 23, 64, 256, 383]) {
      const n = 17;
      const kernel = new DotKernel(DotKernel.bytes(n * dim, 4) + DotKernel.bytes(n, 8));
      const rows = kernel.floats(n * dim);
      // Mixed magnitudes, exact zeros and negative zeros, as in sparse-ish embeddings.
      for (let i = 0; i < n * dim; i++) rows.view[i] = i % 11 === 0 ? 0 : i % 13 === 0 ? -0 : (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3);
      const out = kernel.doubles(n);
      for (let i = 0; i < n; i++) {
        kernel.dots(rows.at + i * dim * 4, rows.at, n, dim, out.at);
        for (let j = 0; j < n; j++) {
          const js = dotF32(rows.view, i * dim, rows.view, j * dim, dim);
          expect(Object.is(kernel.dot(rows.at + i * dim * 4, rows.at + j * dim * 4, dim), js)).toBe(true);
          expect(Object.is(out.view[j], js)).toBe(true);
          expect(Object.is(kernel.dot(rows.at + j * dim * 4, rows.at + i * dim * 4, dim), js)).toBe(true);
        }
      }
    }
  });

  it('is the dot product to float64 rounding (against an exact sum of the products)', () => {
    const rand = mulberry32(3);
    const dim = 256;
    const kernel = new DotKernel(DotKernel.bytes(2 * dim, 4));
    const rows = kernel.floats(2 * dim);
    for (let trial = 0; trial < 50; trial++) {
      for (let i = 0; i < 2 * dim; i++) rows.view[i] = rand() - 0.5;
      // float32 × float32 is exact in float64 (48 significant bits), and a sum of 256 such products
      // in BigInt fixed point is exact too.
      let exact = 0n;
      const scale = 2n ** 60n;
      for (let d = 0; d < dim; d++) exact += BigInt(Math.round(rows.view[d] * rows.view[dim + d] * 2 ** 60));
      const want = Number(exact) / Number(scale);
      expect(Math.abs(kernel.dot(rows.at, rows.at + dim * 4, dim) - want)).toBeLessThan(1e-13);
    }
  });

  it('refuses blocks beyond the memory it was sized for', () => {
    const kernel = new DotKernel(DotKernel.bytes(8, 4));
    kernel.floats(8);
    // One page is 64 KiB: the memory holds more than asked, but never more than a page of blocks.
    expect(() => kernel.floats(70_000)).toThrow(/bytes asked/);
  });
});

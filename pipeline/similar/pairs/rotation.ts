/**
 * Pseudo-random rotations for SimHash. A dense Gaussian projection costs d numbers per bit; three
 * rounds of random sign flips and a fast Walsh–Hadamard transform (H·D3·H·D2·H·D1, Andoni et al.
 * 2015) behave like a random rotation for angular LSH at O(d log d) per d bits, which is what makes
 * signatures for 100,000 vectors take seconds rather than minutes in JS.
 */

/** The smallest power of two ≥ n: the transform needs one, and zero padding keeps every angle. */
export function paddedDim(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * In-place unnormalised Walsh–Hadamard transform; a.length must be a power of two. Radix-4
 * butterflies (two stages per pass) halve the passes over the array, which is most of the cost.
 */
export function fwht(a: Float64Array): void {
  const n = a.length;
  let h = 1;
  for (; h * 4 <= n; h *= 4) {
    const step = h * 4;
    for (let i = 0; i < n; i += step) {
      const end = i + h;
      for (let j = i; j < end; j++) {
        const x0 = a[j];
        const x1 = a[j + h];
        const x2 = a[j + 2 * h];
        const x3 = a[j + 3 * h];
        const s0 = x0 + x1;
        const d0 = x0 - x1;
        const s1 = x2 + x3;
        const d1 = x2 - x3;
        a[j] = s0 + s1;
        a[j + h] = d0 + d1;
        a[j + 2 * h] = s0 - s1;
        a[j + 3 * h] = d0 - d1;
      }
    }
  }
  if (h < n) {
    for (let j = 0; j < h; j++) {
      const x = a[j];
      const y = a[j + h];
      a[j] = x + y;
      a[j + h] = x - y;
    }
  }
}

const ROUNDS = 3;

/** One seeded rotation of R^size (size a power of two). Only the signs of the output are used. */
export class HadamardRotation {
  private readonly flips: Float64Array[];

  constructor(
    readonly size: number,
    rand: () => number,
  ) {
    this.flips = Array.from({ length: ROUNDS }, () => {
      const s = new Float64Array(size);
      for (let i = 0; i < size; i++) s[i] = rand() < 0.5 ? -1 : 1;
      return s;
    });
  }

  /** Rotates src[offset .. offset+dim) (zero-padded to size) into out. */
  apply(src: Float32Array, offset: number, dim: number, out: Float64Array): void {
    const first = this.flips[0];
    const size = this.size;
    for (let i = 0; i < dim; i++) out[i] = src[offset + i] * first[i];
    if (dim < size) out.fill(0, dim);
    fwht(out);
    for (let k = 1; k < ROUNDS; k++) {
      const s = this.flips[k];
      for (let i = 0; i < size; i++) out[i] *= s[i];
      fwht(out);
    }
  }
}

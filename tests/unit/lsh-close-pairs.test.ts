import { describe, expect, it } from 'vitest';
import { closePairs, HAMMING_WORDS32, lshParams, simhash, type Signatures } from '../../pipeline/similar/pairs/lsh.js';
import { HadamardRotations } from '../../pipeline/similar/pairs/rotation.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

/** The definition: pairs sharing at least one band whose signatures are within hammingMax, once each. */
function bruteForce(sig: Signatures, bands: number, hammingMax: number): string[] {
  const out: string[] = [];
  for (let u = 0; u < sig.n; u++) {
    for (let v = u + 1; v < sig.n; v++) {
      let share = false;
      for (let b = 0; b < bands && !share; b++) share = sig.keys[u * bands + b] === sig.keys[v * bands + b];
      if (!share) continue;
      let d = 0;
      for (let w = 0; w < HAMMING_WORDS32; w++) {
        let x = sig.hamming[u * HAMMING_WORDS32 + w] ^ sig.hamming[v * HAMMING_WORDS32 + w];
        while (x) {
          d += x & 1;
          x >>>= 1;
        }
      }
      if (d <= hammingMax) out.push(`${u}-${v}`);
    }
  }
  return out;
}

/** Groups of near-identical vectors around random centres, plus unrelated ones. */
function vectors(n: number, dim: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 12 }, () => Array.from({ length: dim }, gauss));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    const noise = i % 5 === 0 ? 3 : 0.15;
    for (let d = 0; d < dim; d++) data[i * dim + d] = c[d] + noise * gauss();
  }
  return data;
}

describe('closePairs', () => {
  it('finds exactly the band-sharing pairs within the Hamming distance, each once, smaller index first', () => {
    const dim = 48;
    const n = 400;
    const data = vectors(n, dim, 3);
    for (const threshold of [0.8, 0.9]) {
      const params = lshParams(threshold, dim, { seed: 11 });
      const sig = simhash(data, n, dim, params);
      const { pairs, candidates } = closePairs(sig, params);
      const found = Array.from({ length: pairs.length }, (_, k) => `${pairs.i[k]}-${pairs.j[k]}`);
      expect(new Set(found).size).toBe(found.length);
      for (let k = 0; k < pairs.length; k++) expect(pairs.i[k]).toBeLessThan(pairs.j[k]);
      const truth = bruteForce(sig, params.bands, params.hammingMax);
      expect(truth.length).toBeGreaterThan(100);
      expect([...found].sort()).toEqual(truth.sort());
      expect(candidates).toBeGreaterThanOrEqual(found.length);
    }
  });

  it('keeps near-identical vectors and drops unrelated ones', () => {
    const dim = 64;
    const n = 240;
    const data = vectors(n, dim, 9);
    const params = lshParams(0.85, dim, { seed: 2 });
    const { pairs } = closePairs(simhash(data, n, dim, params), params);
    const cos = (u: number, v: number) => {
      let s = 0, a = 0, b = 0;
      for (let d = 0; d < dim; d++) {
        s += data[u * dim + d] * data[v * dim + d];
        a += data[u * dim + d] ** 2;
        b += data[v * dim + d] ** 2;
      }
      return s / Math.sqrt(a * b);
    };
    const found = new Set(Array.from({ length: pairs.length }, (_, k) => `${pairs.i[k]}-${pairs.j[k]}`));
    let close = 0, kept = 0, far = 0, leaked = 0;
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        const c = cos(u, v);
        if (c >= 0.95) (close++, (kept += found.has(`${u}-${v}`) ? 1 : 0));
        if (c < 0.3) (far++, (leaked += found.has(`${u}-${v}`) ? 1 : 0));
      }
    }
    expect(close).toBeGreaterThan(500);
    expect(kept / close).toBeGreaterThan(0.99);
    expect(leaked / far).toBeLessThan(0.001);
  });
});

describe('HadamardRotations', () => {
  it('are rotations: every output keeps the input norm (times the transform scale)', () => {
    const size = 64;
    const rot = new HadamardRotations(size, 4, mulberry32(1));
    const x = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i + 1));
    const norm = Math.hypot(...x);
    const out = new Float64Array(size);
    rot.load(x, 0, 50);
    for (let k = 0; k < 4; k++) {
      rot.rotate(k, out);
      // Three unnormalised transforms of size 64: a factor of 64^(3/2).
      expect(Math.hypot(...out) / norm).toBeCloseTo(size ** 1.5, 3);
    }
  });
});

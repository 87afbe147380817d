import { mulberry32, normalish } from '../../pipeline/math/prng.js';

/** Unit vectors around random centres, with noise spread so that in-cluster cosines straddle the threshold. */
export function clusteredVectors(n: number, dim: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  const gauss = normalish(rand);
  const unit = (v: number[]) => {
    const s = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    return v.map((x) => x / s);
  };
  const centres = Array.from({ length: Math.ceil(n / 20) }, () => unit(Array.from({ length: dim }, gauss)));
  return Array.from({ length: n }, () => {
    const c = centres[Math.floor(rand() * centres.length)];
    const sigma = 0.15 + 0.7 * rand();
    return unit(c.map((x) => x + (sigma * gauss()) / Math.sqrt(dim)));
  });
}

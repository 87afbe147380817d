/**
 * mulberry32: a tiny seeded 32-bit PRNG. Used wherever a fit or a generated model needs randomness,
 * so that the same seed gives bit-identical results on every run and every machine (Math.random
 * cannot be seeded).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Approximately normal numbers (Irwin–Hall: sum of 4 uniforms, centred and scaled) with only +, −, ×,
 * so results do not depend on how a platform rounds Math.log or Math.cos.
 */
export function normalish(rand: () => number): () => number {
  const scale = Math.sqrt(3); // variance of a sum of 4 U(0,1) is 4/12
  return () => (rand() + rand() + rand() + rand() - 2) * scale;
}

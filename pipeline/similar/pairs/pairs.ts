import { BIGINT, INTEGER, type DuckDBType } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import { bandCollisions, HAMMING_WORDS, simhash, type LshParams } from './lsh.js';
import { readStagedVectors } from './vectors.js';

/**
 * Text pairs at or above the threshold, as TEMP TABLE nd_pairs(i, j, similarity) over nd_vec's idx
 * with i < j. Both methods decide with the same SQL expression, array_cosine_similarity on the
 * stored vectors, so the LSH result is a subset of the exhaustive one with identical similarities.
 *
 * The inner-product test before it is exact (cos = ip / (|a|·|b|), with slack for float rounding)
 * and about three times cheaper, so most pairs never reach the cosine.
 */
const KEEP = (a: string, b: string) =>
  `array_inner_product(${a}.v, ${b}.v) >= ($1 - 1e-4) * ${a}.norm * ${b}.norm AND array_cosine_similarity(${a}.v, ${b}.v) >= $1`;

export const EXHAUSTIVE_METHOD = 'exhaustive';
export const LSH_METHOD = 'lsh';
export type PairMethod = typeof EXHAUSTIVE_METHOD | typeof LSH_METHOD;

/** Every pair of texts: n²/2 cosines, exact, and under a second below about a thousand texts. */
export async function exhaustivePairs(store: Store, threshold: number): Promise<{ candidates: number }> {
  const n = await store.scalar<number>(`SELECT count(*) FROM nd_vec`);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_pairs AS
     SELECT a.idx AS i, b.idx AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM nd_vec a JOIN nd_vec b ON a.idx < b.idx
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  return { candidates: (n * (n - 1)) / 2 };
}

export interface LshCounts {
  /** Pairs sharing a band, once per band shared (see bandCollisions). */
  candidates: number;
  /** Distinct pairs whose Hamming distance passed; these get an exact cosine. */
  verified: number;
  signatureMs: number;
}

/**
 * Candidate pairs from a self-join of the band keys on (band, bucket), thinned by Hamming distance,
 * then decided by the exact cosine. Join and Hamming test run as one pipeline and only the
 * survivors are made distinct: materialising every distinct candidate first (tens of millions at
 * 100,000 texts) took twice as long.
 */
export async function lshPairs(store: Store, threshold: number, dim: number, params: LshParams): Promise<LshCounts> {
  const n = await store.scalar<number>(`SELECT count(*) FROM nd_vec`);
  const started = Date.now();
  const data = await readStagedVectors(store, n, dim);
  const sig = simhash(data, n, dim, params);
  const candidates = bandCollisions(sig, params);
  const signatureMs = Date.now() - started;

  await store.run(`CREATE OR REPLACE TEMP TABLE nd_bands (idx INTEGER, key INTEGER)`);
  // In slices: at 100,000 texts × 135 bands, one array of row arrays would hold a gigabyte of JS objects.
  const slice = Math.max(1, Math.floor(1_000_000 / params.bands));
  for (let v0 = 0; v0 < n; v0 += slice) {
    const v1 = Math.min(n, v0 + slice);
    const rows: unknown[][] = new Array((v1 - v0) * params.bands);
    for (let v = v0, r = 0; v < v1; v++) for (let b = 0; b < params.bands; b++, r++) rows[r] = [v, sig.keys[v * params.bands + b]];
    await store.append('nd_bands', [INTEGER, INTEGER], rows);
  }

  const words = Array.from({ length: HAMMING_WORDS }, (_, w) => `w${w}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE nd_sig (idx INTEGER, ${words.map((w) => `${w} BIGINT`).join(', ')})`);
  const sigRows: unknown[][] = new Array(n);
  for (let v = 0; v < n; v++) sigRows[v] = [v, ...sig.hamming.subarray(v * HAMMING_WORDS, (v + 1) * HAMMING_WORDS)];
  await store.append('nd_sig', [INTEGER, ...words.map((): DuckDBType => BIGINT)], sigRows);

  const distance = words.map((w) => `bit_count(xor(sa.${w}, sb.${w}))::INTEGER`).join(' + ');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_close AS
     SELECT DISTINCT a.idx AS i, b.idx AS j
     FROM nd_bands a JOIN nd_bands b ON a.key = b.key AND a.idx < b.idx
     JOIN nd_sig sa ON sa.idx = a.idx JOIN nd_sig sb ON sb.idx = b.idx
     WHERE ${distance} <= $1`,
    [params.hammingMax],
  );
  const verified = await store.scalar<number>(`SELECT count(*) FROM nd_close`);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_pairs AS
     SELECT c.i, c.j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM nd_close c JOIN nd_vec a ON a.idx = c.i JOIN nd_vec b ON b.idx = c.j
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  for (const t of ['nd_bands', 'nd_sig', 'nd_close']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  return { candidates, verified, signatureMs };
}

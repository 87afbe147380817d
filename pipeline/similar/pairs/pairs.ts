import { BIGINT, INTEGER, type DuckDBType } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { bandCollisions, HAMMING_WORDS, simhash, type LshParams } from './lsh.js';
import { readStagedVectors, type VectorTable } from './vectors.js';

/**
 * Text pairs at or above the threshold, as a temporary table (i, j, similarity) over the staged
 * vectors' idx with i < j, returned as a handle. Both methods decide with the same SQL expression, array_cosine_similarity on the
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
export async function exhaustivePairs(scratch: Scratch, vectors: VectorTable, threshold: number): Promise<{ pairs: TableRef; candidates: number }> {
  const n = vectors.count;
  const v = vectors.table.name;
  const pairs = await scratch.query(
    'pairs',
    `SELECT a.idx AS i, b.idx AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${v} a JOIN ${v} b ON a.idx < b.idx
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  return { pairs, candidates: (n * (n - 1)) / 2 };
}

/**
 * The pairs of `fresh` (a subset of `vectors`, same idx) with every text: new × all, exact. What an
 * incremental run computes instead of all pairs; never touches pairs of two texts not in `fresh`.
 */
export async function pairsWith(scratch: Scratch, vectors: VectorTable, fresh: VectorTable, threshold: number): Promise<TableRef> {
  return scratch.query(
    'pairs',
    `SELECT DISTINCT least(a.idx, b.idx) AS i, greatest(a.idx, b.idx) AS j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${fresh.table.name} a CROSS JOIN ${vectors.table.name} b
     WHERE a.idx <> b.idx AND ${KEEP('a', 'b')}`,
    [threshold],
  );
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
export async function lshPairs(
  store: Store,
  scratch: Scratch,
  vectors: VectorTable,
  threshold: number,
  params: LshParams,
): Promise<LshCounts & { pairs: TableRef }> {
  const n = vectors.count;
  const dim = vectors.dim;
  const started = Date.now();
  const data = await readStagedVectors(store, vectors);
  const sig = simhash(data, n, dim, params);
  const candidates = bandCollisions(sig, params);
  const signatureMs = Date.now() - started;

  const bands = await scratch.table<{ idx: number; key: number }>('bands', { idx: INTEGER, key: INTEGER });
  // In slices: at 100,000 texts × 135 bands, one array of row arrays would hold a gigabyte of JS objects.
  const slice = Math.max(1, Math.floor(1_000_000 / params.bands));
  for (let v0 = 0; v0 < n; v0 += slice) {
    const v1 = Math.min(n, v0 + slice);
    const rows: unknown[][] = new Array((v1 - v0) * params.bands);
    for (let v = v0, r = 0; v < v1; v++) for (let b = 0; b < params.bands; b++, r++) rows[r] = [v, sig.keys[v * params.bands + b]];
    await bands.appendValues(rows);
  }

  const words = Array.from({ length: HAMMING_WORDS }, (_, w) => `w${w}`);
  const signatures = await scratch.table<Record<string, number | bigint>>('signatures', {
    idx: INTEGER,
    ...Object.fromEntries(words.map((w): [string, DuckDBType] => [w, BIGINT])),
  });
  const sigRows: unknown[][] = new Array(n);
  for (let v = 0; v < n; v++) sigRows[v] = [v, ...sig.hamming.subarray(v * HAMMING_WORDS, (v + 1) * HAMMING_WORDS)];
  await signatures.appendValues(sigRows);

  const distance = words.map((w) => `bit_count(xor(sa.${w}, sb.${w}))::INTEGER`).join(' + ');
  const close = await scratch.query(
    'close',
    `SELECT DISTINCT a.idx AS i, b.idx AS j
     FROM ${bands.name} a JOIN ${bands.name} b ON a.key = b.key AND a.idx < b.idx
     JOIN ${signatures.name} sa ON sa.idx = a.idx JOIN ${signatures.name} sb ON sb.idx = b.idx
     WHERE ${distance} <= $1`,
    [params.hammingMax],
  );
  const verified = await close.count();
  const pairs = await scratch.query(
    'pairs',
    `SELECT c.i, c.j, array_cosine_similarity(a.v, b.v)::DOUBLE AS similarity
     FROM ${close.name} c JOIN ${vectors.table.name} a ON a.idx = c.i JOIN ${vectors.table.name} b ON b.idx = c.j
     WHERE ${KEEP('a', 'b')}`,
    [threshold],
  );
  for (const t of [bands, signatures, close]) await scratch.drop(t);
  return { pairs, candidates, verified, signatureMs };
}

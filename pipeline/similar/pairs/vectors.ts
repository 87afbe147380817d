import { INTEGER, VARCHAR } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { keptVectorSet, readVectorsInto, type VectorSpace } from '../../store/vectors.js';
import { sumOfSquares } from './cosine.js';

/**
 * The vectors the near-duplicate search works on, one per distinct text of a current recommendation
 * (identical texts share a vector, so pairs are found between texts and expanded to recommendations
 * afterwards), idx numbering texts in text_hash order so every run sees the same order. Zero
 * vectors (a text with no feature the embedder knows) have no direction and are left out.
 *
 * The numbers live in JS only (`data`, read once from DuckDB's chunks): every cosine is computed in
 * JS (pairs/cosine.ts). SQL gets `table` (idx, text_hash), what it needs to turn text pairs into
 * recommendation pairs and to find proposal texts. Until issue 16 the vectors were staged into a
 * FLOAT[dim] scratch table and read back for the signatures: 4.4 s of a contended 10k run for what
 * one read does.
 */
export interface VectorTable {
  /** Temporary table (idx INTEGER, text_hash VARCHAR), passed as this handle to whatever reads it. */
  table: TableRef;
  dim: number;
  count: number;
  /** count × dim, row idx at idx · dim. */
  data: Float32Array;
  /** Σ x² of each row in float32 (pairs/cosine.ts). */
  sq: Float32Array;
  /** text_hash of each idx. */
  hashes: string[];
}

/**
 * Vectors (rows of `dim` numbers with their keys) as a VectorTable: zero rows dropped, the rest
 * numbered 0..n-1 in key order (JS string order, which is DuckDB's for the hex text hashes).
 */
export async function vectorTable(
  scratch: Scratch,
  keys: readonly string[],
  rows: Float32Array,
  dim: number,
  /** Only these keys (the others are left out), when given. */
  wanted?: ReadonlySet<string>,
): Promise<VectorTable> {
  const order = Array.from(keys.keys())
    .filter((r) => !wanted || wanted.has(keys[r]))
    .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const keep: number[] = [];
  const sqKept: number[] = [];
  for (const r of order) {
    const s = sumOfSquares(rows, r * dim, dim);
    if (s > 0) {
      keep.push(r);
      sqKept.push(s);
    }
  }
  const count = keep.length;
  // On shared memory: the LSH workers read the vectors in place (pairs/parallel.ts).
  const data = new Float32Array(new SharedArrayBuffer(count * dim * 4));
  copyRows(rows, keep, dim, data);
  const hashes = keep.map((r) => keys[r]);
  const table = await scratch.table<{ idx: number; text_hash: string }>('vectors', { idx: INTEGER, text_hash: VARCHAR });
  await table.appendValues(hashes.map((h, k) => [k, h]));
  const sq = new Float32Array(new SharedArrayBuffer(count * 4));
  sq.set(sqKept);
  return { table, dim, count, data, sq, hashes };
}

/**
 * Rows `keep[k]` of `rows` (dim numbers each) into row k of `out`, byte for byte, a run of
 * consecutive rows at a time. Through Uint8Array views: Float32Array.set of a 256-float subarray
 * costs ≈ 5 µs (100 ms of CPU for 20,000 rows), the same bytes through Uint8Array views 20 times
 * less, and a byte copy cannot change a float.
 */
export function copyRows(rows: Float32Array, keep: readonly number[], dim: number, out: Float32Array): void {
  const src = new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const width = dim * 4;
  for (let k = 0; k < keep.length; ) {
    let e = k + 1;
    while (e < keep.length && keep[e] === keep[e - 1] + 1) e++;
    dst.set(src.subarray(keep[k] * width, (keep[e - 1] + 1) * width), k * width);
    k = e;
  }
}

/**
 * The current embedder's vectors of the current texts. From the vectors the stages of one process
 * share when the process holds them (store/vectors.ts: in `confrec run` the embed stage hands them
 * over, so nothing is read), sorted in JS rather than by ORDER BY: DuckDB would sort the 1 KB vectors
 * with their keys. Otherwise read straight into idx order on shared memory (readVectors): no copy of
 * every vector in read order beside it (713 MB at 100,000 resolutions), and none kept for the process.
 */
export async function loadVectors(store: Store, scratch: Scratch, space: VectorSpace): Promise<VectorTable> {
  const held = await keptVectorSet(store, space);
  if (!held) return readVectors(store, scratch, space);
  const current = await store.columns<{ text_hash: string[] }>(
    `SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)`,
  );
  return vectorTable(scratch, held.keys, held.data, held.dim, new Set(current.text_hash));
}

/**
 * The VectorTable of loadVectors read from the table: every current text numbered in text_hash
 * order in SQL, each vector copied from DuckDB's chunks to its row of the shared buffer, then rows
 * with Σx² = 0 — zero vectors, and texts without a vector of the right length, left at zero —
 * dropped by moving the rows after them down (rare: the same numbering as vectorTable).
 */
async function readVectors(store: Store, scratch: Scratch, space: VectorSpace): Promise<VectorTable> {
  const dim = Math.trunc(space.dim);
  const keys = await scratch.query<{ idx: number; text_hash: string }>(
    'vectors',
    `SELECT (row_number() OVER (ORDER BY text_hash) - 1)::INTEGER AS idx, text_hash
     FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) ORDER BY idx`,
  );
  const { text_hash: all = [] } = await store.columns<{ text_hash: string[] }>(`SELECT text_hash FROM ${keys.name} ORDER BY idx`);
  const n = all.length;
  const buffer = new SharedArrayBuffer(n * dim * 4);
  const rows = new Float32Array(buffer);
  await readVectorsInto(
    store,
    `SELECT k.idx, e.vector FROM embeddings e JOIN ${keys.name} k USING (text_hash) WHERE e.embedder = $1 AND len(e.vector) = ${dim}`,
    [space.id],
    dim,
    rows,
  );
  const sqAll = new Float32Array(n);
  let count = 0;
  for (let r = 0; r < n; r++) {
    const s = sumOfSquares(rows, r * dim, dim);
    if (s > 0) {
      if (count !== r) rows.copyWithin(count * dim, r * dim, (r + 1) * dim);
      sqAll[count++] = s;
    } else {
      all[r] = '';
    }
  }
  const sq = new Float32Array(new SharedArrayBuffer(count * 4));
  sq.set(sqAll.subarray(0, count));
  const data = new Float32Array(buffer, 0, count * dim);
  if (count === n) return { table: keys, dim, count, data, sq, hashes: all };
  // Rows were dropped: the others numbered again, as vectorTable does.
  const hashes = all.filter((h) => h !== '');
  await scratch.drop(keys);
  const table = await scratch.table<{ idx: number; text_hash: string }>('vectors', { idx: INTEGER, text_hash: VARCHAR });
  await table.appendValues(hashes.map((h, k) => [k, h]));
  return { table, dim, count, data, sq, hashes };
}

/** No vectors (no embeddings yet): only identical texts can be near-duplicates. */
export async function emptyVectors(scratch: Scratch): Promise<VectorTable> {
  return vectorTable(scratch, [], new Float32Array(0), 1);
}

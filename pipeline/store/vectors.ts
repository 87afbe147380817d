/**
 * Reading many stored vectors fast. Store.all and getColumnsJS turn every float into a JS number
 * inside a JS array: 72,855 × 256 floats took 11 s that way on the 10,000-resolution corpus. Here the
 * chunks' flat float storage is copied straight into one Float32Array (under a second).
 */
import { DuckDBArrayVector, DuckDBDoubleVector, DuckDBFloatVector, DuckDBIntegerVector, DuckDBListVector, type DuckDBVector } from '@duckdb/node-api';
import type { Params, Store } from './db.js';

/**
 * DuckDB's index_scan_max_count (1.5): up to this many constants, `text_hash IN (…)` on embeddings is
 * looked up in its text_hash index (where there is one: hashIndex) rather than scanned.
 */
export const HASH_LOOKUP_MAX = 2048;

const HASH_INDEX = 'embeddings_text_hash';

/**
 * Makes or drops the text_hash index on embeddings. It pays only where the similar stage keeps the
 * vectors' codes (≥ config.nearDuplicates.codesFromTexts texts, pairs/codes.ts): there the scattered
 * candidates' vectors are looked up through it (at 100k, 140 texts 0.4 s against ≈ 3 s scanned).
 * Its cost: ≈ 1 s to build at 100k, and every append to an indexed table makes DuckDB's checkpoint
 * rewrite the table's last row group (migrate.ts, step 3) — for embeddings its vectors: 1.3–1.4 s at
 * 100k and 0.45 s at 19,406 texts against 0.03–0.07 s without the index.
 */
export async function hashIndex(store: Store, wanted: boolean): Promise<void> {
  await store.run(wanted ? `CREATE INDEX IF NOT EXISTS ${HASH_INDEX} ON embeddings (text_hash)` : `DROP INDEX IF EXISTS ${HASH_INDEX}`);
}

/**
 * A query for the `embeddings` rows of `hashes` (at most HASH_LOOKUP_MAX, any space), through the
 * text_hash index where there is one (hashIndex): the vectors of texts scattered through the table,
 * where embeddingsOf's rowid filter and a join on the hashes scan the whole vector column (at 100,000
 * resolutions, 140 texts: 0.4 s against 3 s, cold). The index is used only when this IN list is the
 * scan's one filter, so callers filter the space outside it: `WITH e AS MATERIALIZED (…) SELECT … FROM
 * e WHERE embedder = …`. Without the index it is a scan filtered on text_hash.
 */
export function embeddingsByHash(hashes: readonly string[]): string {
  if (hashes.length === 0 || hashes.length > HASH_LOOKUP_MAX) throw new Error(`embeddingsByHash: ${hashes.length} hashes (1 to ${HASH_LOOKUP_MAX})`);
  return `SELECT * FROM embeddings WHERE text_hash IN (${hashes.map((h) => `'${h.replace(/'/g, "''")}'`).join(', ')})`;
}

export interface VectorRows {
  /** The first column of each row (a key, e.g. text_hash). */
  keys: string[];
  /** n × dim, row-major. */
  data: Float32Array;
}

/**
 * Copies a numeric vector's values [offset, offset + length) into out at `at`: in one copy from the
 * vector's own typed array (FLOAT, INTEGER and DOUBLE vectors keep one; private in the typings) where
 * it is of out's type, else value by value (NULL as 0).
 */
export function copyNumbers(child: DuckDBVector, offset: number, length: number, out: Float32Array | Int32Array | Float64Array, at: number): void {
  const items = child instanceof DuckDBFloatVector || child instanceof DuckDBIntegerVector || child instanceof DuckDBDoubleVector
    ? (child as unknown as { items?: Float32Array | Int32Array | Float64Array }).items
    : undefined;
  if (items && items.constructor === out.constructor) {
    out.set(items.subarray(offset, offset + length) as never, at);
    return;
  }
  for (let k = 0; k < length; k++) out[at + k] = Number(child.getItem(offset + k) ?? 0);
}

/**
 * Runs `sql`, which must return (key VARCHAR, vector FLOAT[] or FLOAT[dim]) rows of exactly `dim`
 * values, and hands each chunk of rows to `onChunk` as its keys and its vectors packed row after row.
 * With `stream`, DuckDB produces the chunks as they are fetched instead of holding the whole result
 * (no other statement may run on the connection until it returns); `onChunk` may keep what it is given.
 */
export async function forEachVectorChunk(
  store: Store,
  sql: string,
  params: Params | undefined,
  dim: number,
  onChunk: (keys: string[], data: Float32Array) => void,
  opts: { stream?: boolean } = {},
): Promise<void> {
  const result = opts.stream ? await store.conn.stream(sql, params as never) : await store.conn.run(sql, params as never);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const keyCol = chunk.getColumnVector(0);
    const vecCol = chunk.getColumnVector(1);
    const keys: string[] = new Array(n);
    const part = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) keys[i] = String(keyCol.getItem(i));
    if (vecCol instanceof DuckDBListVector) {
      const child = vecCol.childVector;
      // Lists of exactly dim floats laid end to end (how DuckDB hands out a scan): one copy per chunk.
      let contiguous = true;
      const first = n > 0 ? vecCol.getEntryOffset(0) : 0;
      for (let i = 0; i < n && contiguous; i++) contiguous = vecCol.getEntryLength(i) === dim && vecCol.getEntryOffset(i) === first + i * dim;
      if (contiguous) copyNumbers(child, first, n * dim, part, 0);
      else for (let i = 0; i < n; i++) copyNumbers(child, vecCol.getEntryOffset(i), Math.min(dim, vecCol.getEntryLength(i)), part, i * dim);
    } else if (vecCol instanceof DuckDBArrayVector) {
      for (let i = 0; i < n; i++) {
        const v = vecCol.getItem(i);
        if (v) part.set(v.items.map(Number), i * dim);
      }
    } else {
      throw new Error(`expected a vector column, got ${vecCol.type.toString()}`);
    }
    onChunk(keys, part);
  }
}

/**
 * Runs `sql`, which must return (key VARCHAR, vector FLOAT[] or FLOAT[dim]) rows of exactly `dim`
 * values, and returns the keys and the vectors packed row after row.
 */
export async function readVectorRows(store: Store, sql: string, params: Params | undefined, dim: number): Promise<VectorRows> {
  const keys: string[] = [];
  const parts: Float32Array[] = [];
  await forEachVectorChunk(store, sql, params, dim, (k, part) => {
    for (const key of k) keys.push(key);
    parts.push(part);
  });
  const data = new Float32Array(keys.length * dim);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { keys, data };
}

/**
 * Runs `sql`, which must return (idx INTEGER, vector FLOAT[]) rows, and copies each row's first `dim`
 * floats to row idx of `out` (idx · dim): rows land where the caller numbered them, in one pass over
 * DuckDB's chunks, with no copy of the whole set in between. Rows out of range are an error; rows
 * of another length are the caller's to filter out (in SQL).
 */
export async function readVectorsInto(store: Store, sql: string, params: Params | undefined, dim: number, out: Float32Array): Promise<number> {
  const result = await store.conn.run(sql, params as never);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const width = dim * 4;
  const rows = out.length / dim;
  let read = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const idxCol = chunk.getColumnVector(0);
    const vecCol = chunk.getColumnVector(1);
    if (!(vecCol instanceof DuckDBListVector)) throw new Error(`expected a list column, got ${vecCol.type.toString()}`);
    const child = vecCol.childVector;
    const items = (child as unknown as { items?: Float32Array }).items;
    // The child's floats as bytes: a byte copy of each row (Float32Array.set of a 256-float subarray
    // costs ≈ 5 µs, the same bytes through Uint8Array views 20 times less; see copyRows).
    const src = child instanceof DuckDBFloatVector && items instanceof Float32Array ? new Uint8Array(items.buffer, items.byteOffset, items.byteLength) : null;
    for (let r = 0; r < n; r++) {
      const idx = Number(idxCol.getItem(r));
      if (!(idx >= 0 && idx < rows)) throw new Error(`readVectorsInto: row ${idx} outside 0..${rows - 1}`);
      const offset = vecCol.getEntryOffset(r);
      const length = Math.min(dim, vecCol.getEntryLength(r));
      if (src) dst.set(src.subarray(offset * 4, (offset + length) * 4), idx * width);
      else for (let k = 0; k < length; k++) out[idx * dim + k] = Number(child.getItem(offset + k) ?? 0);
    }
    read += n;
  }
  return read;
}

/** The stored vectors of one embedding space, every row of `current_embeddings` of the right length. */
export interface VectorSet {
  keys: string[];
  /** keys.length × dim, row-major. Shared between readers: never write into it. */
  data: Float32Array;
  dim: number;
  rowOf: Map<string, number>;
}

/** Which vectors a set holds: the embedder, the embed run that wrote them last, and how many there are. */
export interface VectorSpace {
  id: string;
  dim: number;
  runId: number;
}

const vectorSets = new WeakMap<Store, { token: string; set: VectorSet }>();

/** What identifies a space's rows now, and how many there are. */
async function spaceToken(store: Store, space: VectorSpace): Promise<{ token: string; count: number }> {
  const count = Number(await store.scalar<number | bigint>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [space.id]));
  return { token: `${space.id}|${space.runId}|${Math.trunc(space.dim)}|${count}`, count };
}

function toSet(keys: string[], data: Float32Array, dim: number): VectorSet {
  return { keys, data, dim, rowOf: new Map(keys.map((k, i) => [k, i])) };
}

/**
 * Every current vector, read once per open database and embedding space. `confrec run` works in one
 * process: clusters, the near-duplicate search and the map each read all 72,654 vectors of the
 * 10,000-resolution corpus (about 2 s apiece, most of it DuckDB decompressing the floats), now the
 * first reader does — or nobody, when the embed stage of the same run hands over what it wrote
 * (`keepVectorSet`). The set is tied to its Store and checked against the embedder, the embed run
 * that wrote last and the row count before each use, so a set never outlives the rows it copies.
 */
export async function currentVectorSet(store: Store, space: VectorSpace): Promise<VectorSet> {
  const { token } = await spaceToken(store, space);
  const kept = vectorSets.get(store);
  if (kept && kept.token === token) return kept.set;
  const dim = Math.trunc(space.dim);
  const rows = await readVectorRows(
    store,
    `SELECT text_hash, vector FROM embeddings WHERE embedder = $1 AND len(vector) = ${dim}`,
    [space.id],
    dim,
  );
  const set = toSet(rows.keys, rows.data, dim);
  vectorSets.set(store, { token, set });
  return set;
}

/**
 * The set the process holds for this space (kept from the embed stage, or read by an earlier stage)
 * when it is still current, or null — never a read: a stage that needs the vectors in an order of its
 * own (pairs/vectors.ts) or chunk by chunk (themes) reads them itself when nobody holds them, instead
 * of keeping a second copy for the process.
 */
export async function keptVectorSet(store: Store, space: VectorSpace): Promise<VectorSet | null> {
  const kept = vectorSets.get(store);
  if (!kept) return null;
  const { token } = await spaceToken(store, space);
  return kept.token === token ? kept.set : null;
}

export async function keepVectorSet(store: Store, space: VectorSpace, keys: string[], data: Float32Array): Promise<void> {
  const dim = Math.trunc(space.dim);
  if (data.length !== keys.length * dim) throw new Error(`keepVectorSet: ${data.length} floats for ${keys.length} rows of ${dim}`);
  const { token, count } = await spaceToken(store, space);
  // Only when these are all its rows: otherwise the next reader reads them from the table.
  if (count !== keys.length) return;
  vectorSets.set(store, { token, set: toSet(keys, data, dim) });
}

/**
 * The vectors of the given texts: from the process's set when it is there (or when most texts are
 * wanted, read whole and kept), else only these rows — an incremental run scoring 11 new texts must
 * not read 72,654 vectors. Keys missing from the space are left out.
 */
export async function vectorsOf(store: Store, space: VectorSpace, hashes: readonly string[]): Promise<VectorSet> {
  const { token, count } = await spaceToken(store, space);
  const kept = vectorSets.get(store);
  if (kept && kept.token === token) return kept.set;
  if (hashes.length * 4 >= count) return currentVectorSet(store, space);
  const dim = Math.trunc(space.dim);
  const wanted = [...new Set(hashes)];
  if (wanted.length === 0) return toSet([], new Float32Array(0), dim);
  // The dim column is the vector's length (embed and import write it so): len(vector) read every
  // vector. A few texts are looked up in the text_hash index: the map's new texts after one new
  // resolution, 1.5–4 s at 100,000 resolutions when the scan was the vector column's first read.
  const query: [string, Params] =
    wanted.length <= HASH_LOOKUP_MAX
      ? [`WITH e AS MATERIALIZED (${embeddingsByHash(wanted)}) SELECT text_hash, vector FROM e WHERE embedder = $1 AND dim = ${dim}`, [space.id]]
      : // Keys travel as one string (text hashes are hex; a key with a comma would simply not be found).
        [`SELECT text_hash, vector FROM embeddings WHERE embedder = $1 AND dim = ${dim} AND text_hash IN (SELECT unnest(string_split($2, ',')))`, [space.id, wanted.join(',')]];
  const rows = await readVectorRows(store, query[0], query[1], dim);
  return toSet(rows.keys, rows.data, dim);
}


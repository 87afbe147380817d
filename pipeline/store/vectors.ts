/**
 * Reading many stored vectors fast. Store.all and getColumnsJS turn every float into a JS number
 * inside a JS array: 72,855 × 256 floats took 11 s that way on the 10,000-resolution corpus. Here the
 * chunks' flat float storage is copied straight into one Float32Array (under a second).
 */
import { DuckDBFloatVector, DuckDBListVector, DuckDBArrayVector, type DuckDBVector } from '@duckdb/node-api';
import type { Params, Store } from './db.js';

export interface VectorRows {
  /** The first column of each row (a key, e.g. text_hash). */
  keys: string[];
  /** n × dim, row-major. */
  data: Float32Array;
}

/** Copies a FLOAT vector's values [offset, offset + length) into out at `at`. */
function copyFloats(child: DuckDBVector, offset: number, length: number, out: Float32Array, at: number): void {
  const items = (child as unknown as { items?: Float32Array }).items;
  if (child instanceof DuckDBFloatVector && items instanceof Float32Array) {
    out.set(items.subarray(offset, offset + length), at);
    return;
  }
  for (let k = 0; k < length; k++) out[at + k] = Number(child.getItem(offset + k) ?? 0);
}

/**
 * Runs `sql`, which must return (key VARCHAR, vector FLOAT[] or FLOAT[dim]) rows of exactly `dim`
 * values, and returns the keys and the vectors packed row after row.
 */
export async function readVectorRows(store: Store, sql: string, params: Params | undefined, dim: number): Promise<VectorRows> {
  const result = await store.conn.run(sql, params as never);
  const keys: string[] = [];
  const parts: Float32Array[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const keyCol = chunk.getColumnVector(0);
    const vecCol = chunk.getColumnVector(1);
    const part = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) keys.push(String(keyCol.getItem(i)));
    if (vecCol instanceof DuckDBListVector) {
      const child = vecCol.childVector;
      for (let i = 0; i < n; i++) copyFloats(child, vecCol.getEntryOffset(i), Math.min(dim, vecCol.getEntryLength(i)), part, i * dim);
    } else if (vecCol instanceof DuckDBArrayVector) {
      for (let i = 0; i < n; i++) {
        const v = vecCol.getItem(i);
        if (v) part.set(v.items.map(Number), i * dim);
      }
    } else {
      throw new Error(`expected a vector column, got ${vecCol.type.toString()}`);
    }
    parts.push(part);
  }
  const data = new Float32Array(keys.length * dim);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { keys, data };
}

import type { Store } from '../../store/db.js';
import type { Scratch, TableRef } from '../../store/scratch.js';
import { readVectorRows } from '../../store/vectors.js';

/**
 * The vectors the near-duplicate search works on, one per distinct text of a current recommendation
 * (identical texts share a vector, so pairs are found between texts and expanded to recommendations
 * afterwards): a temporary table (idx, text_hash, v FLOAT[dim], norm), idx numbering texts in
 * text_hash order so every run sees the same order. Zero vectors (a text with no feature the
 * embedder knows) have no direction and are left out. Passed as this handle to whatever reads it.
 */
export interface VectorTable {
  table: TableRef;
  dim: number;
  count: number;
}

/** The current embedder's vectors (the current_embeddings view) of the current texts. */
export async function stageVectors(store: Store, scratch: Scratch, dim: number): Promise<VectorTable> {
  const d = Math.trunc(dim);
  const table = await scratch.query(
    'vectors',
    `WITH texts AS (
       SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)
     ), vecs AS (
       SELECT e.text_hash, e.vector::FLOAT[${d}] AS v FROM current_embeddings e JOIN texts USING (text_hash)
       WHERE len(e.vector) = ${d}
     )
     SELECT (row_number() OVER (ORDER BY text_hash) - 1)::INTEGER AS idx, text_hash, v, sqrt(array_inner_product(v, v))::DOUBLE AS norm
     FROM vecs WHERE array_inner_product(v, v) > 0`,
  );
  return { table, dim: d, count: await table.count() };
}

/** No vectors (no embeddings yet): only identical texts can be near-duplicates. */
export async function emptyVectors(scratch: Scratch): Promise<VectorTable> {
  const table = await scratch.query('vectors', `SELECT NULL::INTEGER AS idx, NULL::VARCHAR AS text_hash, NULL::FLOAT[1] AS v, NULL::DOUBLE AS norm WHERE false`);
  return { table, dim: 1, count: 0 };
}

/** The rows of `vectors` whose text is in `texts` (a table with a text_hash column), same idx. */
export async function vectorSubset(scratch: Scratch, vectors: VectorTable, texts: TableRef): Promise<VectorTable> {
  const table = await scratch.query('vectors_new', `SELECT * FROM ${vectors.table.name} WHERE text_hash IN (SELECT text_hash FROM ${texts.name})`);
  return { table, dim: vectors.dim, count: await table.count() };
}

/** The vectors, row after row in idx order, for the signatures computed in JS (store/vectors.ts: no JS number per float). */
export async function readStagedVectors(store: Store, vectors: VectorTable): Promise<Float32Array> {
  const rows = await readVectorRows(store, `SELECT idx, v::FLOAT[] AS v FROM ${vectors.table.name} ORDER BY idx`, undefined, vectors.dim);
  if (rows.keys.length !== vectors.count || rows.keys.some((k, i) => k !== String(i))) throw new Error('staged vectors are not numbered 0..n-1');
  return rows.data;
}

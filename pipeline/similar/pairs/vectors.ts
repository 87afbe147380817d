import type { Store } from '../../store/db.js';

/**
 * The vectors the near-duplicate search works on, one per distinct text of a current
 * recommendation (identical texts share a vector, so pairs are found between texts and expanded to
 * recommendations afterwards). They live in TEMP TABLE nd_vec(idx, text_hash, v FLOAT[dim], norm),
 * idx numbering texts in text_hash order so every run sees the same order. Zero vectors (a text with
 * no feature the embedder knows) have no direction and are left out.
 */
export async function stageVectors(store: Store, embedder: string, dim: number): Promise<number> {
  const d = Math.trunc(dim);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE nd_vec AS
     WITH texts AS (
       SELECT DISTINCT r.text_hash FROM recommendations r JOIN documents doc USING (doc_id) WHERE doc.is_current
     ), vecs AS (
       SELECT e.text_hash, e.vector::FLOAT[${d}] AS v FROM embeddings e JOIN texts USING (text_hash)
       WHERE e.embedder = $1 AND len(e.vector) = ${d}
     )
     SELECT (row_number() OVER (ORDER BY text_hash) - 1)::INTEGER AS idx, text_hash, v, sqrt(array_inner_product(v, v))::DOUBLE AS norm
     FROM vecs WHERE array_inner_product(v, v) > 0`,
    [embedder],
  );
  return store.scalar<number>(`SELECT count(*) FROM nd_vec`);
}

/** nd_vec's vectors, row after row in idx order, for the signatures computed in JS. */
export async function readStagedVectors(store: Store, n: number, dim: number): Promise<Float32Array> {
  const data = new Float32Array(n * dim);
  // Straight from the column reader: Store.all's per-value conversion costs seconds at 100k × 256.
  const reader = await store.conn.runAndReadAll(`SELECT v FROM nd_vec ORDER BY idx`);
  const column = reader.getColumnsJS()[0] as number[][];
  column.forEach((v, i) => data.set(v, i * dim));
  return data;
}

/**
 * A compact copy of the vectors for the incremental run's new × all scan (pairs/in-database.ts).
 *
 * After one new resolution at 100,000 resolutions the new texts meet all 696,000 vectors. The vectors
 * are about 1 GB in the file, and reading them the first time in a process took 3–5.6 s on the test
 * VM, most of it page faults on DuckDB's fresh buffers, not cosines. `vector_codes` holds each unit
 * vector as 8-bit integers times a scale (a quarter of the bytes, 0.18 GB) with `err`, the length of
 * the difference. For unit vectors a, b with codes s_a·q_a + e_a and s_b·q_b + e_b (|e| = err),
 *
 *   a·b = s_a s_b (q_a·q_b) + (s_a q_a)·e_b + e_a·b ≤ s_a s_b (q_a·q_b) + (1 + err_a) err_b + err_a,
 *
 * so a pair whose bound is below the floor cannot reach it: the scan keeps the pairs at the bound,
 * and the exact cosine (list_cosine_similarity on the stored vectors of those texts only, looked up
 * in the text_hash index: in-database.ts) decides each as before. Same pairs, same similarities; nothing is approximated. q_a·q_b is a
 * sum of 256 products of integers up to 127 in magnitude, below 2^24, so float32 adds it exactly;
 * CODE_MARGIN covers the rounding of the cosine itself (float32, ~1e-6) many times over.
 *
 * The similar stage keeps the table: a full run fills it for the current space (from
 * `codesFromTexts` texts on; below that a scan of the vectors costs under a second), an incremental
 * run adds the codes of its new texts and uses them only when they cover every vector of the space.
 * A space's rows in `embeddings` are only ever added (or all deleted when it is refitted away), so
 * equal counts mean the same rows.
 */
import { config } from '../../config.js';
import { embeddingsOf } from '../../embed/current.js';
import type { Store } from '../../store/db.js';
import type { TableRef } from '../../store/scratch.js';
import { hashIndex } from '../../store/vectors.js';

/** Added to every bound: the float32 cosine may differ from the exact one by about 1e-6. */
export const CODE_MARGIN = 1e-3;

/**
 * INSERT of the codes of `source` (rows of `embeddings`). A vector whose float32 Σx² is 0 (the
 * zero vectors storedVectors leaves out) gets scale 0 and is never a candidate. err² is expanded as
 * 1 − 2s(â·q) + s²(q·q) in double precision (1e-13 from the element-wise sum at 100k).
 */
const insertCodes = (source: string) => `
  INSERT INTO vector_codes (text_hash, embedder, scale, err, code)
  WITH s AS (
    SELECT text_hash, embedder, vector, list_dot_product(vector, vector) > 0 AS nonzero,
           sqrt(list_dot_product(vector::DOUBLE[], vector::DOUBLE[])) AS norm,
           greatest(list_max(vector), -list_min(vector))::DOUBLE AS m
    FROM ${source}),
  q AS (
    SELECT text_hash, embedder, vector, norm, CASE WHEN nonzero AND m > 0 THEN m / norm / 127 ELSE 0 END AS scale,
           list_transform(vector, x -> (CASE WHEN nonzero AND m > 0 THEN round(x * (127 / m)) ELSE 0 END)::TINYINT) AS code
    FROM s)
  SELECT text_hash, embedder, scale,
         CASE WHEN scale > 0
              THEN sqrt(greatest(0, 1 - 2 * scale * list_dot_product(vector::DOUBLE[], code::DOUBLE[]) / norm + scale * scale * list_dot_product(code::DOUBLE[], code::DOUBLE[])))
              ELSE 0 END,
         code
  FROM q`;

/** The space's vectors (of its dimension) without a code yet. */
const uncoded = (embedder: string, dim: number) =>
  `(SELECT * FROM embeddings WHERE embedder = ${embedder} AND dim = ${Math.trunc(dim)}
    AND text_hash NOT IN (SELECT text_hash FROM vector_codes WHERE embedder = ${embedder}))`;

/**
 * After a full run: the codes of the current space, complete, when it has at least `codesFromTexts`
 * texts; none otherwise (or without a space). Codes of other spaces go either way. Returns the rows kept.
 */
export async function refreshCodes(store: Store, space: { id: string; dim: number } | null, texts: number): Promise<number> {
  if (!space || texts < config.nearDuplicates.codesFromTexts) {
    await store.run('DELETE FROM vector_codes');
    await hashIndex(store, false);
    return 0;
  }
  await store.run('DELETE FROM vector_codes WHERE embedder <> $1', [space.id]);
  await store.run(insertCodes(uncoded('$1', space.dim)), [space.id]);
  // The candidates' exact vectors are looked up through it (store/vectors.ts).
  await hashIndex(store, true);
  return store.scalar<number>('SELECT count(*) FROM vector_codes WHERE embedder = $1', [space.id]);
}

/**
 * Before an incremental scan: adds the codes of `texts` (a table with text_hash) where the space has
 * codes at all, and says whether they now cover every vector of the space (so the scan may use them).
 * The rows go in ahead of the stage's transaction, in one statement: a code is a function of its
 * vector, so codes written by a run that then fails are still right for the next one.
 */
export async function codesCover(store: Store, space: { id: string; dim: number }, texts: TableRef): Promise<boolean> {
  const dim = Math.trunc(space.dim);
  // The text_hash index goes with the codes (a database of an earlier build may have one without them).
  const coded = await store.scalar<boolean>('SELECT EXISTS (SELECT 1 FROM vector_codes WHERE embedder = $1)', [space.id]);
  await hashIndex(store, coded);
  if (!coded) return false;
  await store.run(
    insertCodes(`(SELECT * FROM ${embeddingsOf(`SELECT text_hash FROM ${texts.name}`, '$1')} e
                  WHERE dim = ${dim} AND text_hash NOT IN (SELECT text_hash FROM vector_codes WHERE embedder = $1 AND text_hash IN (SELECT text_hash FROM ${texts.name})))`),
    [space.id],
  );
  const c = await store.one<{ codes: number; vectors: number }>(
    `SELECT (SELECT count(*) FROM vector_codes WHERE embedder = $1) AS codes, (SELECT count(*) FROM embeddings WHERE embedder = $1 AND dim = ${dim}) AS vectors`,
    [space.id],
  );
  return !!c && c.codes === c.vectors;
}

/**
 * The candidates of `fresh` (idx, text_hash; few rows) among every coded text: the pairs whose
 * bound (above) reaches `low`, as SQL yielding (a = the fresh idx, text_hash of the other end, bound).
 */
export const codedCandidates = (fresh: string, embedder: string, low: string) => `
  WITH f AS MATERIALIZED (
    SELECT x.idx, c.code::FLOAT[] AS code, c.scale, c.err
    FROM (SELECT * FROM vector_codes WHERE rowid IN (SELECT rowid FROM vector_codes WHERE embedder = ${embedder} AND text_hash IN (SELECT text_hash FROM ${fresh}))) c
    JOIN ${fresh} x USING (text_hash) WHERE c.scale > 0)
  SELECT a, text_hash, bound FROM (
    SELECT f.idx AS a, c.text_hash,
           list_dot_product(f.code, c.code)::DOUBLE * f.scale * c.scale + (1 + f.err) * c.err + f.err + ${CODE_MARGIN} AS bound
    -- Each stored code converted once, not once per new text (1.7 → 1.4 s for 23 new texts at 100k).
    FROM f, (SELECT text_hash, scale, err, code::FLOAT[] AS code FROM vector_codes WHERE embedder = ${embedder} AND scale > 0) c)
  WHERE bound >= ${low}`;

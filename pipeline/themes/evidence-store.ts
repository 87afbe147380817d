import { releaseCachedBlocks, type Store } from '../store/db.js';
import { withScratch, type Scratch } from '../store/scratch.js';
import type { Logger } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { currentEmbedding, embeddingsOf, openCurrentEmbedder, type CurrentEmbedding } from '../embed/current.js';
import type { ThemeDefinition } from './definitions.js';
import { compileTerms, evidenceOf, themeLemmas, matchedTerms, termEvidence } from './evidence.js';
import { contextsFor, findDefinedTerms } from './defined-terms.js';
import { prepareSeeds, seedSimilarities, type PreparedSeeds } from './similarity.js';
import { forEachVectorChunk, keptVectorSet, readVectorRows } from '../store/vectors.js';

/** Raw evidence for one recommendation and one theme, before the model combines it. */
export interface RawEvidence {
  own: number;
  context: number;
  similarity: number | null;
  matched: string[];
}


/**
 * Theme evidence of the recommendations scored, as columns: recommendation k and theme t at
 * k × themes + t. Typed arrays instead of an object per (recommendation, theme): 750,000
 * recommendations × 4 themes as objects in a map held gigabytes at 100,000 resolutions.
 */
export interface ThemeEvidenceColumns {
  embedding: CurrentEmbedding | null;
  themeIds: string[];
  recIds: string[];
  /** Term evidence in the recommendation's own words. */
  own: Float64Array;
  /** Term evidence of the definitions of the defined terms it uses (summed). */
  context: Float64Array;
  /** Best cosine to the theme's seeds; NaN without a vector or seeds. */
  similarity: Float32Array;
  /** The positive terms found, joined by "; ", or null. */
  matched: (string | null)[];
}

export interface ThemeEvidenceTable {
  embedding: CurrentEmbedding | null;
  /** rec_id → theme_id → evidence */
  byRec: Map<string, Record<string, RawEvidence>>;
}

export interface GatherOptions {
  modelDir?: string;
  log: Logger;
  /** Incremental: score only recommendations segmented after this run, and those without scores. */
  segmentedAfter?: number | null;
  /**
   * With segmentedAfter: the caller knows every other current recommendation has its scores (the
   * inputs are the last run's plus those segmented since), so the search for unscored ones is skipped.
   */
  onlySegmented?: boolean;
}

/**
 * Gathers theme evidence for every current recommendation (as maps: calibration and the held-out
 * evaluation, over the gold documents).
 */
export async function gatherThemeEvidence(store: Store, themes: readonly ThemeDefinition[], opts: GatherOptions): Promise<ThemeEvidenceTable> {
  const c = await gatherThemeEvidenceColumns(store, themes, opts);
  const T = c.themeIds.length;
  const byRec = new Map<string, Record<string, RawEvidence>>();
  c.recIds.forEach((recId, k) => {
    const perTheme: Record<string, RawEvidence> = {};
    c.themeIds.forEach((id, t) => {
      const i = k * T + t;
      const sim = c.similarity[i];
      perTheme[id] = { own: c.own[i], context: c.context[i], similarity: sim === sim ? sim : null, matched: c.matched[i]?.split('; ') ?? [] };
    });
    byRec.set(recId, perTheme);
  });
  return { embedding: c.embedding, byRec };
}

/**
 * Gathers theme evidence for every current recommendation (or, incrementally, the new ones): term
 * matches in its own lemmas, term matches in the definitions of the document's defined terms it uses,
 * and (when vectors exist) the best cosine similarity to the theme's seed phrases.
 */
export async function gatherThemeEvidenceColumns(store: Store, themes: readonly ThemeDefinition[], opts: GatherOptions): Promise<ThemeEvidenceColumns> {
  return withScratch(store, 'themes', (scratch) => gather(store, scratch, themes, opts));
}

async function gather(store: Store, scratch: Scratch, themes: readonly ThemeDefinition[], opts: GatherOptions): Promise<ThemeEvidenceColumns> {
  const morph = await loadMorph();
  const compiled = themes.map((t) => compileTerms(t, morph));
  const themeIds = themes.map((t) => t.id);
  const T = themes.length;
  // The recommendations to score, materialised first: joining them to vectors and seeds afterwards
  // keeps an incremental run from computing similarities for the whole corpus. Incremental runs score
  // only recommendations without scores and those re-segmented since; their ids are found first and
  // their texts read after, by a join to that table (one query with the texts, or a subquery in place
  // of the table, read the texts of all 74,764 of them: 388 ms), with the two conditions as a union: `run_id > $1 OR NOT EXISTS (…)` in one WHERE cost 265 ms, the
  // union (an anti join) ≈ 40 ms. When the caller knows the rest are scored, the anti join (a scan of
  // every score: 0.1 s of CPU at 30,000 resolutions) is left out.
  const after = opts.segmentedAfter ?? null;
  const segmentedSince = `SELECT rec_id FROM recommendations WHERE run_id > $1 AND doc_id IN (SELECT doc_id FROM current_documents)`;
  const ids =
    after === null
      ? null
      : await scratch.query(
          'ids',
          opts.onlySegmented
            ? segmentedSince
            : `${segmentedSince}
           UNION
           SELECT rec_id FROM recommendations ANTI JOIN rec_theme_scores USING (rec_id) WHERE doc_id IN (SELECT doc_id FROM current_documents)`,
          [after],
        );
  // A full run reads the recommendations where they are (a temporary table of every text was 300 MB
  // of DuckDB's memory at 100,000 resolutions); an incremental one materialises the few it scores.
  const toScore =
    ids === null
      ? `(SELECT r.rec_id, r.doc_id, r.text, r.text_hash FROM recommendations r JOIN current_documents USING (doc_id))`
      : (await scratch.query('recs', `SELECT r.rec_id, r.doc_id, r.text, r.text_hash FROM recommendations r JOIN ${ids.name} USING (rec_id)`)).name;
  const n = Number(await store.scalar<number | bigint>(`SELECT count(*) FROM ${toScore}`));
  // Each large table is read once; what DuckDB keeps cached of it afterwards is let go (a full run).
  const release = async () => {
    if (ids === null) await releaseCachedBlocks(store);
  };
  // Only documents that define terms ("(далее – …)") need their text: those containing the word in
  // one of the three cases it can be written in (not ILIKE: case-folding every document took 1.7 s
  // of 10,000). One regular expression (RE2, unanchored: "contains") selects the same documents as
  // three LIKEs joined by OR, in a third of the time (0.1 against 0.2–0.3 s for 2,667 documents).
  // Streamed, each document's text dropped once its definitions are found.
  const definedByDoc = new Map<string, ReturnType<typeof findDefinedTerms>>();
  if (n > 0) {
    await forEachChunk(
      store,
      `SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT DISTINCT doc_id FROM ${toScore})
         AND regexp_matches(text, 'далее|Далее|ДАЛЕЕ')`,
      ([docIds, texts], rows) => {
        for (let j = 0; j < rows; j++) definedByDoc.set(docIds[j] as string, findDefinedTerms(texts[j] as string));
      },
    );
    await release();
  }

  // The seed similarities first, by text hash: the recommendations' texts are then read a chunk at a
  // time and scored as they come.
  const embedding = await currentEmbedding(store);
  const sims = n > 0 && embedding && themes.some((t) => t.seeds.length) ? await similaritiesByHash(store, toScore, embedding, themes, themeIds, n, opts) : null;
  await release();

  const recIds: string[] = new Array(n);
  const own = new Float64Array(n * T);
  const context = new Float64Array(n * T);
  const similarity = new Float32Array(n * T).fill(NaN);
  const matched: (string | null)[] = new Array(n * T).fill(null);
  const contextLemmas = new Map<string, string[][]>();
  let k = 0;
  // Streamed: the texts (≈ 100 million characters at 100,000 resolutions) are never all in memory
  // at once. Nothing else runs on the connection until the last chunk is read.
  await forEachChunk(store, `SELECT rec_id, doc_id, text, text_hash FROM ${toScore} ORDER BY rec_id`, (columns, rows) => {
    const [recCol, docCol, textCol, hashCol] = columns as string[][];
    for (let j = 0; j < rows; j++, k++) {
      recIds[k] = recCol[j];
      const text = textCol[j];
      const lemmas = themeLemmas(text, morph);
      const contexts = contextsFor(text, definedByDoc.get(docCol[j]) ?? []);
      const ctxLemmas = contexts.map((c) => {
        let l = contextLemmas.get(c);
        if (!l) contextLemmas.set(c, (l = themeLemmas(c, morph)));
        return l;
      });
      const at = k * T;
      for (let t = 0; t < T; t++) {
        const c = compiled[t];
        // The matches once: `own` is termEvidence(lemmas, c), computed from them.
        const hits = matchedTerms(lemmas, c);
        own[at + t] = evidenceOf(hits);
        context[at + t] = ctxLemmas.reduce((a, l) => a + termEvidence(l, c), 0);
        const phrases = hits.filter((h) => h.weight > 0).map((h) => h.phrase);
        if (phrases.length) matched[at + t] = phrases.join('; ');
      }
      const row = sims?.rowOf.get(hashCol[j]);
      if (row !== undefined) similarity.set(sims!.values.subarray(row * T, row * T + T), at);
    }
  });
  await release();
  if (k !== n) throw new Error(`themes: read ${k} recommendations of ${n}`);
  return { embedding, themeIds, recIds, own, context, similarity, matched };
}

/**
 * Runs `sql` streamed, handing each chunk's columns (plain values) to `onChunk` as DuckDB produces
 * them: the result is never held whole, by DuckDB or here. No other statement may run on the
 * connection until it returns.
 */
async function forEachChunk(store: Store, sql: string, onChunk: (columns: unknown[][], rows: number) => void): Promise<void> {
  const result = await store.conn.stream(sql);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const columns: unknown[][] = [];
    for (let c = 0; c < chunk.columnCount; c++) columns.push(chunk.getColumnValues(c));
    onChunk(columns, chunk.rowCount);
  }
}

/**
 * Best seed cosine per theme for the texts of `toScore`, by text hash (rows of `values`, themes wide).
 * From the vectors this process holds when it has them (`confrec run` after embed); else, for a few
 * texts, only their rows (found by rowid first: a filter on the hashes alone read every vector,
 * 0.12–0.2 s of CPU at 30,000 resolutions, against 0.02 s); else every vector of the space a chunk at a
 * time, each chunk compared with the seeds and dropped (holding them all, 750,000 × 256 floats and a
 * second copy while they were joined, was 1.5 GB of the stage's peak at 100,000 resolutions).
 */
async function similaritiesByHash(
  store: Store,
  toScore: string,
  embedding: CurrentEmbedding,
  themes: readonly ThemeDefinition[],
  themeIds: readonly string[],
  n: number,
  opts: GatherOptions,
): Promise<{ rowOf: Map<string, number>; values: Float32Array } | null> {
  const embedder = await openCurrentEmbedder(store, embedding, { modelDir: opts.modelDir }, opts.log);
  if (!embedder) return null;
  let seeds: PreparedSeeds;
  const dim = Math.trunc(embedding.dim);
  try {
    const list = themes.flatMap((t) => t.seeds.map((s) => ({ theme: t.id, text: s })));
    const vectors = await embedder.embed(list.map((s) => s.text), 'query');
    const data = new Float32Array(list.length * dim);
    vectors.forEach((v, i) => data.set(v.subarray(0, dim), i * dim));
    seeds = prepareSeeds({ theme: list.map((s) => s.theme), data }, dim, themeIds);
  } finally {
    await embedder.dispose?.();
  }
  const space = { id: embedding.id, dim: embedding.dim, runId: embedding.runId };
  const kept = await keptVectorSet(store, space);
  if (kept) {
    const hashes = (await store.columns<{ text_hash: string[] }>(`SELECT DISTINCT text_hash FROM ${toScore}`)).text_hash;
    const rowOf = new Map<string, number>();
    const rows: number[] = [];
    for (const h of hashes) {
      const row = kept.rowOf.get(h);
      if (row === undefined) continue;
      rowOf.set(h, rows.length);
      rows.push(row);
    }
    return { rowOf, values: seedSimilarities(kept.data, dim, rows, seeds) };
  }
  const stored = Number(await store.scalar<number | bigint>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [embedding.id]));
  if (n * 4 < stored) {
    const rows = await readVectorRows(
      store,
      `SELECT text_hash, vector FROM ${embeddingsOf(`SELECT text_hash FROM ${toScore}`, '$1')} WHERE len(vector) = ${dim}`,
      [embedding.id],
      dim,
    );
    return { rowOf: new Map(rows.keys.map((h, i) => [h, i])), values: seedSimilarities(rows.data, dim, null, seeds) };
  }
  const rowOf = new Map<string, number>();
  const parts: Float32Array[] = [];
  let count = 0;
  await forEachVectorChunk(
    store,
    `SELECT text_hash, vector FROM embeddings WHERE embedder = $1 AND len(vector) = ${dim}`,
    [embedding.id],
    dim,
    (keys, data) => {
      for (const h of keys) rowOf.set(h, count++);
      parts.push(seedSimilarities(data, dim, null, seeds));
    },
    { stream: true },
  );
  const values = new Float32Array(count * themeIds.length);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { rowOf, values };
}

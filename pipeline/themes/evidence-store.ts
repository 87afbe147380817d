import { FLOAT, LIST, VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import type { Logger } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { currentEmbedding, openCurrentEmbedder, type CurrentEmbedding } from '../embed/current.js';
import type { ThemeDefinition } from './definitions.js';
import { compileTerms, themeLemmas, matchedTerms, termEvidence } from './evidence.js';
import { contextsFor, findDefinedTerms } from './defined-terms.js';

/** Raw evidence for one recommendation and one theme, before the model combines it. */
export interface RawEvidence {
  own: number;
  context: number;
  similarity: number | null;
  matched: string[];
}

export interface ThemeEvidenceTable {
  embedding: CurrentEmbedding | null;
  /** rec_id → theme_id → evidence */
  byRec: Map<string, Record<string, RawEvidence>>;
  recText: Map<string, string>;
}

/**
 * Gathers theme evidence for every current recommendation: term matches in its own lemmas, term
 * matches in the definitions of the document's defined terms it uses, and (when vectors exist) the
 * best cosine similarity to the theme's seed phrases, computed in DuckDB.
 */
export async function gatherThemeEvidence(
  store: Store,
  themes: readonly ThemeDefinition[],
  opts: { modelDir?: string; log: Logger; segmentedAfter?: number | null },
): Promise<ThemeEvidenceTable> {
  // Incremental runs score only recommendations without scores and those re-segmented since.
  const after = opts.segmentedAfter ?? null;
  const unscored =
    after === null
      ? ''
      : `AND (r.run_id > $1 OR NOT EXISTS (SELECT 1 FROM rec_theme_scores s WHERE s.rec_id = r.rec_id))`;
  const morph = await loadMorph();
  const compiled = themes.map((t) => compileTerms(t, morph));
  // The recommendations to score, materialised first: joining them to vectors and seeds afterwards
  // keeps an incremental run from computing similarities for the whole corpus.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE theme_recs AS
     SELECT r.rec_id, r.doc_id, r.text, r.text_hash FROM recommendations r JOIN documents d USING (doc_id)
     WHERE d.is_current ${unscored}`,
    after === null ? undefined : [after],
  );
  const recs = await store.all<{ rec_id: string; doc_id: string; text: string }>(`SELECT rec_id, doc_id, text FROM theme_recs ORDER BY rec_id`);
  // Only documents that define terms ("(далее – …)") need their text.
  const docs = await store.all<{ doc_id: string; text: string }>(
    `SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT DISTINCT doc_id FROM theme_recs) AND text ILIKE '%далее%'`,
  );
  const definedByDoc = new Map(docs.map((d) => [d.doc_id, findDefinedTerms(d.text)]));
  const contextLemmas = new Map<string, string[][]>();

  const byRec = new Map<string, Record<string, RawEvidence>>();
  const recText = new Map<string, string>();
  for (const r of recs) {
    recText.set(r.rec_id, r.text);
    const lemmas = themeLemmas(r.text, morph);
    const contexts = contextsFor(r.text, definedByDoc.get(r.doc_id) ?? []);
    const ctxLemmas = contexts.map((c) => {
      let l = contextLemmas.get(c);
      if (!l) contextLemmas.set(c, (l = themeLemmas(c, morph)));
      return l;
    });
    const perTheme: Record<string, RawEvidence> = {};
    for (const c of compiled) {
      perTheme[c.themeId] = {
        own: termEvidence(lemmas, c),
        context: ctxLemmas.reduce((a, l) => a + termEvidence(l, c), 0),
        similarity: null,
        matched: matchedTerms(lemmas, c).filter((t) => t.weight > 0).map((t) => t.phrase),
      };
    }
    byRec.set(r.rec_id, perTheme);
  }

  const embedding = await currentEmbedding(store);
  if (embedding && recs.length && themes.some((t) => t.seeds.length)) {
    const embedder = await openCurrentEmbedder(store, embedding, { modelDir: opts.modelDir }, opts.log);
    if (embedder) {
      try {
        const seeds = themes.flatMap((t) => t.seeds.map((s) => ({ theme: t.id, text: s })));
        const vectors = await embedder.embed(seeds.map((s) => s.text), 'query');
        await store.run(`CREATE OR REPLACE TEMP TABLE theme_seeds (theme_id VARCHAR, vector FLOAT[])`);
        await store.append('theme_seeds', [VARCHAR, LIST(FLOAT)],
          seeds.map((s, i) => [s.theme, Array.from(vectors[i])]));
        // dim comes from the embeddings table (an integer), so it is safe to place in the cast.
        const dim = Math.trunc(embedding.dim);
        const sims = await store.all<{ rec_id: string; theme_id: string; sim: number }>(
          `SELECT r.rec_id, s.theme_id, max(array_cosine_similarity(e.vector::FLOAT[${dim}], s.vector::FLOAT[${dim}])) AS sim
           FROM theme_recs r
           JOIN embeddings e ON e.text_hash = r.text_hash AND e.embedder = $1
           CROSS JOIN theme_seeds s
           GROUP BY r.rec_id, s.theme_id`,
          [embedding.id],
        );
        for (const s of sims) {
          const ev = byRec.get(s.rec_id)?.[s.theme_id];
          if (ev) ev.similarity = s.sim;
        }
        await store.run(`DROP TABLE theme_seeds`);
      } finally {
        await embedder.dispose?.();
      }
    }
  }
  await store.run(`DROP TABLE IF EXISTS theme_recs`);
  return { embedding, byRec, recText };
}

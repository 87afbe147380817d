import type { Store } from '../store/db.js';
import { withScratch, type Scratch } from '../store/scratch.js';
import type { Logger } from '../progress.js';
import { loadMorph } from '../text/morph.js';
import { currentEmbedding, openCurrentEmbedder, type CurrentEmbedding } from '../embed/current.js';
import type { ThemeDefinition } from './definitions.js';
import { compileTerms, evidenceOf, themeLemmas, matchedTerms, termEvidence } from './evidence.js';
import { contextsFor, findDefinedTerms } from './defined-terms.js';
import { bestSeedSimilarity } from './similarity.js';
import { vectorsOf } from '../store/vectors.js';

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
  return withScratch(store, 'themes', (scratch) => gather(store, scratch, themes, opts));
}

async function gather(
  store: Store,
  scratch: Scratch,
  themes: readonly ThemeDefinition[],
  opts: { modelDir?: string; log: Logger; segmentedAfter?: number | null },
): Promise<ThemeEvidenceTable> {
  const morph = await loadMorph();
  const compiled = themes.map((t) => compileTerms(t, morph));
  // The recommendations to score, materialised first: joining them to vectors and seeds afterwards
  // keeps an incremental run from computing similarities for the whole corpus. Incremental runs score
  // only recommendations without scores and those re-segmented since; their ids are found first and
  // their texts read after, by a join to that table (one query with the texts, or a subquery in place
  // of the table, read the texts of all 74,764 of them: 388 ms), with the two conditions as a union: `run_id > $1 OR NOT EXISTS (…)` in one WHERE cost 265 ms, the
  // union (an anti join) ≈ 40 ms.
  const after = opts.segmentedAfter ?? null;
  const ids =
    after === null
      ? null
      : await scratch.query(
          'ids',
          `SELECT rec_id FROM recommendations WHERE run_id > $1 AND doc_id IN (SELECT doc_id FROM current_documents)
           UNION
           SELECT rec_id FROM recommendations ANTI JOIN rec_theme_scores USING (rec_id) WHERE doc_id IN (SELECT doc_id FROM current_documents)`,
          [after],
        );
  const toScore = await scratch.query(
    'recs',
    ids === null
      ? `SELECT r.rec_id, r.doc_id, r.text, r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)`
      : `SELECT r.rec_id, r.doc_id, r.text, r.text_hash FROM recommendations r JOIN ${ids.name} USING (rec_id)`,
  );
  const recs = await store.columns<{ rec_id: string[]; doc_id: string[]; text: string[]; text_hash: string[] }>(
    `SELECT rec_id, doc_id, text, text_hash FROM ${toScore.name} ORDER BY rec_id`,
  );
  // Only documents that define terms ("(далее – …)") need their text: those containing the word in
  // one of the three cases it can be written in (not ILIKE: case-folding every document took 1.7 s
  // of 10,000). One regular expression (RE2, unanchored: "contains") selects the same documents as
  // three LIKEs joined by OR, in a third of the time (0.1 against 0.2–0.3 s for 2,667 documents).
  const docs = await store.all<{ doc_id: string; text: string }>(
    `SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT DISTINCT doc_id FROM ${toScore.name})
       AND regexp_matches(text, 'далее|Далее|ДАЛЕЕ')`,
  );
  const definedByDoc = new Map(docs.map((d) => [d.doc_id, findDefinedTerms(d.text)]));
  const contextLemmas = new Map<string, string[][]>();

  const byRec = new Map<string, Record<string, RawEvidence>>();
  for (let k = 0; k < recs.rec_id.length; k++) {
    const recId = recs.rec_id[k];
    const text = recs.text[k];
    const lemmas = themeLemmas(text, morph);
    const contexts = contextsFor(text, definedByDoc.get(recs.doc_id[k]) ?? []);
    const ctxLemmas = contexts.map((c) => {
      let l = contextLemmas.get(c);
      if (!l) contextLemmas.set(c, (l = themeLemmas(c, morph)));
      return l;
    });
    const perTheme: Record<string, RawEvidence> = {};
    for (const c of compiled) {
      // The matches once: `own` is termEvidence(lemmas, c), computed from them.
      const hits = matchedTerms(lemmas, c);
      perTheme[c.themeId] = {
        own: evidenceOf(hits),
        context: ctxLemmas.reduce((a, l) => a + termEvidence(l, c), 0),
        similarity: null,
        matched: hits.filter((t) => t.weight > 0).map((t) => t.phrase),
      };
    }
    byRec.set(recId, perTheme);
  }

  const embedding = await currentEmbedding(store);
  if (embedding && recs.rec_id.length && themes.some((t) => t.seeds.length)) {
    const embedder = await openCurrentEmbedder(store, embedding, { modelDir: opts.modelDir }, opts.log);
    if (embedder) {
      try {
        const seeds = themes.flatMap((t) => t.seeds.map((s) => ({ theme: t.id, text: s })));
        const vectors = await embedder.embed(seeds.map((s) => s.text), 'query');
        const dim = Math.trunc(embedding.dim);
        const seedData = new Float32Array(seeds.length * dim);
        vectors.forEach((v, i) => seedData.set(v.subarray(0, dim), i * dim));
        // Each distinct text compared once with each seed, then spread to its recommendations.
        const set = await vectorsOf(store, embedding, recs.text_hash);
        const rows: number[] = [];
        for (const h of recs.text_hash) {
          const row = set.rowOf.get(h);
          if (row !== undefined) rows.push(row);
        }
        const best = bestSeedSimilarity(set.data, dim, rows, { theme: seeds.map((s) => s.theme), data: seedData });
        for (let k = 0; k < recs.rec_id.length; k++) {
          const row = set.rowOf.get(recs.text_hash[k]);
          const sims = row === undefined ? undefined : best.get(row);
          if (!sims) continue;
          const perTheme = byRec.get(recs.rec_id[k]);
          if (!perTheme) continue;
          for (const [theme, sim] of sims) if (perTheme[theme]) perTheme[theme].similarity = sim;
        }
      } finally {
        await embedder.dispose?.();
      }
    }
  }
  return { embedding, byRec };
}

import { listValue } from '@duckdb/node-api';
import { UsageError } from '../../errors.js';
import { silentLogger, type Logger } from '../../progress.js';
import type { Store } from '../../store/db.js';
import { requireEmbedding, requireQueryEmbedder } from './current-space.js';
import type { RecommendationSource } from '../../store/types.js';

export interface SimilarHit extends RecommendationSource {
  score: number;
}

export interface SearchOptions {
  top?: number;
  minScore?: number;
  modelDir?: string;
  log?: Logger;
}

export interface SearchResult {
  embedder: string;
  hits: SimilarHit[];
  /** Set when the query has no feature the embedder knows: nothing can be similar to it. */
  emptyQuery: boolean;
}

/**
 * The current recommendations most similar to a free text, best first. The text is embedded as a
 * query with the embedder that made the stored vectors; only its vector reaches SQL, as a bound
 * parameter, and the ranking (array_cosine_similarity over every current recommendation) is DuckDB's.
 */
export async function searchSimilar(store: Store, text: string, opts: SearchOptions = {}): Promise<SearchResult> {
  if (text.trim() === '') throw new UsageError('give the text to search for', 'confrec similar "<text>"');
  const top = opts.top ?? 10;
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive whole number, not ${top}`);
  const current = await requireEmbedding(store);
  const embedder = await requireQueryEmbedder(store, current, { modelDir: opts.modelDir, log: opts.log ?? silentLogger });
  let vector: Float32Array;
  try {
    [vector] = await embedder.embed([text], 'query');
  } finally {
    await embedder.dispose?.();
  }
  if (!vector.some((x) => x !== 0)) return { embedder: current.id, hits: [], emptyQuery: true };
  const dim = Math.trunc(current.dim);
  const hits = await store.all<SimilarHit>(
    `WITH scored AS (
       SELECT r.rec_id, r.doc_id, r.text, array_cosine_similarity(e.vector::FLOAT[${dim}], $1::FLOAT[${dim}])::DOUBLE AS score,
              d.source_file, d.title AS conference, d.year, r.addressee, r.addressee_type, r.char_start, r.char_end, r.line_start
       FROM recommendations r
       JOIN current_documents d USING (doc_id)
       JOIN current_embeddings e ON e.text_hash = r.text_hash AND len(e.vector) = ${dim}
     )
     SELECT * FROM scored WHERE score >= $2 AND NOT isnan(score) ORDER BY score DESC, rec_id LIMIT $3`,
    [listValue(Array.from(vector)), opts.minScore ?? -1, top],
  );
  return { embedder: current.id, hits, emptyQuery: false };
}

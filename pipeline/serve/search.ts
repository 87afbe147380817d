/**
 * Search: free text ranked by the project's similarity — the query embedded by the embedder that made
 * the stored vectors, cosine with every current recommendation — plus exact lemma matches, so that a
 * word search never misses a recommendation that literally holds the word (in any form).
 *
 * Hits are the recommendations passing the filters that either hold every content lemma of the
 * query (literal hits) or have a cosine at or above the search floor of the embedder family. They
 * are ranked by cosine + LITERAL_WEIGHT × (share of the query's lemmas present).
 */
import type { Embedder } from '../embed/types.js';
import { embedderFamily } from '../themes/calibration.js';
import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import { contentLemmasOf, scoreRows, type Corpus } from './corpus.js';
import { countFacets, type Facet, type YearBar } from './facets.js';
import type { Filters } from './filters.js';
import { HttpProblem } from './problem.js';
import { explorerConfig } from '../config.js';
import { expandQuery } from './query-expansion.js';

export interface SearchHit {
  i: number;
  /** Cosine with the query (null without a vector or in browse mode). */
  cosine: number | null;
  /** Share of the query's content lemmas the text holds. */
  coverage: number;
  literal: boolean;
  rank: number;
}

export interface SearchResult {
  q: string;
  /** Content lemmas of the query and its variants (highlighted in the hits). */
  lemmas: string[];
  /** Abbreviations of the query spelt out, or spelt-out names abbreviated (query-expansion.ts). */
  expanded: { from: string; to: string }[];
  /** 'browse' lists everything the filters let through, newest first. */
  mode: 'search' | 'browse';
  total: number;
  literalHits: number;
  /** Every hit, ranked (pages and CSV slice it). */
  hits: SearchHit[];
  facets: Facet[];
  years: YearBar[];
  floor: number | null;
  embedder: string | null;
  /** Set when the query has no word the embedder knows (only literal hits possible). */
  unknownWords: boolean;
}

/** The similarity floor of search hits for an embedder family (settings.ts says where each comes from). */
export function searchFloor(embedderId: string | null): number {
  const family = embedderFamily(embedderId);
  return explorerConfig.searchFloor[family] ?? explorerConfig.searchFloor.default;
}

export function validateQuery(q: string): string {
  if (q.length > explorerConfig.maxQueryChars) {
    throw new HttpProblem(
      414,
      'Слишком длинный запрос',
      `Запрос длиной ${q.length.toLocaleString('ru-RU')} символов; поиск принимает не больше ${explorerConfig.maxQueryChars.toLocaleString('ru-RU')}. Чтобы сравнить целый документ с базой, откройте «Проверку проекта».`,
    );
  }
  return q.trim();
}

/**
 * Runs a search (or, with an empty query, a filtered listing). `embedder` is the snapshot's query
 * embedder; null when the database has no vectors yet, which a text query reports as 503.
 */
export async function search(corpus: Corpus, embedder: Embedder | null, morph: Morph, q: string, f: Filters): Promise<SearchResult> {
  const query = validateQuery(q);
  const embedderId = corpus.embedding?.id ?? null;
  if (query === '') {
    const { facets, years, mask } = countFacets(corpus, f, null);
    const hits: SearchHit[] = [];
    for (let i = 0; i < corpus.n; i++) if (mask[i]) hits.push({ i, cosine: null, coverage: 0, literal: false, rank: 0 });
    // Newest conferences first, then document order.
    hits.sort((a, b) => corpus.year[b.i] - corpus.year[a.i] || corpus.doc[a.i] - corpus.doc[b.i] || corpus.seq[a.i] - corpus.seq[b.i]);
    return { q: query, lemmas: [], expanded: [], mode: 'browse', total: hits.length, literalHits: 0, hits, facets, years, floor: null, embedder: embedderId, unknownWords: false };
  }
  if (!embedder || !corpus.embedding) {
    throw new HttpProblem(
      503,
      'Поиск по смыслу пока недоступен',
      'В базе ещё нет векторных представлений рекомендаций. Выполните `confrec run <папка>` (или `confrec embed`) — обозреватель подхватит новые данные сам, без перезапуска.',
    );
  }
  // «ОВЗ» and «ограниченные возможности здоровья» find each other: the query and its variants
  // (query-expansion.ts); a recommendation scores by the closest of them.
  const expansion = expandQuery(query, morph);
  const variants = expansion.variants.map((v) => contentLemmasOf(v, morph));
  const lemmas = [...new Set(variants.flat())];
  const vectors = await embedder.embed(expansion.variants, 'query');
  const known = vectors.filter((v) => v.some((x) => x !== 0));
  const unknownWords = known.length === 0;
  const rowScores = unknownWords ? new Float32Array(corpus.vectors.length / Math.max(1, corpus.dim)) : scoreRows(corpus, known[0]);
  for (const v of known.slice(1)) {
    const more = scoreRows(corpus, v);
    for (let r = 0; r < rowScores.length; r++) if (more[r] > rowScores[r]) rowScores[r] = more[r];
  }
  const coverages = variants.map((vl) => {
    const counts = new Uint8Array(corpus.n);
    for (const lemma of vl) {
      const list = corpus.postings.get(lemma);
      if (list) for (const i of list) counts[i]++;
    }
    return { counts, nq: vl.length };
  });
  const floor = searchFloor(embedderId);
  const relevant = new Uint8Array(corpus.n);
  const semantic: SearchHit[] = [];
  const literal: SearchHit[] = [];
  for (let i = 0; i < corpus.n; i++) {
    const row = corpus.vecRow[i];
    const cosine = row >= 0 && !unknownWords ? rowScores[row] : null;
    let coverage = 0;
    let isLiteral = false;
    for (const { counts, nq } of coverages) {
      if (!nq) continue;
      coverage = Math.max(coverage, counts[i] / nq);
      if (counts[i] === nq) isLiteral = true;
    }
    if (!isLiteral && (cosine === null || cosine < floor)) continue;
    const hit = { i, cosine, coverage, literal: isLiteral, rank: (cosine ?? 0) + explorerConfig.literalWeight * coverage };
    (isLiteral ? literal : semantic).push(hit);
  }
  // A vague query can be "similar" to half the corpus; past maxSemanticHits only the closest stay.
  if (semantic.length > explorerConfig.maxSemanticHits) {
    semantic.sort((a, b) => (b.cosine ?? 0) - (a.cosine ?? 0) || a.i - b.i);
    semantic.length = explorerConfig.maxSemanticHits;
  }
  for (const h of semantic) relevant[h.i] = 1;
  for (const h of literal) relevant[h.i] = 1;
  const { facets, years, mask } = countFacets(corpus, f, relevant);
  const hits = [...literal, ...semantic].filter((h) => mask[h.i]);
  hits.sort((a, b) => b.rank - a.rank || (corpus.recId[a.i] < corpus.recId[b.i] ? -1 : 1));
  return {
    q: query,
    lemmas,
    expanded: expansion.used,
    mode: 'search',
    total: hits.length,
    literalHits: hits.filter((h) => h.literal).length,
    hits,
    facets,
    years,
    floor,
    embedder: embedderId,
    unknownWords,
  };
}

/** A text cut into plain and highlighted runs: words whose lemma is one of `lemmas`. */
export function highlightRuns(text: string, lemmas: ReadonlySet<string>, morph: Morph): { text: string; hit: boolean }[] {
  if (lemmas.size === 0) return [{ text, hit: false }];
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const t of tokenize(text)) {
    if (t.kind !== 'word' || !lemmas.has(morph.lemma(t.text))) continue;
    if (t.start > at) out.push({ text: text.slice(at, t.start), hit: false });
    out.push({ text: text.slice(t.start, t.end), hit: true });
    at = t.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}

/**
 * A recommendation's history: its near-duplicates (the similar stage's pairs: identical, similar,
 * contained) and, more loosely, related recommendations (cosine at or above the related floor) in
 * other documents, ordered in time, and the sentence a methodologist wants: first proposed when and
 * by whom, repeated how often, last when.
 */
import { embedderFamily } from '../themes/calibration.js';
import { explorerConfig } from '../config.js';
import { elsewhere, MATCH_KINDS, scoreRows, vectorOf, type Corpus, type MatchKind } from './corpus.js';

export interface HistoryEntry {
  i: number;
  /** How it matches: a near-duplicate kind, 'related' (only close in meaning), or 'self'. */
  kind: MatchKind | 'related' | 'self';
  similarity: number;
}

export interface History {
  entries: HistoryEntry[];
  /** Near-duplicates in other documents (the repeats). */
  repeats: number;
  first: HistoryEntry | null;
  last: HistoryEntry | null;
  /** Recommendations close in meaning that are not near-duplicates. */
  related: number;
  relatedFloor: number;
}

export function relatedFloor(embedderId: string | null): number {
  const family = embedderFamily(embedderId);
  return explorerConfig.relatedFloor[family] ?? explorerConfig.relatedFloor.default;
}

/** Date order: date_start, then year; unknown dates last. */
export function timeKey(corpus: Corpus, i: number): string {
  const d = corpus.docs[corpus.doc[i]];
  return d?.date_start ?? (corpus.year[i] ? `${corpus.year[i]}-99` : '9999');
}

export function nearDuplicatesOf(corpus: Corpus, i: number): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (let k = corpus.ndStart[i]; k < corpus.ndStart[i + 1]; k++) {
    out.push({ i: corpus.ndTo[k], kind: MATCH_KINDS[corpus.ndMatch[k]], similarity: corpus.ndSimilarity[k] });
  }
  return out.sort((a, b) => (timeKey(corpus, a.i) < timeKey(corpus, b.i) ? -1 : timeKey(corpus, a.i) > timeKey(corpus, b.i) ? 1 : a.i - b.i));
}

/** Related recommendations in other documents, closest first (at most `limit`), near-duplicates excluded. */
export function relatedTo(corpus: Corpus, i: number, exclude: ReadonlySet<number>, limit = 100): HistoryEntry[] {
  const v = vectorOf(corpus, i);
  if (!v) return [];
  const floor = relatedFloor(corpus.embedding?.id ?? null);
  const scores = scoreRows(corpus, v);
  const out: HistoryEntry[] = [];
  for (let row = 0; row < scores.length; row++) {
    if (scores[row] < floor) continue;
    for (const j of corpus.recsOfRow[row]) {
      if (j === i || exclude.has(j) || !elsewhere(corpus, i, j)) continue;
      out.push({ i: j, kind: 'related', similarity: scores[row] });
    }
  }
  out.sort((a, b) => b.similarity - a.similarity || a.i - b.i);
  return out.slice(0, limit);
}

export function historyOf(corpus: Corpus, i: number): History {
  const near = nearDuplicatesOf(corpus, i).filter((e) => elsewhere(corpus, i, e.i));
  const related = relatedTo(corpus, i, new Set(near.map((e) => e.i)));
  const entries = [{ i, kind: 'self' as const, similarity: 1 }, ...near, ...related].sort((a, b) => {
    const ka = timeKey(corpus, a.i);
    const kb = timeKey(corpus, b.i);
    return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
  });
  const chain = entries.filter((e) => e.kind !== 'related');
  return {
    entries,
    repeats: near.length,
    first: chain[0] ?? null,
    last: chain[chain.length - 1] ?? null,
    related: related.length,
    relatedFloor: relatedFloor(corpus.embedding?.id ?? null),
  };
}

import { loadMorph, type Morph } from '../../text/morph.js';
import { RUSSIAN_STOPWORDS } from '../../text/stopwords.js';
import { lemmatise } from '../../themes/evidence.js';
import type { Token } from '../../text/tokenize.js';
import type { ClusterLabel, PreparedText, TextLabeler } from './types.js';

/**
 * Class-based TF-IDF (as BERTopic labels topics), over lemmas: a term weighs by its frequency in the
 * cluster times log(1 + A / f), where A is the average number of words per cluster and f the term's
 * frequency over all clusters. Words common everywhere ("обеспечить", "работа") sink; words that
 * set a cluster apart rise. Pure.
 */
export function classTfIdf(docsByClass: ReadonlyMap<number, readonly string[][]>, top = 8): Map<number, { term: string; weight: number }[]> {
  const tf = new Map<number, Map<string, number>>();
  const total = new Map<string, number>();
  let words = 0;
  for (const [c, docs] of docsByClass) {
    const counts = new Map<string, number>();
    for (const doc of docs) {
      for (const t of doc) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        total.set(t, (total.get(t) ?? 0) + 1);
        words++;
      }
    }
    tf.set(c, counts);
  }
  const avg = words / Math.max(1, docsByClass.size);
  const out = new Map<number, { term: string; weight: number }[]>();
  for (const [c, counts] of tf) {
    let size = 0;
    for (const n of counts.values()) size += n;
    size ||= 1;
    const terms = [...counts.keys()];
    const weights = new Float64Array(terms.length);
    let i = 0;
    for (const [term, n] of counts) weights[i++] = (n / size) * Math.log(1 + avg / (total.get(term) ?? 1));
    // Only the terms that can be among the top are sorted: those weighing at least the top-th
    // largest weight (ties with it included, so the alphabetical tie-break below is unchanged).
    const cut = terms.length > top ? kthLargest(Float64Array.from(weights), top) : -Infinity;
    const scored: { term: string; weight: number }[] = [];
    for (let j = 0; j < terms.length; j++) if (weights[j] >= cut) scored.push({ term: terms[j], weight: weights[j] });
    // Ties broken alphabetically so labels are stable.
    scored.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    out.set(c, scored.slice(0, top));
  }
  return out;
}

/** The k-th largest of `values` (1-based; k ≤ length), by quickselect; reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let a = lo;
    let b = hi;
    while (a <= b) {
      while (values[a] > pivot) a++;
      while (values[b] < pivot) b--;
      if (a <= b) {
        const t = values[a];
        values[a] = values[b];
        values[b] = t;
        a++;
        b--;
      }
    }
    if (want <= b) hi = b;
    else if (want >= a) lo = a;
    else return values[want];
  }
  return values[want];
}

/** Lemmas that describe no topic in this genre (dates, quantities) and so make poor labels. */
const LABEL_NOISE = new Set(['год', 'месяц', 'число', 'рамка', 'счет', 'целое', 'иной', 'ряд', 'тот', 'весь', 'год.']);

/** How many terms are kept per cluster, and how many of them make the label. */
const TOP_TERMS = 8;
const LABEL_TERMS = 3;

/** The content lemmas of a text that c-TF-IDF counts: no stop words, numbers or words shorter than three letters. */
export function contentLemmas(text: string, morph: Morph): string[] {
  return lemmatise(text, morph).filter(isContentLemma);
}

function isContentLemma(l: string): boolean {
  return l.length >= 3 && !RUSSIAN_STOPWORDS.has(l) && !LABEL_NOISE.has(l) && !/\d/.test(l);
}

/**
 * Each word as written → its content lemma, or null when c-TF-IDF skips it (the lemma and its
 * verdict depend on the word alone, and words recur across texts): one lookup per word instead of
 * the lemma's lookup and four tests.
 */
const contentOf = new Map<string, string | null>();

/** contentLemmas(text) from the text's tokens (tokenize(text)), when the caller has them already. */
export function contentLemmasOfTokens(tokens: readonly Token[], morph: Morph): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    let l = contentOf.get(t.text);
    if (l === undefined) {
      const lemma = morph.lemma(t.text);
      l = isContentLemma(lemma) ? lemma : null;
      if (contentOf.size > 200_000) contentOf.clear();
      contentOf.set(t.text, l);
    }
    if (l !== null) out.push(l);
  }
  return out;
}

/** Labels from each cluster's texts given as their content lemmas (contentLemmas), in the given order. */
export function lemmaLabels(docs: ReadonlyMap<number, readonly string[][]>): Map<number, ClusterLabel> {
  const terms = classTfIdf(docs, TOP_TERMS);
  const out = new Map<number, ClusterLabel>();
  for (const c of docs.keys()) {
    const top = (terms.get(c) ?? []).map((t) => ({ term: t.term, weight: Number(t.weight.toFixed(5)) }));
    out.set(c, { label: top.slice(0, LABEL_TERMS).map((t) => t.term).join(', '), terms: top });
  }
  return out;
}

/** A TextLabeler's label(): every text prepared, then the clusters labelled from them. */
export async function labelByPreparing(labeler: TextLabeler, textsByCluster: ReadonlyMap<number, readonly string[]>): Promise<Map<number, ClusterLabel>> {
  const byCluster = new Map<number, PreparedText[]>();
  for (const [c, texts] of textsByCluster) byCluster.set(c, await labeler.prepare(texts));
  return labeler.labelPrepared(byCluster);
}

/**
 * The default labeler: class-based TF-IDF over the content lemmas of each cluster's texts (no stop
 * words, numbers or words shorter than three letters); the label is the three most distinctive.
 */
export class CtfidfLabeler implements TextLabeler {
  readonly id = 'ctfidf';

  async prepare(texts: readonly string[]): Promise<PreparedText[]> {
    const morph = await loadMorph();
    return texts.map((t) => ({ lemmas: contentLemmas(t, morph) }));
  }

  async labelPrepared(byCluster: ReadonlyMap<number, readonly PreparedText[]>): Promise<Map<number, ClusterLabel>> {
    return lemmaLabels(new Map([...byCluster].map(([c, list]) => [c, list.map((p) => p.lemmas)])));
  }

  label(textsByCluster: ReadonlyMap<number, readonly string[]>): Promise<Map<number, ClusterLabel>> {
    return labelByPreparing(this, textsByCluster);
  }
}

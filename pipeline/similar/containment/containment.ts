/**
 * "The same proposal with a clause added": the content lemmas of the shorter proposal all occur in
 * the longer one ("проводить мониторинг сетевого взаимодействия образовательных организаций" and
 * the same "… на территории Иркутской области"). A later resolution re-using an earlier proposal
 * often adds a purpose, a place or a partner, or drops one; the added words move a bag-of-words
 * cosine below any threshold that keeps unrelated proposals apart, so containment is a criterion of
 * its own, alongside the cosine.
 *
 * Exact search, no sampling: for each set S (the shorter side) only the texts holding S's rarest
 * lemma can contain it; those are scanned largest first and stop at the first one smaller than S,
 * a 128-bit Bloom signature rejects almost all of them in four integer operations, and the few left
 * are counted exactly.
 */
import type { Morph } from '../../text/morph.js';
import { tokenize } from '../../text/tokenize.js';
import { RUSSIAN_STOPWORDS } from '../../text/stopwords.js';
import { EMPTY_THESAURUS, type Thesaurus } from './thesaurus.js';

/** Fewer content lemmas than this say too little to be contained meaningfully ("развивать наставничество"). */
export const MIN_CONTAINED_LEMMAS = 3;

/**
 * The distinct content lemmas of a text, sorted: no stop words, no numbers, no one-letter words;
 * a word or phrase of a synonym group stands as the group's first entry.
 */
export function contentLemmas(text: string, morph: Morph, thesaurus: Thesaurus = EMPTY_THESAURUS): string[] {
  const lemmas = tokenize(text)
    .filter((t) => t.kind === 'word')
    .map((t) => morph.lemma(t.text));
  const out = new Set<string>();
  for (let i = 0; i < lemmas.length; i++) {
    const phrase = thesaurus.phrases.find((p) => p.lemmas.every((l, k) => lemmas[i + k] === l));
    if (phrase) {
      out.add(phrase.canonical);
      i += phrase.lemmas.length - 1;
      continue;
    }
    const lemma = lemmas[i];
    if (lemma.length < 2 || RUSSIAN_STOPWORDS.has(lemma) || !/\p{L}/u.test(lemma)) continue;
    out.add(thesaurus.canonical.get(lemma) ?? lemma);
  }
  return [...out].sort();
}

/** Sets in compressed rows: set i holds ids[offsets[i] .. offsets[i + 1]). */
export interface LemmaSets {
  offsets: Int32Array;
  ids: Int32Array;
  /** Distinct lemmas. */
  vocabulary: number;
}

export function toLemmaSets(sets: readonly (readonly string[])[]): LemmaSets {
  const idOf = new Map<string, number>();
  const offsets = new Int32Array(sets.length + 1);
  for (let i = 0; i < sets.length; i++) offsets[i + 1] = offsets[i] + sets[i].length;
  const ids = new Int32Array(offsets[sets.length]);
  let k = 0;
  for (const s of sets) {
    for (const lemma of s) {
      let id = idOf.get(lemma);
      if (id === undefined) idOf.set(lemma, (id = idOf.size));
      ids[k++] = id;
    }
  }
  return { offsets, ids, vocabulary: idOf.size };
}

const SIG_WORDS = 4;

/**
 * Every pair (shorter, longer) of distinct indices where the shorter set has at least `minSize`
 * lemmas and all of them are in the longer one. Sets of equal size (then equal sets) come once, with
 * the smaller index first.
 */
export function containedPairs(sets: LemmaSets, minSize = MIN_CONTAINED_LEMMAS): { shorter: Int32Array; longer: Int32Array; candidates: number } {
  const { offsets, ids, vocabulary } = sets;
  const n = offsets.length - 1;
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[i] = offsets[i + 1] - offsets[i];
  const df = new Int32Array(vocabulary);
  for (let k = 0; k < ids.length; k++) df[ids[k]]++;

  // Posting lists ordered by set size, largest first, so a scan stops at the first set too small.
  const postStart = new Int32Array(vocabulary + 1);
  for (let v = 0; v < vocabulary; v++) postStart[v + 1] = postStart[v] + df[v];
  const fill = postStart.slice(0, vocabulary);
  const postings = new Int32Array(ids.length);
  const bySize = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
  for (const i of bySize) for (let k = offsets[i]; k < offsets[i + 1]; k++) postings[fill[ids[k]]++] = i;

  // Bloom signatures: S ⊆ T implies sig(S) & ~sig(T) = 0.
  const sig = new Int32Array(n * SIG_WORDS);
  for (let i = 0; i < n; i++) {
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const bit = Math.imul(ids[k] + 1, 0x9e3779b1) >>> 25;
      sig[i * SIG_WORDS + (bit >> 5)] |= 1 << (bit & 31);
    }
  }

  const mark = new Uint8Array(vocabulary);
  const shorter: number[] = [];
  const longer: number[] = [];
  let candidates = 0;
  for (let i = 0; i < n; i++) {
    const si = size[i];
    if (si < minSize) continue;
    let rare = ids[offsets[i]];
    for (let k = offsets[i] + 1; k < offsets[i + 1]; k++) if (df[ids[k]] < df[rare]) rare = ids[k];
    for (let k = offsets[i]; k < offsets[i + 1]; k++) mark[ids[k]] = 1;
    const s0 = sig[i * SIG_WORDS];
    const s1 = sig[i * SIG_WORDS + 1];
    const s2 = sig[i * SIG_WORDS + 2];
    const s3 = sig[i * SIG_WORDS + 3];
    for (let p = postStart[rare]; p < postStart[rare + 1]; p++) {
      const j = postings[p];
      const sj = size[j];
      if (sj < si) break;
      if (j === i || (sj === si && j < i)) continue;
      candidates++;
      const o = j * SIG_WORDS;
      if ((s0 & ~sig[o]) | (s1 & ~sig[o + 1]) | (s2 & ~sig[o + 2]) | (s3 & ~sig[o + 3])) continue;
      let hits = 0;
      for (let k = offsets[j], e = offsets[j + 1]; k < e; k++) hits += mark[ids[k]];
      if (hits === si) {
        shorter.push(i);
        longer.push(j);
      }
    }
    for (let k = offsets[i]; k < offsets[i + 1]; k++) mark[ids[k]] = 0;
  }
  return { shorter: Int32Array.from(shorter), longer: Int32Array.from(longer), candidates };
}

/** The definition itself, for one pair: the reference the indexed search is tested against (and, through incremental = full, the SQL). */
export function isContained(a: readonly string[], b: readonly string[], minSize = MIN_CONTAINED_LEMMAS): boolean {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length < minSize) return false;
  const set = new Set(l);
  return s.every((x) => set.has(x));
}

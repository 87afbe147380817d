/**
 * "The same proposal with a clause added": the content lemmas of the shorter proposal all occur in
 * the longer one ("проводить мониторинг сетевого взаимодействия образовательных организаций" and
 * the same "… на территории Иркутской области"). A later resolution re-using an earlier proposal
 * often adds a purpose, a place or a partner, or drops one; the added words move a bag-of-words
 * cosine below any threshold that keeps unrelated proposals apart, so containment is a criterion of
 * its own, alongside the cosine.
 *
 * Exact search, no sampling: for each set S (the shorter side) only the texts holding S's two
 * rarest lemmas can contain it (an index on those pairs of lemmas); they are scanned largest first
 * and stop at the first one smaller than S, a 128-bit Bloom signature rejects most of them in four
 * integer operations, and the few left are counted exactly.
 */
import type { Morph } from '../../text/morph.js';
import { tokenize } from '../../text/tokenize.js';
import { RUSSIAN_STOPWORDS } from '../../text/stopwords.js';
import { EMPTY_THESAURUS, type Thesaurus } from './thesaurus.js';
import { PairBuffer } from '../pairs/lsh.js';

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

  const bySize = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => size[b] - size[a] || a - b);

  // Every superset of S holds S's two rarest lemmas (x, y): candidates come from the posting list of
  // that PAIR, not of the rarest lemma alone. On a corpus that repeats its proposals even the rarest
  // lemma of one is in thousands of others. Same pairs in the same order; on the synthetic corpora
  // 2.3 times fewer candidates (10k resolutions: 48.7 → 21.2 million; 30k: 426 → 187 million, 14.5 →
  // 10.0 s) — still growing faster than n there, because a template's copies share its rarest pair
  // too. Only the pairs some set asks for are indexed: each set's lemma pairs are looked up in that
  // query table.
  const query = new Map<number, number>();
  const askFor = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (size[i] < minSize) continue;
    let x = -1;
    let y = -1;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const v = ids[k];
      if (x < 0 || df[v] < df[x] || (df[v] === df[x] && v < x)) (y = x), (x = v);
      else if (y < 0 || df[v] < df[y] || (df[v] === df[y] && v < y)) y = v;
    }
    const key = Math.min(x, y) * vocabulary + Math.max(x, y);
    let q = query.get(key);
    if (q === undefined) query.set(key, (q = query.size));
    askFor[i] = q;
  }
  // Posting lists of the asked pairs in CSR form, filled in size order (largest first, then index),
  // so a scan stops at the first set too small.
  const pairsOf = (j: number, visit: (q: number) => void) => {
    const lo = offsets[j];
    const hi = offsets[j + 1];
    for (let a = lo; a < hi; a++) {
      for (let b = a + 1; b < hi; b++) {
        const u = ids[a];
        const v = ids[b];
        const q = query.get(u < v ? u * vocabulary + v : v * vocabulary + u);
        if (q !== undefined) visit(q);
      }
    }
  };
  const postStart = new Int32Array(query.size + 1);
  for (let j = 0; j < n; j++) if (size[j] >= minSize) pairsOf(j, (q) => postStart[q + 1]++);
  for (let q = 0; q < query.size; q++) postStart[q + 1] += postStart[q];
  const fill = postStart.slice(0, query.size);
  const postings = new Int32Array(postStart[query.size]);
  for (const j of bySize) if (size[j] >= minSize) pairsOf(j, (q) => (postings[fill[q]++] = j));

  // Bloom signatures: S ⊆ T implies sig(S) & ~sig(T) = 0.
  const sig = new Int32Array(n * SIG_WORDS);
  for (let i = 0; i < n; i++) {
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const bit = Math.imul(ids[k] + 1, 0x9e3779b1) >>> 25;
      sig[i * SIG_WORDS + (bit >> 5)] |= 1 << (bit & 31);
    }
  }

  // The sets asking for each pair, in index order (a counting sort of askFor).
  const askStart = new Int32Array(query.size + 1);
  for (let i = 0; i < n; i++) if (askFor[i] >= 0) askStart[askFor[i] + 1]++;
  for (let q = 0; q < query.size; q++) askStart[q + 1] += askStart[q];
  const askers = new Int32Array(askStart[query.size]);
  const askFill = askStart.slice(0, query.size);
  for (let i = 0; i < n; i++) if (askFor[i] >= 0) askers[askFill[askFor[i]]++] = i;

  // A pair's posting list is scanned by every set asking for it: a template's copies all ask for
  // its rarest pair and each scanned all its supersets' list (30k: 187 million candidates). When
  // many sets ask, the list gets an index of its own first — for each lemma, the positions in the
  // list of the sets holding it — and each asking set scans only the positions of its rarest lemma
  // WITHIN the list. The positions are in list order, so every set meets its supersets in the same
  // order as before; the supersets of each set are kept per set and put out in index order: the same
  // pairs in the same order.
  const mark = new Uint8Array(vocabulary);
  const lemmaCount = new Int32Array(vocabulary);
  const lemmaStart = new Int32Array(vocabulary);
  const touched = new PairBuffer();
  let positions = new Int32Array(1024);
  const supersets = new PairBuffer(); // (set, superset) per set, grouped by set
  const first = new Int32Array(n).fill(-1);
  const count = new Int32Array(n);
  let candidates = 0;
  for (let q = 0; q < query.size; q++) {
    const lo = postStart[q];
    const hi = postStart[q + 1];
    const g = askStart[q + 1] - askStart[q];
    let volume = 0;
    for (let p = lo; p < hi; p++) volume += size[postings[p]];
    // Building the index reads every lemma of the list once; scanning reads one entry per set.
    const indexed = g > 2 && g * (hi - lo) > 2 * volume;
    if (indexed) {
      touched.length = 0;
      for (let p = lo; p < hi; p++) {
        const j = postings[p];
        for (let k = offsets[j]; k < offsets[j + 1]; k++) if (lemmaCount[ids[k]]++ === 0) touched.push(ids[k], 0);
      }
      let at = 0;
      for (let t = 0; t < touched.length; t++) {
        const l = touched.i[t];
        lemmaStart[l] = at;
        at += lemmaCount[l];
        lemmaCount[l] = 0;
      }
      if (positions.length < at) positions = new Int32Array(Math.max(at, positions.length * 2));
      for (let p = lo; p < hi; p++) {
        const j = postings[p];
        for (let k = offsets[j]; k < offsets[j + 1]; k++) {
          const l = ids[k];
          positions[lemmaStart[l] + lemmaCount[l]++] = p;
        }
      }
    }
    for (let a = askStart[q]; a < askStart[q + 1]; a++) {
      const i = askers[a];
      const si = size[i];
      let from = lo;
      let to = hi;
      let via = -1;
      if (indexed) {
        // The lemma of S held by the fewest sets of the list (none: S has no superset there).
        let best = -1;
        for (let k = offsets[i]; k < offsets[i + 1]; k++) {
          const l = ids[k];
          if (best < 0 || lemmaCount[l] < lemmaCount[best]) best = l;
        }
        if (lemmaCount[best] === 0) continue;
        via = best;
        from = lemmaStart[best];
        to = from + lemmaCount[best];
      }
      for (let k = offsets[i]; k < offsets[i + 1]; k++) mark[ids[k]] = 1;
      const s0 = sig[i * SIG_WORDS];
      const s1 = sig[i * SIG_WORDS + 1];
      const s2 = sig[i * SIG_WORDS + 2];
      const s3 = sig[i * SIG_WORDS + 3];
      const before = supersets.length;
      for (let x = from; x < to; x++) {
        const j = postings[via < 0 ? x : positions[x]];
        const sj = size[j];
        if (sj < si) break;
        if (j === i || (sj === si && j < i)) continue;
        candidates++;
        const o = j * SIG_WORDS;
        if ((s0 & ~sig[o]) | (s1 & ~sig[o + 1]) | (s2 & ~sig[o + 2]) | (s3 & ~sig[o + 3])) continue;
        let hits = 0;
        for (let k = offsets[j], e = offsets[j + 1]; k < e; k++) hits += mark[ids[k]];
        if (hits === si) supersets.push(i, j);
      }
      for (let k = offsets[i]; k < offsets[i + 1]; k++) mark[ids[k]] = 0;
      if (supersets.length > before) {
        first[i] = before;
        count[i] = supersets.length - before;
      }
    }
    if (indexed) for (let t = 0; t < touched.length; t++) lemmaCount[touched.i[t]] = 0;
  }
  // In set order, each set's supersets in list order.
  const shorter = new Int32Array(supersets.length);
  const longer = new Int32Array(supersets.length);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (first[i] < 0) continue;
    shorter.fill(i, m, m + count[i]);
    longer.set(supersets.j.subarray(first[i], first[i] + count[i]), m);
    m += count[i];
  }
  return { shorter, longer, candidates };
}

/** The definition itself, for one pair: the reference the indexed search is tested against (and, through incremental = full, the SQL). */
export function isContained(a: readonly string[], b: readonly string[], minSize = MIN_CONTAINED_LEMMAS): boolean {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length < minSize) return false;
  const set = new Set(l);
  return s.every((x) => set.has(x));
}

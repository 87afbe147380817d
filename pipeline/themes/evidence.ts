import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import type { ThemeDefinition } from './definitions.js';

/** Lemmas of a text's words, in order. */
export function lemmatise(text: string, morph: Morph): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (t.kind === 'word') out.push(morph.lemma(t.text));
  return out;
}

/** Marks a lemma as negated: it cannot match a theme term. */
export const NEGATED = '¬';

/**
 * Words that take what follows out of a recommendation's subject: «всеми обучающимися, кроме детей с
 * ОВЗ», «за исключением специальных (коррекционных) школ», «без учёта детей-инвалидов». Lemma
 * sequences; «кроме того» (moreover) is not one.
 */
const NEGATORS: readonly string[][] = [['кроме'], ['за', 'исключение'], ['исключая'], ['без', 'учет'], ['не', 'считая']];
/** A negation reaches to the end of its clause (comma, semicolon, full stop) and at most this many words. */
const NEGATION_WORDS = 6;
/** The last word of each negator: only after one of these can a negation have ended. */
const NEGATOR_ENDS: ReadonlySet<string> = new Set(NEGATORS.map((n) => n[n.length - 1]));

/**
 * Words for theme evidence: the lemmas of every reading of each word, most probable first — `az`
 * sometimes ranks a wrong reading first («отцов» as an adjective, «матерей» as the verb
 * «матереть»), and a term should match the word it is. Words inside a negation («кроме детей с ОВЗ»)
 * come out marked with NEGATED, so the theme's terms do not match them.
 */
const readingCache = new Map<string, string[]>();
/**
 * The same by the word as written (no lower-casing per word): an entry is the one readingCache held
 * for its lower case when it was made, and both are cleared together, so it is always that one.
 */
const writtenCache = new Map<string, string[]>();

/** The lemmas of every reading of a word, most probable first (memoised: resolutions repeat their words). */
function readings(word: string, morph: Morph): string[] {
  const written = writtenCache.get(word);
  if (written) return written;
  const key = word.toLowerCase();
  let out = readingCache.get(key);
  if (!out) {
    out = [morph.lemma(word)];
    for (const p of morph.parse(word)) if (!out.includes(p.lemma)) out.push(p.lemma);
    if (readingCache.size > 200_000) {
      readingCache.clear();
      writtenCache.clear();
    }
    readingCache.set(key, out);
  }
  writtenCache.set(word, out);
  return out;
}

export function themeLemmas(text: string, morph: Morph): string[][] {
  const tokens = tokenize(text);
  const out: string[][] = [];
  let negatedLeft = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct') {
      if (/^[,;.:!?]$/.test(t.text)) negatedLeft = 0;
      continue;
    }
    if (t.kind !== 'word') continue;
    const lemmas = readings(t.text, morph);
    if (negatedLeft > 0) {
      out.push(lemmas.map((l) => NEGATED + l));
      negatedLeft--;
      continue;
    }
    out.push(lemmas);
    if (!NEGATOR_ENDS.has(lemmas[0])) continue;
    for (const neg of NEGATORS) {
      const start = out.length - neg.length;
      if (start < 0 || neg.some((w, k) => out[start + k][0] !== w)) continue;
      const next = tokens.slice(i + 1).find((x) => x.kind === 'word');
      if (neg[0] === 'кроме' && next && /^(?:того|этого|тог)$/i.test(next.text)) continue;
      negatedLeft = NEGATION_WORDS;
    }
  }
  return out;
}

/** A theme's terms compiled to lemma sequences (users may write terms in any word form). */
export interface CompiledTerms {
  themeId: string;
  terms: { lemmas: string[]; weight: number; phrase: string }[];
}

export function compileTerms(theme: ThemeDefinition, morph: Morph): CompiledTerms {
  return {
    themeId: theme.id,
    terms: Object.entries(theme.terms).map(([phrase, weight]) => ({ phrase, weight, lemmas: lemmatise(phrase, morph) })),
  };
}

/** A word of a text for term matching: its lemma, or the lemmas of all its readings. */
export type WordLemmas = string | readonly string[];

function has(word: WordLemmas, lemma: string): boolean {
  return typeof word === 'string' ? word === lemma : word.includes(lemma);
}

const firstLemmaIndex = new WeakMap<CompiledTerms, Map<string, number[]>>();

/** A theme's terms by their first lemma (term indices ascending); a term without lemmas never matches. */
function termsByFirstLemma(compiled: CompiledTerms): Map<string, number[]> {
  let index = firstLemmaIndex.get(compiled);
  if (!index) {
    index = new Map();
    compiled.terms.forEach((t, i) => {
      if (t.lemmas.length === 0) return;
      const at = index!.get(t.lemmas[0]);
      if (at) at.push(i);
      else index!.set(t.lemmas[0], [i]);
    });
    firstLemmaIndex.set(compiled, index);
  }
  return index;
}

function occurs(haystack: readonly WordLemmas[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (!has(haystack[i + k], needle[k])) continue outer;
    return true;
  }
  return false;
}

/**
 * Terms found in a lemma sequence, each counted once. A positive term inside a longer positive term
 * that also matched counts once, as the longer one («ограниченный возможность» within «ограниченный
 * возможность здоровье»); negative terms always apply, since they exist to cancel a positive one.
 */
export function matchedTerms(lemmas: readonly WordLemmas[], compiled: CompiledTerms): { phrase: string; weight: number }[] {
  // Most terms share no word with a text: only those whose first lemma occurs in it are looked at
  // (found from the text's words, not by asking every term), then scanned for. Candidates are taken
  // in the terms' order, so the hits come out as a filter over all terms gave them (180 terms × 4
  // themes per text, each checked against a set of the text's lemmas, were ≈ 1 s of the stage at
  // 10,000 resolutions).
  const byFirst = termsByFirstLemma(compiled);
  const candidates: number[] = [];
  for (const w of lemmas) {
    if (typeof w === 'string') {
      const at = byFirst.get(w);
      if (at) for (const i of at) candidates.push(i);
    } else {
      for (const l of w) {
        const at = byFirst.get(l);
        if (at) for (const i of at) candidates.push(i);
      }
    }
  }
  if (candidates.length > 1) candidates.sort((a, b) => a - b);
  const hits: CompiledTerms['terms'] = [];
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k];
    if (k > 0 && candidates[k - 1] === i) continue;
    const t = compiled.terms[i];
    if (occurs(lemmas, t.lemmas)) hits.push(t);
  }
  return hits
    .filter((t) => t.weight < 0 || !hits.some((o) => o !== t && o.weight > 0 && o.lemmas.length > t.lemmas.length && occurs(o.lemmas, t.lemmas)))
    .map(({ phrase, weight }) => ({ phrase, weight }));
}

/** Sum of matched term weights, never below zero. */
export function termEvidence(lemmas: readonly WordLemmas[], compiled: CompiledTerms): number {
  return evidenceOf(matchedTerms(lemmas, compiled));
}

/** termEvidence from terms already matched (matchedTerms' result). */
export function evidenceOf(hits: readonly { weight: number }[]): number {
  return Math.max(0, hits.reduce((a, t) => a + t.weight, 0));
}

/** Evidence squashed to [0, 1): one strong term gives ≈0.63, two ≈0.86. */
export function squash(evidence: number): number {
  return 1 - Math.exp(-evidence);
}

import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import type { ThemeDefinition } from './definitions.js';

/** Lemmas of a text's words, in order. */
export function lemmatise(text: string, morph: Morph): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (t.kind === 'word') out.push(morph.lemma(t.text));
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

function occurs(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** Terms found in a lemma sequence, each counted once. */
export function matchedTerms(lemmas: readonly string[], compiled: CompiledTerms): { phrase: string; weight: number }[] {
  return compiled.terms.filter((t) => occurs(lemmas, t.lemmas)).map(({ phrase, weight }) => ({ phrase, weight }));
}

/** Sum of matched term weights, never below zero. */
export function termEvidence(lemmas: readonly string[], compiled: CompiledTerms): number {
  return Math.max(0, matchedTerms(lemmas, compiled).reduce((a, t) => a + t.weight, 0));
}

/** Evidence squashed to [0, 1): one strong term gives ≈0.63, two ≈0.86. */
export function squash(evidence: number): number {
  return 1 - Math.exp(-evidence);
}

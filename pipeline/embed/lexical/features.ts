import type { Morph } from '../../text/morph.js';
import { isStopword } from '../../text/stopwords.js';

/** What one word contributes to the lexical representation. */
export interface WordFeatures {
  /** `w:<lemma>`. */
  lemma: string;
  /** `c:<gram>`: character n-grams of the word form framed by < and >, so prefixes and endings differ. */
  grams: string[];
}

export interface AnalyzerOptions {
  charMin: number;
  charMax: number;
}

const CACHE_LIMIT = 500_000;
// The word alternative of TOKEN_RE in text/tokenize.ts (inner hyphens and apostrophes kept).
const WORD_RE = /[\p{L}][\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*/gu;

/**
 * Turns text into lexical features: lemmas carry meaning across inflection (az), character n-grams
 * catch what the dictionary does not know (typos, abbreviations, neologisms, unknown word forms).
 * Words repeat endlessly in resolutions, so each distinct word form is analysed once.
 */
export class LexicalAnalyzer {
  private readonly cache = new Map<string, WordFeatures | null>();

  constructor(
    private readonly morph: Morph,
    private readonly opts: AnalyzerOptions,
  ) {}

  /** Features of one lower-cased word form; null for stop words and single letters. */
  word(form: string): WordFeatures | null {
    const hit = this.cache.get(form);
    if (hit !== undefined) return hit;
    const result = this.analyse(form);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(form, result);
    return result;
  }

  /**
   * The words of a text, lower-cased with ё folded: the same tokens as `words()` in text/tokenize.ts,
   * found with one regular expression and no token objects, since this runs over every text twice.
   */
  words(text: string): string[] {
    return text.toLowerCase().replace(/ё/g, 'е').match(WORD_RE) ?? [];
  }

  private analyse(form: string): WordFeatures | null {
    if (form.length < 2 || isStopword(form)) return null;
    const lemma = this.morph.lemma(form);
    // An inflected function word ("являются", "которых") is a stop word through its lemma.
    if (isStopword(lemma)) return null;
    const grams: string[] = [];
    const framed = `<${form}>`;
    const chars = Array.from(framed);
    for (let n = this.opts.charMin; n <= this.opts.charMax; n++) {
      for (let i = 0; i + n <= chars.length; i++) grams.push('c:' + chars.slice(i, i + n).join(''));
    }
    return { lemma: 'w:' + lemma, grams };
  }
}

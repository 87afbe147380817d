/**
 * Resolutions define their own terms: "… консультативной помощи родителям … (далее соответственно –
 * Мероприятие, Услуги)". A recommendation that says "оказания Услуг" is about what the definition
 * says, so theme evidence from the defining sentence carries over (at reduced weight) to every
 * recommendation that uses the term. Pure functions over the document text.
 */

export interface DefinedTerm {
  /** The term as defined, e.g. "Услуги". */
  term: string;
  /** The defining sentence, up to the "(далее …)" bracket. */
  context: string;
}

const DEFINITION_RE = /\(\s*далее(?:\s+соответственно)?\s*[–—-]\s*([^)]{1,120})\)/giu;

/** Start of the sentence that contains offset `at`. */
function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i > 0; i--) {
    const c = text[i];
    if (c === '\n' && text[i - 1] === '\n') return i + 1;
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[i + 1] ?? '') && /[\p{Lu}«"]/u.test(text.slice(i + 1).trimStart()[0] ?? '')) {
      // "г." and other abbreviations end in a dot too; only a dot after a longer word ends a sentence.
      const word = /(\p{L}+)\.$/u.exec(text.slice(Math.max(0, i - 12), i + 1))?.[1] ?? '';
      if (word.length > 3) return i + 1;
    }
  }
  return 0;
}

export function findDefinedTerms(text: string): DefinedTerm[] {
  const out: DefinedTerm[] = [];
  for (const m of text.matchAll(DEFINITION_RE)) {
    const start = sentenceStart(text, m.index);
    const context = text.slice(start, m.index).replace(/\s+/g, ' ').trim();
    for (const raw of m[1].split(/[,;]| и /)) {
      const term = raw.replace(/[«»"“”]/g, '').trim();
      // Defined terms are capitalised nouns ("Конференция", "Услуги"); skip anything else.
      if (/^\p{Lu}\p{Ll}+(?:\s\p{L}+){0,2}$/u.test(term)) out.push({ term, context });
    }
  }
  return out;
}

/** Stem used to find a defined term in its other case forms ("Услуги" → "Услуг", "Конференци…"). */
export function termStem(term: string): string {
  const first = term.split(/\s+/)[0];
  return first.length > 5 ? first.slice(0, first.length - 2) : first.slice(0, Math.max(3, first.length - 1));
}

/** Each defined term's pattern, made once (a document's terms are asked about for each of its recommendations). */
const patterns = new WeakMap<DefinedTerm, RegExp>();

function patternOf(t: DefinedTerm): RegExp {
  let re = patterns.get(t);
  if (!re) {
    const stem = termStem(t.term);
    re = new RegExp(`(?<!\\p{L})${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\p{Ll}*`, 'u');
    patterns.set(t, re);
  }
  return re;
}

/** Contexts of the defined terms a recommendation uses (capitalised, as defined). */
export function contextsFor(recText: string, terms: readonly DefinedTerm[]): string[] {
  const out = new Set<string>();
  for (const t of terms) if (patternOf(t).test(recText)) out.add(t.context);
  return [...out];
}

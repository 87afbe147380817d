/** A word, number or punctuation mark with its offsets in the source string. */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: 'word' | 'number' | 'punct';
}

// Words may contain inner hyphens (психолого-педагогический) and apostrophes; numbers may have separators.
// The group that matched gives the kind (word, number, else punctuation): testing each token again with
// two more regexes made tokenising twice as slow, and it is the segmenter's hottest function.
const TOKEN_RE = /([\p{L}][\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*)|(\d+(?:[.,]\d+)*)|[^\s\p{L}\d]/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // The loop calls nothing that could tokenise in turn, so the one regex and its lastIndex are safe.
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const t = m[0];
    out.push({ text: t, start: m.index, end: m.index + t.length, kind: m[1] !== undefined ? 'word' : m[2] !== undefined ? 'number' : 'punct' });
  }
  return out;
}

const WORD_RE = /[\p{L}][\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*/gu;

/**
 * The word tokens of `tokenize(text)`, the first `limit` of them: the same tokens (text, offsets,
 * kind 'word') without making the number and punctuation tokens that callers filtered out. Exact:
 * a number or punctuation token never holds a letter, and a word starts at a letter, so scanning for
 * words alone meets every word where tokenize does (tests/unit/tokenize.test.ts compares them).
 */
export function wordTokens(text: string, limit = Infinity): Token[] {
  const out: Token[] = [];
  if (limit <= 0) return out;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
    const t = m[0];
    out.push({ text: t, start: m.index, end: m.index + t.length, kind: 'word' });
    if (out.length >= limit) break;
  }
  return out;
}

/** Lower-cased words only (ё folded to е), for bag-of-words work. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const t of wordTokens(text)) out.push(t.text.toLowerCase().replace(/ё/g, 'е'));
  return out;
}

/** Whitespace runs collapsed to one space, ends trimmed. */
export function collapseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

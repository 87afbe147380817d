/** A word, number or punctuation mark with its offsets in the source string. */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: 'word' | 'number' | 'punct';
}

// Words may contain inner hyphens (психолого-педагогический) and apostrophes; numbers may have separators.
const TOKEN_RE = /[\p{L}][\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*|\d+(?:[.,]\d+)*|[^\s\p{L}\d]/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const t = m[0];
    const kind = /^\p{L}/u.test(t) ? 'word' : /^\d/.test(t) ? 'number' : 'punct';
    out.push({ text: t, start: m.index, end: m.index + t.length, kind });
  }
  return out;
}

/** Lower-cased words only (ё folded to е), for bag-of-words work. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (t.kind === 'word') out.push(t.text.toLowerCase().replace(/ё/g, 'е'));
  return out;
}

/** Whitespace runs collapsed to one space, ends trimmed. */
export function collapseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

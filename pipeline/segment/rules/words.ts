import type { Morph } from '../../text/morph.js';
import { wordTokens, type Token } from '../../text/tokenize.js';
import { memoByMorph } from '../memo.js';

/** A word of a line with what the rules ask about it. */
export interface Word {
  token: Token;
  lemma: string;
  /** For participles and gerunds, the verb they come from. */
  verbLemma: string | null;
  pos: string | undefined;
  past: boolean;
}

/** The words of a line with their most probable lemma and part of speech (memoised; do not mutate). */
export const lemmasOf = memoByMorph(20_000, lemmasOfUncached);

function lemmasOfUncached(text: string, morph: Morph): Word[] {
  const out: Word[] = [];
  for (const t of wordTokens(text)) {
    const best = morph.parse(t.text)[0];
    out.push({ token: t, lemma: best?.lemma ?? t.text.toLowerCase(), verbLemma: best?.verbLemma ?? null, pos: best?.pos, past: Boolean(best?.grammemes.has('past')) });
  }
  return out;
}

/** Whitespace collapse would change: any but a single space between two other characters. */
const UNCOLLAPSED_RE = /[^\S ]| {2}|^ | $/;

/**
 * Whitespace runs collapsed to one space, ends trimmed. Most strings the segmenter and metadata
 * collapse are so already, and replace() builds a new string for every single space it meets: a test
 * without allocation first, and the very string back when there is nothing to change.
 */
export function collapse(s: string): string {
  return UNCOLLAPSED_RE.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}

/** `s.split(' ').length <= n` (n ≥ 1) without the array: at most n − 1 spaces (asked of every block, several times). */
export function splitsAtMost(s: string, n: number): boolean {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = s.indexOf(' ', at + 1);
    if (at < 0) return true;
  }
  return false;
}

/** Index of the first ":" outside quotes and brackets ("«Наставничество: опыт» …" has none), or -1. */
export function topLevelColon(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '«' || c === '[' || c === '“') depth++;
    else if ((c === ')' || c === '»' || c === ']' || c === '”') && depth > 0) depth--;
    else if (c === ':' && depth === 0) return i;
  }
  return -1;
}

/** The same, in the raw text with its own whitespace: the offset of the colon, or -1. */
export function rawTopLevelColon(raw: string): number {
  return topLevelColon(raw);
}

const ABBREV_BEFORE_DOT = /(?:^|[\s(])(?:г|гг|им|ул|д|обл|респ|р|пос|с|т|п|пп|др|ст|корп|к|стр|тел|рис|см|ч|мин|руб|тыс|млн|млрд|проф|доц|акад|канд|наук|пр|пер|просп|т\.п|т\.д|т\.е|т\.к|вкл|мес|нед|кв|\p{Lu})$/u;

/**
 * Sentence spans of text[from, to): split at ". ! ? …" followed by a capital, a quote or a digit
 * (not after abbreviations such as "г." or an initial), and at paragraph breaks. Shared with the
 * metadata extractors, which read the event from the sentences before the operative part.
 */
export function splitSentences(text: string, from = 0, to = text.length): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = from;
  const push = (end: number) => {
    const s = text.slice(start, end);
    const lead = s.length - s.trimStart().length;
    const trail = s.length - s.trimEnd().length;
    if (s.trim()) out.push({ start: start + lead, end: end - trail });
  };
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === '\n') {
      const prev = text.slice(start, i).trimEnd();
      const next = text.slice(i + 1, Math.min(to, i + 40)).trimStart();
      const blank = /^[ \t]*\n/.test(text.slice(i + 1, Math.min(to, i + 200)));
      if (blank || /[.!?:;]$/.test(prev) || /^(?:-\s|\d{1,2}\)\s*\S|\d{1,2}\.(?!\d)\s*\S|[IVXLC]+\.\s)/u.test(next)) {
        push(i);
        start = i + 1;
      }
    } else if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      const after = text.slice(i + 1, i + 4);
      if (i + 1 < to && !/^[»”"]?\s+["«“(\p{Lu}\d-]/u.test(after)) continue;
      if (ch === '.' && ABBREV_BEFORE_DOT.test(text.slice(Math.max(from, i - 8), i))) continue;
      // keep a closing quote with its sentence: «…». Следующее
      const close = /^[»”"]/.test(after) ? 1 : 0;
      push(i + 1 + close);
      start = i + 1 + close;
      i += close;
    }
  }
  push(to);
  return out;
}

import type { Span } from './text.js';

/**
 * Quoted spans with nesting: «…», “…”, „…“ and straight "…". Resolution titles nest quotes
 * («… проекта «Современная школа» …»), so a flat regex would cut the title at the inner closer.
 */
export interface QuoteSpan extends Span {
  /** Offsets of the text between the quote marks. */
  innerStart: number;
  innerEnd: number;
  depth: number;
}

const OPENERS: Record<string, string> = { '«': '»', '„': '“', '“': '”', '"': '"' };

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

export function findQuotes(text: string): QuoteSpan[] {
  const out: QuoteSpan[] = [];
  const stack: { ch: string; pos: number }[] = [];
  const close = (ch: string, pos: number): boolean => {
    for (let k = stack.length - 1; k >= 0; k--) {
      if (OPENERS[stack[k].ch] === ch) {
        const open = stack[k];
        stack.length = k;
        // «28» августа: a day in quotes is date style, not a quotation
        if (!/^\d{1,2}$/.test(text.slice(open.pos + 1, pos))) {
          out.push({ start: open.pos, end: pos + 1, innerStart: open.pos + 1, innerEnd: pos, depth: k });
        }
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < text.length; i++) {
    // Only a line break and the quote marks matter: other characters are passed by their code, not
    // made into one-character strings (the text's every character went through the tests below).
    const code = text.charCodeAt(i);
    if (code !== 10 && code !== 34 && code !== 171 && code !== 187 && (code < 0x201c || code > 0x201e)) continue;
    const ch = text[i];
    if (ch === '\n' && text[i + 1] === '\n') {
      stack.length = 0; // a paragraph break ends any unbalanced quote
      continue;
    }
    if (ch === '«' || ch === '„') stack.push({ ch, pos: i });
    else if (ch === '»') close(ch, i);
    else if (ch === '“') {
      // “ closes „ (Russian inner quotes) but opens an English-style pair otherwise
      if (stack.length && stack[stack.length - 1].ch === '„') close(ch, i);
      else stack.push({ ch, pos: i });
    } else if (ch === '”') close(ch, i);
    else if (ch === '"') {
      const before = text[i - 1];
      const after = text[i + 1];
      const opener = !isWordChar(before) && !/[.,;:!?)»”]/.test(before ?? '') && (isWordChar(after) || after === '«' || after === '"');
      if (opener) stack.push({ ch, pos: i });
      else close(ch, i);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The text inside a quote span, outer marks removed, inner quotes kept. */
export function quoteInner(text: string, q: QuoteSpan): string {
  return text.slice(q.innerStart, q.innerEnd);
}

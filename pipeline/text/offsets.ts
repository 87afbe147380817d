/**
 * Offsets between JavaScript strings and the database. JavaScript indexes strings in UTF-16 code
 * units; DuckDB's substr/length, Python's str and most other clients count code points. An astral
 * character (emoji «📌», mathematical letters «𝐀», rare CJK) is one code point but two UTF-16 units,
 * so a UTF-16 offset stored in the database points one character further for every astral character
 * before it. The database therefore stores code points (`recommendations.char_start/char_end`):
 * `substr(text, char_start + 1, char_end - char_start)` is the recommendation in any client.
 *
 * A converter is built once per document: texts without astral characters (nearly all Russian
 * resolutions) convert by identity; otherwise it holds the UTF-16 positions of the astral
 * characters and converts by binary search, O(log a) per offset.
 */
export interface OffsetConverter {
  /** Code point index of a UTF-16 index (an index inside a surrogate pair counts as its character's start). */
  toCodePoint(utf16: number): number;
  /** UTF-16 index of a code point index. */
  toUtf16(codePoint: number): number;
  /** Number of astral characters in the text (0: both conversions are identities). */
  readonly astral: number;
}

const IDENTITY: OffsetConverter = { toCodePoint: (u) => u, toUtf16: (c) => c, astral: 0 };
const SURROGATE = /[\uD800-\uDFFF]/;

/** UTF-16 indices of the high surrogates that start an astral character, ascending. */
function astralPositions(text: string): Int32Array {
  const out: number[] = [];
  for (let i = text.search(SURROGATE); i >= 0 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out.push(i);
        i++;
      }
    }
  }
  return Int32Array.from(out);
}

/** Number of entries of a sorted array that are < x. */
function countBelow(sorted: Int32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A converter for one text. Lone surrogates count as one character each, as in DuckDB and Python. */
export function offsetConverter(text: string): OffsetConverter {
  if (!SURROGATE.test(text)) return IDENTITY;
  const pairs = astralPositions(text);
  if (pairs.length === 0) return IDENTITY;
  // The k-th astral character starts at code point pairs[k] - k.
  const pairsCp = pairs.map((u, k) => u - k);
  return {
    astral: pairs.length,
    // Every astral character that starts before u counts one unit too many; an index between the two
    // halves of a pair thereby maps to that pair's own character.
    toCodePoint: (u) => u - countBelow(pairs, u),
    toUtf16: (c) => c + countBelow(pairsCp, c),
  };
}

/** Code point length of a string (what DuckDB's length() returns). */
export function codePointLength(text: string): number {
  return offsetConverter(text).toCodePoint(text.length);
}

/** The part of a text between two code point offsets, as `substr(text, start + 1, end - start)` in SQL. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const conv = offsetConverter(text);
  return text.slice(conv.toUtf16(start), conv.toUtf16(end));
}

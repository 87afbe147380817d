import { collapse } from '../../segment/rules/words.js';

/**
 * Small text helpers shared by the metadata extractors. JavaScript's \b is ASCII-only, so word
 * boundaries around Cyrillic are spelled as look-arounds.
 */

/** Not preceded by a letter or digit. */
export const WB = '(?<![\\p{L}\\p{N}])';
/** Not followed by a letter or digit. */
export const WE = '(?![\\p{L}\\p{N}])';

export interface Span {
  start: number;
  end: number;
}

/** Whitespace runs collapsed to one space, ends trimmed (the segmenter's, which skips strings already so). */
export { collapse };

/** Joins a phrase that the source broke over lines; a hyphen at a line end is a word split, not a space. */
export function joinLines(s: string): string {
  return collapse(s.replace(/(\p{L})-\s*\n\s*(\p{Ll})/gu, '$1-$2'));
}

export function foldYo(s: string): string {
  return s.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
}

export function upperFirst(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

export function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** Gives `lemma` the capitalisation of `surface`, part by part (Ростове-на-Дону → Ростов-на-Дону). */
export function matchCase(lemma: string, surface: string): string {
  const lp = lemma.split(/([-\s])/);
  const sp = surface.split(/([-\s])/);
  return lp
    .map((part, i) => {
      const s = sp[i] ?? '';
      if (s.length > 1 && s === s.toUpperCase() && /\p{Lu}/u.test(s)) return part.toUpperCase();
      return isCapitalised(s) ? upperFirst(part) : part;
    })
    .join('');
}

export function inSpans(pos: number, spans: readonly Span[]): boolean {
  return spans.some((s) => pos >= s.start && pos < s.end);
}

export interface WordTok {
  text: string;
  start: number;
  end: number;
}

/** Words (letters with inner hyphens) with offsets. */
export function wordsWithOffsets(text: string, from = 0, to = text.length): WordTok[] {
  const out: WordTok[] = [];
  const re = /\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*/gu;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

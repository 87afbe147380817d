import { defineRule } from './registry.js';

export const INLINE_NUMBERED = defineRule({
  id: 'inline.numbered',
  family: 'inline',
  role: 'item',
  summary: 'Items numbered inside one paragraph after a lead-in: each "N)" or "N." of an unbroken sequence 1, 2, 3 … (or "а)", "б)", "в)" …, p7d) starts one item, which runs to the next marker.',
  example: 'Участники решили: 1) продолжить …; 2) создать …; 3) рекомендовать …',
  thresholds: {
    items: { value: 2, origin: 'a single "1)" inside a sentence is a reference ("см. п. 1)"), a sequence 1, 2 is a list' },
  },
});

export interface InlineItems {
  /** Offset (in the paragraph string) where the first marker starts: the lead-in is before it. */
  leadEnd: number;
  /** Item content spans (after the marker), in the paragraph string. */
  items: { start: number; end: number; marker: string }[];
}

// A marker: "1)" or "1." (or a letter "а)") after the start, a space, ":" or ";", followed by a space and a letter or quote.
const MARK_RE = /(?:^|(?<=[\s:;,.]))(\d{1,2}|[а-я](?=\)))([.)])\s+(?=[\p{L}«"])/gu;
/** Letter markers run а, б, в … (without ё, й, ъ, ы, ь, as in lists). */
const LETTERS = 'абвгдежзиклмнопрстуфхцчшщэюя';

/**
 * Inline numbering in a paragraph, or null. The numbers must run 1, 2, 3 … with one marker style,
 * so "в 2024 г. 2 раза" or "п. 3)" do not split a sentence. The last item ends at the end of its
 * sentence when more text follows it ("… 6) провести семинар. Резолюция принята единогласно.").
 */
/** A cheap test first: no "1)" or "1." followed by a space, no inline list. */
const FIRST_MARK = /(?:^|[\s:;,.])(?:1[.)]|а\))\s/;

export function findInlineItems(s: string): InlineItems | null {
  if (!FIRST_MARK.test(s)) return null;
  const marks: { at: number; contentAt: number; n: number; style: string; text: string }[] = [];
  for (const m of s.matchAll(MARK_RE)) {
    const letter = !/\d/.test(m[1]);
    // one kind of marker per list: letters after letters, numbers after numbers
    if (marks.length && letter !== !/\d/.test(marks[0].text)) continue;
    const n = letter ? LETTERS.indexOf(m[1]) + 1 : Number(m[1]);
    const want = marks.length + 1;
    if (n !== want) {
      if (n === 1 && marks.length < 2) {
        marks.length = 0; // a new sequence starts
      } else continue;
    }
    if (marks.length && m[2] !== marks[0].style) continue;
    marks.push({ at: m.index, contentAt: m.index + m[0].length, n, style: m[2], text: m[1] + m[2] });
  }
  if (marks.length < 2) return null;
  // "1." right after a colon or at the start, like "1)": a dotted sequence must follow a colon or open the paragraph.
  if (marks[0].style === '.' && !/(?:^|:)\s*$/.test(s.slice(0, marks[0].at))) return null;
  const items = marks.map((m, k) => {
    let end = k + 1 < marks.length ? marks[k + 1].at : s.length;
    if (k === marks.length - 1) {
      const stop = /[.!?]\s+(?=\p{Lu})/u.exec(s.slice(m.contentAt));
      if (stop) end = m.contentAt + stop.index + 1;
    }
    return { start: m.contentAt, end, marker: m.text };
  });
  return { leadEnd: marks[0].at, items };
}

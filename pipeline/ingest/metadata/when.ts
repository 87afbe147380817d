import { findDates, HEAD_YEAR_LINE_RE, isPublicationDate, isReferenceDate, YEAR_AS_TIME_RE, type DateMention } from './dates.js';
import { sliceOf, type Layout } from './layout.js';
import type { Span } from './text.js';

export interface EventDates {
  date_start: string | null;
  date_end: string | null;
  year: number | null;
}

/** Who says a date is the event's: the header, a sentence reporting the event, the adoption line. */
function score(layout: Layout, d: DateMention): number {
  const inside = (s: Span) => d.start >= s.start && d.start < s.end;
  // A news page's header holds the headline and the publication date; the event is in its sentences.
  if (inside(layout.head)) return layout.sourceKind === 'news' ? 1 : 4;
  if (layout.eventSentences.some(inside)) return 4;
  const sentence = layout.sentences.find(inside);
  if (sentence && /дата\s+проведения|сроки\s+проведения/iu.test(sliceOf(layout.text, sentence))) return 4;
  if (d.start >= layout.operativeStart) {
    // "Резолюция принята 22.11.2024" may close the document
    const lineStart = layout.text.lastIndexOf('\n', d.start) + 1;
    return /принят/iu.test(layout.text.slice(lineStart, d.end)) ? 2 : 0;
  }
  return 1;
}

/**
 * The dates the event took place. Dates in the header or in the sentence reporting the event win;
 * references ("приказ от 12.03.2022"), deadlines ("до 01.09.2025") and anything in the operative
 * part (plans) do not count. When a single day and a range containing it are both stated (the header
 * gives the adoption day, the narrative the range), the range is the event.
 */
export function extractDates(layout: Layout): EventDates {
  const { text } = layout;
  const sentenceOf = (pos: number): Span =>
    pos < layout.head.end ? layout.head : layout.sentences.find((s) => pos >= s.start && pos < s.end) ?? { start: pos, end: pos };
  // The publication date of a page is not the event's, but its year dates "прошёл 3 апреля".
  // On a news page a date standing alone in the header ("25.11.2023") is the publication date too.
  const isPublished = (d: DateMention) => isPublicationDate(text, d) || (layout.sourceKind === 'news' && d.start < layout.head.end && aloneOnLine(text, d));
  const published = findDates(layout.masked, sentenceOf).filter(isPublished);
  const pub = published[0] ?? null;
  const fallbackYear = (_pos: number, month: number): number | null => {
    if (pub) {
      const [y, m] = pub.from.split('-').map(Number);
      return month > m ? y - 1 : y;
    }
    return headYear(layout);
  };
  // quoted titles are blanked in `masked`, so "… в 2023 году»" inside a name is never a date
  const mentions = findDates(layout.masked, sentenceOf, fallbackYear).filter(
    (d) => !isPublished(d) && (!isReferenceDate(text, d) || isProtocolDate(layout, d)),
  );
  let best: DateMention | null = null;
  let bestScore = 0;
  for (const d of mentions) {
    const s = score(layout, d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  if (best) {
    const chosen = best;
    const range = mentions.find((d) => d !== chosen && d.from !== d.to && d.from <= chosen.from && d.to >= chosen.to && score(layout, d) >= 4);
    if (range && chosen.from === chosen.to) best = range;
    return { date_start: best.from, date_end: best.to, year: Number(best.from.slice(0, 4)) };
  }
  return { date_start: null, date_end: null, year: yearOnly(layout) };
}

function aloneOnLine(text: string, d: DateMention): boolean {
  const from = text.lastIndexOf('\n', d.start - 1) + 1;
  let to = text.indexOf('\n', d.end);
  if (to < 0) to = text.length;
  return /^\s*$/.test(text.slice(from, d.start)) && /^\s*(?:г\.?|года)?\s*$/u.test(text.slice(d.end, to));
}

/** "ПРОТОКОЛ № 3 … от 28.12.2023": in the header of a protocol or decision, "от" dates the meeting itself. */
function isProtocolDate(layout: Layout, d: DateMention): boolean {
  if (d.start < layout.head.start || d.start >= layout.head.end) return false;
  return /протокол|решени|выписк/iu.test(sliceOf(layout.text, layout.head)) && /(?:^|\s)от\s*$/u.test(layout.text.slice(Math.max(0, d.start - 4), d.start));
}

/** The year a header states on a line of its own ("Вологда, 2024"), if any. */
function headYear(layout: Layout): number | null {
  for (const line of sliceOf(layout.masked, layout.head).split('\n')) {
    const m = HEAD_YEAR_LINE_RE.exec(line.trim());
    if (m) return Number(m[1]);
  }
  return null;
}

/** "состоялась в 2023 году", or a header line "Вологда, 2024": the year without a day. */
function yearOnly(layout: Layout): number | null {
  const headLines = sliceOf(layout.masked, layout.head).split('\n');
  for (const line of headLines) {
    const m = HEAD_YEAR_LINE_RE.exec(line.trim());
    if (m) return Number(m[1]);
  }
  for (const s of layout.eventSentences) {
    YEAR_AS_TIME_RE.lastIndex = 0;
    const m = YEAR_AS_TIME_RE.exec(sliceOf(layout.masked, s));
    if (m) return Number(m[1]);
  }
  return null;
}

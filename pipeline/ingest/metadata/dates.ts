import { WB, WE, type Span } from './text.js';

/** One date or date range written in the text; `start`/`end` are ISO dates, offsets are the mention's. */
export interface DateMention extends Span {
  from: string;
  to: string;
  /** True when the year was not written and came from the surrounding text. */
  yearInferred: boolean;
}

const MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const MONTH = `(${MONTHS_GEN.join('|')})`;
// «22» ноября — a day in quotes is the usual form in Russian official documents
const DAY = `[«"“]?(\\d{1,2})[»"”]?`;
const YEAR = `(\\d{4})(?:\\s*(?:года|год|гг?\\.?${WE}))?`;
const DASH = `\\s*[-–—−]\\s*`;
const TO = `(?:${DASH}|\\s+по\\s+)`;

function iso(y: number, m: number, d: number): string | null {
  if (y < 1950 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const monthOf = (name: string): number => MONTHS_GEN.indexOf(name.toLowerCase()) + 1;
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

interface Pattern {
  re: RegExp;
  /** [y1, m1, d1, y2, m2, d2]; a null year means "not written". */
  parts(m: RegExpExecArray): [number | null, number, number, number | null, number, number] | null;
}

/**
 * Each pattern opens with a lookahead for the characters a match can start with (a digit, a quote
 * mark, the "с" of "с … по …"): without it the engine tested the Unicode lookbehind of WB at every
 * position of the text — the three month-name patterns cost 0.23 ms per document, 3.7 times what they
 * cost with it (same matches, checked on 3,000 synthetic resolutions).
 */
const PATTERNS: Pattern[] = [
  {
    // 30 ноября – 1 декабря 2023 г.; 30 декабря 2023 г. – 2 января 2024 г.; с 30 ноября по 1 декабря 2023
    re: new RegExp(`(?=[сС«"“\\d])${WB}(?:[сС]\\s+)?${DAY}\\s+${MONTH}(?:\\s+${YEAR})?${TO}${DAY}\\s+${MONTH}(?:\\s+${YEAR})?`, 'giu'),
    parts: (m) => {
      const y2 = m[6] ? Number(m[6]) : null;
      let y1 = m[3] ? Number(m[3]) : y2;
      const m1 = monthOf(m[2]);
      const m2 = monthOf(m[5]);
      if (!m[3] && y1 !== null && m1 > m2) y1 -= 1; // the range crosses the new year
      return [y1, m1, Number(m[1]), y2, m2, Number(m[4])];
    },
  },
  {
    // С 17 по 20 апреля 2017 года; 17-18 октября 2019
    re: new RegExp(`(?=[сС«"“\\d])${WB}(?:[сС]\\s+)?${DAY}${TO}${DAY}\\s+${MONTH}(?:\\s+${YEAR})?`, 'giu'),
    parts: (m) => {
      const y = m[4] ? Number(m[4]) : null;
      const mo = monthOf(m[3]);
      return [y, mo, Number(m[1]), y, mo, Number(m[2])];
    },
  },
  {
    // 22 ноября 2024 г.; «30» марта 2023 года
    re: new RegExp(`(?=[«"“\\d])${WB}${DAY}\\s+${MONTH}(?:\\s+${YEAR})?`, 'giu'),
    parts: (m) => {
      const y = m[3] ? Number(m[3]) : null;
      const mo = monthOf(m[2]);
      return [y, mo, Number(m[1]), y, mo, Number(m[1])];
    },
  },
  {
    // 22.11.2024 – 23.11.2024
    re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[-–—−]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])/gu,
    parts: (m) => [Number(m[3]), Number(m[2]), Number(m[1]), Number(m[6]), Number(m[5]), Number(m[4])],
  },
  {
    // 22.11 – 23.11.2024
    re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\s*[-–—−]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])/gu,
    parts: (m) => [Number(m[5]), Number(m[2]), Number(m[1]), Number(m[5]), Number(m[4]), Number(m[3])],
  },
  {
    // 22-23.11.2024
    re: /(?<![\d.])(\d{1,2})\s*[-–—−]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])/gu,
    parts: (m) => [Number(m[4]), Number(m[3]), Number(m[1]), Number(m[4]), Number(m[3]), Number(m[2])],
  },
  {
    // 22.11.2024, 22.11.24
    re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d]|\.\d)/gu,
    parts: (m) => {
      const y = fullYear(m[3]);
      return [y, Number(m[2]), Number(m[1]), y, Number(m[2]), Number(m[1])];
    },
  },
  {
    // 2024-11-22
    re: /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])/gu,
    parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[1]), Number(m[2]), Number(m[3])],
  },
];

const YEAR_RE = /(?<!\d)(19[5-9]\d|20\d\d)(?!\d)/g;

/** The year written nearest before `pos` within [from, to), or after it when none precedes. */
function nearbyYear(text: string, pos: number, scope: Span): number | null {
  let best: number | null = null;
  let bestDist = Infinity;
  YEAR_RE.lastIndex = scope.start;
  for (let m = YEAR_RE.exec(text); m && m.index < scope.end; m = YEAR_RE.exec(text)) {
    const d = Math.abs(m.index - pos);
    if (d < bestDist) {
      bestDist = d;
      best = Number(m[1]);
    }
  }
  return best;
}

/**
 * Every pattern's matches in `text`, for the last text asked about: extractDates calls findDates twice
 * on the same masked text (publication dates, then event dates), and the matching is most of its cost.
 * The matches do not depend on which ones findDates then takes, so the result is the same.
 */
let matchedText: string | null = null;
let matched: RegExpExecArray[][] = [];
function patternMatches(text: string): RegExpExecArray[][] {
  if (text !== matchedText) {
    matched = PATTERNS.map((p) => {
      p.re.lastIndex = 0;
      return [...text.matchAll(p.re)] as RegExpExecArray[];
    });
    matchedText = text;
  }
  return matched;
}

/**
 * Every date and date range in text. Longer patterns are tried first and their matches masked, so
 * "30 ноября – 1 декабря 2023" is one range, not two dates. A date without a year takes the nearest
 * year written in `yearScope(pos)` (its sentence), or is dropped.
 */
export function findDates(text: string, yearScope: (pos: number) => Span, fallbackYear?: (pos: number, month: number) => number | null): DateMention[] {
  const taken: Span[] = [];
  const out: DateMention[] = [];
  const matches = patternMatches(text);
  for (const [k, p] of PATTERNS.entries()) {
    for (const m of matches[k]) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some((t) => start < t.end && end > t.start)) continue;
      const parts = p.parts(m as RegExpExecArray);
      if (!parts) continue;
      let [y1, m1, d1, y2, m2, d2] = parts;
      let yearInferred = false;
      if (y2 === null) {
        // "Семинар прошёл 3 апреля" in an article dated 11 April 2024: the article's year, unless
        // that would put the event after the publication.
        const y = nearbyYear(text, start, yearScope(start)) ?? fallbackYear?.(start, m1) ?? null;
        if (y === null) continue;
        y1 = y;
        y2 = y;
        yearInferred = true;
      }
      const from = iso(y1 ?? y2, m1, d1);
      const to = iso(y2, m2, d2);
      if (!from || !to || to < from) continue;
      taken.push({ start, end });
      out.push({ start, end, from, to, yearInferred });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Contexts where a date is not the event's: document references, deadlines, reference dates. */
const NOT_EVENT_BEFORE = new RegExp(
  `(?:${WB}(?:от|до|к|не\\s+позднее|не\\s+позже|срок\\p{L}*|на|по\\s+состоянию\\s+на|утвержд\\p{L}+|приказ\\p{L}*|указ\\p{L}*|постановлени\\p{L}*|распоряжени\\p{L}*)|№\\s*\\S+)\\s*$`,
  'iu',
);
const NOT_EVENT_AFTER = /^\s*(?:№|N\s*\d)/u;

/** "11 апреля 2024, 15:20", "15 ноября 2025 г. | Пресс-служба", "Опубликовано 11.04.2024": the date a page was published, not the event's. */
export function isPublicationDate(text: string, d: Span): boolean {
  return /^\s*(?:г\.?|года)?\s*(?:[,в]?\s*\d{1,2}:\d{2}|[|•·]\s*\S)/u.test(text.slice(d.end, d.end + 14)) ||
    /(?:опубликован\p{L}*|дата\s+публикации|обновлен\p{L}*|размещен\p{L}*|новости)\s*:?\s*$/iu.test(text.slice(Math.max(0, d.start - 30), d.start));
}

export function isReferenceDate(text: string, d: Span): boolean {
  return NOT_EVENT_BEFORE.test(text.slice(Math.max(0, d.start - 30), d.start)) || NOT_EVENT_AFTER.test(text.slice(d.end, d.end + 6));
}

const MONTHS_LOC = 'январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре';
/** "в 2023 году", "в апреле 2023 г." — a year as the time of something. */
export const YEAR_AS_TIME_RE = new RegExp(
  `(?<!(?:до|к|по|на\\s+период|период\\p{L}*)\\s+)${WB}(?:в|во)\\s+(?:(?:${MONTHS_LOC})\\s+)?(19[5-9]\\d|20\\d\\d)\\s*(?:году|года|г\\.|г${WE})(?!\\s*[/-])`,
  'giu',
);
/** A header line that is only a place and/or a year, perhaps with its month: "Вологда, 2024", "2024 г.", "Москва, март 2024 года". */
export const HEAD_YEAR_LINE_RE = /^(?:[\p{L}. -]+[,–—-]\s*)?(?:(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\p{L}*\s+)?(19[5-9]\d|20\d\d)\s*(?:г\.?|года?)?\s*$/iu;

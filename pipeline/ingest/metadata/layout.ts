import type { Morph } from '../../text/morph.js';
import { findQuotes, type QuoteSpan } from './quotes.js';
import { WB, WE, type Span } from './text.js';

/**
 * The parts of a resolution that metadata comes from. A resolution opens with a header
 * ("Резолюция … конференции «…»", place, date), then narrates the event (when, where, who came),
 * then turns operative (addressee headings, "рекомендовать: …"). Facts about the event live in the
 * first two parts; dates and places in the operative part are plans and addressees.
 */
export interface Layout {
  text: string;
  head: Span;
  /** From the end of the head to the operative part. */
  intro: Span;
  /** Start of the operative part (text.length when none was recognised). */
  operativeStart: number;
  /** Sentences of the intro. */
  sentences: Span[];
  /** Intro sentences that report the event itself ("состоялась", "проходила", …). */
  eventSentences: Span[];
  quotes: QuoteSpan[];
  /** The text with everything inside quotes blanked out (same offsets): titles are not facts. */
  masked: string;
}

/**
 * Verbs that report that the event took place. "Состоявшегося"/"проходившей" refer to the event
 * itself ("Участники семинара, состоявшегося 5 мая …"); "прошедшей" is left out because it usually
 * points back at an earlier event ("резолюции конференции, прошедшей в 2016 году").
 */
export const EVENT_VERB_RE = new RegExp(
  `${WB}(?:состоял(?:ся|ась|ось|ись)|состоявш\\p{L}+|проходивш\\p{L}+|состоится|прош(?:[её]л|ла|ло|ли)|проходил[аио]?|проводил(?:ся|ась|ось|ись)|` +
    `(?:был[аио]?\\s+)?провед[её]н[аоы]?|организован[аоы]?|открыл(?:ся|ась|ось)|работал[аио]?|состоялось)${WE}`,
  'iu',
);

/** Words naming an event; an event sentence must mention one (or a date) besides the verb. */
const EVENT_NOUN_RE = /конференц|форум|семинар|вебинар|совещани|кругл\p{L}*\s+стол|съезд|чтени|сл[её]т|конгресс|симпозиум|ассамбле|фестивал|мероприяти|\d{4}/iu;

const OPERATIVE_CUE_RE = /рекоменд|предлож|решени|постанов|реши(?:ли|л|ть)|считают|считает|просит|просят|резолюц/iu;
const OPERATIVE_START_RE = /^(?:\d+[.)]\s*)?(?:рекомендовать|рекомендуем|предложить|предлагаем|решили|постановили|рекомендуют|участники\s+\p{L}+\s+рекомендуют)/iu;

// "1) …", "1. …", "- …", "II. …"; not "22.11.2024"
const LIST_MARKER_RE = /^(?:-\s|\d{1,2}\)\s*\S|\d{1,2}\.(?!\d)\s*\S|[IVXLC]+\.\s)/u;
const MAX_HEAD_LINES = 15;

interface Line extends Span {
  text: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let pos = 0;
  for (const t of text.split('\n')) {
    out.push({ text: t, start: pos, end: pos + t.length });
    pos += t.length + 1;
  }
  return out;
}

function isBodyLine(line: string): boolean {
  const t = line.trim();
  return (
    /:$/.test(t) ||
    LIST_MARKER_RE.test(t) ||
    EVENT_VERB_RE.test(t) ||
    (t.length >= 150 && /[.!?]$/.test(t))
  );
}

/** An addressee heading: "Департаменту … :", "Образовательным организациям:" (first word in the dative). */
function isAddresseeHeading(line: string, morph: Morph): boolean {
  const t = line.trim().replace(/^(?:[IVXLC]+\.|\d+[.)])\s*/, '');
  if (!/:$/.test(t) || t.length > 200) return false;
  const first = /^[\p{L}-]+/u.exec(t)?.[0];
  if (!first) return false;
  if (/^[\p{Lu}]{2,}$/u.test(first)) return true; // "ГАУ ДПО СОИРО:" — an organisation's abbreviation
  return morph.parse(first).some((p) => (p.pos === 'NOUN' || p.pos === 'ADJF') && p.grammemes.has('datv') && p.score >= 0.1);
}

/**
 * Where the operative part starts on this line: 'before' for a heading or an operative item, 'after'
 * for a lead-in ("Участники семинара, состоявшегося 5 мая 2022 г. в г. Кирове, рекомендуют:") —
 * the lead-in often is the only sentence that reports the event, so it stays in the narrative.
 */
function operativeStartOn(line: string, morph: Morph): 'before' | 'after' | null {
  const t = line.trim();
  if (OPERATIVE_START_RE.test(t) || isAddresseeHeading(t, morph)) return 'before';
  if (/:$/.test(t) && OPERATIVE_CUE_RE.test(t)) return 'after';
  return null;
}

const ABBREV_BEFORE_DOT = /(?:^|[\s(])(?:г|гг|им|ул|д|обл|респ|р|пос|с|т|п|др|ст|корп|к|стр|тел|рис|см|ч|мин|руб|тыс|млн|млрд|проф|доц|акад|канд|наук|пр|пер|просп|\p{Lu})$/u;

/** Sentence spans of text[from, to): split at terminal punctuation (not after abbreviations) and paragraph breaks. */
export function splitSentences(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
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
      const blank = /^[ \t]*\n/.test(text.slice(i + 1, to));
      if (blank || /[.!?:;]$/.test(prev) || LIST_MARKER_RE.test(next)) {
        push(i);
        start = i + 1;
      }
    } else if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      const after = text.slice(i + 1, i + 4);
      if (!/^\s+["«“(\p{Lu}\d-]/u.test(after) && i + 1 < to) continue;
      if (ch === '.' && ABBREV_BEFORE_DOT.test(text.slice(Math.max(from, i - 8), i))) continue;
      push(i + 1);
      start = i + 1;
    }
  }
  push(to);
  return out;
}

export function analyseLayout(text: string, morph: Morph): Layout {
  const lines = splitLines(text);
  const quotes = findQuotes(text);
  let i = 0;
  while (i < lines.length && !lines[i].text.trim()) i++;
  const headStart = lines[i]?.start ?? 0;
  // A letterhead may precede "РЕЗОЛЮЦИЯ"; count the head's length from that word when it is there.
  let counted = 0;
  let headEndLine = i;
  for (let k = i; k < lines.length; k++) {
    const t = lines[k].text.trim();
    if (!t) continue;
    const isTitleWord = /^резолюция/iu.test(t);
    if (isTitleWord) counted = 0;
    else if (isBodyLine(t)) break;
    counted++;
    headEndLine = k + 1;
    if (counted >= MAX_HEAD_LINES) break;
  }
  const headEnd = headEndLine > i ? lines[headEndLine - 1].end : headStart;
  let operativeStart = text.length;
  for (const line of lines) {
    if (line.start < headEnd) continue;
    const where = operativeStartOn(line.text, morph);
    if (where) {
      operativeStart = where === 'before' ? line.start : Math.min(text.length, line.end + 1);
      break;
    }
  }
  const sentences = splitSentences(text, headEnd, operativeStart);
  const eventSentences = sentences.filter((s) => {
    const t = text.slice(s.start, s.end);
    return EVENT_VERB_RE.test(t) && EVENT_NOUN_RE.test(t);
  });
  return {
    text,
    head: { start: headStart, end: headEnd },
    intro: { start: headEnd, end: operativeStart },
    operativeStart,
    sentences,
    eventSentences,
    quotes,
    masked: maskQuotes(text, quotes),
  };
}

function maskQuotes(text: string, quotes: readonly QuoteSpan[]): string {
  const chars = text.split(''); // UTF-16 units, so indices match the offsets
  for (const q of quotes) for (let i = q.innerStart; i < q.innerEnd; i++) if (chars[i] !== '\n') chars[i] = ' ';
  return chars.join('');
}

export function sliceOf(text: string, s: Span): string {
  return text.slice(s.start, s.end);
}

import type { Morph } from '../../text/morph.js';
import { segmentResolution, type Segmentation } from '../../segment/segment.js';
import { splitSentences as splitSentencesShared } from '../../segment/rules/words.js';
import type { SourceKind } from '../../store/types.js';
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
  /** A resolution, or a news article about the event (its header holds the publication date). */
  sourceKind: SourceKind;
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
  // (?=[спбор]): the letters the verbs start with, tested before WB's Unicode lookbehind at each position
  `(?=[спбор])${WB}(?:состоял(?:ся|ась|ось|ись)|состоявш\\p{L}+|проходивш\\p{L}+|состоится|прош(?:[её]л|ла|ло|ли)|проходил[аио]?|проводил(?:ся|ась|ось|ись)|` +
    `(?:был[аио]?\\s+)?провед[её]н[аоы]?|организован[аоы]?|открыл(?:ся|ась|ось)|работал[аио]?|состоялось)${WE}`,
  'iu',
);

/** Words naming an event; an event sentence must mention one (or a date) besides the verb. */
const EVENT_NOUN_RE = /конференц|форум|семинар|вебинар|совещани|кругл\p{L}*\s+стол|съезд|чтени|сл[её]т|конгресс|симпозиум|ассамбле|фестивал|мероприяти|обсуждени|встреч|педсовет|заседани|собрани|\d{4}/iu;

// "1) …", "1. …", "- …", "II. …"; not "22.11.2024"
const LIST_MARKER_RE = /^(?:-\s|\d{1,2}\)\s*\S|\d{1,2}\.(?!\d)\s*\S|[IVXLC]+\.\s)/u;
const MAX_HEAD_LINES = 15;
/** "РЕЗОЛЮЦИЯ", "**РЕЗОЛЮЦИЯ**", "### Резолюция …": the document's title word (markdown marks allowed). */
const TITLE_WORD_RE = /^[#*_\s]*резолюция/iu;
/** A title line a web page's menu may precede: the title word, not a sentence that mentions it. */
const TITLE_LINE_RE = /^[#*_\s]*(?:резолюция|решение|рекомендации|обращение)(?![\p{L}])[^.!?]*$/iu;

interface Line extends Span {
  text: string;
}

/**
 * The text's lines (what text.split('\n') gives, with offsets), cut only as far as they are asked
 * for: the head is a few lines, and splitting every line of the document for it made an object and a
 * string per line (≈ 100 per synthetic resolution).
 */
function lazyLines(text: string): (k: number) => Line | undefined {
  const lines: Line[] = [];
  let next = 0; // where the next line starts; -1 once the last line is cut
  return (k) => {
    while (lines.length <= k && next >= 0) {
      const nl = text.indexOf('\n', next);
      const end = nl < 0 ? text.length : nl;
      lines.push({ text: text.slice(next, end), start: next, end });
      next = nl < 0 ? -1 : nl + 1;
    }
    return lines[k];
  };
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

/** Sentence spans of text[from, to): the segmenter's splitter, one for the whole project. */
export function splitSentences(text: string, from: number, to: number): Span[] {
  return splitSentencesShared(text, from, to);
}

/** What layout takes from the segmenter: where the narrative ends, and whether the text is a news article. */
export type SegmenterFront = Pick<Segmentation, 'narrativeEnd' | 'sourceKind'>;

/**
 * The layout of a normalised text. `front` is a segmentation of this text already made (the whole
 * one, when ingest hands it to the segment stage: segment/handoff.ts); without it the segmenter's
 * front part runs here, up to the operative part's start — the same narrativeEnd and sourceKind.
 */
export function analyseLayout(text: string, morph: Morph, front?: SegmenterFront): Layout {
  const line = lazyLines(text);
  const quotes = findQuotes(text);
  let i = 0;
  while (line(i) !== undefined && !line(i)!.text.trim()) i++;
  // A letterhead may precede "РЕЗОЛЮЦИЯ"; count the head's length from that word when it is there.
  let counted = 0;
  let headEndLine = i;
  let titled = false;
  for (let k = i; line(k) !== undefined; k++) {
    const t = line(k)!.text.trim();
    if (!t) continue;
    const isTitleWord = TITLE_WORD_RE.test(t);
    if (isTitleWord) counted = 0;
    else if (isBodyLine(t)) {
      // A web page's menu ("- Главная", "- Контакты") before the document's own title: the head is
      // the title's, further down.
      const menu = !titled && t.length <= 40 && LIST_MARKER_RE.test(t) && !EVENT_VERB_RE.test(t);
      let title = -1;
      for (let n = k + 1; menu && title < 0 && n < k + MAX_HEAD_LINES * 2 && line(n) !== undefined; n++) {
        if (TITLE_LINE_RE.test(line(n)!.text.trim())) title = n;
      }
      if (title < 0) break;
      k = title - 1;
      i = title;
      counted = 0;
      continue;
    }
    titled ||= isTitleWord;
    counted++;
    headEndLine = k + 1;
    if (counted >= MAX_HEAD_LINES) break;
  }
  const headStart = line(i)?.start ?? 0;
  const headEnd = headEndLine > i ? line(headEndLine - 1)!.end : headStart;
  // Where the narrative ends is the segmenter's decision (one layout reader for the whole project):
  // the line that opens the operative part, or the end of a lead-in sentence that reports the event.
  const seg = front ?? segmentResolution(text, morph, { untilOperative: true });
  const operativeStart = Math.max(headEnd, Math.min(text.length, seg.narrativeEnd ?? text.length));
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
    sourceKind: seg.sourceKind,
    sentences,
    eventSentences,
    quotes,
    masked: maskQuotes(text, quotes),
  };
}

/**
 * Every UTF-16 unit inside a quote's marks becomes a space, line breaks kept (offsets unchanged).
 * Built from slices: splitting the whole text into characters and joining it again cost 0.14 ms per
 * document, 8 % of ingest's CPU on the synthetic corpus.
 */
export function maskQuotes(text: string, quotes: readonly QuoteSpan[]): string {
  const inner = quotes.filter((q) => q.innerEnd > q.innerStart).map((q) => [q.innerStart, q.innerEnd] as const).sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [start, end] of inner) {
    const from = Math.max(start, pos);
    if (end <= from) continue;
    // No `u` flag: one space per UTF-16 unit, as the offsets count.
    out += text.slice(pos, from) + text.slice(from, end).replace(/[^\n]/g, ' ');
    pos = end;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

export function sliceOf(text: string, s: Span): string {
  return text.slice(s.start, s.end);
}

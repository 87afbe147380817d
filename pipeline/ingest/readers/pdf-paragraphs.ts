import type { Block } from './blocks.js';
import { median, type PdfLine } from './pdf-lines.js';

/**
 * Rebuilds paragraphs from the hard-wrapped lines of a PDF. A line break is a paragraph break when the
 * next line is a list item, when the vertical gap is clearly wider than the line spacing, when the next
 * line's first word would have fitted on this line (so the break was not a wrap), or when punctuation
 * and capitalisation say a sentence-level unit ended. Everything else is a wrap and is joined.
 */

export interface ParagraphOptions {
  /** Whether a lower-case word is in the dictionary; decides whether a hyphen at a line end is a wrap. */
  isKnownWord(word: string): boolean;
}

/** List markers as they appear at the start of a PDF line (bullets may come through as Symbol-font PUA). */
export const LIST_MARKER_RE =
  /^(?:[-–—−•·▪►●○■□◦‣⁃*★☆✦✧◆◇▶▸⮚➔➜➞⇒⇨☑✓✔✗✘➢➤◼◾⬤◉⦁∙\uF0A7\uF0B7\uF076\uF0D8\uF0FC](?=\s|\p{L}|\d|«|")|\d{1,2}(?:\.\d{1,2})*[.)](?=\s|\p{Lu})|[IVXLC]{1,5}\.(?=\s)|\p{Ll}\)(?=\s))/u;

/** Gap between baselines, relative to the usual line spacing, above which a new paragraph starts. */
const PARAGRAPH_GAP = 1.25;

/** Abbreviations that end in a full stop without ending the sentence ("в г. Вологде"). */
const ABBREVIATIONS = new Set([
  'г', 'гг', 'им', 'ул', 'обл', 'пр', 'просп', 'пос', 'д', 'с', 'ст', 'п', 'пп', 'ч', 'т', 'тыс', 'млн',
  'млрд', 'руб', 'проф', 'доц', 'акад', 'см', 'рис', 'табл', 'стр',
]);

export function startsWithListMarker(text: string): boolean {
  return LIST_MARKER_RE.test(text);
}


/** The usual baseline-to-baseline distance between consecutive lines on a page. */
export function typicalLineSpacing(lines: readonly PdfLine[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = lines[i - 1].y - lines[i].y;
    if (lines[i].page === lines[i - 1].page && gap > 0) gaps.push(gap);
  }
  return median(gaps);
}

function endsWithAbbreviation(text: string): boolean {
  const m = /(?:^|[\s(«"])(\p{L}+)\.$/u.exec(text);
  if (!m) return false;
  // An initial ("А. С. Пушкин") is a single capital letter.
  return ABBREVIATIONS.has(m[1].toLowerCase()) || /^\p{Lu}$/u.test(m[1]);
}

/** "педаго-" at a line end (some fonts give U+2010 HYPHEN or a soft hyphen instead of "-"). */
function endsWithWrapHyphen(text: string): boolean {
  return /[\p{L}\d][-\u2010\u00AD]$/u.test(text);
}

export interface Layout {
  lineSpacing: number;
  rightEdge: number;
  /** Left edge of the text column (the leftmost line start); absent in older callers. */
  leftEdge?: number;
}

function charWidth(line: PdfLine): number {
  return (line.right - line.x) / Math.max(1, line.text.length);
}

/** True when the next line's first word would have fitted after this line, so the break was not a wrap. */
function nextWordFits(a: PdfLine, b: PdfLine, rightEdge: number): boolean {
  const firstWord = /^\S+/.exec(b.text)?.[0] ?? '';
  // Justified lines have stretched spaces, so the narrower of the two average widths is the better guess.
  const w = Math.min(charWidth(a), charWidth(b));
  // Two characters of slack, because the width is an estimate: only clearly deliberate breaks count.
  return a.right + w * (firstWord.length + 1 + 2) < rightEdge;
}

/** A line that reaches the right edge: in justified text, every line of a paragraph but the last. */
function reachesRightEdge(a: PdfLine, rightEdge: number): boolean {
  return a.right >= rightEdge - charWidth(a);
}

/** Dashes also occur inside sentences and may be wrapped to a line start; bullets and numbers do not. */
const DASH_MARKER_RE = /^[-–—−]/;

/** A line centred in the text column (and, unless `wide` is allowed, not spanning it). */
function isCentered(l: PdfLine, layout: Layout, wide = false): boolean {
  if (layout.leftEdge === undefined || !Number.isFinite(layout.leftEdge)) return false;
  const w = charWidth(l);
  const left = l.x - layout.leftEdge;
  const right = layout.rightEdge - l.right;
  return (wide || left > 2 * w) && Math.abs(left - right) <= 3 * w;
}

/** For centred lines: whether the next line's first word would have fitted in the column after this line. */
function nextWordFitsCentered(a: PdfLine, b: PdfLine, layout: Layout): boolean {
  const firstWord = /^\S+/.exec(b.text)?.[0] ?? '';
  const w = Math.min(charWidth(a), charWidth(b));
  return a.right - a.x + w * (firstWord.length + 1) < layout.rightEdge - (layout.leftEdge ?? 0);
}

export function startsNewParagraph(a: PdfLine, b: PdfLine, layout: Layout, inListItem = false): boolean {
  if (startsWithListMarker(b.text) && (!DASH_MARKER_RE.test(b.text) || /[.;:!?,]$/.test(a.text))) return true;
  if (endsWithWrapHyphen(a.text) && /^[\p{L}\d]/u.test(b.text)) return false;
  if (a.page === b.page) {
    const gap = a.y - b.y;
    // Text going back up the page is a new column or a positioned block, never a wrap.
    if (gap <= 0) return true;
    if (layout.lineSpacing > 0 && gap > layout.lineSpacing * PARAGRAPH_GAP) return true;
    // The next line of a hanging-indent item starts right of the marker, at most where the text after
    // it started (further left when a wide number pushed that text to the next tab stop).
    if (a.bodyX !== undefined && b.x > a.x + charWidth(b) && b.x <= a.bodyX + 1.5 * charWidth(b)) return false;
    // A centred heading wrapped over lines: both centred, and the next line's first word would not
    // have fitted on the first within the column (a short centred line followed by another is a break).
    if (
      isCentered(a, layout, true) &&
      isCentered(b, layout) &&
      !/[.!?]$/.test(a.text) &&
      (!/[:;]$/.test(a.text) || /^\p{Ll}/u.test(b.text)) &&
      !nextWordFitsCentered(a, b, layout)
    ) {
      return false;
    }
    // First-line indent; list items are exempt because their hanging indent looks the same.
    if (!inListItem && b.x - a.x > 1.5 * charWidth(b)) return true;
  }
  if (nextWordFits(a, b, layout.rightEdge)) return true;
  const nextStartsSentence = /^[«"„]?\p{Lu}/u.test(b.text);
  if (/[:;]$/.test(a.text) && nextStartsSentence) return true;
  // A full-width line ending a sentence is, in justified text, the middle of a paragraph.
  if (/[.!?]$/.test(a.text) && nextStartsSentence && !endsWithAbbreviation(a.text) && !reachesRightEdge(a, layout.rightEdge)) return true;
  return false;
}

/**
 * What the dehyphenation can consult: the dictionary, and how the document itself spells words away
 * from line ends (a resolution that writes "организационно-методического" mid-line settles the case
 * of "организационно-" + "методическому" at a break, whatever the dictionary says).
 */
export interface HyphenEvidence {
  isKnownWord(word: string): boolean;
  /** The document has "head-tail…" somewhere inside a line. */
  hasCompound(head: string, tail: string): boolean;
  /** The document has "headtail…" written solid somewhere. */
  hasSolid(head: string, tail: string): boolean;
}

/** Enough of the tail to ignore its inflection ("методическому" / "методического"). */
const TAIL_STEM = 5;

export function collectHyphenEvidence(lines: readonly string[], isKnownWord: (w: string) => boolean): HyphenEvidence {
  const compounds = new Set<string>();
  const solid = new Set<string>();
  for (const line of lines) {
    // The last word of a line ending in a hyphen is the broken one, so it is no evidence.
    const body = line.replace(/\p{L}+-$/u, '').toLowerCase();
    for (const m of body.matchAll(/\p{L}+(?:-\p{L}+)+/gu)) {
      const parts = m[0].split('-');
      for (let i = 1; i < parts.length; i++) compounds.add(`${parts[i - 1]}-${parts[i].slice(0, TAIL_STEM)}`);
    }
    for (const m of body.matchAll(/(?<![-\p{L}])\p{L}+(?![-\p{L}])/gu)) solid.add(m[0]);
  }
  return {
    isKnownWord,
    hasCompound: (head, tail) => compounds.has(`${head}-${tail.slice(0, TAIL_STEM)}`),
    hasSolid: (head, tail) => {
      const prefix = head + tail.slice(0, TAIL_STEM);
      for (const w of solid) if (w.startsWith(prefix)) return true;
      return false;
    },
  };
}

/**
 * First halves of compound adjectives frequent in education documents. They are listed because the
 * dictionary has a few of the solid forms as errors ("организационнометодическому"), and these stems
 * never start a word written solid.
 */
const COMPOUND_HEADS = new Set([
  'психолого', 'медико', 'социально', 'научно', 'учебно', 'организационно', 'информационно', 'нормативно',
  'финансово', 'культурно', 'историко', 'физико', 'военно', 'духовно', 'общественно', 'художественно',
  'эколого', 'спортивно', 'опытно', 'проектно', 'исследовательско', 'программно', 'методико', 'коррекционно',
]);

/**
 * Whether "head-" + "tail" at a line break is a real hyphenated compound. The document's own spelling
 * decides first, then the dictionary ("педаго-гический" is a wrap because "педагогический" is a word;
 * "учителя-логопеды" is a compound because both halves are words and the join is not); unknown words
 * fall back to the shape of Russian compound stems, which end in -о/-е ("психолого-", "научно-").
 */
export function keepsHyphen(head: string, tail: string, evidence: HyphenEvidence): boolean {
  const h = head.toLowerCase();
  const t = tail.toLowerCase();
  if (evidence.hasCompound(h, t)) return true;
  if (evidence.hasSolid(h, t)) return false;
  if (COMPOUND_HEADS.has(h)) return true;
  if (evidence.isKnownWord(h + t)) return false;
  if (h.length >= 4 && evidence.isKnownWord(h) && evidence.isKnownWord(t)) return true;
  if (evidence.isKnownWord(`${h}-${t}`)) return true;
  return h.length >= 4 && /[ое]$/.test(h);
}

/** Appends a wrapped line to the paragraph so far, undoing end-of-line hyphenation. */
export function joinWrapped(prev: string, next: string, evidence: HyphenEvidence): string {
  if (prev.endsWith('\u00AD')) return prev.slice(0, -1) + next;
  if (/\d[-–]$/.test(prev) && /^\d/.test(next)) return prev + next; // "2023–" + "2024"
  // Long URLs and "подхода/медиации" are broken after a separator, never at a space.
  if (/(?:^|\s)(?:https?:\/\/|www\.)\S*[/?&=#_-]$/.test(prev) || /\p{L}\/$/u.test(prev)) return prev + next;
  const head = /(\p{L}+)[-\u2010]$/u.exec(prev)?.[1];
  const tail = /^\p{L}+/u.exec(next)?.[0];
  if (!head || !tail) return `${prev} ${next}`;
  const isCaps = (w: string) => w === w.toUpperCase();
  // "Санкт-" + "Петербург": a capitalised continuation is a name, unless the whole heading is in capitals.
  const capitalised = /^\p{Lu}/u.test(tail) && !(isCaps(head) && isCaps(tail));
  if (capitalised || keepsHyphen(head, tail, evidence)) return `${prev.slice(0, -1)}-${next}`;
  return prev.slice(0, -1) + next;
}

/** Joins lines into paragraphs and groups consecutive list items into list blocks. */
export function linesToBlocks(lines: readonly PdfLine[], options: ParagraphOptions): Block[] {
  const layout: Layout = {
    lineSpacing: typicalLineSpacing(lines),
    rightEdge: lines.reduce((max, l) => Math.max(max, l.right), 0),
    leftEdge: lines.reduce((min, l) => Math.min(min, l.x), Infinity),
  };
  const evidence = collectHyphenEvidence(lines.map((l) => l.text), options.isKnownWord);
  const paragraphs: string[] = [];
  lines.forEach((line, i) => {
    const inListItem = paragraphs.length > 0 && startsWithListMarker(paragraphs[paragraphs.length - 1]);
    if (i > 0 && !startsNewParagraph(lines[i - 1], line, layout, inListItem)) {
      paragraphs[paragraphs.length - 1] = joinWrapped(paragraphs[paragraphs.length - 1], line.text, evidence);
    } else {
      paragraphs.push(line.text);
    }
  });
  const blocks: Block[] = [];
  for (const p of paragraphs) {
    const isItem = startsWithListMarker(p);
    const last = blocks[blocks.length - 1];
    if (isItem && last?.kind === 'list') last.lines.push(p);
    else blocks.push({ kind: isItem ? 'list' : 'paragraph', lines: [p] });
  }
  return blocks;
}

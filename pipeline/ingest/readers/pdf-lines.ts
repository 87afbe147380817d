/**
 * Rebuilds text lines from pdf.js text items. A PDF has no lines, only positioned runs of glyphs, so
 * runs whose baselines agree are one line, read left to right, and a gap wider than a fraction of the
 * font size between two runs is a space the PDF did not spell out.
 */

export interface PdfTextItem {
  str: string;
  /** Baseline origin in PDF user space (y grows upwards). */
  x: number;
  y: number;
  width: number;
  /** Font height; 0 for the whitespace runs some producers emit. */
  height: number;
}

export interface PdfLine {
  text: string;
  x: number;
  right: number;
  /** Baseline; within a page, later lines have smaller y. */
  y: number;
  height: number;
  /** 1-based page number. */
  page: number;
  /**
   * Where the text after a list marker starts, when the line is known to open with one (OCR lines,
   * from word boxes): continuation lines of a hanging-indent item start here.
   */
  bodyX?: number;
  /** The line's runs split at gaps too wide for a space (table columns); set when there are two or more. */
  cells?: PdfCell[];
  /** The line's runs as placed (words or chunks), for assigning text to table columns. */
  runs?: PdfCell[];
}

export interface PdfCell {
  text: string;
  x: number;
  right: number;
}

/**
 * A gap wider than this many font heights between two runs of one line separates table cells, not
 * words: word spaces are 0.2–0.35 heights (justified lines stretch them to about 1), the columns of
 * our fixtures' tables are 5–10 heights apart.
 */
export const CELL_GAP = 1.8;

/** Splits positioned runs (sorted by x) into cells at column-wide gaps; null when they form one. */
export function splitCells(runs: readonly { text: string; x: number; right: number }[], height: number): PdfCell[] | null {
  const cells: PdfCell[] = [];
  for (const r of runs) {
    if (r.text.trim() === '') continue;
    const last = cells[cells.length - 1];
    if (last && r.x - last.right <= CELL_GAP * height) {
      last.text += r.x - last.right > WORD_GAP * height && !/\s$/.test(last.text) ? ` ${r.text}` : r.text;
      last.right = Math.max(last.right, r.right);
    } else cells.push({ text: r.text, x: r.x, right: r.right });
  }
  for (const c of cells) c.text = c.text.replace(/\s+/g, ' ').trim();
  return cells.length >= 2 ? cells : null;
}

/** Baselines closer than this fraction of the font height belong to one line (covers sub/superscripts). */
const SAME_LINE = 0.45;
/** A gap wider than this fraction of the font height between runs is a word space. */
const WORD_GAP = 0.15;
const DEFAULT_HEIGHT = 10;

/**
 * A note reference: a number or asterisks set smaller and above the baseline («области.¹», and the «¹»
 * before the note itself at the page foot). Glued to the word before it, it would make «области.1».
 */
function isNoteReference(item: PdfTextItem, tallest: PdfTextItem): boolean {
  return (
    item !== tallest &&
    /^(?:\d{1,3}|\*{1,3})$/.test(item.str.trim()) &&
    item.height > 0 &&
    item.height < 0.8 * tallest.height &&
    item.y > tallest.y + 0.2 * tallest.height
  );
}

function lineFromItems(allItems: PdfTextItem[], page: number): PdfLine | null {
  const present = allItems.filter((i) => i.str.trim() !== '');
  if (present.length === 0) return null;
  const tallestOfAll = present.reduce((t, i) => (i.height > t.height ? i : t));
  const items = allItems.filter((i) => !isNoteReference(i, tallestOfAll));
  const sorted = [...items].sort((a, b) => a.x - b.x);
  const visible = sorted.filter((i) => i.str.trim() !== '');
  if (visible.length === 0) return null;
  const tallest = visible.reduce((t, i) => (i.height > t.height ? i : t));
  const height = tallest.height || DEFAULT_HEIGHT;
  let text = '';
  let prevRight: number | null = null;
  for (const item of sorted) {
    if (item.str === '') continue;
    const gap = prevRight === null ? 0 : item.x - prevRight;
    if (prevRight !== null && gap > WORD_GAP * height && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    text += item.str;
    prevRight = item.x + item.width;
  }
  const runs = sorted.filter((i) => i.str.trim() !== '').map((i) => ({ text: i.str.trim(), x: i.x, right: i.x + i.width }));
  const cells = splitCells(runs, height);
  return {
    text: text.replace(/\s+/g, ' ').trim(),
    x: Math.min(...visible.map((i) => i.x)),
    right: Math.max(...visible.map((i) => i.x + i.width)),
    y: tallest.y,
    height,
    page,
    runs,
    ...(cells ? { cells } : {}),
  };
}

/** Groups one page's items into lines, top to bottom. */
export function itemsToLines(items: readonly PdfTextItem[], page: number): PdfLine[] {
  const byY = [...items].sort((a, b) => b.y - a.y);
  const lines: PdfLine[] = [];
  let current: PdfTextItem[] = [];
  // The line's baseline and size follow its tallest run, so a superscript met first does not decide them.
  let baseline = 0;
  let height = 0;
  const flush = () => {
    const line = current.length > 0 ? lineFromItems(current, page) : null;
    if (line) lines.push(line);
  };
  for (const item of byY) {
    const itemHeight = item.height || (item.str.trim() ? DEFAULT_HEIGHT : 0);
    if (current.length > 0 && Math.abs(item.y - baseline) <= SAME_LINE * Math.max(height, itemHeight, 1)) {
      current.push(item);
      if (itemHeight > height) [baseline, height] = [item.y, itemHeight];
      continue;
    }
    flush();
    current = [item];
    [baseline, height] = [item.y, itemHeight];
  }
  flush();
  return lines;
}

// Up to three digits: a lone "2024" at the foot of a title page is a year, not a page number.
const PAGE_NUMBER_RE = [
  /^[-–—]?\s*\d{1,3}\s*[-–—]?$/,
  /^(?:стр\.?|страница|page)\s*\d{1,3}(?:\s*(?:из|of|\/)\s*\d{1,3})?$/i,
  /^\d{1,3}\s*(?:из|of|\/)\s*\d{1,3}$/i,
];

export function isPageNumber(text: string): boolean {
  return PAGE_NUMBER_RE.some((re) => re.test(text.trim()));
}

/** How many lines at the top and at the bottom of a page can be running headers or footers. */
export const EDGE_LINES = 2;

function edgeIndexes(count: number): number[] {
  const idx = new Set<number>();
  for (let i = 0; i < Math.min(EDGE_LINES, count); i++) {
    idx.add(i);
    idx.add(count - 1 - i);
  }
  return [...idx];
}

/** Page numbers differ from page to page; the rest of a running header does not. */
export function furnitureKey(text: string): string {
  return text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Longer lines are text, not a running title. */
export const MAX_TITLE_CHARS = 160;

/**
 * A running title seen once (the second page of two, a first page without one) still stands out
 * where a sentence runs across the page break: the last line before the break ends unfinished and,
 * within the next page's first lines, a line goes on in lower case. How many of those first lines
 * stand between the two halves (each short, not in lower case, no heading ending with a colon and no
 * numbered line, and naming the document or the event), or 0.
 */
export function titleBetweenHalves(before: string, after: readonly string[]): number {
  if (/[.;:!?]\s*$/.test(before) || before.trim() === '') return 0;
  const lower = (t: string) => /^\s*\p{Ll}/u.test(t);
  const goesOn = after.slice(0, EDGE_LINES + 1).findIndex((t, k) => k > 0 && lower(t));
  if (goesOn < 1) return 0;
  // A heading over the next items ends with a colon or opens with a list number; a running title does neither.
  // And it names the document or the event: a year, a quoted title, the genre's words.
  const title = (t: string) =>
    !lower(t) &&
    t.trim().length <= MAX_TITLE_CHARS &&
    !/:\s*$/.test(t) &&
    !/^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[IVXLC]{1,5}\.|[-–—•])\s/u.test(t) &&
    /\d|[«"“]|резолюц|решени|рекомендац|итогов|конференц|форум|семинар|совещани|съезд|чтени/iu.test(t);
  return after.slice(0, goesOn).every(title) ? goesOn : 0;
}

/**
 * Drops page numbers and running headers/footers: lines at the top or bottom of a page that are a page
 * number, or that repeat (digits aside) at the edge of at least half of the pages, and of two at least;
 * and a title seen once between the halves of a sentence the page break cut (titleBetweenHalves).
 */
export function dropPageFurniture(pages: readonly PdfLine[][]): PdfLine[][] {
  const pagesWithKey = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(edgeIndexes(lines.length).map((i) => furnitureKey(lines[i].text)));
    for (const key of keys) pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  }
  const repeated = (text: string): boolean => {
    const n = pagesWithKey.get(furnitureKey(text)) ?? 0;
    return n >= 2 && n * 2 >= pages.length;
  };
  const kept = pages.map((lines) => {
    const edges = new Set(edgeIndexes(lines.length));
    return lines.filter((line, i) => !(edges.has(i) && (isPageNumber(line.text) || repeated(line.text))));
  });
  for (let p = 1; p < kept.length; p++) {
    const before = kept[p - 1][kept[p - 1].length - 1];
    const drop = before ? titleBetweenHalves(before.text, kept[p].map((l) => l.text)) : 0;
    if (drop > 0) kept[p] = kept[p].slice(drop);
  }
  return moveFootnotes(kept);
}

/** The middle value (the upper one of an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const FOOTNOTE_MARK_RE = /^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})\s*\S/u;
const NUMBERED_NOTE_RE = /^\s*\d{1,2}\s+\p{Lu}/u;

/**
 * Footnotes at the foot of a page («¹ Утверждена приказом …», or «1 Утверждена …» in a smaller font)
 * move after the last page: a sentence the page break cut («4. Университету … / совместно с …» —
 * page — «создать сетевое сообщество …») then joins across the break, and the notes stay in the text.
 */
export function moveFootnotes(pages: readonly PdfLine[][]): PdfLine[][] {
  const notes: PdfLine[] = [];
  const out = pages.map((lines, p) => {
    if (p === pages.length - 1 || lines.length < 4) return [...lines];
    const body = median(lines.map((l) => l.height));
    // the first line of the page's last lines that opens a note; every line after it is the note's
    let at = -1;
    for (let i = lines.length - 1; i >= Math.max(1, lines.length - 8); i--) {
      const l = lines[i];
      const small = l.height < body * 0.9;
      if (FOOTNOTE_MARK_RE.test(l.text) || (small && NUMBERED_NOTE_RE.test(l.text))) at = i;
      // a full-size line at the very foot: the page has no notes
      else if (!small && i === lines.length - 1) break;
    }
    if (at < 1) return [...lines];
    // notes are set in a smaller font than the text above them, or open with a note mark
    const tail = lines.slice(at);
    if (!tail.every((l) => l.height <= body * 1.02)) return [...lines];
    notes.push(...tail);
    return lines.slice(0, at);
  });
  if (notes.length) out.push(notes);
  return out;
}


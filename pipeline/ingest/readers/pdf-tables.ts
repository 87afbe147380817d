import type { Block } from './blocks.js';
import type { PdfLine } from './pdf-lines.js';
import { linesToBlocks, startsWithListMarker, type ParagraphOptions } from './pdf-paragraphs.js';

/**
 * Tables in a PDF's text layer (and in OCR lines). A PDF has no tables, only text placed in columns:
 * a row of a "plan of measures" is one line of runs far apart («1 … Организовать … Управление … до
 * 01.09.2024»), and each cell's text wraps within its column on the lines below. Read as paragraphs,
 * the cells of a row interleave line by line into nonsense. Here a run of lines whose cells stand in
 * the same columns is taken as a table: a row starts at a line with text in the first column and in at
 * least one other, the lines after it add to the cells they fall in, and each row becomes one
 * " | "-joined line, as every reader writes tables.
 */

export interface TableRun {
  /** Index of the first and one past the last line of the run. */
  start: number;
  end: number;
  rows: string[];
}

/** Column starts closer than this (points) are one column. */
const ALIGN = 4;

/**
 * A line that only looks like cells: a list item whose marker stands apart («1.» tab «Text»). Its
 * two "cells" are marker and text; a table row with a marker in its first column has more.
 */
function isListItem(line: PdfLine): boolean {
  return line.cells !== undefined && line.cells.length === 2 && startsWithListMarker(`${line.cells[0].text} x`) && /^\S+$/.test(line.cells[0].text);
}

function isRow(line: PdfLine): boolean {
  return line.cells !== undefined && !isListItem(line);
}

function near(x: number, anchors: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < anchors.length; i++) if (Math.abs(anchors[i] - x) <= ALIGN && (best < 0 || Math.abs(anchors[i] - x) < Math.abs(anchors[best] - x))) best = i;
  return best;
}

/** Joins a cell's wrapped pieces: words cut at a column edge without a hyphen are glued back when the dictionary knows the whole. */
function joinPieces(pieces: readonly string[], isKnownWord: (w: string) => boolean): string {
  let out = '';
  for (const p of pieces) {
    if (out === '') {
      out = p;
      continue;
    }
    const head = /(\p{L}+)$/u.exec(out)?.[1];
    const tail = /^(\p{Ll}+)/u.exec(p)?.[1];
    if (head && tail && !isKnownWord(head.toLowerCase()) && isKnownWord((head + tail).toLowerCase())) out += p;
    else if (/\p{L}-$/u.test(out) && /^\p{L}/u.test(p)) {
      // "педаго-" + "гический" is one word; "онлайн-" + "консультации" keeps its hyphen.
      const whole = (/(\p{L}+)-$/u.exec(out)![1] + (tail ?? '')).toLowerCase();
      out = tail && isKnownWord(whole) ? out.slice(0, -1) + p : out + p;
    } else out += ` ${p}`;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Finds the tables among one page's lines (top to bottom). A table starts at a line of cells; its
 * cells' left edges are the columns. Each later line's runs go to the column they start in (a cell
 * whose text fills its width leaves no wide gap before the next column, so gaps alone cannot split
 * such lines). A row starts at a line with text in the first column and another; other lines add to
 * the row above. The table ends at a line that starts left of the first column, has a run crossing a
 * column edge, or lies more than three lines below the one before. Two rows at least.
 */
export function findTables(lines: readonly PdfLine[], isKnownWord: (w: string) => boolean): TableRun[] {
  const runs: TableRun[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (!isRow(first)) {
      i++;
      continue;
    }
    const anchors = first.cells!.map((c) => c.x);
    const column = (x: number) => {
      let col = -1;
      for (let k = 0; k < anchors.length; k++) if (x >= anchors[k] - ALIGN) col = k;
      return col;
    };
    const rows: string[][][] = [];
    let j = i;
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (line.page !== first.page) break;
      if (j > i && lines[j - 1].y - line.y > 3 * Math.max(line.height, lines[j - 1].height) + 4) break;
      const pieces = line.runs?.length ? line.runs : [{ text: line.text, x: line.x, right: line.right }];
      const cols = pieces.map((p) => column(p.x));
      if (cols.some((c) => c < 0)) break;
      // A run reaching into the next column is running text (a paragraph after the table).
      if (pieces.some((p, k) => cols[k] + 1 < anchors.length && p.right > anchors[cols[k] + 1] + ALIGN)) break;
      // Every piece of text in a column starts near that column's edge, or follows text on its line.
      const startsNearEdge = pieces.every((p, k) => (k > 0 && cols[k - 1] === cols[k]) || near(p.x, anchors) === cols[k] || p.x - anchors[cols[k]] < 3 * line.height);
      if (!startsNearEdge) break;
      const used = new Set(cols);
      const startsRow = used.has(0) && (used.size >= 2 || rows.length === 0);
      if (startsRow) rows.push(anchors.map(() => []));
      else if (rows.length === 0) break;
      const row = rows[rows.length - 1];
      const parts = anchors.map(() => [] as string[]);
      pieces.forEach((p, k) => parts[cols[k]].push(p.text));
      parts.forEach((ps, k) => ps.length && row[k].push(ps.join(' ')));
    }
    if (rows.length >= 2 && anchors.length >= 2) {
      runs.push({ start: i, end: j, rows: rows.map((cells) => cells.map((c) => joinPieces(c, isKnownWord)).join(' | ')) });
      i = j;
    } else i++;
  }
  return runs;
}

/**
 * Pages of lines (page furniture already dropped) to blocks: tables found on each page become table
 * blocks, the lines around them paragraphs and lists (pdf-paragraphs.ts), joined across page breaks.
 */
export function pagesToBlocks(pages: readonly PdfLine[][], options: ParagraphOptions): Block[] {
  const blocks: Block[] = [];
  let pending: PdfLine[] = [];
  const flush = () => {
    if (pending.length) blocks.push(...linesToBlocks(pending, options));
    pending = [];
  };
  for (const lines of pages) {
    let at = 0;
    for (const t of findTables(lines, options.isKnownWord)) {
      pending.push(...lines.slice(at, t.start));
      flush();
      blocks.push({ kind: 'table', lines: t.rows });
      at = t.end;
    }
    pending.push(...lines.slice(at));
  }
  flush();
  return blocks;
}

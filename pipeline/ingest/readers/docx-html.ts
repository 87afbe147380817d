import { parseHTML } from 'linkedom';
import type { Block } from './blocks.js';
import { oneLine } from './blocks.js';

/**
 * Turns mammoth's HTML into blocks. Word keeps list numbers and bullets in the numbering definitions,
 * not in the text, so mammoth's <ol>/<ul> are the only trace of them; the markers are written back here
 * so the segmenter sees "1. …" and "- …" exactly as a reader of the document does.
 */

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Letters Russian documents use for third-level items (й, ъ, ы, ь and ё are skipped by convention). */
const RUSSIAN_ITEM_LETTERS = 'абвгдежзиклмнопрстуфхцчшщэюя';

/** The marker of the n-th (1-based) item of an ordered list at nesting depth `depth` (0 = top level). */
export function orderedMarker(n: number, depth: number): string {
  if (depth === 0) return `${n}.`;
  if (depth === 1 || n > RUSSIAN_ITEM_LETTERS.length) return `${n})`;
  return `${RUSSIAN_ITEM_LETTERS[n - 1]})`;
}

function tagOf(node: Node): string {
  return node.nodeType === ELEMENT_NODE ? (node as Element).tagName.toLowerCase() : '';
}

function isFootnoteBackLink(el: Element): boolean {
  const href = el.getAttribute('href') ?? '';
  return tagOf(el) === 'a' && /^#(footnote|endnote|comment)-ref-/.test(href);
}

function isNoteReference(el: Element): boolean {
  // mammoth writes note references as <sup><a href="#footnote-1">[1]</a></sup>
  if (tagOf(el) !== 'sup') return false;
  const a = el.querySelector('a');
  return a !== null && /^#(footnote|endnote|comment)-\d/.test(a.getAttribute('href') ?? '');
}

interface InlineText {
  text: string;
  /** True when every non-blank character sits inside <strong>. */
  allBold: boolean;
}

/** Text of inline content; nested lists and tables are left to the block walker. */
function inlineText(node: Node, inStrong = false): InlineText {
  if (node.nodeType === TEXT_NODE) {
    const text = node.textContent ?? '';
    return { text, allBold: inStrong || text.trim() === '' };
  }
  if (node.nodeType !== ELEMENT_NODE) return { text: '', allBold: true };
  const el = node as Element;
  const tag = tagOf(el);
  if (tag === 'img' || tag === 'ol' || tag === 'ul' || tag === 'table') return { text: '', allBold: true };
  if (tag === 'br') return { text: ' ', allBold: true };
  if (isNoteReference(el) || isFootnoteBackLink(el)) return { text: '', allBold: true };
  const strong = inStrong || tag === 'strong' || tag === 'b';
  let text = '';
  let allBold = true;
  for (const child of Array.from(el.childNodes)) {
    const part = inlineText(child, strong);
    text += part.text;
    allBold &&= part.allBold;
  }
  // Block children (<p> inside <li> or <td>) are separate paragraphs: keep a space between them.
  if (tag === 'p' || /^h[1-6]$/.test(tag)) text = ` ${text} `;
  return { text, allBold };
}

function paragraphLine(el: Element, markBold: boolean): string {
  const { text, allBold } = inlineText(el);
  const line = oneLine(text);
  if (line === '') return '';
  return markBold && allBold ? `**${line}**` : line;
}

/**
 * The markers Word draws, in document order (docx-numbering.ts); a list item takes the next one whose
 * paragraph text is the item's, looking a few paragraphs ahead (mammoth may render a numbered
 * paragraph as something else, a heading). Without a match the depth convention stays.
 */
export class WordMarkers {
  private at = 0;
  constructor(private readonly items: readonly { text: string; marker: string }[]) {}

  private static key(text: string): string {
    return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').slice(0, 60);
  }

  take(text: string): string | null {
    const key = WordMarkers.key(text);
    if (key === '') return null;
    for (let i = this.at; i < Math.min(this.items.length, this.at + 8); i++) {
      if (WordMarkers.key(this.items[i].text) === key) {
        this.at = i + 1;
        return this.items[i].marker;
      }
    }
    return null;
  }
}

function listLines(list: Element, depth: number, out: string[], markers: WordMarkers | null): void {
  const ordered = tagOf(list) === 'ol';
  let n = 0;
  for (const li of Array.from(list.children)) {
    if (tagOf(li) !== 'li') continue;
    const text = oneLine(inlineText(li).text);
    if (text !== '') {
      n++;
      const word = markers?.take(text);
      const marker = word ?? (ordered ? orderedMarker(n, depth) : '-');
      out.push(marker ? `${marker} ${text}` : text);
    }
    for (const child of Array.from(li.children)) {
      const tag = tagOf(child);
      if (tag === 'ol' || tag === 'ul') listLines(child, depth + 1, out, markers);
      // A table inside an item keeps its rows rather than vanishing from the text.
      else if (tag === 'table') out.push(...tableLines(child));
    }
  }
}

const BLOCK_TAGS = new Set(['p', 'li', 'td', 'th', 'tr', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** All text under a node, with block boundaries kept as spaces (for table cells, which may hold anything). */
function flatText(node: Node): string {
  if (node.nodeType === TEXT_NODE) return node.textContent ?? '';
  if (node.nodeType !== ELEMENT_NODE) return '';
  const el = node as Element;
  if (tagOf(el) === 'img' || isNoteReference(el)) return '';
  const inner = Array.from(el.childNodes).map(flatText).join('');
  return BLOCK_TAGS.has(tagOf(el)) ? ` ${inner} ` : inner;
}

function tableLines(table: Element): string[] {
  const lines: string[] = [];
  for (const row of Array.from(table.querySelectorAll('tr'))) {
    // Nested tables are flattened into their cell's text rather than emitted twice.
    if (row.closest('table') !== table) continue;
    const cells = Array.from(row.children)
      .filter((c) => tagOf(c) === 'td' || tagOf(c) === 'th')
      .map((c) => oneLine(flatText(c)));
    if (cells.some((c) => c !== '')) lines.push(cells.join(' | '));
  }
  return lines;
}

/** mammoth appends notes as an <ol> of <li id="footnote-N">; they are text, not list items. */
function isNotesList(el: Element): boolean {
  const first = el.querySelector('li');
  return first !== null && /^(footnote|endnote|comment)-/.test(first.getAttribute('id') ?? '');
}

function collectBlocks(parent: Element, blocks: Block[], markers: WordMarkers | null): void {
  for (const el of Array.from(parent.children)) {
    const tag = tagOf(el);
    if (tag === 'p') {
      const line = paragraphLine(el, true);
      if (line) blocks.push({ kind: 'paragraph', lines: [line] });
    } else if (/^h[1-6]$/.test(tag)) {
      const line = paragraphLine(el, false);
      if (line) blocks.push({ kind: 'paragraph', lines: [line] });
    } else if ((tag === 'ol' || tag === 'ul') && isNotesList(el)) {
      for (const li of Array.from(el.children)) {
        const line = oneLine(inlineText(li).text);
        if (line) blocks.push({ kind: 'paragraph', lines: [line] });
      }
    } else if (tag === 'ol' || tag === 'ul') {
      const lines: string[] = [];
      listLines(el, 0, lines, markers);
      if (lines.length) blocks.push({ kind: 'list', lines });
    } else if (tag === 'table') {
      const lines = tableLines(el);
      if (lines.length) blocks.push({ kind: 'table', lines });
    } else if (tag !== 'img') {
      collectBlocks(el, blocks, markers);
    }
  }
}

export function htmlToBlocks(html: string, markers: WordMarkers | null = null): Block[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const blocks: Block[] = [];
  collectBlocks(document.body, blocks, markers);
  return blocks;
}

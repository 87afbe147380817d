import { orderedMarker } from './docx-html.js';
import type { Block } from './blocks.js';
import { oneLine } from './blocks.js';

/**
 * Turns the DOM of a web page's main content into blocks: paragraphs (with <br> kept as line breaks),
 * list items with the marker a browser would draw (<ol start>, <ol type>, <li value>, reversed),
 * tables as " | " rows and headings as lines. Unlike mammoth's tidy output, pages nest blocks in
 * <div>s at any depth and mix text with blocks, so inline text is gathered until a block boundary.
 */

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'table', 'pre',
  'dl', 'dt', 'dd', 'hr', 'address', 'figure', 'figcaption', 'center', 'form', 'fieldset', 'header', 'footer', 'nav', 'aside',
  'details', 'summary', 'body', 'html', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption', 'menu', 'dir',
]);

/** Elements that never hold document text. */
export const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio', 'select',
  'option', 'button', 'input', 'textarea', 'img', 'map', 'head', 'title', 'meta', 'link', 'base',
]);

function tagOf(node: Node): string {
  return node.nodeType === ELEMENT_NODE ? (node as Element).tagName.toLowerCase() : '';
}

/**
 * Note references and back-links ("¹" linking to #sdfootnote1sym, "[1]" to #_ftn1): they would glue a
 * digit to the word before them ("образование.1"); the notes themselves stay, at the end of the page.
 */
function isNoteLink(el: Element): boolean {
  const tag = tagOf(el);
  if (tag !== 'a' && tag !== 'sup') return false;
  const a = tag === 'a' ? el : el.querySelector('a');
  const href = a?.getAttribute('href') ?? '';
  return href.startsWith('#') && /^\s*(?:\[?\d{1,3}\]?|\*{1,3}|[ivx]{1,4})\s*$/i.test(el.textContent ?? '');
}

function isHidden(el: Element): boolean {
  if (isNoteLink(el)) return true;
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const style = (el.getAttribute('style') ?? '').toLowerCase().replace(/\s+/g, '');
  return style.includes('display:none') || style.includes('visibility:hidden') || style.includes('mso-hide:all');
}

const ROMAN: [number, string][] = [
  [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
];

function roman(n: number): string {
  let out = '';
  for (const [v, s] of ROMAN) while (n >= v) (out += s), (n -= v);
  return out;
}

function latinLetters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

/** The marker a browser draws for item n of an <ol> with this type (1 a A i I), at nesting depth. */
export function htmlOrderedMarker(n: number, type: string | null, depth: number): string {
  const suffix = depth === 0 ? '.' : ')';
  switch (type) {
    case 'a':
      return `${latinLetters(n)}${suffix}`;
    case 'A':
      return `${latinLetters(n).toUpperCase()}${suffix}`;
    case 'i':
      return `${roman(n)}${suffix}`;
    case 'I':
      return `${roman(n).toUpperCase()}${suffix}`;
    default:
      // No type: as the .docx reader numbers levels (1. / 1) / а)), so nested lists do not look restarted.
      return orderedMarker(n, depth);
  }
}

/** Also honours CSS list-style-type for the Russian letters some sites use. */
function listType(el: Element): string | null {
  const style = (el.getAttribute('style') ?? '').toLowerCase();
  const css = /list-style(?:-type)?\s*:\s*([a-z-]+)/.exec(style)?.[1];
  if (css === 'lower-alpha' || css === 'lower-latin') return 'a';
  if (css === 'upper-alpha' || css === 'upper-latin') return 'A';
  if (css === 'lower-roman') return 'i';
  if (css === 'upper-roman') return 'I';
  if (css === 'cyrillic-lower' || css === 'lower-russian') return 'cyr';
  if (css === 'none') return 'none';
  const t = el.getAttribute('type');
  return t && /^[1aAiI]$/.test(t) ? t : null;
}

const RUSSIAN_ITEM_LETTERS = 'абвгдежзиклмнопрстуфхцчшщэюя';

class Walker {
  readonly blocks: Block[] = [];
  /** Lines of the paragraph being gathered (a <br> starts a new one). */
  private lines: string[] = [''];

  private flush(): void {
    const lines = this.lines.map(oneLine).filter(Boolean);
    this.lines = [''];
    if (lines.length) this.blocks.push({ kind: 'paragraph', lines });
  }

  private append(text: string): void {
    this.lines[this.lines.length - 1] += text;
  }

  walk(node: Node): void {
    if (node.nodeType === TEXT_NODE) {
      this.append(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const el = node as Element;
    const tag = tagOf(el);
    if (SKIP_TAGS.has(tag) || isHidden(el)) return;
    if (tag === 'br') {
      this.lines.push('');
      return;
    }
    if (tag === 'ul' || tag === 'ol' || tag === 'menu' || tag === 'dir') {
      this.flush();
      const lines: string[] = [];
      listLines(el, 0, lines);
      if (lines.length) this.blocks.push({ kind: 'list', lines });
      return;
    }
    if (tag === 'table') {
      this.flush();
      const lines = tableLines(el);
      if (lines.length) this.blocks.push({ kind: 'table', lines });
      return;
    }
    if (tag === 'pre') {
      this.flush();
      const lines = (el.textContent ?? '').split('\n').map(oneLine).filter(Boolean);
      if (lines.length) this.blocks.push({ kind: 'paragraph', lines });
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) this.flush();
    else if (tag === 'td' || tag === 'th') this.append(' ');
    for (const child of Array.from(el.childNodes)) this.walk(child);
    if (block) this.flush();
  }

  finish(): Block[] {
    this.flush();
    return this.blocks;
  }
}

/** Inline text of an element with nested lists and tables left out; <br> and inner blocks become spaces. */
function itemText(node: Node): string {
  if (node.nodeType === TEXT_NODE) return node.textContent ?? '';
  if (node.nodeType !== ELEMENT_NODE) return '';
  const el = node as Element;
  const tag = tagOf(el);
  if (SKIP_TAGS.has(tag) || isHidden(el) || tag === 'ul' || tag === 'ol' || tag === 'table') return '';
  if (tag === 'br') return ' ';
  const inner = Array.from(el.childNodes).map(itemText).join('');
  return BLOCK_TAGS.has(tag) ? ` ${inner} ` : inner;
}

function listLines(list: Element, depth: number, out: string[]): void {
  const tag = tagOf(list);
  const ordered = tag === 'ol';
  const type = listType(list);
  const reversed = ordered && list.hasAttribute('reversed');
  const items = Array.from(list.children).filter((c) => tagOf(c) === 'li' && !isHidden(c));
  const startAttr = Number.parseInt(list.getAttribute('start') ?? '', 10);
  let n = Number.isFinite(startAttr) ? startAttr : reversed ? items.length : 1;
  for (const li of items) {
    const value = Number.parseInt(li.getAttribute('value') ?? '', 10);
    if (ordered && Number.isFinite(value)) n = value;
    const text = oneLine(itemText(li));
    if (text !== '') {
      // A nested <ul> item is drawn with a hollow circle: «o», a level below the «-» items around it.
      let marker = depth > 0 ? 'o' : '-';
      if (ordered) {
        if (type === 'none') marker = '';
        else if (type === 'cyr') marker = `${RUSSIAN_ITEM_LETTERS[(n - 1) % RUSSIAN_ITEM_LETTERS.length]})`;
        else marker = htmlOrderedMarker(n, type, depth);
      } else if (type === 'none') marker = '';
      out.push(marker ? `${marker} ${text}` : text);
    }
    n += reversed ? -1 : 1;
    for (const child of Array.from(li.querySelectorAll('ul, ol, table'))) {
      // Only the lists and tables directly inside this item (not inside a deeper list) are walked here.
      const owner = child.parentElement?.closest('li, table');
      if (owner !== li) continue;
      const childTag = tagOf(child);
      if (childTag === 'table') out.push(...tableLines(child));
      else listLines(child, depth + 1, out);
    }
  }
}

/** All text under a node with block boundaries as spaces (a table cell may hold anything). */
function cellText(node: Node): string {
  if (node.nodeType === TEXT_NODE) return node.textContent ?? '';
  if (node.nodeType !== ELEMENT_NODE) return '';
  const el = node as Element;
  const tag = tagOf(el);
  if (SKIP_TAGS.has(tag) || isHidden(el)) return '';
  const inner = Array.from(el.childNodes).map(cellText).join('');
  return tag === 'br' || BLOCK_TAGS.has(tag) ? ` ${inner} ` : inner;
}

export function tableLines(table: Element): string[] {
  const rows = Array.from(table.querySelectorAll('tr')).filter((r) => r.closest('table') === table);
  // Header rows first, wherever the markup put <thead>.
  rows.sort((a, b) => Number(b.closest('thead') !== null) - Number(a.closest('thead') !== null));
  const lines: string[] = [];
  for (const row of rows) {
    const cells = Array.from(row.children)
      .filter((c) => (tagOf(c) === 'td' || tagOf(c) === 'th') && !isHidden(c))
      .map((c) => oneLine(cellText(c)));
    if (cells.some((c) => c !== '')) lines.push(cells.join(' | '));
  }
  return lines;
}

export function domToBlocks(root: Node): Block[] {
  const walker = new Walker();
  walker.walk(root);
  return walker.finish();
}

import { DOMParser } from 'linkedom';
import { ConfrecError } from '../../errors.js';
import type { ReadLimits } from '../limits.js';
import { ZipFormatError } from '../zip.js';
import type { Reader } from './_base.js';
import { blocksToText, oneLine, type Block } from './blocks.js';
import { openPackage } from './package.js';

/**
 * OpenDocument text (.odt): content.xml (and styles.xml, where named list styles live) unpacked within
 * the budget by package.ts, parsed by linkedom. As in Word, list numbers are not in the text: each
 * <text:list> names a list style whose level says the number format (1, a, A, i, I, а, А), prefix,
 * suffix, start value and how many levels to show ("1.2."), or the bullet; the numbers are counted
 * here, honouring text:start-value, text:continue-numbering and text:continue-list, and written back
 * as markers. Tables become " | " rows; tracked deletions, annotations, indexes and frames are left out;
 * footnotes go to the end, as the .docx reader does.
 */

interface LevelStyle {
  bullet: boolean;
  format: string;
  prefix: string;
  suffix: string;
  start: number;
  displayLevels: number;
}

type ListStyles = Map<string, Map<number, LevelStyle>>;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function children(el: Element): Element[] {
  return Array.from(el.childNodes).filter((n): n is Element => n.nodeType === ELEMENT_NODE);
}

function readListStyles(doc: Document, into: ListStyles): void {
  for (const ls of Array.from(doc.getElementsByTagName('text:list-style'))) {
    const name = ls.getAttribute('style:name');
    if (!name) continue;
    const levels = new Map<number, LevelStyle>();
    for (const lv of children(ls)) {
      const level = Number(lv.getAttribute('text:level') ?? '1');
      const bullet = lv.tagName === 'text:list-level-style-bullet' || lv.tagName === 'text:list-level-style-image';
      levels.set(level, {
        bullet,
        format: lv.getAttribute('style:num-format') ?? (bullet ? '' : '1'),
        prefix: lv.getAttribute('style:num-prefix') ?? '',
        suffix: lv.getAttribute('style:num-suffix') ?? '',
        start: Number(lv.getAttribute('text:start-value') ?? '1') || 1,
        displayLevels: Number(lv.getAttribute('text:display-levels') ?? '1') || 1,
      });
    }
    into.set(name, levels);
  }
}

/** Paragraph styles that carry a list style (a paragraph may be a list item through its style). */
function readParagraphListStyles(doc: Document, into: Map<string, string>): void {
  for (const st of Array.from(doc.getElementsByTagName('style:style'))) {
    const name = st.getAttribute('style:name');
    const list = st.getAttribute('style:list-style-name');
    if (name && list) into.set(name, list);
  }
}

const RU_LOWER = 'абвгдежзиклмнопрстуфхцчшщэюя';
const ROMAN: [number, string][] = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

/** One number in an ODF number format ("1", "a", "A", "i", "I", "а, б, .. (Ru)", "" = none). */
export function formatNumber(n: number, format: string): string {
  const f = format.trim();
  if (f === '') return '';
  if (f.startsWith('1')) return String(n);
  if (f.startsWith('a')) return String.fromCharCode(97 + ((n - 1) % 26));
  if (f.startsWith('A')) return String.fromCharCode(65 + ((n - 1) % 26));
  if (f.startsWith('i') || f.startsWith('I')) {
    let out = '';
    let k = n;
    for (const [v, s] of ROMAN) while (k >= v) (out += s), (k -= v);
    return f.startsWith('i') ? out.toLowerCase() : out;
  }
  if (f.startsWith('а')) return RU_LOWER[(n - 1) % RU_LOWER.length];
  if (f.startsWith('А')) return RU_LOWER[(n - 1) % RU_LOWER.length].toUpperCase();
  return String(n);
}

interface Counter {
  style: string;
  /** counts[level - 1]; 0 = not started. */
  counts: number[];
}

class OdtWalker {
  readonly blocks: Block[] = [];
  readonly footnotes: string[] = [];
  private readonly counters = new Map<string, Counter>();
  private lastByStyle = new Map<string, Counter>();
  private lastList: Counter | null = null;
  private anonymous = 0;

  constructor(
    private readonly styles: ListStyles,
    private readonly paragraphLists: Map<string, string>,
  ) {}

  /** Inline text of a paragraph; footnote bodies are set aside, line breaks kept as "\n". */
  inline(node: Node): string {
    if (node.nodeType === TEXT_NODE) return (node.textContent ?? '').replace(/[\r\n\t ]+/g, ' ');
    if (node.nodeType !== ELEMENT_NODE) return '';
    const el = node as Element;
    switch (el.tagName) {
      case 'text:s':
        return ' '.repeat(Math.min(100, Number(el.getAttribute('text:c') ?? '1') || 1));
      case 'text:tab':
        return '\t';
      case 'text:line-break':
        return '\n';
      case 'text:note': {
        const body = children(el).find((c) => c.tagName === 'text:note-body');
        if (body) {
          const text = oneLine(children(body).map((c) => this.inline(c)).join(' '));
          if (text) this.footnotes.push(text);
        }
        return '';
      }
      case 'office:annotation':
      case 'office:annotation-end':
      case 'text:note-citation':
      case 'draw:frame':
      case 'draw:custom-shape':
      case 'text:bookmark-ref':
      case 'text:number':
        return '';
      default:
        return Array.from(el.childNodes)
          .map((c) => this.inline(c))
          .join('');
    }
  }

  private counterFor(list: Element, style: string, parent: Counter | null): Counter {
    if (parent) return parent;
    const cont = list.getAttribute('text:continue-list');
    if (cont && this.counters.has(cont)) return this.counters.get(cont)!;
    if (list.getAttribute('text:continue-numbering') === 'true') {
      const prev = this.lastByStyle.get(style) ?? this.lastList;
      if (prev) return prev;
    }
    const counter: Counter = { style, counts: [] };
    const id = list.getAttribute('xml:id') ?? `anon-${++this.anonymous}`;
    this.counters.set(id, counter);
    return counter;
  }

  private marker(counter: Counter, level: number, item: Element): string {
    const levelStyle = this.styles.get(counter.style)?.get(level);
    const explicit = item.getAttribute('text:start-value');
    if (!levelStyle || levelStyle.bullet) {
      // Deeper levels restart when a bullet item interrupts them.
      counter.counts.length = level;
      return levelStyle?.bullet === false ? '' : '-';
    }
    const counts = counter.counts;
    counts[level - 1] = explicit ? Number(explicit) : counts[level - 1] ? counts[level - 1] + 1 : levelStyle.start;
    counts.length = level;
    if (levelStyle.format.trim() === '') return '';
    const shown: string[] = [];
    for (let l = level - levelStyle.displayLevels + 1; l <= level; l++) {
      if (l < 1) continue;
      const ls = this.styles.get(counter.style)?.get(l) ?? levelStyle;
      shown.push(formatNumber(counts[l - 1] ?? ls.start, ls.format));
    }
    return `${levelStyle.prefix}${shown.join('.')}${levelStyle.suffix}`.trim() || '';
  }

  private pushLine(kind: Block['kind'], line: string): void {
    const last = this.blocks[this.blocks.length - 1];
    if (kind === 'list' && last?.kind === 'list') last.lines.push(line);
    else this.blocks.push({ kind, lines: [line] });
  }

  private paragraph(el: Element): void {
    const raw = this.inline(el);
    const lines = raw.split('\n').map(oneLine).filter(Boolean);
    // A paragraph can be a list item through its style alone (style:list-style-name).
    const listStyle = this.paragraphLists.get(el.getAttribute('text:style-name') ?? '');
    if (lines.length === 0) return;
    const bullet = listStyle !== undefined && this.styles.get(listStyle)?.get(1)?.bullet === true;
    if (bullet) lines[0] = `- ${lines[0]}`;
    // Line breaks inside a paragraph stay lines of one block, like <br> in a web page.
    this.blocks.push({ kind: bullet ? 'list' : 'paragraph', lines });
  }

  private list(list: Element, level: number, parent: Counter | null, inherited: string | null): void {
    const style = list.getAttribute('text:style-name') ?? inherited ?? '';
    const counter = this.counterFor(list, style, parent);
    if (!parent) {
      this.lastByStyle.set(style, counter);
      this.lastList = counter;
    }
    for (const item of children(list)) {
      if (item.tagName !== 'text:list-item' && item.tagName !== 'text:list-header') continue;
      let first = true;
      const marker = item.tagName === 'text:list-item' ? this.marker(counter, level, item) : '';
      for (const child of children(item)) {
        if (child.tagName === 'text:p' || child.tagName === 'text:h') {
          const text = oneLine(this.inline(child).replace(/\n/g, ' '));
          if (!text) continue;
          // Later paragraphs of one item continue it (its number is shown once).
          if (first) this.pushLine('list', marker ? `${marker} ${text}` : text);
          else {
            const last = this.blocks[this.blocks.length - 1];
            last.lines[last.lines.length - 1] += ` ${text}`;
          }
          first = false;
        } else if (child.tagName === 'text:list') {
          this.list(child, level + 1, counter, style);
        } else if (child.tagName === 'table:table') {
          this.table(child);
        }
      }
    }
  }

  private cellText(cell: Element): string {
    const parts: string[] = [];
    const visit = (el: Element) => {
      for (const c of children(el)) {
        if (c.tagName === 'text:p' || c.tagName === 'text:h') parts.push(this.inline(c).replace(/\n/g, ' '));
        else if (c.tagName === 'text:list' || c.tagName === 'text:list-item' || c.tagName === 'table:table' || c.tagName === 'table:table-row' || c.tagName === 'table:table-cell' || c.tagName === 'text:section') visit(c);
        else if (c.tagName === 'table:table-rows' || c.tagName === 'table:table-header-rows') visit(c);
      }
    };
    visit(cell);
    return oneLine(parts.join(' '));
  }

  private table(table: Element): void {
    const rows: Element[] = [];
    const collect = (el: Element) => {
      for (const c of children(el)) {
        if (c.tagName === 'table:table-row') rows.push(c);
        else if (c.tagName === 'table:table-header-rows' || c.tagName === 'table:table-rows' || c.tagName === 'table:table-row-group') collect(c);
      }
    };
    collect(table);
    const lines: string[] = [];
    for (const row of rows) {
      const cells = children(row)
        .filter((c) => c.tagName === 'table:table-cell')
        .map((c) => this.cellText(c));
      if (cells.some((c) => c !== '')) lines.push(cells.join(' | '));
    }
    if (lines.length) this.blocks.push({ kind: 'table', lines });
  }

  body(el: Element): void {
    for (const child of children(el)) {
      switch (child.tagName) {
        case 'text:p':
        case 'text:h':
          this.paragraph(child);
          break;
        case 'text:list':
          this.list(child, 1, null, null);
          break;
        case 'table:table':
          this.table(child);
          break;
        case 'text:section':
          this.body(child);
          break;
        default:
          // tracked changes, indexes (tables of contents), sequence declarations, frames: not text
          break;
      }
    }
  }
}

function invalidOdt(path: string, cause?: unknown): ConfrecError {
  return new ConfrecError('not a valid .odt (not an OpenDocument text, or damaged)', {
    file: path,
    hint: 'open it in LibreOffice and save it again as .odt or .docx',
    cause,
  });
}

function parseXml(bytes: Uint8Array): Document {
  const xml = new TextDecoder('utf-8').decode(bytes);
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

export function odtToBlocks(path: string, bytes: Uint8Array, limits: ReadLimits): Block[] {
  let parts: Map<string, Uint8Array>;
  try {
    parts = openPackage(path, bytes, limits, (name) => name === 'content.xml' || name === 'styles.xml').parts;
  } catch (err) {
    if (err instanceof ZipFormatError) {
      throw new ConfrecError(`not a valid .odt (damaged archive: ${err.message})`, { file: path, hint: 'open it in LibreOffice and save it again as .odt or .docx', cause: err });
    }
    throw err;
  }
  const content = parts.get('content.xml');
  if (!content) throw invalidOdt(path);
  const styles: ListStyles = new Map();
  const paragraphLists = new Map<string, string>();
  const stylesXml = parts.get('styles.xml');
  if (stylesXml) {
    const sdoc = parseXml(stylesXml);
    readListStyles(sdoc, styles);
    readParagraphListStyles(sdoc, paragraphLists);
  }
  const doc = parseXml(content);
  readListStyles(doc, styles);
  readParagraphListStyles(doc, paragraphLists);
  const text = doc.getElementsByTagName('office:text')[0];
  if (!text) throw invalidOdt(path);
  const walker = new OdtWalker(styles, paragraphLists);
  walker.body(text as Element);
  return [...walker.blocks, ...walker.footnotes.map((f): Block => ({ kind: 'paragraph', lines: [f] }))];
}

export const odtReader: Reader = {
  id: 'odt:fflate',
  fileType: 'odt',
  async read(path, bytes, { limits }) {
    let blocks: Block[];
    try {
      blocks = odtToBlocks(path, bytes, limits);
    } catch (err) {
      if (err instanceof ConfrecError) throw err;
      throw invalidOdt(path, err);
    }
    const text = blocksToText(blocks);
    if (!/\p{L}/u.test(text)) throw new ConfrecError('no text', { file: path, hint: 'the document has no paragraphs with text (only images?)' });
    return { text };
  },
};

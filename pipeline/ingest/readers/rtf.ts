import iconv from 'iconv-lite';
import { ConfrecError } from '../../errors.js';
import type { Reader } from './_base.js';
import { blocksToText, oneLine, type Block } from './blocks.js';

/**
 * An RTF reader (Word, WordPad and LibreOffice output). No maintained npm package turns RTF into
 * structured text with list numbers and table rows — the ones there are either render HTML without
 * \listtext numbering or drop tables — so this is a small single-pass parser of the parts that carry
 * text:
 *  - list numbers and bullets: Word and LibreOffice write the rendered marker of every list item in a
 *    {\listtext …} group (older writers: {\pntext …}), so the marker is read from there;
 *  - tables: \cell ends a cell, \row a row (nested tables' \nestcell joins their text into the cell);
 *  - characters: \uN (skipping the \ucN fallback characters after it), \'xx in the font's code page
 *    (\fcharset204 = cp1251) or the document's \ansicpgN, Symbol-font bullets, \~ \- \_ and named
 *    punctuation;
 *  - skipped: font/colour/style/list tables, document info, pictures, objects' data, shapes, headers
 *    and footers, field instructions (their results are kept), hidden and deleted text, every \*
 *    destination; footnotes are moved to the end, as the .docx reader does.
 */

interface GroupState {
  skip: boolean;
  /** Fallback characters to skip after \uN. */
  uc: number;
  /** Code page of the current font, for \'xx. */
  codepage: string;
  /** Inside {\listtext …} or {\pntext …}: the text is the item's marker. */
  marker: boolean;
  hidden: boolean;
  footnote: boolean;
  /** Inside the font table: collects "\fN … \fcharsetM". */
  fonttbl: boolean;
}

const SKIP_DESTINATIONS = new Set([
  'colortbl', 'stylesheet', 'info', 'pict', 'objdata', 'objclass', 'shp', 'shpinst', 'shppict', 'nonshppict', 'header', 'headerl', 'headerr',
  'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'fldinst', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'generator',
  'xmlnstbl', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'pgdsctbl', 'bkmkstart', 'bkmkend', 'template', 'filetbl',
  'fchars', 'lchars', 'pnseclvl', 'pn', 'pntxta', 'pntxtb', 'txe', 'xe', 'tc', 'atnid', 'atnauthor', 'annotation', 'atrfstart', 'atrfend',
  'userprops', 'docvar', 'mmathPr', 'background', 'listpicture', 'ftnsep', 'ftnsepc', 'aftnsep', 'aftnsepc', 'blipuid', 'passwordhash',
]);

/** \fcharsetN → code page (0 and 1 mean "the document's ANSI code page", \ansicpgN). */
const CHARSETS: Record<number, string> = {
  77: 'macintosh', 128: 'cp932', 129: 'cp949', 134: 'cp936', 136: 'cp950', 161: 'windows-1253', 162: 'windows-1254',
  163: 'windows-1258', 177: 'windows-1255', 178: 'windows-1256', 186: 'windows-1257', 204: 'windows-1251', 222: 'windows-874',
  238: 'windows-1250', 255: 'cp437',
};
const SYMBOL = 'symbol';

const NAMED: Record<string, string> = {
  emdash: '—', endash: '–', bullet: '•', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', emspace: ' ', enspace: ' ',
  qmspace: ' ', tab: '\t', line: '\n', zwj: '', zwnj: '', ltrmark: '', rtlmark: '',
};

/** A list marker as text: numbers as written ("1.", "а)"), any bullet glyph as "-". */
export function markerText(raw: string): string {
  const m = raw.replace(/[\t\u00a0]/g, ' ').trim();
  if (m === '') return '';
  if (/^[\uF000-\uF0FF•·▪■□○●◦‣⁃–—\-*➢➤✓✔❖♦o§]$/u.test(m)) return '-';
  return m;
}

class RtfParser {
  private readonly bytes: Uint8Array;
  private pos = 0;
  private stack: GroupState[] = [];
  private state: GroupState;
  private ansi = 'windows-1252';
  private readonly fonts = new Map<number, string>();
  private pendingFont: number | null = null;
  private defaultFont: number | null = null;
  /** Bytes of \'xx escapes waiting to be decoded together (double-byte code pages need pairs). */
  private pendingBytes: number[] = [];
  private pendingCodepage = 'windows-1252';
  private skipFallback = 0;

  private para: string[] = [];
  private markerParts: string[] = [];
  private inTable = false;
  private cellParts: string[] = [];
  private rowCells: string[] = [];
  readonly blocks: Block[] = [];
  readonly footnotes: string[] = [];
  private footnoteParts: string[] = [];

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.state = { skip: false, uc: 1, codepage: this.ansi, marker: false, hidden: false, footnote: false, fonttbl: false };
  }

  private target(): string[] {
    if (this.state.marker) return this.markerParts;
    if (this.state.footnote) return this.footnoteParts;
    return this.para;
  }

  private flushBytes(): void {
    if (this.pendingBytes.length === 0) return;
    const buf = Buffer.from(this.pendingBytes);
    this.pendingBytes = [];
    const text =
      this.pendingCodepage === SYMBOL
        ? Array.from(buf, (b) => String.fromCharCode(0xf000 + b)).join('')
        : iconv.encodingExists(this.pendingCodepage)
          ? iconv.decode(buf, this.pendingCodepage)
          : buf.toString('latin1');
    this.target().push(text);
  }

  private emitText(s: string): void {
    if (this.state.skip || this.state.hidden) return;
    if (this.state.fonttbl) return;
    this.flushBytes();
    this.target().push(s);
  }

  private emitByte(b: number): void {
    if (this.state.skip || this.state.hidden || this.state.fonttbl) return;
    if (this.pendingBytes.length && this.pendingCodepage !== this.state.codepage) this.flushBytes();
    this.pendingCodepage = this.state.codepage;
    this.pendingBytes.push(b);
  }

  /** Consumes one fallback character after \uN; returns true when it was swallowed. */
  private swallowFallback(): boolean {
    if (this.skipFallback > 0) {
      this.skipFallback--;
      return true;
    }
    return false;
  }

  private endParagraph(kind: 'par' | 'cell'): void {
    this.flushBytes();
    if (this.state.footnote) {
      const line = oneLine(this.footnoteParts.join(''));
      if (line) this.footnotes.push(line);
      this.footnoteParts = [];
      return;
    }
    const text = oneLine(this.para.join('').replace(/\n/g, ' \u2028 '));
    this.para = [];
    const marker = markerText(this.markerParts.join(''));
    this.markerParts = [];
    if (this.inTable || kind === 'cell') {
      const piece = marker ? `${marker} ${text}` : text;
      if (piece) this.cellParts.push(piece);
      if (kind === 'cell') {
        this.rowCells.push(oneLine(this.cellParts.join(' ').replace(/\u2028/g, ' ')));
        this.cellParts = [];
      }
      return;
    }
    // Soft line breaks (\line) are kept as lines of their own, like <br> in a web page.
    const lines = text.split('\u2028').map(oneLine).filter(Boolean);
    if (lines.length === 0) return;
    if (marker) lines[0] = `${marker} ${lines[0]}`;
    const kindOf: Block['kind'] = marker ? 'list' : 'paragraph';
    const last = this.blocks[this.blocks.length - 1];
    if (kindOf === 'list' && last?.kind === 'list') last.lines.push(...lines);
    else this.blocks.push({ kind: kindOf, lines });
  }

  private endRow(): void {
    this.flushBytes();
    if (this.para.join('').trim() || this.cellParts.length) this.endParagraph('cell');
    this.para = [];
    const cells = this.rowCells;
    this.rowCells = [];
    if (!cells.some((c) => c !== '')) return;
    const line = cells.join(' | ');
    const last = this.blocks[this.blocks.length - 1];
    if (last?.kind === 'table' && this.lastWasRow) last.lines.push(line);
    else this.blocks.push({ kind: 'table', lines: [line] });
    this.lastWasRow = true;
  }

  private lastWasRow = false;

  private controlWord(word: string, param: number | null): void {
    const st = this.state;
    // A destination keyword right after "{" decides what the group is.
    if (SKIP_DESTINATIONS.has(word)) {
      st.skip = true;
      return;
    }
    if (st.skip) {
      if (word === 'bin' && param !== null) this.pos += param;
      return;
    }
    switch (word) {
      case 'ansicpg':
        if (param) this.ansi = `windows-${param}`.replace('windows-866', 'cp866');
        if (st.codepage === 'windows-1252') st.codepage = this.ansi;
        return;
      case 'deff':
        this.defaultFont = param;
        return;
      case 'fonttbl':
        st.fonttbl = true;
        return;
      case 'f':
        if (st.fonttbl) this.pendingFont = param;
        else if (param !== null) st.codepage = this.fonts.get(param) ?? this.ansi;
        return;
      case 'fcharset':
        if (st.fonttbl && this.pendingFont !== null && param !== null) {
          this.fonts.set(this.pendingFont, param === 2 ? SYMBOL : (CHARSETS[param] ?? this.ansi));
        }
        return;
      case 'plain':
        st.hidden = false;
        if (this.defaultFont !== null) st.codepage = this.fonts.get(this.defaultFont) ?? this.ansi;
        return;
      case 'uc':
        st.uc = param ?? 1;
        return;
      case 'u': {
        if (param === null) return;
        this.emitText(String.fromCharCode(param < 0 ? param + 65536 : param));
        this.skipFallback = st.uc;
        return;
      }
      case 'listtext':
      case 'pntext':
        st.marker = true;
        return;
      case 'footnote':
        this.flushBytes();
        st.footnote = true;
        return;
      case 'chftn':
        return;
      case 'v':
      case 'deleted':
        st.hidden = param !== 0;
        return;
      case 'par':
      case 'sect':
      case 'page':
        if (this.state.marker) return;
        this.endParagraph('par');
        if (!this.inTable) this.lastWasRow = false;
        return;
      case 'pard':
        // Word repeats \pard inside {\listtext …}; it belongs to the marker, not to the paragraph.
        if (!st.marker) this.inTable = false;
        return;
      case 'intbl':
        if (!st.marker) this.inTable = true;
        return;
      case 'cell':
        this.endParagraph('cell');
        return;
      case 'row':
        this.endRow();
        this.inTable = false;
        return;
      case 'nestcell':
        this.flushBytes();
        this.para.push(' ');
        return;
      default:
        if (word in NAMED) this.emitText(NAMED[word]);
    }
  }

  parse(): void {
    const b = this.bytes;
    const n = b.length;
    while (this.pos < n) {
      const c = b[this.pos];
      if (c === 0x7b /* { */) {
        this.flushBytes();
        this.stack.push(this.state);
        this.state = { ...this.state };
        this.skipFallback = 0;
        this.pos++;
        // {\*\dest …}: an optional destination, skipped unless it is one read here (LibreOffice
        // writes footnotes as {\*\footnote …}).
        if (b[this.pos] === 0x5c && b[this.pos + 1] === 0x2a) {
          this.pos += 2;
          while (b[this.pos] === 0x20 || b[this.pos] === 0x0a || b[this.pos] === 0x0d) this.pos++;
          const next = Buffer.from(b.buffer, b.byteOffset + this.pos, Math.min(10, n - this.pos)).toString('latin1');
          if (!/^\\footnote(?![a-z])/.test(next)) this.state.skip = true;
        }
        continue;
      }
      if (c === 0x7d /* } */) {
        this.flushBytes();
        const closing = this.state;
        this.state = this.stack.pop() ?? this.state;
        if (closing.footnote && !this.state.footnote) {
          const line = oneLine(this.footnoteParts.join(''));
          if (line) this.footnotes.push(line);
          this.footnoteParts = [];
        }
        if (closing.fonttbl && !this.state.fonttbl && this.defaultFont !== null) {
          this.state.codepage = this.fonts.get(this.defaultFont) ?? this.ansi;
        }
        this.skipFallback = 0;
        this.pos++;
        continue;
      }
      if (c === 0x5c /* \ */) {
        this.pos++;
        const d = b[this.pos];
        if (d === undefined) break;
        if ((d >= 0x61 && d <= 0x7a) || (d >= 0x41 && d <= 0x5a)) {
          let end = this.pos;
          while (end < n && ((b[end] >= 0x61 && b[end] <= 0x7a) || (b[end] >= 0x41 && b[end] <= 0x5a))) end++;
          const word = Buffer.from(b.buffer, b.byteOffset + this.pos, end - this.pos).toString('latin1');
          let param: number | null = null;
          let p = end;
          if (b[p] === 0x2d || (b[p] >= 0x30 && b[p] <= 0x39)) {
            const start = p;
            p++;
            while (p < n && b[p] >= 0x30 && b[p] <= 0x39) p++;
            param = Number(Buffer.from(b.buffer, b.byteOffset + start, p - start).toString('latin1'));
          }
          if (b[p] === 0x20) p++; // the delimiting space belongs to the control word
          this.pos = p;
          if (word !== 'u' && this.skipFallback > 0 && !this.state.skip) {
            // A control word counts as one fallback character (e.g. \u1056\'d0 or \u1056?).
            this.skipFallback--;
            continue;
          }
          if (word === 'bin' && param !== null) {
            this.pos += param;
            continue;
          }
          this.controlWord(word, param);
          continue;
        }
        this.pos++;
        if (d === 0x27 /* ' */) {
          const hex = Buffer.from(b.buffer, b.byteOffset + this.pos, 2).toString('latin1');
          this.pos += 2;
          if (this.swallowFallback()) continue;
          const v = parseInt(hex, 16);
          if (!Number.isNaN(v)) this.emitByte(v);
          continue;
        }
        if (this.swallowFallback()) continue;
        switch (d) {
          case 0x5c:
          case 0x7b:
          case 0x7d:
            this.emitText(String.fromCharCode(d));
            break;
          case 0x7e: // \~ non-breaking space
            this.emitText('\u00a0');
            break;
          case 0x5f: // \_ non-breaking hyphen
            this.emitText('-');
            break;
          case 0x2d: // \- optional hyphen
            break;
          case 0x0a:
          case 0x0d: // "\<newline>" is \par
            this.controlWord('par', null);
            break;
          case 0x09:
            this.emitText('\t');
            break;
          default:
            break;
        }
        continue;
      }
      this.pos++;
      if (c === 0x0a || c === 0x0d) continue; // line breaks in the file are not text
      if (this.state.skip) continue;
      if (this.swallowFallback()) continue;
      if (c >= 0x80) this.emitByte(c);
      else this.emitText(String.fromCharCode(c));
    }
    this.flushBytes();
    if (this.rowCells.length) this.endRow();
    if (this.para.length) this.endParagraph('par');
  }
}

export function rtfToBlocks(bytes: Uint8Array): Block[] {
  const parser = new RtfParser(bytes);
  parser.parse();
  const blocks = parser.blocks;
  for (const f of parser.footnotes) blocks.push({ kind: 'paragraph', lines: [f] });
  return blocks;
}

export function isRtf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('latin1').trimStart().startsWith('{\\rtf');
}

export const rtfReader: Reader = {
  id: 'rtf:confrec',
  fileType: 'rtf',
  async read(path, bytes) {
    if (!isRtf(bytes)) {
      throw new ConfrecError('not a valid .rtf (no RTF header)', { file: path, hint: 'open it in Word or LibreOffice and save it again as .rtf or .docx' });
    }
    let blocks: Block[];
    try {
      blocks = rtfToBlocks(bytes);
    } catch (err) {
      throw new ConfrecError('not a valid .rtf (damaged)', { file: path, hint: 'open it in Word or LibreOffice and save it again as .rtf or .docx', cause: err });
    }
    const text = blocksToText(blocks);
    if (!/\p{L}/u.test(text)) throw new ConfrecError('no text', { file: path, hint: 'the document has no paragraphs with text (only pictures?)' });
    return { text };
  },
};

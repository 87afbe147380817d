import { createRequire } from 'node:module';
import WordExtractor from 'word-extractor';
import { ConfrecError } from '../../errors.js';
import type { Reader, ReaderOutput } from './_base.js';
import { blocksToText, oneLine, type Block } from './blocks.js';
import {
  applyParaSprms,
  DocFormatError,
  findRun,
  NO_PROPS,
  pieceText,
  readDeletedRuns,
  readFib,
  readLists,
  readParagraphRuns,
  readPieces,
  readStyleProps,
  type ListLevel,
  type ListOverride,
  type ParaProps,
} from './doc-binary.js';
import { orderedMarker } from './docx-html.js';
import { oleProblem } from './ole-check.js';
import { markerText } from './rtf.js';

/**
 * Word 97–2003 .doc. word-extractor (a maintained pure-JS reader) opens the OLE compound file; the
 * Word structure is read by doc-binary.ts so that numbered and bulleted items get their markers back
 * and table cells become " | " rows. If the structure cannot be read (an unusual writer, a file Word
 * itself would repair), word-extractor's own plain text is used instead, without list numbers, and
 * the user is told.
 */

const require = createRequire(import.meta.url);
// word-extractor's public API returns only text; its OLE layer gives the raw streams.
const OleCompoundDoc = require('word-extractor/lib/ole-compound-doc.js') as new (reader: unknown) => OleDoc;
const BufferReader = require('word-extractor/lib/buffer-reader.js') as new (buffer: Buffer) => unknown;

interface OleDoc {
  read(): Promise<OleDoc>;
  stream(name: string): NodeJS.ReadableStream;
}

async function streamBuffer(doc: OleDoc, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = doc.stream(name);
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const RU_LOWER = 'абвгдежзиклмнопрстуфхцчшщэюя';

/** A number in a Word number format (nfc). */
export function formatNfc(n: number, nfc: number): string {
  switch (nfc) {
    case 1:
    case 2: {
      const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
      let out = '';
      let k = n;
      for (const [v, s] of table) while (k >= v) (out += s), (k -= v);
      return nfc === 2 ? out.toLowerCase() : out;
    }
    case 3:
      return String.fromCharCode(65 + ((n - 1) % 26));
    case 4:
      return String.fromCharCode(97 + ((n - 1) % 26));
    case 22:
      return String(n).padStart(2, '0');
    case 58:
      return RU_LOWER[(n - 1) % RU_LOWER.length];
    case 59:
      return RU_LOWER[(n - 1) % RU_LOWER.length].toUpperCase();
    case 255:
      return '';
    default:
      return String(n);
  }
}

/** Counts list items and renders their markers the way Word shows them. */
class Numbering {
  private readonly counters = new Map<number, number[]>();
  private readonly usedOverrides = new Set<number>();

  constructor(
    private readonly lists: Map<number, { levels: ListLevel[] }>,
    private readonly overrides: ListOverride[],
  ) {}

  private level(ilfo: number, ilvl: number): { lsid: number; level: ListLevel } | null {
    const o = this.overrides[ilfo - 1];
    if (!o) return null;
    const def = this.lists.get(o.lsid);
    const level = o.levels.get(ilvl) ?? def?.levels[Math.min(ilvl, (def?.levels.length ?? 1) - 1)];
    return level ? { lsid: o.lsid, level } : null;
  }

  marker(ilfo: number, ilvl: number): string {
    const found = this.level(ilfo, ilvl);
    if (!found) return orderedMarker(1, ilvl);
    const { lsid, level } = found;
    if (level.nfc === 23) return markerText(level.text) || '-';
    let counts = this.counters.get(lsid);
    if (!counts) this.counters.set(lsid, (counts = []));
    const o = this.overrides[ilfo - 1];
    // A start-at override restarts the list the first time the override is used.
    if (!this.usedOverrides.has(ilfo)) {
      this.usedOverrides.add(ilfo);
      for (const [lvl, start] of o.starts) counts[lvl] = start - 1;
    }
    counts[ilvl] = (counts[ilvl] ?? level.start - 1) + 1;
    for (let l = ilvl + 1; l < 9; l++) counts[l] = undefined as unknown as number;
    let text = '';
    for (const ch of level.text) {
      const code = ch.charCodeAt(0);
      if (code < 9) {
        const lv = this.level(ilfo, code)?.level ?? level;
        const n = counts[code] ?? lv.start;
        text += formatNfc(n, level.legal ? 0 : lv.nfc);
      } else text += ch;
    }
    return markerText(text);
  }
}

interface DocText {
  blocks: Block[];
}

/** Characters that end a paragraph-like unit: paragraph mark, cell/row mark, page/section/column breaks. */
const PARA_END = new Set(['\r', '\x07', '\x0c', '\x0e']);

async function readStructured(bytes: Uint8Array): Promise<DocText> {
  const problem = oleProblem(bytes);
  if (problem) throw new DocFormatError(`damaged OLE container: ${problem}`);
  const ole = await new OleCompoundDoc(new BufferReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))).read();
  const word = await streamBuffer(ole, 'WordDocument');
  if (word.length === 0) {
    if ((await streamBuffer(ole, 'EncryptionInfo')).length > 0) throw new DocFormatError('encrypted-ooxml');
    throw new DocFormatError('no WordDocument stream (an Excel or PowerPoint file?)');
  }
  const fib = readFib(word);
  if (fib.encrypted) throw new DocFormatError('encrypted');
  if (fib.nFib < 101) throw new DocFormatError('Word 6/95 format');
  const table = await streamBuffer(ole, fib.tableStream);
  const pieces = readPieces(fib, table);
  const paraRuns = readParagraphRuns(fib, word, table);
  const deleted = readDeletedRuns(fib, word, table);
  const styles = readStyleProps(fib, table);
  const { lists, overrides } = readLists(fib, table);
  const numbering = new Numbering(lists, overrides);

  const propsAt = (fc: number): ParaProps => {
    const run = findRun(paraRuns, fc);
    if (!run) return NO_PROPS;
    const base = styles.get(run.value.istd) ?? NO_PROPS;
    return applyParaSprms({ ...base, istd: run.value.istd }, run.value.grpprl, 0, run.value.grpprl.length);
  };

  const blocks: Block[] = [];
  const footnotes: string[] = [];
  let para = '';
  let cell: string[] = [];
  let row: string[] = [];
  let lastWasRow = false;
  // Field state: inside instructions (before the separator) text is skipped; results are kept.
  const fields: ('code' | 'result')[] = [];
  const limitMain = fib.ccpText;
  const limitFtn = fib.ccpText + fib.ccpFtn;

  const push = (kind: Block['kind'], line: string) => {
    const last = blocks[blocks.length - 1];
    if (kind !== 'paragraph' && last?.kind === kind && (kind !== 'table' || lastWasRow)) last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  };

  const endUnit = (ch: string, fc: number, story: 'main' | 'footnote') => {
    const props = propsAt(fc);
    const text = para;
    para = '';
    if (story === 'footnote') {
      const l = oneLine(text.replace(/[\x02]/g, ''));
      if (l) footnotes.push(l);
      return;
    }
    if (ch === '\x07' && props.ttp) {
      // Row end: the row's cells are complete.
      if (cell.length) row.push(oneLine(cell.join(' '))), (cell = []);
      if (row.some((c) => c !== '')) {
        push('table', row.join(' | '));
        lastWasRow = true;
      }
      row = [];
      return;
    }
    const lines = text.split('\n').map(oneLine).filter(Boolean);
    if (ch === '\x07' || props.itap > 0 || props.inTable) {
      // Inside a cell: paragraphs of one cell are joined; a cell mark (or a nested cell's end) closes it.
      if (props.ilfo > 0 && lines.length) lines[0] = `${numbering.marker(props.ilfo, props.ilvl)} ${lines[0]}`;
      cell.push(...lines);
      if (ch === '\x07' || (props.innerCell && props.itap <= 1)) {
        row.push(oneLine(cell.join(' ')));
        cell = [];
      }
      return;
    }
    lastWasRow = false;
    if (lines.length === 0) return;
    if (props.ilfo > 0) {
      const marker = numbering.marker(props.ilfo, props.ilvl);
      push('list', marker ? `${marker} ${lines[0]}` : lines[0]);
      for (const l of lines.slice(1)) push('paragraph', l);
      return;
    }
    blocks.push({ kind: 'paragraph', lines });
  };

  for (const piece of pieces) {
    if (piece.cpStart >= limitFtn) break;
    const text = pieceText(piece, word);
    for (let i = 0; i < text.length; i++) {
      const cp = piece.cpStart + i;
      if (cp >= limitFtn) break;
      const story = cp < limitMain ? 'main' : 'footnote';
      const fc = piece.fc + i * piece.bpc;
      const ch = text[i];
      if (ch === '\x13') {
        fields.push('code');
        continue;
      }
      if (ch === '\x14') {
        if (fields.length) fields[fields.length - 1] = 'result';
        continue;
      }
      if (ch === '\x15') {
        fields.pop();
        continue;
      }
      if (PARA_END.has(ch)) {
        endUnit(ch, fc, story);
        continue;
      }
      if (fields.includes('code')) continue;
      if (deleted.length && findRun(deleted, fc)) continue;
      switch (ch) {
        case '\x0b':
          para += '\n';
          break;
        case '\x1e':
          para += '-';
          break;
        case '\x1f':
        case '\x01':
        case '\x02':
        case '\x05':
        case '\x08':
          break;
        default:
          para += ch;
      }
    }
  }
  if (para.trim()) endUnit('\r', -1, 'main');
  for (const f of footnotes) blocks.push({ kind: 'paragraph', lines: [f] });
  return { blocks };
}

function invalidDoc(path: string, cause?: unknown): ConfrecError {
  return new ConfrecError('not a valid .doc (not a Word 97–2003 document, or damaged)', {
    file: path,
    hint: 'open it in Word or LibreOffice and save it as .docx',
    cause,
  });
}

/** OLE files that are not Word documents, or encrypted ones, get their own message. */
function explain(path: string, err: unknown): ConfrecError {
  const msg = err instanceof Error ? err.message : String(err);
  if (msg === 'encrypted') {
    return new ConfrecError('password-protected .doc', { file: path, hint: 'open it in Word, remove the password (File → Info → Protect) and save it as .docx' });
  }
  if (/Excel or PowerPoint/.test(msg)) {
    return new ConfrecError('not a Word document (an Excel, PowerPoint or other Office file, or an encrypted .docx)', {
      file: path,
      hint: 'if it is an encrypted .docx, remove the password in Word; otherwise save the text as .docx or .pdf',
    });
  }
  if (/Word 6\/95/.test(msg)) return new ConfrecError('Word 6/95 document (older than Word 97)', { file: path, hint: 'open it in Word or LibreOffice and save it as .docx' });
  if (msg === 'encrypted-ooxml' || /\.do[ct][xm]$/i.test(path)) {
    // Word saves a password-protected .docx as an OLE container; an old .doc renamed .docx looks the same.
    return new ConfrecError('not a valid .docx (an old binary .doc, or a password-protected document)', {
      file: path,
      hint: 'remove the password in Word (File → Info → Protect Document), or save it as .docx',
      cause: err,
    });
  }
  if (msg.startsWith('damaged OLE container')) {
    return new ConfrecError(`not a valid .doc (${msg})`, { file: path, hint: 'open it in Word or LibreOffice (they repair such files) and save it as .docx', cause: err });
  }
  return invalidDoc(path, err);
}

export async function readDoc(path: string, bytes: Uint8Array): Promise<ReaderOutput> {
  let structured: DocText | null = null;
  let failure: unknown = null;
  try {
    structured = await readStructured(bytes);
  } catch (err) {
    failure = err;
    const msg = err instanceof Error ? err.message : '';
    if (msg === 'encrypted' || msg === 'encrypted-ooxml' || /Excel or PowerPoint|Word 6\/95/.test(msg)) throw explain(path, err);
    // word-extractor would follow the same broken chains: no fallback for a damaged container.
    if (msg.startsWith('damaged OLE container')) throw explain(path, err);
  }
  if (structured) {
    const text = blocksToText(structured.blocks);
    if (/\p{L}/u.test(text)) return { text };
  }
  // The structure could not be read: word-extractor's plain text, without list numbers.
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const text = doc.getBody();
    if (!/\p{L}/u.test(text)) throw new ConfrecError('no text', { file: path, hint: 'the document has no paragraphs with text (only images?)' });
    return {
      text,
      reader: 'doc:word-extractor',
      notes: [`the .doc structure could not be read (${failure instanceof Error ? failure.message : 'unknown'}): text read without list numbers and table rows`],
    };
  } catch (err) {
    if (err instanceof ConfrecError) throw err;
    throw explain(path, failure ?? err);
  }
}

export const docReader: Reader = {
  id: 'doc:word97',
  fileType: 'doc',
  read: (path, bytes) => readDoc(path, bytes),
};

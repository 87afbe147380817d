/**
 * The parts of the Word 97–2003 binary format ([MS-DOC]) that carry structure: the piece table (which
 * characters are where), paragraph properties (list membership and level, table cells and rows), the
 * list definitions (number format, start, level text such as "\u0000." or "\u0000.\u0001."), and the
 * character runs marked deleted by track changes. word-extractor reads the text but throws all of this
 * away — numbered items come out without their numbers — so the structure is read here from the
 * streams word-extractor's OLE layer hands over.
 */

export interface Piece {
  cpStart: number;
  cpEnd: number;
  fc: number;
  /** 1 for 8-bit (cp1252) pieces, 2 for UTF-16. */
  bpc: 1 | 2;
}

export interface ParaProps {
  istd: number;
  ilfo: number;
  ilvl: number;
  inTable: boolean;
  /** Table row end mark. */
  ttp: boolean;
  /** Table depth (1 = top-level table). */
  itap: number;
  innerCell: boolean;
  innerTtp: boolean;
}

export interface FcRun<T> {
  fcStart: number;
  fcEnd: number;
  value: T;
}

export interface ListLevel {
  start: number;
  /** Number format: 0 decimal, 1/2 upper/lower roman, 3/4 upper/lower letter, 23 bullet, 255 none, 58/59 Russian letters. */
  nfc: number;
  /** Level text with placeholders \u0000…\u0008 for the numbers of levels 1…9. */
  text: string;
  legal: boolean;
}

export interface ListDef {
  lsid: number;
  levels: ListLevel[];
}

export interface ListOverride {
  lsid: number;
  /** Per level: a start-at override, and/or a whole replacement level. */
  starts: Map<number, number>;
  levels: Map<number, ListLevel>;
}

export interface Fib {
  nFib: number;
  encrypted: boolean;
  tableStream: '0Table' | '1Table';
  ccpText: number;
  ccpFtn: number;
  ccpHdd: number;
  ccpAtn: number;
  ccpEdn: number;
  fcLcb(index: number): { fc: number; lcb: number };
}

/** FibRgFcLcb97 indexes used here ([MS-DOC] 2.5.6). */
export const FC = { stshf: 1, plcfBteChpx: 12, plcfBtePapx: 13, clx: 33, plfLst: 73, plfLfo: 74 } as const;

export class DocFormatError extends Error {}

function need(cond: boolean, what: string): void {
  if (!cond) throw new DocFormatError(what);
}

export function readFib(word: Buffer): Fib {
  need(word.length >= 0x200, 'WordDocument stream too short');
  need(word.readUInt16LE(0) === 0xa5ec, 'not a Word document (bad magic number)');
  const nFib = word.readUInt16LE(2);
  const flags = word.readUInt16LE(0x0a);
  let pos = 32;
  const csw = word.readUInt16LE(pos);
  pos += 2 + csw * 2;
  const cslw = word.readUInt16LE(pos);
  const lw = pos + 2;
  pos += 2 + cslw * 4;
  const cbRgFcLcb = word.readUInt16LE(pos);
  const fcLcbStart = pos + 2;
  need(fcLcbStart + cbRgFcLcb * 8 <= word.length, 'damaged file information block');
  return {
    nFib,
    encrypted: (flags & 0x0100) !== 0,
    tableStream: (flags & 0x0200) !== 0 ? '1Table' : '0Table',
    ccpText: word.readInt32LE(lw + 12),
    ccpFtn: word.readInt32LE(lw + 16),
    ccpHdd: word.readInt32LE(lw + 20),
    ccpAtn: word.readInt32LE(lw + 28),
    ccpEdn: word.readInt32LE(lw + 32),
    fcLcb(index) {
      if (index >= cbRgFcLcb) return { fc: 0, lcb: 0 };
      return { fc: word.readUInt32LE(fcLcbStart + index * 8), lcb: word.readUInt32LE(fcLcbStart + index * 8 + 4) };
    },
  };
}

export function readPieces(fib: Fib, table: Buffer): Piece[] {
  const { fc, lcb } = fib.fcLcb(FC.clx);
  need(lcb > 0 && fc + lcb <= table.length, 'no piece table');
  let pos = fc;
  const end = fc + lcb;
  // Prc entries (clxt = 1) hold property modifiers for pieces; the Pcdt (clxt = 2) follows them.
  while (pos < end && table[pos] === 1) pos += 3 + table.readUInt16LE(pos + 1);
  need(pos < end && table[pos] === 2, 'damaged piece table');
  const size = table.readUInt32LE(pos + 1);
  const plc = pos + 5;
  need(plc + size <= table.length, 'damaged piece table');
  const n = (size - 4) / 12;
  need(Number.isInteger(n) && n > 0, 'damaged piece table');
  const pieces: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const cpStart = table.readUInt32LE(plc + i * 4);
    const cpEnd = table.readUInt32LE(plc + (i + 1) * 4);
    const raw = table.readUInt32LE(plc + (n + 1) * 4 + i * 8 + 2);
    const compressed = (raw & 0x40000000) !== 0;
    pieces.push({ cpStart, cpEnd, fc: compressed ? (raw & 0x3fffffff) / 2 : raw, bpc: compressed ? 1 : 2 });
  }
  return pieces;
}

/** Windows-1252 bytes 0x80–0x9F (8-bit pieces are always cp1252 in Word 97+). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function pieceText(piece: Piece, word: Buffer): string {
  const len = piece.cpEnd - piece.cpStart;
  const bytes = len * piece.bpc;
  need(piece.fc + bytes <= word.length, 'a text piece points past the end of the document');
  if (piece.bpc === 2) return word.toString('utf16le', piece.fc, piece.fc + bytes);
  let s = '';
  for (let i = 0; i < len; i++) {
    const b = word[piece.fc + i];
    s += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  }
  return s;
}

/** Operand size of a sprm ([MS-DOC] 2.2.5.1), given the bytes after the sprm code. */
function operandSize(sprm: number, buf: Buffer, at: number): number {
  const spra = sprm >> 13;
  switch (spra) {
    case 0:
    case 1:
      return 1;
    case 2:
    case 4:
    case 5:
      return 2;
    case 3:
      return 4;
    case 7:
      return 3;
    default:
      // Variable: one size byte — except sprmTDefTable and sprmPChgTabs, whose sizes are special.
      if (sprm === 0xd608 || sprm === 0xd606) return 2 + buf.readUInt16LE(at) - 1;
      if (sprm === 0xc615 && buf[at] === 255) {
        const del = buf[at + 1];
        const add = buf[at + 2 + del * 4];
        return 1 + 1 + del * 4 + 1 + add * 3;
      }
      return 1 + buf[at];
  }
}

/** Calls fn(sprm, operandOffset) for each sprm in buf[start, end). */
export function eachSprm(buf: Buffer, start: number, end: number, fn: (sprm: number, at: number) => void): void {
  let p = start;
  while (p + 2 <= end) {
    const sprm = buf.readUInt16LE(p);
    p += 2;
    if (p > end) break;
    const size = operandSize(sprm, buf, p);
    if (p + size > end) break;
    fn(sprm, p);
    p += size;
  }
}

const EMPTY_PROPS: ParaProps = { istd: 0, ilfo: 0, ilvl: 0, inTable: false, ttp: false, itap: 0, innerCell: false, innerTtp: false };

export function applyParaSprms(props: ParaProps, buf: Buffer, start: number, end: number): ParaProps {
  const p = { ...props };
  eachSprm(buf, start, end, (sprm, at) => {
    switch (sprm) {
      case 0x260a:
        p.ilvl = buf[at] & 0x0f;
        break;
      case 0x460b: {
        const v = buf.readInt16LE(at);
        // 0xF801 (-2047) means "no numbering" in an override of a numbered style.
        p.ilfo = v < 0 ? 0 : v;
        break;
      }
      case 0x2416:
        p.inTable = buf[at] !== 0;
        if (p.inTable && p.itap === 0) p.itap = 1;
        break;
      case 0x2417:
        p.ttp = buf[at] !== 0;
        break;
      case 0x6649:
        p.itap = buf.readInt32LE(at);
        break;
      case 0x244b:
        p.innerCell = buf[at] !== 0;
        break;
      case 0x244c:
        p.innerTtp = buf[at] !== 0;
        break;
    }
  });
  return p;
}

/** Paragraph properties by FC range, from the PAPX FKPs ([MS-DOC] 2.9.175). */
export function readParagraphRuns(fib: Fib, word: Buffer, table: Buffer): FcRun<{ istd: number; grpprl: Buffer }>[] {
  const { fc, lcb } = fib.fcLcb(FC.plcfBtePapx);
  if (lcb < 12 || fc + lcb > table.length) return [];
  const n = (lcb - 4) / 8;
  const runs: FcRun<{ istd: number; grpprl: Buffer }>[] = [];
  for (let i = 0; i < n; i++) {
    const page = table.readUInt32LE(fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    const base = page * 512;
    if (base + 512 > word.length) continue;
    const crun = word[base + 511];
    for (let j = 0; j < crun; j++) {
      const fcStart = word.readUInt32LE(base + j * 4);
      const fcEnd = word.readUInt32LE(base + (j + 1) * 4);
      const bOffset = word[base + (crun + 1) * 4 + j * 13] * 2;
      if (bOffset === 0 || bOffset >= 511) {
        runs.push({ fcStart, fcEnd, value: { istd: 0, grpprl: Buffer.alloc(0) } });
        continue;
      }
      let cb = word[base + bOffset];
      let start = base + bOffset + 1;
      let len: number;
      if (cb !== 0) len = 2 * cb - 1;
      else {
        cb = word[base + bOffset + 1];
        start++;
        len = 2 * cb;
      }
      const end = Math.min(start + len, base + 511);
      if (end - start < 2) continue;
      runs.push({ fcStart, fcEnd, value: { istd: word.readUInt16LE(start), grpprl: word.subarray(start + 2, end) } });
    }
  }
  return runs.sort((a, b) => a.fcStart - b.fcStart);
}

/** FC ranges of characters marked deleted (sprmCFRMarkDel) in the CHPX FKPs. */
export function readDeletedRuns(fib: Fib, word: Buffer, table: Buffer): FcRun<true>[] {
  const { fc, lcb } = fib.fcLcb(FC.plcfBteChpx);
  if (lcb < 12 || fc + lcb > table.length) return [];
  const n = (lcb - 4) / 8;
  const runs: FcRun<true>[] = [];
  for (let i = 0; i < n; i++) {
    const page = table.readUInt32LE(fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    const base = page * 512;
    if (base + 512 > word.length) continue;
    const crun = word[base + 511];
    for (let j = 0; j < crun; j++) {
      const b = word[base + (crun + 1) * 4 + j] * 2;
      if (b === 0) continue;
      const cb = word[base + b];
      let deleted = false;
      eachSprm(word, base + b + 1, Math.min(base + b + 1 + cb, base + 511), (sprm, at) => {
        if (sprm === 0x0800 && (word[at] & 1) === 1) deleted = true;
      });
      if (deleted) runs.push({ fcStart: word.readUInt32LE(base + j * 4), fcEnd: word.readUInt32LE(base + (j + 1) * 4), value: true });
    }
  }
  return runs.sort((a, b) => a.fcStart - b.fcStart);
}

/** The run containing fc (runs sorted and not overlapping), by binary search. */
export function findRun<T>(runs: readonly FcRun<T>[], fc: number): FcRun<T> | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid];
    if (fc < r.fcStart) hi = mid - 1;
    else if (fc >= r.fcEnd) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** Paragraph properties of each style (istd), with inheritance from the base style ([MS-DOC] 2.9.271). */
export function readStyleProps(fib: Fib, table: Buffer): Map<number, ParaProps> {
  const { fc, lcb } = fib.fcLcb(FC.stshf);
  const out = new Map<number, ParaProps>();
  if (lcb < 4 || fc + lcb > table.length) return out;
  const end = fc + lcb;
  const cbStshi = table.readUInt16LE(fc);
  const cstd = table.readUInt16LE(fc + 2);
  const cbSTDBaseInFile = table.readUInt16LE(fc + 4);
  let p = fc + 2 + cbStshi;
  const raw = new Map<number, { base: number; grpprl: Buffer | null }>();
  for (let istd = 0; istd < cstd && p + 2 <= end; istd++) {
    const cbStd = table.readUInt16LE(p);
    const std = p + 2;
    p = std + cbStd;
    if (cbStd === 0 || p > end) continue;
    const stk = table.readUInt16LE(std + 2) & 0x0f;
    const istdBase = table.readUInt16LE(std + 2) >> 4;
    const cupx = table.readUInt16LE(std + 4) & 0x0f;
    let q = std + cbSTDBaseInFile;
    if (q + 2 > p) continue;
    const cch = table.readUInt16LE(q);
    q += 2 + cch * 2 + 2; // name and its terminating zero
    let grpprl: Buffer | null = null;
    if (stk === 1 && cupx >= 1 && q + 2 <= p) {
      const cbUpx = table.readUInt16LE(q);
      // UpxPapx: istd (2 bytes), then the sprms.
      if (cbUpx >= 2 && q + 2 + cbUpx <= p) grpprl = table.subarray(q + 4, q + 2 + cbUpx);
    }
    raw.set(istd, { base: istdBase, grpprl });
  }
  const resolve = (istd: number, depth: number): ParaProps => {
    if (out.has(istd)) return out.get(istd)!;
    const r = raw.get(istd);
    if (!r || depth > 20) return EMPTY_PROPS;
    const base = r.base !== 0xfff && r.base !== istd ? resolve(r.base, depth + 1) : EMPTY_PROPS;
    const props = r.grpprl ? applyParaSprms(base, r.grpprl, 0, r.grpprl.length) : base;
    out.set(istd, props);
    return props;
  };
  for (const istd of raw.keys()) resolve(istd, 0);
  return out;
}

function readLvl(table: Buffer, at: number, end: number): { level: ListLevel; next: number } {
  need(at + 28 <= end, 'damaged list definition');
  const start = table.readInt32LE(at);
  const nfc = table[at + 4];
  const legal = (table[at + 5] & 0x04) !== 0;
  const cbChpx = table[at + 24];
  const cbPapx = table[at + 25];
  let p = at + 28 + cbPapx + cbChpx;
  need(p + 2 <= end, 'damaged list definition');
  const cch = table.readUInt16LE(p);
  p += 2;
  need(p + cch * 2 <= end, 'damaged list definition');
  const text = table.toString('utf16le', p, p + cch * 2);
  return { level: { start, nfc, text, legal }, next: p + cch * 2 };
}

export function readLists(fib: Fib, table: Buffer): { lists: Map<number, ListDef>; overrides: ListOverride[] } {
  const lists = new Map<number, ListDef>();
  const overrides: ListOverride[] = [];
  const lst = fib.fcLcb(FC.plfLst);
  if (lst.lcb >= 2 && lst.fc + lst.lcb <= table.length) {
    const count = table.readInt16LE(lst.fc);
    const defs: { lsid: number; simple: boolean }[] = [];
    for (let i = 0; i < count; i++) {
      const at = lst.fc + 2 + i * 28;
      need(at + 28 <= table.length, 'damaged list table');
      defs.push({ lsid: table.readInt32LE(at), simple: (table[at + 26] & 1) !== 0 });
    }
    // The LVLs of all lists follow the list table, in order (1 level for simple lists, 9 for others).
    let p = lst.fc + 2 + count * 28;
    for (const d of defs) {
      const levels: ListLevel[] = [];
      for (let l = 0; l < (d.simple ? 1 : 9); l++) {
        const { level, next } = readLvl(table, p, table.length);
        levels.push(level);
        p = next;
      }
      lists.set(d.lsid, { lsid: d.lsid, levels });
    }
  }
  const lfo = fib.fcLcb(FC.plfLfo);
  if (lfo.lcb >= 4 && lfo.fc + lfo.lcb <= table.length) {
    const count = table.readInt32LE(lfo.fc);
    const entries: { lsid: number; clfolvl: number }[] = [];
    for (let i = 0; i < count; i++) {
      const at = lfo.fc + 4 + i * 16;
      need(at + 16 <= table.length, 'damaged list override table');
      entries.push({ lsid: table.readInt32LE(at), clfolvl: table[at + 12] });
    }
    let p = lfo.fc + 4 + count * 16;
    for (const e of entries) {
      const o: ListOverride = { lsid: e.lsid, starts: new Map(), levels: new Map() };
      p += 4; // LFOData.cp
      for (let k = 0; k < e.clfolvl; k++) {
        need(p + 8 <= table.length, 'damaged list override table');
        const startAt = table.readInt32LE(p);
        const flags = table.readUInt32LE(p + 4);
        const ilvl = flags & 0x0f;
        p += 8;
        if (flags & 0x10) o.starts.set(ilvl, startAt);
        if (flags & 0x20) {
          const { level, next } = readLvl(table, p, table.length);
          o.levels.set(ilvl, level);
          p = next;
        }
      }
      overrides.push(o);
    }
  }
  return { lists, overrides };
}

export const NO_PROPS = EMPTY_PROPS;

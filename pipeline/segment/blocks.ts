/**
 * The layout reader shared by the segmenter and the metadata extractors: normalised text → blocks
 * (list items, paragraphs, table rows) with their offsets and line numbers. Pure; knows nothing of
 * Russian beyond list markers and punctuation.
 */
import { collapse } from './rules/words.js';

export type MarkerKind = 'bullet' | 'num-dot' | 'num-paren' | 'num-multi' | 'roman' | 'letter';

export interface Marker {
  kind: MarkerKind;
  /** The marker as written, e.g. "1)", "I.", "-". */
  text: string;
  /** The number of a numbered marker ("3." → 3, "1.2." → 2, "в)" → 3), or null for bullets. */
  number: number | null;
}

export interface Cell {
  /** Offsets of the cell's content (trimmed) in the document text. */
  start: number;
  end: number;
  text: string;
}

export interface Block {
  kind: 'item' | 'para' | 'row';
  marker: Marker | null;
  /** Offset of the block's first character (the marker, if any) in the document text. */
  start: number;
  /** Offset where the content (after the marker) starts. */
  contentStart: number;
  /** End offset (exclusive) of the last content character. */
  end: number;
  /** Content with whitespace collapsed (marker removed). */
  text: string;
  /** Whether a blank line precedes the block. */
  afterBlank: boolean;
  /** 1-based lines of the block's first and last character. */
  line: number;
  lastLine: number;
  /** Table cells (rows only): what readers write as "a | b | c" (BRIEF contract), one row per line. */
  cells?: Cell[];
}

const LETTERS = 'абвгдежзиклмнопрстуфхцчшщэюя';

const MARKERS: { kind: MarkerKind; re: RegExp }[] = [
  // "- " is what normaliseText makes of every usual bullet glyph. OCR and font conversions leave
  // others at line start ("®", "»", "Ø", "§", a Latin "o"): they are bullets too, when a space follows.
  // (Not the Cyrillic "о": a wrapped line may start with the preposition.)
  // (Word's second-level «o», and the hollow circles normaliseText writes as «o», before any word.)
  { kind: 'bullet', re: /^(?:-\s*|[®©»>§Øü◊◆❑➔☐☑✗✘¤](?=\s)\s*|o(?=\s+[\p{L}«"(\d])\s*)/u },
  { kind: 'num-multi', re: /^(\d{1,2}(?:\.\d{1,2})+)[.)]?(?=\s|[А-ЯЁA-Zа-яё«"])\s*/ },
  { kind: 'num-dot', re: /^(\d{1,3})\.(?!\d)\s*/ },
  { kind: 'num-paren', re: /^\(?(\d{1,3})\)\s*/ },
  { kind: 'roman', re: /^([IVXLC]{1,7})[.)]\s+/ },
  { kind: 'letter', re: /^\(?([а-яёa-z])\)\s*/ },
];

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
function romanValue(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const a = ROMAN[s[i]];
    const b = ROMAN[s[i + 1]] ?? 0;
    v += a < b ? -a : a;
  }
  return v;
}

/**
 * Whether two markers are of one list level: the same kind and, for bullets, the same glyph. Word's
 * second-level bullet («o», Courier New) under «•» items (normalised to «-») is a level below them:
 * «- обеспечить подготовку специалистов, в том числе:» / «o логопедов;» / «o …» / «- предусмотреть …».
 */
export function sameLevel(a: Marker | null | undefined, b: Marker | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.kind === b.kind && (a.kind !== 'bullet' || a.text === b.text);
}

function numberOf(kind: MarkerKind, m: RegExpExecArray): number | null {
  switch (kind) {
    case 'num-dot':
    case 'num-paren':
      return Number(m[1]);
    case 'num-multi':
      return Number(m[1].split('.').pop());
    case 'roman':
      return romanValue(m[1]);
    case 'letter': {
      const k = LETTERS.indexOf(m[1].toLowerCase());
      return k >= 0 ? k + 1 : m[1].toLowerCase().charCodeAt(0) - 96;
    }
    default:
      return null;
  }
}

/** The list marker at the start of a (normalised, trimmed) line, and its length including spaces. */
/** What a marker can start with; most lines start with a word and need no further test. */
const MARKER_START = /^(?:[-®©»>§Øü◊◆❑➔☐☑✗✘¤o(\dIVXLC]|[а-яёa-z]\))/u;

export function parseMarker(line: string): { marker: Marker; length: number } | null {
  if (!MARKER_START.test(line)) return null;
  for (const { kind, re } of MARKERS) {
    const m = re.exec(line);
    if (!m) continue;
    const rest = line.slice(m[0].length);
    // A marker must be followed by content; "2023." or "5." alone is not a list item.
    // "2. – Министерству …": a dash after a number is part of the marker, not of the content
    const dash = kind !== 'bullet' ? /^[–—-]\s+(?=[\p{L}«"])/u.exec(rest) : null;
    if (!dash && !/[\p{L}«"(\d]/u.test(rest.charAt(0))) continue;
    return { marker: { kind, text: m[0].trim(), number: numberOf(kind, m) }, length: m[0].length + (dash?.[0].length ?? 0) };
  }
  return null;
}

/** "а. Органам …", "Б. Региональным …": a letter and a dot — a list marker only inside a run. */
const LETTER_DOT = /^([а-яё])\.\s+(?=[«"\p{L}])|^([А-ЯЁ])\.\s+(?=[«"]|\p{Lu}\p{Ll})/u;

/**
 * Lines that start a list with letters and dots («а. …», «б. …», «в. …»). Alone, «г. Тамбов», «с. Майма»,
 * «п. 3» or an initial («А. Иванова») look the same, so a letter counts only in a run that starts at «а»
 * and goes on in alphabetical order («а.», «б.», «в.» … in one case), two letters or more; other lines
 * may stand between them (wrapped lines, sub-items). Line number → marker.
 */
function letterDotMarkers(lines: Line[]): Map<number, { marker: Marker; length: number }> {
  const found = new Map<number, { marker: Marker; length: number }>();
  let run: { no: number; index: number; length: number; text: string }[] = [];
  let upper = false;
  const flush = () => {
    if (run.length >= 2) {
      for (const r of run) found.set(r.no, { marker: { kind: 'letter', text: r.text, number: r.index + 1 }, length: r.length });
    }
    run = [];
  };
  for (const line of lines) {
    const m = LETTER_DOT.exec(line.text);
    if (!m) continue;
    const letter = (m[1] ?? m[2]).toLowerCase();
    const index = LETTERS.indexOf(letter);
    const isUpper = m[2] !== undefined;
    const entry = { no: line.no, index, length: m[0].length, text: m[0].trim() };
    if (index === 0) {
      flush();
      run = [entry];
      upper = isUpper;
    } else if (run.length > 0 && isUpper === upper && index === run[run.length - 1].index + 1) {
      run.push(entry);
    }
  }
  flush();
  return found;
}

const TERMINAL = /[.!?:;]$/;
const STARTS_BLOCK_RE = /^(?:резолюция\s+принята|председатель|секретарь|приложение|рекомендации|предложения|ответственн\p{L}*\s*[:–—-]|срок\p{L}*(?:\s+исполнения)?\s*[:–—-]|исполнител\p{L}*\s*:|(?:слушали|выступили|решили|постановили|голосовали)(?!\p{L}))/iu;

/** "ОБЩЕОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ": a heading typed in capitals (two or more words). */
export function isCapitalsLine(s: string): boolean {
  if (/\p{Ll}/u.test(s)) return false; // almost every line: one scan, no copy
  const letters = s.replace(/[^\p{L}]/gu, '');
  return letters.length >= 8 && letters === letters.toUpperCase() && /\p{L}+\s+\p{L}+/u.test(s);
}

interface Line {
  start: number;
  end: number;
  text: string;
  no: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  let no = 0;
  for (const raw of text.split('\n')) {
    no++;
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    lines.push({ start: pos + lead, end: pos + lead + trimmed.length, text: trimmed, no });
    pos += raw.length + 1;
  }
  return lines;
}

/** A table row as readers write it: cells joined by " | " (a markdown row "| a | b |" too). */
const ROW_SEP = ' | ';

function tableCells(line: Line): Cell[] | null {
  const t = line.text;
  if (!t.includes(ROW_SEP) && !/^\|.*\|$/.test(t)) return null;
  const cells: Cell[] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    const raw = t.slice(a, b);
    const lead = raw.length - raw.trimStart().length;
    const inner = raw.trim();
    cells.push({ start: line.start + a + lead, end: line.start + a + lead + inner.length, text: inner.replace(/\s+/g, ' ') });
  };
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '|' && (i === 0 || t[i - 1] === ' ' || i === t.length - 1 || t[i + 1] === ' ')) {
      push(from, i);
      from = i + 1;
    }
  }
  push(from, t.length);
  // Leading and trailing pipes of a markdown row leave empty edge cells.
  if (t.startsWith('|') && cells[0]?.text === '') cells.shift();
  if (t.endsWith('|') && cells[cells.length - 1]?.text === '') cells.pop();
  return cells.length >= 2 ? cells : null;
}

/** "|---|:---:|" — a markdown table's rule line, not content. */
const RULE_ROW = /^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?$/;

/**
 * Groups lines into blocks. A marked line starts an item; a line with " | " cells is a table row;
 * an unmarked line continues the previous block when that block has not ended a sentence or clause
 * (hard-wrapped lines), or, across a blank line, when an item is clearly unfinished and the next line
 * starts in lower case.
 */
export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let blank = false;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  const lines = splitLines(text);
  const letterDots = letterDotMarkers(lines);
  for (const line of lines) {
    if (line.text === '') {
      blank = true;
      continue;
    }
    if (RULE_ROW.test(line.text)) continue;
    const cells = tableCells(line);
    if (cells) {
      close();
      blocks.push({
        kind: 'row', marker: null, start: line.start, contentStart: line.start, end: line.end,
        text: line.text, afterBlank: blank, line: line.no, lastLine: line.no, cells,
      });
      blank = false;
      continue;
    }
    const m = parseMarker(line.text) ?? letterDots.get(line.no) ?? null;
    const startsLower = /^[\p{Ll}]/u.test(line.text);
    // An unpunctuated item followed by "Образовательным организациям:" or "Резолюция принята…" ends there;
    // so does one followed by an addressee line ending in a dash ("II. Предложения" / "Комитету по образованию —").
    const opensBlock = !startsLower && (/(?::|\s[—–])$/.test(line.text) || STARTS_BLOCK_RE.test(line.text) || isCapitalsLine(line.text));
    if (!m && current && !opensBlock) {
      const unfinished = !TERMINAL.test(current.text);
      const continues = blank ? current.kind === 'item' && unfinished && startsLower : unfinished;
      if (continues) {
        current.end = line.end;
        current.lastLine = line.no;
        current.text = `${current.text} ${line.text}`;
        blank = false;
        continue;
      }
    }
    close();
    current = {
      kind: m ? 'item' : 'para',
      marker: m?.marker ?? null,
      start: line.start,
      contentStart: line.start + (m?.length ?? 0),
      end: line.end,
      text: m ? line.text.slice(m.length) : line.text,
      afterBlank: blank,
      line: line.no,
      lastLine: line.no,
    };
    blank = false;
  }
  close();
  for (const b of blocks) if (b.kind !== 'row') b.text = collapse(b.text);
  return blocks;
}

/**
 * Layout analysis: normalised text → blocks (list items and paragraphs) with their offsets.
 * Pure; knows nothing of Russian beyond list markers and punctuation.
 */

export type MarkerKind = 'bullet' | 'num-dot' | 'num-paren' | 'num-multi' | 'roman' | 'letter';

export interface Marker {
  kind: MarkerKind;
  /** The marker as written, e.g. "1)", "I.", "-". */
  text: string;
}

export interface Block {
  kind: 'item' | 'para';
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
}

const MARKERS: { kind: MarkerKind; re: RegExp }[] = [
  { kind: 'bullet', re: /^-\s*/ },
  { kind: 'num-multi', re: /^(\d{1,2}(?:\.\d{1,2})+)[.)]?(?=\s|[А-ЯЁA-Zа-яё«"])\s*/ },
  { kind: 'num-dot', re: /^(\d{1,3})\.(?!\d)\s*/ },
  { kind: 'num-paren', re: /^\(?(\d{1,3})\)\s*/ },
  { kind: 'roman', re: /^([IVXLC]{1,7})[.)]\s+/ },
  { kind: 'letter', re: /^\(?([а-яёa-z])\)\s*/ },
];

/** The list marker at the start of a (normalised, trimmed) line, and its length including spaces. */
export function parseMarker(line: string): { marker: Marker; length: number } | null {
  for (const { kind, re } of MARKERS) {
    const m = re.exec(line);
    if (!m) continue;
    const rest = line.slice(m[0].length);
    // A marker must be followed by content; "2023." or "5." alone is not a list item.
    if (!/[\p{L}«"(\d]/u.test(rest.charAt(0))) continue;
    return { marker: { kind, text: m[0].trim() }, length: m[0].length };
  }
  return null;
}

const TERMINAL = /[.!?:;]$/;
const STARTS_BLOCK_RE = /^(?:резолюция\s+принята|председатель|секретарь|приложение|рекомендации|предложения)(?!\p{L})/iu;

/** "ОБЩЕОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ": a heading typed in capitals (two or more words). */
function isCapitalsLine(s: string): boolean {
  const letters = s.replace(/[^\p{L}]/gu, '');
  return letters.length >= 8 && letters === letters.toUpperCase() && /\p{L}+\s+\p{L}+/u.test(s);
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  for (const raw of text.split('\n')) {
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    lines.push({ start: pos + lead, end: pos + lead + trimmed.length, text: trimmed });
    pos += raw.length + 1;
  }
  return lines;
}

/**
 * Groups lines into blocks. A marked line starts an item; an unmarked line continues the previous
 * block when that block has not ended a sentence or clause (hard-wrapped lines), or, across a blank
 * line, when an item is clearly unfinished and the next line starts in lower case.
 */
export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let blank = false;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (const line of splitLines(text)) {
    if (line.text === '') {
      blank = true;
      continue;
    }
    const m = parseMarker(line.text);
    const startsLower = /^[\p{Ll}]/u.test(line.text);
    // An unpunctuated item followed by "Образовательным организациям:" or "Резолюция принята…" ends there.
    const opensBlock = !startsLower && (/:$/.test(line.text) || STARTS_BLOCK_RE.test(line.text) || isCapitalsLine(line.text));
    if (!m && current && !opensBlock) {
      const unfinished = !TERMINAL.test(current.text);
      const continues = blank ? current.kind === 'item' && unfinished && startsLower : unfinished;
      if (continues) {
        current.end = line.end;
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
    };
    blank = false;
  }
  close();
  for (const b of blocks) b.text = b.text.replace(/\s+/g, ' ').trim();
  return blocks;
}

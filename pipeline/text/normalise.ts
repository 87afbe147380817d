/**
 * Text normalisation applied to every document before anything else reads it. It works line by line
 * and never adds or removes a line, so line numbers in the stored text are the source's line numbers
 * (for .txt and .md) and every offset the segmenter records can be shown in the source.
 */

// Word's Symbol/Wingdings fonts put bullets into the private use area (U+F0B7 is Symbol's "•").
const PUA_BULLETS = new Set([0xf0b7, 0xf0a7, 0xf0a8, 0xf076, 0xf0d8, 0xf0fc, 0xf0a1, 0xf06c, 0xf06e, 0xf075, 0xf0e8, 0xf0d7]);

function mapPrivateUse(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (PUA_BULLETS.has(code)) return '•';
  // Symbol font maps F020..F07E onto ASCII (F020 is a space, F02D a minus).
  if (code >= 0xf020 && code <= 0xf07e) return String.fromCharCode(code - 0xf000);
  return '';
}

/** Bullet glyphs that start a list item; all become "- ". */
const BULLETS = '-–—−•·*▪►●■□✓✔➢➤‣⁃◘♦❖➣→★☆✦✧◆◇▶▸⮚➔➜➞⇒⇨☑✗✘◼◾⬤◉⦁∙';
const BULLET_RE = new RegExp(`^[${BULLETS}](?=\\s|\\p{L}|\\d|«|")\\s*`, 'u');
/**
 * Hollow circles, the second level browsers and Word draw under «•», become «o », as Word's own
 * second-level bullet is written: a level below the «- » items (segment/blocks.ts sameLevel).
 */
const SECOND_LEVEL_RE = /^[○◦](?=\s|\p{L}|\d|«|")\s*/u;
/** A list marker alone before a tab ("1.", "а)", a bullet, a Symbol-font bullet): the line is an item, not a row. */
const MARKER_CELL = new RegExp(`^(?:\\d{1,3}(?:\\.\\d{1,3})*[.)]|[IVX]+\\.|[а-яёa-z]\\)|[${BULLETS}○◦o]|[\\uE000-\\uF8FF])$`, 'u');

function stripMarkdown(line: string): string {
  let s = line;
  s = s.replace(/^#{1,6}\s+/, ''); // ATX heading marks
  s = s.replace(/^>\s?/, ''); // block quote
  // Emphasis: **x**, __x__, *x*, _x_ (a "* " bullet has a space after the star, so it is not touched).
  s = s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\*\*/g, '');
  s = s.replace(/(^|[\s(«"„])__(\S(?:.*?\S)?)__(?=$|[\s.,;:!?)»"])/g, '$1$2');
  s = s.replace(/(^|[\s(«"„])\*(\S(?:.*?\S)?)\*(?=$|[\s.,;:!?)»"])/g, '$1$2');
  s = s.replace(/(^|[\s(«"„])_(\S(?:.*?\S)?)_(?=$|[\s.,;:!?)»"])/g, '$1$2');
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1'); // pandoc escapes
  return s;
}

/**
 * Characters (or a line start, or two spaces) without which every replacement of normaliseLine before
 * the trim is a no-op: most lines have none, and skipping thirteen regex passes for them halves
 * normalisation (≈ 0.1 ms per document).
 */
const NEEDS_CLEANING = /[\uE000-\uF8FF[{\u00AD\u200B-\u200D\u2060\uFEFF\u00A0\u2007\u202F\u2000-\u200A\u3000\t*_\\]|^[#>]| {2}/;

export function normaliseLine(line: string): string {
  if (!NEEDS_CLEANING.test(line)) return line.trim().replace(BULLET_RE, '- ').replace(SECOND_LEVEL_RE, 'o ');
  let s = line;
  s = s.replace(/[\uE000-\uF8FF]/g, mapPrivateUse);
  s = s.replace(/\[(?:bookmark|anchor):[^\]]*\]/gi, ''); // conversion artefacts: [bookmark: _GoBack]
  s = s.replace(/\{#[^}]*\}|\{\.[a-z-]+\}/g, ''); // pandoc attributes
  s = s.replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, ''); // soft hyphen, zero-width
  s = s.replace(/[\u00A0\u2007\u202F\u2000-\u200A\u3000]/g, ' '); // exotic spaces
  s = s.replace(/\t/g, ' ');
  s = stripMarkdown(s);
  s = s.replace(/ {2,}/g, ' ').trim();
  s = s.replace(BULLET_RE, '- ').replace(SECOND_LEVEL_RE, 'o ');
  return s;
}

/** A line's tab-separated cells, or null when it is not a table row (a marker before a tab is a list item). */
function tabCells(line: string): string[] | null {
  if (!line.includes('\t')) return null;
  const cells = line.trim().split(/\t+/).map((c) => c.trim()).filter((c) => c !== '');
  if (cells.length < 2 || MARKER_CELL.test(cells[0])) return null;
  return cells;
}

/**
 * Tables typed with tabs: two or more consecutive lines with the same number of tab-separated cells
 * become " | " rows, the readers' table contract (one line per row), so the segmenter reads them as
 * tables. A single line with a tab ("30 марта 2023 г.<tab>г. Вологда") stays a line.
 */
function tabTables(lines: string[]): string[] {
  const cells = lines.map(tabCells);
  const out = [...lines];
  for (let i = 0; i < lines.length; ) {
    const n = cells[i]?.length ?? 0;
    let j = i;
    while (n >= 2 && cells[j + 1]?.length === n) j++;
    if (j > i) for (let k = i; k <= j; k++) out[k] = cells[k]!.join(' | ');
    i = j + 1;
  }
  return out;
}

/** Normalises a whole document; the result has exactly as many lines as the input. */
export function normaliseText(raw: string): string {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  return (text.includes('\t') ? tabTables(lines) : lines).map(normaliseLine).join('\n');
}

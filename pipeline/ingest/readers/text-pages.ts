import { EDGE_LINES, MAX_TITLE_CHARS, furnitureKey, isPageNumber, titleBetweenHalves } from './pdf-lines.js';
import { collectHyphenEvidence, keepsHyphen } from './pdf-paragraphs.js';

/**
 * Plain text copied or converted from a paged document (a PDF saved as .txt, pdftotext's output)
 * still carries its pages: page numbers and running headers or footers between the lines of a
 * sentence, sometimes a form feed. The PDF reader drops them from the pages it lays out
 * (pdf-lines.ts dropPageFurniture); here the same is done to plain text, where pages are found from
 * the text alone. Lines are blanked, not removed, so every line keeps its number (provenance).
 */

/** A page holds at least this many lines: page numbers closer together are list numbers or counts. */
const MIN_PAGE_LINES = 12;

const blank = (s: string | undefined) => s === undefined || s.trim() === '' || s.trim() === '\f';
const numberOf = (s: string) => Number(/\d{1,3}/.exec(s)?.[0] ?? NaN);

/** Up to `count` lines from `from` on in direction `dir` that are neither blank nor `skipped`. */
function linesFrom(lines: readonly string[], from: number, dir: 1 | -1, count: number, skipped: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = from; i >= 0 && i < lines.length && out.length < count; i += dir) if (!blank(lines[i]) && !skipped.has(i)) out.push(i);
  return out;
}

/**
 * The indexes of the lines that are page furniture: page numbers standing alone that count up page by
 * page (at least two, MIN_PAGE_LINES apart, each on a line of its own after a blank line or a form
 * feed), lines with a form feed count as page breaks too; and the lines next to those breaks that
 * repeat (digits aside) at half of the breaks and at two at least — the running headers and footers —
 * or that stand between the two halves of a sentence broken by a page (a title seen once).
 * Nothing when the text shows fewer than two page breaks.
 */
export function pageFurnitureLines(lines: readonly string[]): Set<number> {
  const candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\f/g, '');
    if (line.trim() === '' || !isPageNumber(line)) continue;
    // On a line of its own: a blank line or a form feed on at least one side.
    if (blank(lines[i - 1]) || blank(lines[i + 1]) || lines[i].includes('\f') || (lines[i - 1] ?? '').includes('\f')) candidates.push(i);
  }
  // Numbers that count up page by page: each accepted with a neighbour one or two pages away.
  const numbers = new Set<number>();
  for (let k = 0; k < candidates.length; k++) {
    for (const j of [k - 1, k + 1]) {
      if (j < 0 || j >= candidates.length) continue;
      const [a, b] = j > k ? [candidates[k], candidates[j]] : [candidates[j], candidates[k]];
      const step = numberOf(lines[b]) - numberOf(lines[a]);
      if (b - a >= MIN_PAGE_LINES && step >= 1 && step <= 2) numbers.add(candidates[k]);
    }
  }
  // Page breaks as spans of lines [lo, hi]: a page number is its own line; a form feed before text
  // breaks before that line (lo = i, hi = i − 1); a page number next to a form feed is one break.
  const spans: [number, number][] = [...numbers].map((i) => [i, i]);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes('\f') || numbers.has(i)) continue;
    spans.push(lines[i].replace(/\f/g, '').trim() === '' ? [i, i] : [i, i - 1]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const breaks: [number, number][] = [];
  for (const [lo, hi] of spans) {
    const last = breaks[breaks.length - 1];
    const between = last ? lines.slice(last[1] + 1, lo) : [];
    if (last && lo - last[1] <= EDGE_LINES + 1 && between.every((l) => blank(l))) last[1] = Math.max(last[1], hi);
    else breaks.push([lo, hi]);
  }
  const out = new Set(numbers);
  if (breaks.length < 2) return new Set();
  // Lines at the edges of each break, by their key.
  const atBreaks = new Map<string, { lines: number[]; breaks: Set<number> }>();
  const edgeText = (i: number) => lines[i].replace(/\f/g, '').trim();
  breaks.forEach(([lo, hi], n) => {
    for (const i of [...linesFrom(lines, lo - 1, -1, EDGE_LINES, numbers), ...linesFrom(lines, hi + 1, 1, EDGE_LINES, numbers)]) {
      if (edgeText(i).length > MAX_TITLE_CHARS) continue;
      const key = furnitureKey(edgeText(i));
      let e = atBreaks.get(key);
      if (!e) atBreaks.set(key, (e = { lines: [], breaks: new Set() }));
      e.lines.push(i);
      e.breaks.add(n);
    }
  });
  const keys = new Set<string>();
  for (const [key, { lines: at, breaks: where }] of atBreaks) {
    if (where.size >= 2 && where.size * 2 >= breaks.length) {
      keys.add(key);
      for (const i of at) out.add(i);
    }
  }
  // The first page's header and the last page's footer have no break beside them: the text's ends.
  for (const i of [...linesFrom(lines, 0, 1, EDGE_LINES, numbers), ...linesFrom(lines, lines.length - 1, -1, EDGE_LINES, numbers)]) {
    if (keys.has(furnitureKey(edgeText(i)))) out.add(i);
  }
  // A running title seen at one break only (a two-page text) still stands out where a sentence runs
  // across the break: the line before the break ends unfinished, a line after it goes on in lower
  // case, and what stands between is the next page's title.
  for (const [lo, hi] of breaks) {
    const [p] = linesFrom(lines, lo - 1, -1, 1, out);
    if (p === undefined) continue;
    const after = linesFrom(lines, hi + 1, 1, EDGE_LINES + 1, out);
    const drop = titleBetweenHalves(lines[p], after.map((i) => lines[i].replace(/\f/g, '')));
    for (const i of after.slice(0, drop)) out.add(i);
  }
  return out;
}

/**
 * Words the page's right edge broke with a hyphen ("профессио-" / "нальную"), put together again on
 * the second line: the head moves down (line numbers stay, and the first line keeps its other words),
 * the hyphen goes unless the halves make a compound ("психолого-" / "педагогической":
 * pdf-paragraphs.ts keepsHyphen, the same decision as for PDFs). Only where the next line goes on
 * with a lower-case word, and that line is the next one or follows blank lines among which is page
 * furniture (a real blank line is a paragraph break). Changes `lines` in place; returns how many
 * words were joined.
 */
export function joinBrokenWords(lines: string[], isKnownWord: (w: string) => boolean, furniture: ReadonlySet<number> = new Set()): number {
  const evidence = collectHyphenEvidence(lines, isKnownWord);
  let joined = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = /(?:^|[\s(«"])(\p{L}+)[-\u2010]$/u.exec(lines[i])?.[1];
    if (!head) continue;
    let j = i + 1;
    let acrossFurniture = false;
    while (j < lines.length && lines[j].trim() === '') acrossFurniture ||= furniture.has(j++);
    if (j >= lines.length || (j > i + 1 && !acrossFurniture)) continue;
    const m = /^(\s*)(\p{Ll}+)/u.exec(lines[j]);
    if (!m) continue;
    // The whole last token goes down, an opening quote or bracket with it.
    const cut = lines[i].search(/\S+$/);
    const token = lines[i].slice(cut, -1);
    const word = keepsHyphen(head, m[2], evidence) ? `${token}-` : token;
    lines[i] = lines[i].slice(0, cut).trimEnd();
    lines[j] = m[1] + word + lines[j].slice(m[1].length);
    joined++;
  }
  return joined;
}

/** A word broken with a hyphen at a line end and going on in lower case on the next line. */
const BROKEN_WORD_RE = /\p{L}[-\u2010]\r?\n[ \t]*\p{Ll}/u;

/**
 * The text with its page furniture blanked (pageFurnitureLines) and, given a way to load the
 * dictionary, its words broken at line ends joined (joinBrokenWords; a one-page PDF saved as text
 * has those too). The dictionary is loaded only for a text with furniture or a broken word. How
 * many lines were blanked and words joined; the text itself when neither happened.
 */
export async function blankPageFurniture(
  text: string,
  loadWordCheck?: () => Promise<(w: string) => boolean>,
): Promise<{ text: string; blanked: number; joined: number }> {
  const lines = text.split('\n');
  const cr = lines.map((l) => l.endsWith('\r'));
  const bare = lines.map((l, i) => (cr[i] ? l.slice(0, -1) : l));
  const furniture = pageFurnitureLines(bare);
  const isKnownWord = loadWordCheck && (furniture.size > 0 || BROKEN_WORD_RE.test(text)) ? await loadWordCheck() : null;
  if (furniture.size === 0 && !isKnownWord) return { text, blanked: 0, joined: 0 };
  const kept = bare.map((l, i) => (furniture.has(i) ? '' : l));
  const joined = isKnownWord ? joinBrokenWords(kept, isKnownWord, furniture) : 0;
  if (furniture.size === 0 && joined === 0) return { text, blanked: 0, joined: 0 };
  return { text: kept.map((l, i) => (cr[i] ? `${l}\r` : l)).join('\n'), blanked: furniture.size, joined };
}

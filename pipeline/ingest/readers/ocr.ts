import { execFile } from 'node:child_process';
import { config } from '../../config.js';
import { splitCells, type PdfLine } from './pdf-lines.js';

/**
 * OCR through Debian's `tesseract` (tesseract-ocr + tesseract-ocr-rus) as a child process: an image
 * file in, words with boxes and confidences out (TSV), rebuilt into lines that the PDF paragraph logic
 * (pdf-paragraphs.ts) joins into paragraphs and list items exactly as it does for a text layer.
 * Tesseract runs in its own process, so its memory is not confrec's and a crash only loses one file.
 */

export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
}

export interface OcrPage {
  lines: PdfLine[];
  /** Confidence (0–100) of every word on the page, for the document's mean. */
  confidences: number[];
}

/** Install line shown whenever OCR would be needed but tesseract is missing. */
export const OCR_INSTALL = 'sudo apt-get install tesseract-ocr tesseract-ocr-rus poppler-utils';

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        timeout: timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
        // One thread: ingest reads one file at a time, and OpenMP threads on a shared machine only contend.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        encoding: 'utf8',
      },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })),
    );
  });
}

export type OcrAvailability = { ok: true; version: string } | { ok: false; reason: string };

let availability: Promise<OcrAvailability> | undefined;

/** Whether tesseract with the Russian model can be run here (checked once per process). */
export function ocrAvailable(): Promise<OcrAvailability> {
  availability ??= (async (): Promise<OcrAvailability> => {
    try {
      const { stdout, stderr } = await run(config.ocr.tesseract, ['--list-langs'], 15_000);
      const langs = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim());
      const missing = config.ocr.languages.split('+').filter((l) => !langs.includes(l));
      if (missing.length) return { ok: false, reason: `tesseract has no ${missing.join(', ')} language data` };
      const version = (await run(config.ocr.tesseract, ['--version'], 15_000)).stdout.split('\n')[0]?.trim() ?? 'tesseract';
      return { ok: true, version };
    } catch {
      return { ok: false, reason: 'tesseract is not installed' };
    }
  })();
  return availability;
}

let raster: Promise<OcrAvailability> | undefined;

/** Whether poppler's pdftoppm (which rasterises scanned PDF pages for tesseract) can be run here. */
export function rasterAvailable(): Promise<OcrAvailability> {
  raster ??= run(config.ocr.pdftoppm, ['-v'], 15_000).then(
    ({ stderr, stdout }): OcrAvailability => ({ ok: true, version: `${stderr}${stdout}`.split('\n')[0]?.trim() ?? 'pdftoppm' }),
    (): OcrAvailability => ({ ok: false, reason: 'pdftoppm (poppler-utils) is not installed' }),
  );
  return raster;
}

/** Parses tesseract's TSV (level, page_num, block_num, par_num, line_num, word_num, left, top, width, height, conf, text). */
export function parseTsv(tsv: string): Map<number, Map<string, OcrWord[]>> {
  const pages = new Map<number, Map<string, OcrWord[]>>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    if (text === '') continue;
    const page = Number(f[1]);
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const words = { text, left: Number(f[6]), top: Number(f[7]), width: Number(f[8]), height: Number(f[9]), conf: Number(f[10]) };
    if (!pages.has(page)) pages.set(page, new Map());
    const lines = pages.get(page)!;
    if (!lines.has(key)) lines.set(key, []);
    lines.get(key)!.push(words);
  }
  return pages;
}

/**
 * Glyphs tesseract makes of list bullets («•», «▪», «➢», «–» in Symbol or Wingdings fonts): «®», «»»,
 * «e», «o», «©», «*»… Seen on our rasterised fixtures and on scans of printed resolutions.
 */
const BULLET_LOOKALIKES = new Set(['®', '»', '«', '©', '@', '°', '*', '•', '·', '●', '○', '■', '□', '▪', '¢', 'e', 'o', 'е', 'о', 'O', 'О', '+', '>', '»>', '>>', '—', '–', '-', '¬', '¤', '§']);

/**
 * A bullet read as a letter or symbol: a one-glyph first word that stands apart from the text after
 * it. A bullet is followed by a tab stop, wider than half the line height; a word space is about a
 * quarter of it (measured on our 200–300 dpi fixtures: word gaps 0.2–0.35, bullet gaps 0.7–1.6).
 * Prepositions («о», «в», «с») at a line start have an ordinary space after them and are left alone.
 */
export const BULLET_GAP = 0.55;

/**
 * The first word stands apart from the rest of the line like a marker before a tab stop: wider than
 * BULLET_GAP line heights, and — since justified lines stretch every space alike — wider than the
 * line's usual space by `factor` (tab gaps were 1.9–4× the stretched spaces of their lines in our
 * fixtures; a justified line's first space is ~1×).
 */
export function hasMarkerGap(words: readonly OcrWord[], lineHeight: number, factor = 2): boolean {
  const [first, next] = words;
  if (!next || words.length < 3) return false;
  const gap = next.left - (first.left + first.width);
  const others = words.slice(1, -1).map((w, i) => words[i + 2].left - (w.left + w.width)).sort((a, b) => a - b);
  const usual = others[Math.floor(others.length / 2)];
  return gap > BULLET_GAP * lineHeight && gap > factor * usual;
}

export function isOcrBullet(words: readonly OcrWord[], lineHeight: number): boolean {
  const [first, next] = words;
  if (!next || !BULLET_LOOKALIKES.has(first.text)) return false;
  if (/^[-–—]$/.test(first.text)) return true;
  return hasMarkerGap(words, lineHeight);
}

/** A numbered marker as OCR may spell it: "1.", "2)", "1.2.", "1..2." (a doubled dot). */
const NUMBER_MARKER = /^\d{1,2}(?:\.{1,2}\d{1,2})*[.)]$/;

/**
 * Roman numerals read by the Russian model as Cyrillic look-alikes («ТГ.», «П.», «Ш.» for I., II.,
 * III.). Only replaced at the start of a heading line (one ending in a colon), where a Roman numeral
 * is expected and an initial («П. А. Иванов») is not.
 */
const ROMAN_LOOKALIKES: Record<string, string> = {
  'I.': 'I.', 'Т.': 'I.', 'Г.': 'I.', 'ТГ.': 'I.', 'І.': 'I.', '|.': 'I.', 'П.': 'II.', 'Ш.': 'III.', 'ТУ.': 'IV.', 'ІУ.': 'IV.', 'У.': 'V.', 'УТ.': 'VI.', 'Х.': 'X.',
};

/**
 * The first word of an OCR line, repaired when it is a list marker: a bullet look-alike becomes "-",
 * a numbered marker loses OCR's doubled dots, a Roman numeral look-alike before a heading becomes the
 * numeral, and any other short first word that stands apart like a marker (the number OCR could not
 * read: «Та,» for «1.2.») becomes "-" so the item stays an item. Returns null when the line does not
 * open with a marker.
 */
export function ocrMarker(words: readonly OcrWord[], lineHeight: number, lineText: string): string | null {
  const first = words[0]?.text ?? '';
  if (isOcrBullet(words, lineHeight)) return '-';
  const fixed = first.replace(/^[l|](?=[.)]$)/, '1');
  if (NUMBER_MARKER.test(fixed)) return fixed.replace(/\.\./g, '.');
  if (/:\s*$/.test(lineText) && ROMAN_LOOKALIKES[first]) return ROMAN_LOOKALIKES[first];
  // A bare number («1», «2024») or «№» is text — a table's first column, a year — not a misread marker.
  if (first.length <= 4 && !/^\p{L}{2,}$/u.test(first) && !/^(?:\d+|№)$/.test(first) && hasMarkerGap(words, lineHeight, 1.5)) return '-';
  return null;
}

/** One OCR line as a PdfLine: text with a normalised bullet, box, and y growing upwards like a PDF's. */
export function ocrLine(words: OcrWord[], page: number, pageHeight: number): PdfLine | null {
  const sorted = withoutRules(words).sort((a, b) => a.left - b.left);
  if (sorted.length === 0) return null;
  const heights = sorted.map((w) => w.height).sort((a, b) => a - b);
  const height = heights[Math.floor(heights.length / 2)] || 10;
  const texts = sorted.map((w) => w.text);
  const marker = sorted.length > 1 ? ocrMarker(sorted, height, texts.join(' ')) : null;
  if (marker !== null) texts[0] = marker;
  const bottom = Math.max(...sorted.map((w) => w.top + w.height));
  const runs = sorted.map((w, i) => ({ text: texts[i], x: w.left, right: w.left + w.width }));
  const cells = splitCells(runs, height);
  return {
    text: texts.join(' '),
    x: sorted[0].left,
    right: Math.max(...sorted.map((w) => w.left + w.width)),
    y: pageHeight - bottom,
    height,
    page,
    ...(marker !== null ? { bodyX: sorted[1].left } : {}),
    runs,
    ...(cells ? { cells } : {}),
  };
}

/**
 * Tesseract's lines merged where they share a baseline. Its layout analysis cuts a justified line with
 * wide spaces, or a table row, into "columns" — several lines at one height — which the paragraph logic
 * would then read as text going back up the page; resolutions are set in one column, so words on one
 * baseline are one line (and a table row keeps its cells together for pdf-tables.ts).
 */
export function sameBaseline(lines: OcrWord[][]): OcrWord[][] {
  const bottom = (ws: OcrWord[]) => Math.max(...ws.map((w) => w.top + w.height));
  const height = (ws: OcrWord[]) => {
    const hs = ws.map((w) => w.height).sort((a, b) => a - b);
    return hs[Math.floor(hs.length / 2)] || 10;
  };
  const sorted = lines.filter((l) => l.length).sort((a, b) => bottom(a) - bottom(b));
  const out: OcrWord[][] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(bottom(last) - bottom(l)) <= 0.45 * Math.max(height(last), height(l))) last.push(...l);
    else out.push([...l]);
  }
  return out;
}

/** Table rules read as characters: «|», «[», «]» standing alone or stuck to a word's edge. */
function withoutRules(words: OcrWord[]): OcrWord[] {
  return words.map((w) => ({ ...w, text: w.text.replace(/^[|[\]]+|[|[\]]+$/g, '') })).filter((w) => w.text !== '');
}

/** OCR output of one image file (a page, or every page of a multi-page TIFF). */
export async function ocrImageFile(file: string, options: { dpi?: number; firstPage: number; timeoutMs: number }): Promise<OcrPage[]> {
  const args = [file, 'stdout', '-l', config.ocr.languages, '--psm', '3'];
  if (options.dpi) args.push('--dpi', String(options.dpi));
  args.push('tsv');
  const { stdout } = await run(config.ocr.tesseract, args, options.timeoutMs);
  const pages = parseTsv(stdout);
  const out: OcrPage[] = [];
  const pageNumbers = [...pages.keys()].sort((a, b) => a - b);
  for (const p of pageNumbers) {
    const lines = pages.get(p)!;
    const all = [...lines.values()].flat();
    const pageHeight = Math.max(1, ...all.map((w) => w.top + w.height));
    const pdfLines = sameBaseline([...lines.values()])
      .map((ws) => ocrLine(ws, options.firstPage + p - 1, pageHeight))
      .filter((l): l is PdfLine => l !== null)
      .sort((a, b) => b.y - a.y || a.x - b.x);
    out.push({ lines: pdfLines, confidences: all.map((w) => w.conf).filter((c) => c >= 0) });
  }
  return out;
}

export function meanConfidence(pages: readonly OcrPage[]): number | null {
  const all = pages.flatMap((p) => p.confidences);
  if (all.length === 0) return null;
  return Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 10) / 10;
}

/** Rasterises one PDF page to a grey PNG with poppler's pdftoppm; returns the PNG's path. */
export async function rasterisePage(pdfFile: string, page: number, dpi: number, outPrefix: string, timeoutMs: number): Promise<string> {
  await run(config.ocr.pdftoppm, ['-r', String(dpi), '-gray', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdfFile, outPrefix], timeoutMs);
  return `${outPrefix}.png`;
}

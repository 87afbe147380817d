import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { config } from '../../config.js';
import { ConfrecError } from '../../errors.js';
import { repairCp1251Mojibake } from '../encoding.js';
import { MB, overLimit, type ReadLimits } from '../limits.js';
import type { Reader, ReaderOutput, ReadOptions } from './_base.js';
import { blocksToText } from './blocks.js';
import { loadWordCheck } from './dictionary.js';
import { OCR_INSTALL, meanConfidence, ocrAvailable, ocrImageFile, rasterAvailable, rasterisePage, type OcrPage } from './ocr.js';
import { scanPdfStreams, type PdfScan } from './pdf-budget.js';
import { dropPageFurniture, itemsToLines, type PdfLine, type PdfTextItem } from './pdf-lines.js';
import { pagesToBlocks } from './pdf-tables.js';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Fewer letters than this in the whole text layer means the pages are images (a scan, a photo). */
const MIN_LETTERS = 20;

function hasPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow some junk, but must be within the first kilobyte.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

function invalidPdf(path: string, cause?: unknown): ConfrecError {
  return new ConfrecError('not a valid .pdf (not a PDF document, or damaged)', {
    file: path,
    hint: 'open it in a PDF viewer; if it opens, print it to a new PDF or save it as .docx',
    cause,
  });
}

async function openPdf(path: string, bytes: Uint8Array): Promise<PdfDocument> {
  if (!hasPdfHeader(bytes)) throw invalidPdf(path);
  try {
    // pdf.js may take ownership of the buffer it is given; the caller still needs its bytes (for hashing).
    return await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (err) {
    if ((err as { name?: string } | null)?.name === 'PasswordException') {
      throw new ConfrecError('password-protected PDF', {
        file: path,
        hint: 'remove the password (open it and print or save it to a new PDF) and ingest that copy',
        cause: err,
      });
    }
    throw invalidPdf(path, err);
  }
}

async function pageLines(pdf: PdfDocument, pageNumber: number): Promise<PdfLine[]> {
  const page = await pdf.getPage(pageNumber);
  const content = await page.getTextContent();
  const items: PdfTextItem[] = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    items.push({ str: repairCp1251Mojibake(item.str), x: item.transform[4], y: item.transform[5], width: item.width, height: item.height });
  }
  page.cleanup();
  return itemsToLines(items, pageNumber);
}

function letterCount(pages: readonly PdfLine[][]): number {
  return pages.flat().reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
}

async function linesToText(pages: PdfLine[][]): Promise<string> {
  const isKnownWord = await loadWordCheck();
  return blocksToText(pagesToBlocks(dropPageFurniture(pages), { isKnownWord }));
}

/** The text layer, page by page, stopping as soon as it outgrows the text budget. */
async function textLayer(path: string, pdf: PdfDocument, limits: ReadLimits): Promise<PdfLine[][]> {
  const pages: PdfLine[][] = [];
  let chars = 0;
  try {
    for (let i = 1; i <= pdf.numPages; i++) {
      const lines = await pageLines(pdf, i);
      chars += lines.reduce((n, l) => n + l.text.length, 0);
      // Cyrillic is 2 bytes in UTF-8: a cheap upper bound instead of measuring every page.
      if (chars * 2 > limits.maxTextMb * MB) throw overLimit(path, `text of more than ${limits.maxTextMb} MB`, 'maxTextMb', limits);
      pages.push(lines);
    }
  } catch (err) {
    if (err instanceof ConfrecError) throw err;
    throw invalidPdf(path, err);
  }
  return pages;
}

/** The resolution a page is rasterised at: config.ocr.dpi, lowered for huge pages to stay within the pixel budget. */
export function ocrDpi(widthPt: number, heightPt: number, limits: ReadLimits): number | null {
  const inches = (Math.abs(widthPt) / 72) * (Math.abs(heightPt) / 72);
  const maxDpi = Math.floor(Math.sqrt((limits.maxImageMegapixels * 1e6) / Math.max(inches, 1e-6)));
  const dpi = Math.min(config.ocr.dpi, maxDpi);
  return dpi >= config.ocr.minDpi ? dpi : null;
}

/** The checks before any page is rasterised: OCR installed, page count, images' pixels. */
async function checkOcr(path: string, pages: number, scan: PdfScan, limits: ReadLimits): Promise<void> {
  const tesseract = await ocrAvailable();
  const available = tesseract.ok ? await rasterAvailable() : tesseract;
  if (!available.ok) {
    throw new ConfrecError('no text layer: OCR needed', {
      file: path,
      hint: `the pages are images (a scan?) and ${available.reason}: install it (${OCR_INSTALL}) and ingest again, or run OCR yourself (e.g. ocrmypdf -l rus) and ingest the result`,
    });
  }
  if (pages > limits.maxOcrPages) {
    throw overLimit(path, `scan of ${pages} pages (OCR reads at most ${limits.maxOcrPages})`, 'maxOcrPages', limits);
  }
  const maxPixels = limits.maxImageMegapixels * 1e6;
  const huge = scan.images.find((im) => im.width * im.height > maxPixels);
  if (huge) {
    throw overLimit(path, `an image of ${Math.round((huge.width * huge.height) / 1e6)} megapixels (${huge.width}×${huge.height})`, 'maxImageMegapixels', limits);
  }
}

/** Pages rasterised by pdftoppm and read by tesseract, one at a time (pages numbered from 1). */
async function ocrPages(path: string, bytes: Uint8Array, pdf: PdfDocument, pageNumbers: number[], options: ReadOptions): Promise<OcrPage[]> {
  const { limits } = options;
  const dir = await mkdtemp(join(tmpdir(), 'confrec-ocr-'));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, bytes);
    const timeoutMs = limits.readerTimeoutSeconds * 1000;
    const pages: OcrPage[] = [];
    for (const [k, i] of pageNumbers.entries()) {
      const page = await pdf.getPage(i);
      const [x0, y0, x1, y1] = page.view;
      page.cleanup();
      const dpi = ocrDpi(x1 - x0, y1 - y0, limits);
      if (dpi === null) {
        throw overLimit(path, `page ${i} is too large to rasterise within ${limits.maxImageMegapixels} megapixels`, 'maxImageMegapixels', limits);
      }
      const png = await rasterisePage(file, i, dpi, join(dir, `p${i}`), timeoutMs);
      const [ocr] = await ocrImageFile(png, { dpi, firstPage: i, timeoutMs });
      pages.push(ocr ?? { lines: [], confidences: [] });
      await rm(png, { force: true });
      options.onProgress?.(`OCR page ${k + 1}/${pageNumbers.length}`);
    }
    return pages;
  } catch (err) {
    if (err instanceof ConfrecError) throw err;
    throw new ConfrecError(`OCR failed (${(err as Error).message.split('\n')[0]})`, { file: path, hint: 'check that the PDF opens in a viewer; re-save or re-scan it', cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Scanned PDFs: every page through OCR. */
async function ocrPdf(path: string, bytes: Uint8Array, pdf: PdfDocument, scan: PdfScan, options: ReadOptions): Promise<ReaderOutput> {
  await checkOcr(path, pdf.numPages, scan, options.limits);
  const pages = await ocrPages(path, bytes, pdf, Array.from({ length: pdf.numPages }, (_, i) => i + 1), options);
  const lines = pages.map((p) => p.lines);
  if (letterCount(lines) < MIN_LETTERS) {
    throw new ConfrecError('no text found by OCR', { file: path, hint: 'the pages hold no legible text (blank, a photo, or too poor a scan)' });
  }
  return { text: await linesToText(lines), reader: 'pdf:tesseract', ocrConfidence: meanConfidence(pages) };
}

/** Whether a page draws an image (its operator list paints an image XObject or an inline image). */
async function paintsImage(pdf: PdfDocument, pageNumber: number): Promise<boolean> {
  const { OPS } = await getResolvedPDFJS();
  const page = await pdf.getPage(pageNumber);
  try {
    const ops = await page.getOperatorList();
    const paint = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat]);
    return ops.fnArray.some((fn: number) => paint.has(fn));
  } finally {
    page.cleanup();
  }
}

/** A page with fewer letters than this in its text layer is an image of a page (or blank). */
const MIN_PAGE_LETTERS = 20;

/**
 * A PDF whose text layer covers only some pages — a typed cover and the signed resolution scanned
 * after it — would lose the scanned pages. When it holds images and OCR is available (auto mode),
 * the pages without text are read by OCR and put in their place; otherwise the user is told.
 */
async function fillScannedPages(path: string, bytes: Uint8Array, pdf: PdfDocument, pages: PdfLine[][], scan: PdfScan, options: ReadOptions): Promise<ReaderOutput> {
  if (scan.images.length === 0) return { text: await linesToText(pages) };
  const sparse = pages.flatMap((p, i) => (letterCount([p]) < MIN_PAGE_LETTERS ? [i + 1] : []));
  // Blank pages and pages with a logo and a line of text stay as they are: only pages that paint an
  // image and hold no text are scans.
  const empty: number[] = [];
  for (const n of sparse) if (await paintsImage(pdf, n)) empty.push(n);
  if (empty.length === 0) return { text: await linesToText(pages) };
  const tesseract = options.ocr === 'auto' ? await ocrAvailable() : { ok: false as const, reason: 'OCR is off (--ocr off)' };
  const available = tesseract.ok ? await rasterAvailable() : tesseract;
  if (!available.ok) {
    return {
      text: await linesToText(pages),
      notes: [`page(s) ${empty.join(', ')} have no text layer (scanned?) and were not read: ${available.reason}`],
    };
  }
  await checkOcr(path, empty.length, scan, options.limits);
  const ocr = await ocrPages(path, bytes, pdf, empty, options);
  const merged = pages.map((p) => p);
  empty.forEach((n, k) => (merged[n - 1] = ocr[k].lines));
  return {
    text: await linesToText(merged),
    reader: 'pdf:pdfjs+tesseract',
    ocrConfidence: meanConfidence(ocr),
    notes: [`page(s) ${empty.join(', ')} read by OCR (no text layer)`],
  };
}

/** Reads the text layer of a PDF into paragraph-per-line text; scans go through OCR when it is on. */
export async function readPdf(path: string, bytes: Uint8Array, options: ReadOptions): Promise<ReaderOutput> {
  const { limits } = options;
  if (!hasPdfHeader(bytes)) throw invalidPdf(path);
  const scan = scanPdfStreams(path, bytes, limits);
  const pdf = await openPdf(path, bytes);
  try {
    if (pdf.numPages > limits.maxPdfPages) {
      throw overLimit(path, `PDF of ${pdf.numPages} pages (limit ${limits.maxPdfPages})`, 'maxPdfPages', limits);
    }
    if (options.ocr !== 'force') {
      const pages = await textLayer(path, pdf, limits);
      if (letterCount(pages) >= MIN_LETTERS) return await fillScannedPages(path, bytes, pdf, pages, scan, options);
      if (options.ocr === 'off') {
        throw new ConfrecError('no text layer: OCR needed', {
          file: path,
          hint: 'the pages are images (a scan?) and OCR is off (--ocr off): ingest with --ocr auto, or run OCR yourself (e.g. ocrmypdf -l rus) and ingest the result',
        });
      }
    }
    return await ocrPdf(path, bytes, pdf, scan, options);
  } finally {
    await pdf.destroy();
  }
}

export const pdfReader: Reader = {
  id: 'pdf:pdfjs',
  fileType: 'pdf',
  read: readPdf,
};

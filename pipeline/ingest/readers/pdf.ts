import { getDocumentProxy } from 'unpdf';
import { ConfrecError } from '../../errors.js';
import { repairCp1251Mojibake } from '../encoding.js';
import { blocksToText } from './blocks.js';
import { loadWordCheck } from './dictionary.js';
import { dropPageFurniture, itemsToLines, type PdfLine, type PdfTextItem } from './pdf-lines.js';
import { linesToBlocks } from './pdf-paragraphs.js';

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

/** Reads the text layer of a PDF into paragraph-per-line text. */
export async function readPdf(path: string, bytes: Uint8Array): Promise<string> {
  const pdf = await openPdf(path, bytes);
  let pages: PdfLine[][];
  try {
    pages = [];
    for (let i = 1; i <= pdf.numPages; i++) pages.push(await pageLines(pdf, i));
  } catch (err) {
    throw invalidPdf(path, err);
  } finally {
    await pdf.destroy();
  }
  const letters = pages.flat().reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
  if (letters < MIN_LETTERS) {
    throw new ConfrecError('no text layer: OCR needed', {
      file: path,
      hint: 'the pages are images (a scan?); run OCR (e.g. ocrmypdf -l rus) and ingest the result',
    });
  }
  const isKnownWord = await loadWordCheck();
  return blocksToText(linesToBlocks(dropPageFurniture(pages).flat(), { isKnownWord }));
}

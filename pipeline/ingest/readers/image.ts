import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfrecError } from '../../errors.js';
import { overLimit } from '../limits.js';
import type { Reader } from './_base.js';
import { blocksToText } from './blocks.js';
import { loadWordCheck } from './dictionary.js';
import { OCR_INSTALL, meanConfidence, ocrAvailable, ocrImageFile } from './ocr.js';
import { dropPageFurniture } from './pdf-lines.js';
import { pagesToBlocks } from './pdf-tables.js';

/**
 * Photographed or scanned pages (.png .jpg .tif .bmp) read by OCR. The size is read from the image
 * header and checked against the pixel budget before tesseract decodes a single pixel.
 */

export interface ImageInfo {
  format: 'png' | 'jpeg' | 'tiff' | 'bmp';
  width: number;
  height: number;
  /** Pages (TIFF can hold several); 1 for the others. */
  pages: number;
}

function pngInfo(b: Buffer): ImageInfo | null {
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20), pages: 1 };
}

function jpegInfo(b: Buffer): ImageInfo | null {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    const len = b.readUInt16BE(p + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: b.readUInt16BE(p + 5), width: b.readUInt16BE(p + 7), pages: 1 };
    }
    p += 2 + len;
  }
  return null;
}

function tiffInfo(b: Buffer): ImageInfo | null {
  if (b.length < 8) return null;
  const le = b[0] === 0x49;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  let ifd = u32(4);
  let pages = 0;
  let width = 0;
  let height = 0;
  const seen = new Set<number>();
  // Every page (IFD) is checked: a small first page must not hide a huge second one.
  while (ifd > 0 && ifd + 2 <= b.length && !seen.has(ifd) && pages < 100_000) {
    seen.add(ifd);
    pages++;
    const n = u16(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (e + 12 > b.length) return null;
      const tag = u16(e);
      const type = u16(e + 2);
      const value = type === 3 ? u16(e + 8) : u32(e + 8);
      if (tag === 256) width = Math.max(width, value);
      if (tag === 257) height = Math.max(height, value);
    }
    const nextAt = ifd + 2 + n * 12;
    ifd = nextAt + 4 <= b.length ? u32(nextAt) : 0;
  }
  return pages > 0 ? { format: 'tiff', width, height, pages } : null;
}

function bmpInfo(b: Buffer): ImageInfo | null {
  if (b.length < 26) return null;
  return { format: 'bmp', width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)), pages: 1 };
}

/** Size and page count from the header alone; null when the bytes are not a readable image. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (b[0] === 0x89 && b.toString('latin1', 1, 4) === 'PNG') return pngInfo(b);
    if (b[0] === 0xff && b[1] === 0xd8) return jpegInfo(b);
    if ((b[0] === 0x49 && b[1] === 0x49) || (b[0] === 0x4d && b[1] === 0x4d)) return tiffInfo(b);
    if (b[0] === 0x42 && b[1] === 0x4d) return bmpInfo(b);
  } catch {
    return null;
  }
  return null;
}

/**
 * Below this many pixels an image cannot hold a paragraph of legible text (a 320×320 icon); logos
 * and buttons of saved web pages are this small.
 */
const MIN_PIXELS = 100_000;

export const imageReader: Reader = {
  id: 'image:tesseract',
  fileType: 'image',
  async read(path, bytes, options) {
    const { limits } = options;
    const info = imageInfo(bytes);
    if (!info || info.width === 0 || info.height === 0) {
      throw new ConfrecError('not a readable image (damaged, or not the format its name says)', { file: path, hint: 'open it in an image viewer and save it again as .png or .jpg' });
    }
    const pixels = info.width * info.height;
    if (pixels > limits.maxImageMegapixels * 1e6) {
      throw overLimit(path, `image of ${Math.round(pixels / 1e6)} megapixels (${info.width}×${info.height})`, 'maxImageMegapixels', limits);
    }
    if (info.pages > limits.maxOcrPages) {
      throw overLimit(path, `image of ${info.pages} pages (OCR reads at most ${limits.maxOcrPages})`, 'maxOcrPages', limits);
    }
    if (pixels < MIN_PIXELS) {
      throw new ConfrecError(`image too small to hold a page of text (${info.width}×${info.height} pixels)`, { file: path, hint: 'a logo or an icon? scans of pages are read; nothing to do' });
    }
    if (options.ocr === 'off') {
      throw new ConfrecError('image: OCR needed', { file: path, hint: 'OCR is off (--ocr off): ingest with --ocr auto to read images' });
    }
    const available = await ocrAvailable();
    if (!available.ok) {
      throw new ConfrecError('image: OCR needed', { file: path, hint: `${available.reason}: install it (${OCR_INSTALL}) and ingest again` });
    }
    const dir = await mkdtemp(join(tmpdir(), 'confrec-ocr-'));
    try {
      const file = join(dir, `in.${info.format}`);
      await writeFile(file, bytes);
      const pages = await ocrImageFile(file, { firstPage: 1, timeoutMs: limits.readerTimeoutSeconds * 1000 });
      const lines = pages.map((p) => p.lines);
      const letters = lines.flat().reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
      if (letters < 20) throw new ConfrecError('no text found by OCR', { file: path, hint: 'the image holds no legible text (a photo, or too poor a scan)' });
      const isKnownWord = await loadWordCheck();
      const text = blocksToText(pagesToBlocks(dropPageFurniture(lines), { isKnownWord }));
      return { text, ocrConfidence: meanConfidence(pages) };
    } catch (err) {
      if (err instanceof ConfrecError) throw err;
      throw new ConfrecError(`OCR failed (${(err as Error).message.split('\n')[0]})`, { file: path, hint: 'open it in an image viewer and save it again as .png', cause: err });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

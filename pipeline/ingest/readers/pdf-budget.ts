import { Unzlib } from 'fflate';
import { MB, overLimit, type ReadLimits } from '../limits.js';

/**
 * A PDF's streams checked before pdf.js parses anything. pdf.js inflates a content stream whole and
 * holds ~15 bytes per byte of it while extracting text (a 1 MB PDF whose one page inflates to 300 MB
 * peaked at 3.8 GB), and it has no size limit of its own. So every FlateDecode stream that pdf.js
 * would inflate for text — page contents, form XObjects, object streams, fonts — is inflated here
 * first, in chunks, counting, and abandoned as soon as it passes the limit. Images are not inflated
 * (text extraction never decodes them); their pixel counts are read from their dictionaries for OCR.
 */

export interface PdfImageInfo {
  width: number;
  height: number;
}

export interface PdfScan {
  streams: number;
  /** Inflated bytes of the non-image streams. */
  unpacked: number;
  images: PdfImageInfo[];
}

/** The dictionary text right before a "stream" keyword: from its matching "<<" to the final ">>". */
function dictionaryBefore(bytes: Uint8Array, streamAt: number): string | null {
  let i = streamAt - 1;
  while (i >= 0 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i--;
  if (i < 1 || bytes[i] !== 0x3e || bytes[i - 1] !== 0x3e) return null;
  const end = i + 1;
  let depth = 0;
  // Dictionaries are short; 64 KB back is plenty and bounds the work on a damaged file.
  const stop = Math.max(0, end - 65536);
  for (let j = end - 1; j > stop; j--) {
    if (bytes[j] === 0x3e && bytes[j - 1] === 0x3e) {
      depth++;
      j--;
    } else if (bytes[j] === 0x3c && bytes[j - 1] === 0x3c) {
      depth--;
      j--;
      if (depth === 0) return Buffer.from(bytes.buffer, bytes.byteOffset + j, end - j).toString('latin1');
    }
  }
  return null;
}

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');
const CHUNK = 64 * 1024;

/** Inflated size of a zlib stream, stopping once it passes `cap` (returns cap + 1 then). Damaged data counts what came out. */
export function inflatedSize(data: Uint8Array, cap: number): number {
  let size = 0;
  const stop = new Error('cap');
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
    if (size > cap) throw stop;
  });
  try {
    for (let i = 0; i < data.length; i += CHUNK) inflater.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
  } catch (err) {
    if (err === stop) return cap + 1;
    // Broken zlib data: pdf.js copes with it in its own way; what did come out is what counts.
  }
  return size;
}

function numberAfter(dict: string, key: string): number | null {
  const m = new RegExp(`/${key}\\s+(\\d+)(?!\\s+\\d+\\s+R)`).exec(dict);
  return m ? Number(m[1]) : null;
}

/**
 * Scans every stream of a PDF. Throws overLimit when one non-image stream inflates past
 * maxPdfStreamMb or all of them together past maxPdfUnpackedMb.
 */
export function scanPdfStreams(path: string, bytes: Uint8Array, limits: ReadLimits): PdfScan {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const perStream = limits.maxPdfStreamMb * MB;
  const total = limits.maxPdfUnpackedMb * MB;
  const scan: PdfScan = { streams: 0, unpacked: 0, images: [] };
  let at = buf.indexOf(STREAM);
  while (at >= 0) {
    const next = buf.indexOf(STREAM, at + STREAM.length);
    // "endstream" contains "stream"; the keyword that opens data is followed by an end of line.
    const isKeyword = (at < 3 || buf.toString('latin1', at - 3, at) !== 'end') && (buf[at + 6] === 0x0a || buf[at + 6] === 0x0d);
    if (!isKeyword) {
      at = next;
      continue;
    }
    const dict = dictionaryBefore(bytes, at);
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf(ENDSTREAM, start);
    if (dict === null || end < 0) {
      at = next;
      continue;
    }
    scan.streams++;
    if (/\/Subtype\s*\/Image\b/.test(dict)) {
      const width = numberAfter(dict, 'Width');
      const height = numberAfter(dict, 'Height');
      if (width !== null && height !== null) scan.images.push({ width, height });
    } else if (!/\/Type\s*\/EmbeddedFile\b/.test(dict)) {
      const flate = /\/Filter\s*(?:\[\s*)?\/(?:FlateDecode|Fl)\b/.test(dict);
      // Unfiltered content is as big as it looks; other filters (ASCII85, LZW) are rare and left to the worker's cap.
      const size = flate ? inflatedSize(bytes.subarray(start, end), perStream) : end - start;
      if (size > perStream) throw overLimit(path, `a PDF stream unpacks to more than ${limits.maxPdfStreamMb} MB`, 'maxPdfStreamMb', limits);
      scan.unpacked += size;
      if (scan.unpacked > total) throw overLimit(path, `PDF streams unpack to more than ${limits.maxPdfUnpackedMb} MB`, 'maxPdfUnpackedMb', limits);
    }
    // Continue after this stream's data: its bytes may contain "stream" by chance.
    at = buf.indexOf(STREAM, end + ENDSTREAM.length);
  }
  return scan;
}

import { extname } from 'node:path';
import { config } from '../config.js';
import type { FileType } from '../store/types.js';
import { findEntry, isZip, readZipDirectory } from './zip.js';

/**
 * What a file is, by its first bytes. Files on the web are often not what their extension says: a
 * ".doc" that is RTF, a Word "web page" or a .docx; a ".pdf" that is an HTML error page; a ".txt"
 * that is RTF. The extension says a file is a candidate; its content chooses the reader.
 */
export type Detected = FileType | 'archive';

const EXTENSIONS: Record<string, Detected> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.docx': 'docx',
  '.docm': 'docx',
  '.dotx': 'docx',
  '.dotm': 'docx',
  '.pdf': 'pdf',
  '.doc': 'doc',
  '.dot': 'doc',
  '.rtf': 'rtf',
  '.odt': 'odt',
  '.ott': 'odt',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.shtml': 'html',
  '.mht': 'html',
  '.mhtml': 'html',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.tif': 'image',
  '.tiff': 'image',
  '.bmp': 'image',
  '.zip': 'archive',
};

/** The extensions messages list ("confrec reads .txt, .md, …"). */
export const READ_EXTENSIONS: readonly string[] = config.extensions;

export function typeByExtension(path: string): Detected | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

export const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/** The first kilobytes as text (UTF-16 with BOM, else Latin-1, which keeps ASCII markup visible). */
function head(bytes: Uint8Array, n = 2048): string {
  const slice = bytes.subarray(0, n);
  if (startsWith(slice, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(slice.subarray(2));
  if (startsWith(slice, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(slice.subarray(2));
  return Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
}

const HTML_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|script|style)\b/i;
const MHTML_START = /^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version|Content-Type):[^\n]*(?:multipart\/related|text\/html)/i;

/** ZIP content: a Word or OpenDocument package by its parts, else a plain archive. */
function zipKind(bytes: Uint8Array): Detected | null {
  try {
    const entries = readZipDirectory(bytes);
    if (findEntry(entries, 'word/document.xml') || entries.some((e) => /^word\/document\d*\.xml$/i.test(e.name))) return 'docx';
    if (findEntry(entries, 'content.xml') && (findEntry(entries, 'mimetype') || findEntry(entries, 'META-INF/manifest.xml'))) return 'odt';
    return 'archive';
  } catch {
    return null; // damaged: the extension's reader says so in its own words
  }
}

/**
 * The format of a file: its content when the content is recognisable, else its extension. Returns
 * null when the extension is not one ingest reads (the file is reported as unsupported).
 */
export function detectFormat(path: string, bytes: Uint8Array): Detected | null {
  const byExt = typeByExtension(path);
  if (byExt === null) return null;
  if (startsWith(bytes, OLE_MAGIC)) return 'doc';
  if (isZip(bytes)) {
    const kind = zipKind(bytes);
    // A .docx that is really an .odt (or the reverse) is read as what it is; any other ZIP named like
    // a document is damaged for its extension's reader to report, unless it was named .zip.
    if (kind === 'docx' || kind === 'odt') return kind;
    return byExt === 'archive' ? 'archive' : byExt;
  }
  const text = head(bytes);
  if (/^\s*%PDF-/.test(text) || text.slice(0, 1024).includes('%PDF-')) return 'pdf';
  if (/^\s*\{\\rtf/.test(text)) return 'rtf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'image';
  }
  if (startsWith(bytes, [0x42, 0x4d]) && byExt === 'image') return 'image';
  if (HTML_START.test(text) || MHTML_START.test(text)) return byExt === 'md' ? 'md' : 'html';
  // A ".doc" of plain text (old sites) is text; other binary formats named so are damaged.
  if (byExt === 'doc' && !/[\x00-\x08\x0e-\x1a]/.test(text)) return 'txt';
  return byExt;
}

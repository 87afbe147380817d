import { extname } from 'node:path';
import { ConfrecError } from '../errors.js';
import type { FileType } from '../store/types.js';
import { checkTextSize, readLimits } from './limits.js';
import type { RawDocument, ReadOptions, Reader } from './readers/_base.js';
import { detectFormat, READ_EXTENSIONS, typeByExtension } from './sniff.js';

export type { OcrMode, RawDocument, ReadOptions } from './readers/_base.js';

/**
 * Entry point of the file readers: bytes in, line-structured text out (see readers/_base.ts). The
 * registry maps each format to its reader; readers are loaded on first use, so a folder of .txt files
 * never loads pdf.js, mammoth or linkedom. The ingest stage applies normaliseText afterwards.
 */
const REGISTRY: Record<FileType, () => Promise<Reader>> = {
  txt: async () => (await import('./readers/text.js')).textReader('txt'),
  md: async () => (await import('./readers/text.js')).textReader('md'),
  docx: async () => (await import('./readers/docx.js')).docxReader,
  pdf: async () => (await import('./readers/pdf.js')).pdfReader,
  doc: async () => (await import('./readers/doc.js')).docReader,
  rtf: async () => (await import('./readers/rtf.js')).rtfReader,
  odt: async () => (await import('./readers/odt.js')).odtReader,
  html: async () => (await import('./readers/html.js')).htmlReader,
  image: async () => (await import('./readers/image.js')).imageReader,
};

/**
 * Another confrec database (or its log) left in the folder of resolutions, with what to do: the one
 * in use is passed over (store/outputs.ts isDatabaseFile); ingest/reasons-ru.ts words these in Russian.
 */
export const DATABASE_HINTS: Readonly<Record<string, string>> = {
  '.duckdb': 'a database (another confrec database?), not a resolution: keep databases outside the folder of resolutions',
  '.wal': 'a database log, not a resolution: keep databases outside the folder of resolutions',
};

/** Formats people try that confrec cannot read, with what to do instead. */
const CONVERTIBLE: Record<string, string> = {
  '.rar': 'unpack the archive and ingest the folder (or re-pack it as .zip)',
  '.7z': 'unpack the archive and ingest the folder (or re-pack it as .zip)',
  '.pages': 'export it as .docx or .pdf',
  '.xls': 'resolutions in spreadsheets are not read; save the sheet as .pdf or copy the text into a .txt',
  '.xlsx': 'resolutions in spreadsheets are not read; save the sheet as .pdf or copy the text into a .txt',
  '.ppt': 'export the slides as .pdf',
  '.pptx': 'export the slides as .pdf',
  '.djvu': 'convert it to .pdf (e.g. ddjvu -format=pdf) and ingest that',
  ...DATABASE_HINTS,
};

/** The format a path's extension promises, or null when ingest does not read that extension. */
export function fileTypeOf(path: string): FileType | null {
  const t = typeByExtension(path);
  return t === null || t === 'archive' ? null : t;
}

export function unsupportedReason(path: string): { message: string; hint: string } {
  const ext = extname(path).toLowerCase();
  return {
    message: `unsupported file type ${ext || '(no extension)'}; confrec reads ${READ_EXTENSIONS.join(', ')}`,
    hint: CONVERTIBLE[ext] ?? 'convert it to one of these formats',
  };
}

const DEFAULT_OPTIONS: Omit<ReadOptions, 'limits'> = { ocr: 'auto' };

/** Reads one file by its content (see sniff.ts) into raw, line-structured text. */
export async function readDocument(path: string, bytes: Uint8Array, options: Partial<ReadOptions> = {}): Promise<RawDocument> {
  // The defaults' limits only when none are given (readLimits() per file showed in ingest's profile).
  const opts: ReadOptions = { ...DEFAULT_OPTIONS, ...options, limits: options.limits ?? readLimits() };
  const detected = detectFormat(path, bytes);
  if (detected === null) {
    const { message, hint } = unsupportedReason(path);
    throw new ConfrecError(message, { file: path, hint });
  }
  if (bytes.byteLength === 0) throw new ConfrecError('empty file', { file: path, hint: 'the file has no content (0 bytes)' });
  if (detected === 'archive') {
    throw new ConfrecError('a ZIP archive is read by the ingest stage, member by member', { file: path, hint: 'ingest the folder that holds it' });
  }
  const reader = await REGISTRY[detected]();
  const out = await reader.read(path, bytes, opts);
  checkTextSize(path, out.text, opts.limits);
  return {
    text: out.text,
    fileType: reader.fileType,
    encoding: out.encoding ?? null,
    reader: out.reader ?? reader.id,
    ocrConfidence: out.ocrConfidence ?? null,
    notes: out.notes ?? [],
  };
}

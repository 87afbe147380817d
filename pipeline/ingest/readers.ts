import { extname } from 'node:path';
import { ConfrecError } from '../errors.js';
import type { FileType } from '../store/types.js';
import { readDocx } from './readers/docx.js';
import { readPdf } from './readers/pdf.js';
import { readPlainText } from './readers/text.js';

/**
 * Entry point of the file readers: bytes in, plain text out, one paragraph per line. Structured formats
 * come out with list markers restored and blank lines between blocks; plain text comes out as written.
 * The ingest stage applies normaliseText afterwards.
 */
export interface RawDocument {
  text: string;
  fileType: FileType;
  /** Detected character encoding for .txt/.md; null for binary formats. */
  encoding: string | null;
}

const EXTENSIONS: Record<string, FileType> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.docx': 'docx',
  '.pdf': 'pdf',
};

/** Formats people try that confrec could read after a conversion. */
const CONVERTIBLE = new Set(['.doc', '.rtf', '.odt', '.docm', '.dotx', '.pages', '.html', '.htm']);

export function fileTypeOf(path: string): FileType | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

function unsupported(path: string): ConfrecError {
  const ext = extname(path).toLowerCase();
  const hint = CONVERTIBLE.has(ext) ? 'save it as .docx (File → Save As) and ingest that' : 'convert it to one of these formats';
  return new ConfrecError(`unsupported file type ${ext || '(no extension)'}; confrec reads .txt, .md, .docx, .pdf`, {
    file: path,
    hint,
  });
}

export async function readDocument(path: string, bytes: Uint8Array): Promise<RawDocument> {
  const fileType = fileTypeOf(path);
  if (fileType === null) throw unsupported(path);
  if (bytes.byteLength === 0) throw new ConfrecError('empty file', { file: path, hint: 'the file has no content (0 bytes)' });
  switch (fileType) {
    case 'txt':
    case 'md': {
      const { text, encoding } = readPlainText(path, bytes);
      return { text, fileType, encoding };
    }
    case 'docx':
      return { text: await readDocx(path, bytes), fileType, encoding: null };
    case 'pdf':
      return { text: await readPdf(path, bytes), fileType, encoding: null };
  }
}

import type { FileType } from '../../store/types.js';
import type { ReadLimits } from '../limits.js';

/**
 * The reader interface (types only, so every reader imports it without cycles). A reader is a pure
 * function from a file's bytes to line-structured text: one paragraph, list item or table row per
 * line, blocks separated by a blank line, list markers written out ("1.", "а)", "-") and table cells
 * joined by " | " — whatever the format kept them in. The ingest stage normalises the text afterwards.
 */

/** When OCR runs: auto = pages without a text layer and images; off = never; force = every PDF page too. */
export type OcrMode = 'auto' | 'off' | 'force';

export interface ReadOptions {
  ocr: OcrMode;
  limits: ReadLimits;
  /** Called as long work advances (one OCR page), so the sandbox's stall timer restarts. */
  onProgress?: (note: string) => void;
}

/** What a reader returns; readDocument fills in the rest. */
export interface ReaderOutput {
  text: string;
  /** Detected character encoding, for formats that have one to detect (.txt, .md, web pages). */
  encoding?: string | null;
  /** Overrides the reader id when one reader took another path (e.g. "pdf:tesseract"). */
  reader?: string;
  /** Mean word confidence (0–100) when the text came from OCR. */
  ocrConfidence?: number | null;
  /** Things the user should know about a file that was read (e.g. mixed encodings). */
  notes?: string[];
}

export interface RawDocument {
  text: string;
  /** The format the file was read as (its content decides, not only its extension). */
  fileType: FileType;
  encoding: string | null;
  /** Which reader produced the text, e.g. "docx:mammoth", "pdf:tesseract" (documents.reader). */
  reader: string;
  ocrConfidence: number | null;
  notes: string[];
}

export interface Reader {
  /** Stable id stored in documents.reader: "<format>:<library>". */
  id: string;
  fileType: FileType;
  read(path: string, bytes: Uint8Array, options: ReadOptions): Promise<ReaderOutput>;
}

import { UsageError } from '../errors.js';
import { LIMIT_OPTIONS, readLimits, type ReadLimits } from './limits.js';
import type { OcrMode } from './readers/_base.js';
import { OCR_INSTALL, ocrAvailable } from './readers/ocr.js';
import { THREADS_FLAG, threadsFlag } from '../workers/threads.js';

/** Command-line options of ingest (also taken by `run`): --ocr and the limit flags. */
export const INGEST_OPTIONS = {
  ocr: { type: 'string' },
  ...LIMIT_OPTIONS,
  ...THREADS_FLAG,
} as const;

const OCR_MODES: readonly OcrMode[] = ['auto', 'off', 'force'];

export interface IngestReadOptions {
  ocr: OcrMode;
  limits: ReadLimits;
  /** Worker threads for plain-text files (--threads N, default every core; 1 = none). */
  threads: number;
}

/** Validates --ocr and the limit flags; `--ocr force` without tesseract is a usage error, before anything is read. */
export async function ingestReadOptions(values: Record<string, unknown>): Promise<IngestReadOptions> {
  const raw = values.ocr ?? 'auto';
  if (typeof raw !== 'string' || !OCR_MODES.includes(raw as OcrMode)) {
    throw new UsageError(`--ocr must be auto, off or force, got ${JSON.stringify(raw)}`);
  }
  const ocr = raw as OcrMode;
  if (ocr === 'force') {
    const available = await ocrAvailable();
    if (!available.ok) throw new UsageError(`--ocr force: ${available.reason}`, `install it (${OCR_INSTALL}), or use --ocr auto`);
  }
  return { ocr, limits: readLimits(values), threads: threadsFlag(values.threads) };
}

import { ConfrecError } from '../errors.js';
import { templateOf, type SegmentedTemplate } from '../segment/rows.js';
import { segmentResolution, type Segmentation } from '../segment/segment.js';
import type { ConferenceMeta } from '../store/types.js';
import type { Morph } from '../text/morph.js';
import { normaliseText } from '../text/normalise.js';
import { extractMetadata } from './metadata.js';
import type { RawDocument } from './readers.js';

/**
 * The CPU part of ingesting one file, without I/O: the normalised text of a reader's output and the
 * metadata found in it. Run in the main thread (--threads 1, and for every format read in the reader
 * process) or in a worker for plain-text files (pipeline/workers/tasks.ts): the same function, so the
 * same rows. Failures are kept, not thrown, so that the stage reports one file's notes and errors in
 * the same order on both paths: reader notes, "no text", the sidecar's errors, then metadata's.
 */
export interface PreparedDocument {
  raw: Omit<RawDocument, 'text'>;
  text: string;
  meta: ConferenceMeta | null;
  /** "no text" (before the sidecar is read) or a metadata failure (after), or null. */
  failure: unknown;
  failureBeforeSidecar: boolean;
  /**
   * The whole segmentation of `text` (rows without ids), when asked for (`segment`): handed to the
   * segment stage of the same command (segment/handoff.ts).
   */
  segmented: { template: SegmentedTemplate } | null;
}

export interface PrepareOptions {
  /** Segment the whole text (metadata takes the operative start from it) and keep its rows. */
  segment?: boolean;
}

/** The whole segmentation, or null when it cannot be handed on (the segment stage then does it itself). */
function wholeSegmentation(text: string, morph: Morph): { seg: Segmentation; segmented: NonNullable<PreparedDocument['segmented']> } | null {
  // A lone surrogate would be stored as U+FFFD: the stored text would not be the one segmented here.
  // (isWellFormed: the same test as /[\uD800-\uDFFF]/u — lone surrogates only — without a regex scan.)
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return null;
  try {
    const seg = segmentResolution(text, morph);
    return { seg, segmented: { template: templateOf(text, seg) } };
  } catch {
    // The segment stage meets the same failure and reports it; metadata goes on with the front part.
    return null;
  }
}

export function prepareDocument(path: string, raw: RawDocument, morph: Morph, options: PrepareOptions = {}): PreparedDocument {
  const { text: rawText, ...rest } = raw;
  const text = normaliseText(rawText);
  if (!/\p{L}/u.test(text)) {
    const failure = new ConfrecError('no text', { file: path, hint: 'the file holds no readable words' });
    return { raw: rest, text, meta: null, failure, failureBeforeSidecar: true, segmented: null };
  }
  const whole = options.segment ? wholeSegmentation(text, morph) : null;
  const segmented = whole?.segmented ?? null;
  try {
    return { raw: rest, text, meta: extractMetadata(text, morph, whole?.seg), failure: null, failureBeforeSidecar: false, segmented };
  } catch (err) {
    return { raw: rest, text, meta: null, failure: err, failureBeforeSidecar: false, segmented };
  }
}

/** An error as plain data (structured clone drops the ConfrecError class, its file and hint). */
export interface SerialError {
  confrec: boolean;
  message: string;
  file?: string;
  hint?: string;
}

export function serialiseError(err: unknown): SerialError {
  if (err instanceof ConfrecError) return { confrec: true, message: err.message, file: err.file, hint: err.hint };
  return { confrec: false, message: err instanceof Error ? err.message : String(err) };
}

export function reviveError(e: SerialError): Error {
  return e.confrec ? new ConfrecError(e.message, { file: e.file, hint: e.hint }) : new Error(e.message);
}

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfrecError } from '../errors.js';
import { sha256Hex } from '../store/hash.js';
import { loadMorph } from '../text/morph.js';
import type { ReadLimits } from './limits.js';
import { prepareDocument, serialiseError, type PreparedDocument, type SerialError } from './prepare.js';
import type { OcrMode } from './readers.js';
import { SandboxedReader } from './sandbox.js';
import { detectFormat, type Detected } from './sniff.js';

/**
 * The first pass of ingest over one file on disk, without the database: its bytes read and hashed,
 * their format sniffed and, for a plain-text file whose bytes are not a version already stored at
 * that path, its text read and prepared (prepare.ts) at once — so a new document costs one read
 * and one trip to a worker, not two. Run in a worker thread, a batch of files per task
 * (pipeline/workers/tasks.ts), or in the main thread (--threads 1, and below the pool's threshold):
 * the same function, so the same rows. Other formats are only hashed here; the stage reads them in
 * the reader process (sandbox.ts) once it knows they are new.
 */
export interface ScanFile {
  path: string;
  /** sha256 of the versions stored at this path: such bytes are unchanged or revived, never read again. */
  known: readonly string[];
}

/** Reading failed (before the sidecar is looked at), or the prepared document. */
export type PreparedResult = { ok: false; error: SerialError } | { ok: true; doc: Omit<PreparedDocument, 'failure'>; failure: SerialError | null };

export type ScanResult =
  | { ok: false; error: SerialError }
  | {
      ok: true;
      sha256: string;
      byteLength: number;
      detected: Detected | null;
      /** The bytes when they were not prepared here (other formats, known versions): the stage may keep them. */
      bytes: Uint8Array | null;
      /** The prepared document of a plain-text file with new bytes. */
      prepared: PreparedResult | null;
    };

export interface ScanOptions {
  ocr: OcrMode;
  limits: ReadLimits;
  /** Prepare plain text with its whole segmentation (prepare.ts PrepareOptions.segment; segment/handoff.ts). */
  segment?: boolean;
}

/** Formats prepared while scanning: plain text, read in-process anyway (sandbox.ts); the rest go to the reader process. */
export const SCAN_PREPARED_FORMATS: ReadonlySet<string> = new Set(['txt', 'md']);

function cannotRead(path: string, err: NodeJS.ErrnoException): ConfrecError {
  return new ConfrecError(`cannot read file (${err.code ?? err.message})`, { file: path, hint: 'check permissions' });
}

/** A file's bytes; a failure is one ConfrecError naming the file. */
export function readFileBytes(path: string): Promise<Buffer> {
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw cannotRead(path, err);
  });
}

/** The prepared document of a plain-text file's bytes (errors kept as data, so they cross a worker boundary). */
export async function preparePlainText(path: string, bytes: Uint8Array, options: ScanOptions): Promise<PreparedResult> {
  const reader = new SandboxedReader({ ocr: options.ocr, limits: options.limits });
  try {
    const raw = await reader.read(path, bytes);
    const { failure, ...doc } = prepareDocument(path, raw, await loadMorph(), { segment: options.segment });
    return { ok: true, doc, failure: failure === null ? null : serialiseError(failure) };
  } catch (err) {
    return { ok: false, error: serialiseError(err) };
  }
}

export async function scanFile(file: ScanFile, options: ScanOptions): Promise<ScanResult> {
  let bytes: Buffer;
  try {
    // Synchronously: in a worker this blocks nobody, and the promise API's round trips through
    // libuv's thread pool (shared by the process's threads) left each worker idle ≈ 30 % of the time
    // on 10,000 small files.
    bytes = readFileSync(file.path);
  } catch (err) {
    return { ok: false, error: serialiseError(cannotRead(file.path, err as NodeJS.ErrnoException)) };
  }
  const sha256 = sha256Hex(bytes);
  const detected = detectFormat(file.path, bytes);
  if (detected !== null && SCAN_PREPARED_FORMATS.has(detected) && !file.known.includes(sha256)) {
    const prepared = await preparePlainText(file.path, bytes, options);
    return { ok: true, sha256, byteLength: bytes.byteLength, detected, bytes: null, prepared };
  }
  return { ok: true, sha256, byteLength: bytes.byteLength, detected, bytes, prepared: null };
}

/** A batch in order (one worker task). */
export async function scanFiles(files: readonly ScanFile[], options: ScanOptions): Promise<ScanResult[]> {
  const out: ScanResult[] = [];
  for (const f of files) out.push(await scanFile(f, options));
  return out;
}

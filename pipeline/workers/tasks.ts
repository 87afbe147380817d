/**
 * The worker threads' entry (piscina): one exported function per kind of task. Everything here is a
 * pure function of its input and the dictionary, which each worker loads once. Results are plain data.
 */
import { prepareDocument, serialiseError, type PreparedDocument, type SerialError } from '../ingest/prepare.js';
import type { OcrMode } from '../ingest/readers.js';
import type { ReadLimits } from '../ingest/limits.js';
import { SandboxedReader } from '../ingest/sandbox.js';
import { segmentRows, type SegmentedRows, type SegmentJob } from '../segment/rows.js';
import { loadMorph } from '../text/morph.js';

export interface IngestTask {
  kind: 'ingest';
  path: string;
  bytes: Uint8Array;
  ocr: OcrMode;
  limits: ReadLimits;
}

/** Reading failed (before the sidecar is looked at), or the prepared document. */
export type IngestResult = { ok: false; error: SerialError } | { ok: true; doc: Omit<PreparedDocument, 'failure'>; failure: SerialError | null };

export interface SegmentTask {
  kind: 'segment';
  docs: SegmentJob[];
  runId: number;
  segmenterVersion: string;
}

export type Task = IngestTask | SegmentTask;

/**
 * Plain text only: the stage sends nothing else here (other formats go to the reader process, whose
 * capped heap protects the run). The reader is the same class as in the main thread, so its errors
 * read the same.
 */
export async function ingest(task: IngestTask): Promise<IngestResult> {
  const morph = await loadMorph();
  const reader = new SandboxedReader({ ocr: task.ocr, limits: task.limits });
  try {
    const raw = await reader.read(task.path, task.bytes);
    const { failure, ...doc } = prepareDocument(task.path, raw, morph);
    return { ok: true, doc, failure: failure === null ? null : serialiseError(failure) };
  } catch (err) {
    return { ok: false, error: serialiseError(err) };
  }
}

export async function segment(task: SegmentTask): Promise<SegmentedRows[]> {
  const morph = await loadMorph();
  return task.docs.map((d) => segmentRows(d, morph, task.runId, task.segmenterVersion));
}

export default async function run(task: Task): Promise<unknown> {
  return task.kind === 'ingest' ? ingest(task) : segment(task);
}

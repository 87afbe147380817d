/**
 * The worker threads' entry (piscina): one exported function per kind of task. Everything here is a
 * pure function of its input (and, for scan, of the files it reads) and the dictionary, which each
 * worker loads once, on first use. Results are plain data.
 */
import type { ReadLimits } from '../ingest/limits.js';
import type { OcrMode } from '../ingest/readers.js';
import { scanFiles, type ScanFile, type ScanResult } from '../ingest/scan.js';
import { segmentRows, type SegmentedRows, type SegmentJob } from '../segment/rows.js';
import { loadMorph } from '../text/morph.js';
import { workerData } from 'node:worker_threads';
import { runBandPairsTask, runSignatureTask, type BandPairsResult, type BandPairsTask, type SignatureTask } from '../similar/pairs/parallel.js';

/**
 * A batch of files for ingest's first pass (ingest/scan.ts): read, hashed, sniffed, and plain text
 * with new bytes prepared. Paths travel, not bytes: the worker reads the files itself.
 */
export interface ScanTask {
  kind: 'scan';
  files: ScanFile[];
  ocr: OcrMode;
  limits: ReadLimits;
  segment?: boolean;
}

export interface SegmentTask {
  kind: 'segment';
  docs: SegmentJob[];
  runId: number;
  segmenterVersion: string;
}

export type Task = ScanTask | SegmentTask | SignatureTask | BandPairsTask;

// Ingest's and segment's tasks need the dictionary: loading starts when the worker does (while the
// main thread lists and stats the folder), not when the first task arrives. A failure is the first
// task's to report. A pool for the near-duplicate search says it needs none (≈ 0.3 s and 60 MB each).
if ((workerData as { dictionary?: boolean } | undefined)?.dictionary !== false) loadMorph().catch(() => undefined);

export function scan(task: ScanTask): Promise<ScanResult[]> {
  return scanFiles(task.files, { ocr: task.ocr, limits: task.limits, segment: task.segment });
}

export async function segment(task: SegmentTask): Promise<SegmentedRows[]> {
  const morph = await loadMorph();
  return task.docs.map((d) => segmentRows(d, morph, task.runId, task.segmenterVersion));
}

export default async function run(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'scan':
      return scan(task);
    case 'segment':
      return segment(task);
    case 'signatures':
      return runSignatureTask(task);
    case 'band-pairs':
      return runBandPairsTask(task) satisfies BandPairsResult;
  }
}

import { availableParallelism } from 'node:os';
import { numberFlag } from '../flags.js';

/**
 * `--threads N`: how many worker threads the per-document work of ingest (plain-text files) and
 * segment uses. Default: every core the process may use (os.availableParallelism). 1 is the
 * single-threaded path: everything in the main thread, no pool at all. The results are the same
 * whatever N is (tests/stage/threads.test.ts compares N = 1 and N = 2 byte for byte).
 */
export const THREADS_FLAG = { threads: { type: 'string' } } as const;

/** Upper bound: more threads than documents in a batch only cost dictionaries (≈ 60 MB each). */
export const MAX_THREADS = 64;

export function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

/** Parses --threads (a whole number from 1 to 64); the default when absent. */
export function threadsFlag(value: unknown): number {
  return numberFlag(value, 'threads', { min: 1, max: MAX_THREADS, integer: true }) ?? defaultThreads();
}

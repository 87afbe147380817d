/**
 * The lexical fit and transform on two threads (issue 16 §2): the main thread and one helper worker
 * (workers/pool.ts, task kind `lexical`, body in worker.ts) share
 *
 * - the count pass (document frequencies): texts in chunks, each thread counting its own into its own
 *   table; the tables are added up (a feature's count is a sum, so the split does not matter);
 * - the randomised SVD's products: by columns of the dense block (svd.ts SvdStep), on
 *   SharedArrayBuffers, each number computed by one thread with the terms in the one-thread order;
 * - the vectors of the fitted space: texts in chunks, each vector computed whole by one thread.
 *
 * Every number is therefore the one a single thread computes: the model and the vectors are
 * bit-identical whatever the split (tests/unit/embed-parallel.test.ts).
 */
import { WorkerPool } from '../../workers/pool.js';
import { SHARED_ARRAYS, LOCAL_ARRAYS, type Factored } from './csr.js';
import {
  orthonormalize,
  orthonormalizeShare,
  ORTH_FAILED,
  ORTH_STARTED,
  runFactoredStep,
  sharedOrth,
  sharedOrthBack,
  type SharedOrth,
  type SvdRunner,
  type SvdStep,
} from './svd.js';
import type { LexicalModelData } from './model-data.js';

/** What the helper is asked (worker.ts runs it). */
export type LexicalTask =
  | { op: 'count'; texts: string[]; first: number; sampleSize: number; charMin: number; charMax: number }
  | { op: 'counts' }
  | { op: 'svd'; f: Factored; step: SvdStep; l: number; j0: number; j1: number }
  | { op: 'orth'; s: SharedOrth }
  | { op: 'model'; model: LexicalModelData }
  | { op: 'embed'; id: string; texts: string[] };

/** A feature table as counted by a helper: feature, document frequency, frequency in the SVD sample. */
export interface CountedFeatures {
  names: string[];
  df: Int32Array;
  sampleDf: Int32Array;
}

/** Runs tasks in the helper thread. */
export interface LexicalHelper {
  run<T>(task: LexicalTask): Promise<T>;
  close(): Promise<void>;
  /** A thread of its own, which may block waiting for this one (the shared orthonormalisation needs it). */
  readonly blocking: boolean;
}

/**
 * Texts from which a fit shares its work: below, starting a worker (its modules and dictionary,
 * ≈ 0.5 s of the other core) costs more than the fit it would share.
 */
export const PARALLEL_FROM_TEXTS = 2_000;

/** A helper worker when `threads` > 1 (one, whatever the number: the shares are made for two), else null. */
export function openLexicalHelper(threads: number): LexicalHelper | null {
  if (threads <= 1) return null;
  const pool = WorkerPool.open(1, { dictionary: true, evenOne: true, entry: 'lexical' });
  if (!pool) return null;
  return {
    run: <T>(task: LexicalTask) => pool.lexical(task) as Promise<T>,
    close: () => pool.close(),
    blocking: true,
  };
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Work on items [0, total) shared between this thread and a helper: the helper takes chunks of
 * `remoteChunk` one after the other while this thread does chunks of `localChunk` and yields after
 * each (so that the helper's next chunk is sent as soon as its last one is back, and other work of
 * this thread — the embed stage's save — goes on). The helper's results
 * are handed to `merge` in the main thread. Which thread did which items depends on timing, so the
 * work must give the same result for any split.
 */
export async function shareWork<T>(
  total: number,
  localChunk: number,
  remoteChunk: number,
  local: (from: number, to: number) => void,
  remote: ((from: number, to: number) => Promise<T>) | null,
  merge: (result: T, from: number, to: number) => void,
): Promise<void> {
  let next = 0;
  const take = (size: number): [number, number] | null => {
    if (next >= total) return null;
    const from = next;
    next = Math.min(total, next + size);
    return [from, next];
  };
  const helper = remote
    ? (async () => {
        for (let r = take(remoteChunk); r; r = take(remoteChunk)) merge(await remote(r[0], r[1]), r[0], r[1]);
      })()
    : null;
  helper?.catch(() => {}); // awaited below
  for (let r = take(localChunk); r; r = take(localChunk)) {
    local(r[0], r[1]);
    await yieldNow();
  }
  await helper;
}

/** The SVD's steps on the factored matrix, split by columns with the helper when there is one. */
export function factoredRunner(f: Factored, helper: LexicalHelper | null): SvdRunner {
  const alloc = helper ? SHARED_ARRAYS : LOCAL_ARRAYS;
  return {
    rows: f.d.rows,
    cols: f.d.cols,
    alloc: (n) => alloc.floats(n),
    scratch: (l) => [alloc.floats(f.m.cols * l), alloc.floats(f.m.cols * l)],
    async run(step, l, width) {
      if (!helper || width < 8) return runFactoredStep(f, step, l, 0, width);
      const h = width >> 1;
      const theirs = helper.run<null>({ op: 'svd', f, step, l, j0: h, j1: width });
      theirs.catch(() => {}); // awaited below
      runFactoredStep(f, step, l, 0, h);
      await theirs;
    },
    orthonormalize: helper?.blocking ? (y, n, l) => orthonormalizeWith(helper, y, n, l) : undefined,
  };
}

type WaitAsync = (a: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

/**
 * orthonormalize shared with the helper (svd.ts orthonormalizeShare): the block is copied to shared
 * memory, the helper is started, and only once it has said so does this thread take its share —
 * its waits block the thread, so the helper must already be running.
 */
export async function orthonormalizeWith(helper: LexicalHelper, y: Float64Array, n: number, l: number): Promise<void> {
  if (l < 8) return orthonormalize(y, n, l);
  const ctrl = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const s = sharedOrth(y, n, l, SHARED_ARRAYS.floats, ctrl);
  const theirs = helper.run<null>({ op: 'orth', s });
  theirs.catch(() => {}); // awaited below
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  const started = (async () => {
    while (Atomics.load(ctrl, ORTH_STARTED) === 0) {
      const r = waitAsync(ctrl, ORTH_STARTED, 0, 1000);
      if (r.async) await r.value;
    }
  })();
  // A helper that fails before it starts rejects `theirs`; one that ends normally has started.
  await Promise.race([started, theirs.then(() => started)]);
  try {
    orthonormalizeShare(s, 0);
  } catch (err) {
    Atomics.store(ctrl, ORTH_FAILED, 1);
    throw err;
  }
  await theirs;
  sharedOrthBack(s, y);
}

/** Whether a typed array's memory can be seen by a worker without a copy. */
export function isShared(a: { buffer: ArrayBufferLike }): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

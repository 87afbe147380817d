import { Piscina } from 'piscina';
import type { SegmentedRows } from '../segment/rows.js';
import type { ScanResult } from '../ingest/scan.js';
import type { ScanTask, SegmentTask } from './tasks.js';
import type { BandPairsResult, BandPairsTask, PairWorkers, SignatureTask } from '../similar/pairs/parallel.js';

/**
 * A pool of worker threads (piscina) for the per-document CPU work of ingest and segment. Only the
 * pure part runs in a worker; the stages keep reading the database, the files' I/O and every write
 * (one transaction per stage) in the main thread, and consume the results in input order, so the
 * tables are the same as with --threads 1.
 *
 * Each worker loads the morphological dictionary once (≈ 0.3 s and 60 MB). A pool lives for one
 * stage, or — `confrec run` — is shared by ingest and segment (SharedPool) and closed after segment,
 * so the dictionaries are loaded once and the memory is given back before embedding starts.
 */
/**
 * The workers load the tasks module with import(), never with require(): piscina tries require()
 * first, and on Node 20.19+ require() of an ES module while an import() of part of its graph is
 * still in flight (the readers are imported lazily) aborts the whole process ("FATAL ERROR:
 * v8::Module::IsGraphAsync …", seen once in the kill -9 test's re-run). With require(esm) switched
 * off in the workers, piscina's require fails cleanly and it falls back to import().
 */
function workerExecArgv(): string[] {
  const off = '--no-experimental-require-module';
  return process.allowedNodeEnvironmentFlags.has(off) ? [...process.execArgv, off] : [...process.execArgv];
}

export class WorkerPool implements PairWorkers {
  private constructor(private readonly pool: Piscina, readonly threads: number) {}

  /**
   * null for one thread: the caller then runs the same functions in the main thread. `dictionary:
   * false` for work that needs no morphology (the near-duplicate search): the workers do not load it.
   * `entry: 'pairs'`: workers that run only the near-duplicate search's tasks (similar/pairs/worker.ts,
   * none of ingest's or segment's modules nor DuckDB: ≈ 0.1 s of CPU to start instead of ≈ 0.7).
   */
  static open(threads: number, opts: { dictionary?: boolean; evenOne?: boolean; entry?: 'all' | 'pairs' | 'lexical' } = {}): WorkerPool | null {
    // evenOne: one worker beside the main thread, which does a share of the work itself (embed/lexical/parallel.ts).
    if (threads < 1 || (threads === 1 && !opts.evenOne)) return null;
    const here = import.meta.url;
    // Compiled JS normally; under vitest/tsx the TypeScript source, through a shim that registers tsx
    // inside the worker (execArgv's --import does not reach worker threads).
    const ts = here.endsWith('.ts');
    // A stage's own entry is named by path, not imported: the pool stays free of the stages' modules.
    const entry =
      opts.entry === 'pairs'
        ? ts ? '../similar/pairs/worker-ts.mjs' : '../similar/pairs/worker.js'
        : opts.entry === 'lexical'
          ? ts ? '../embed/lexical/worker-ts.mjs' : '../embed/lexical/worker.js'
          : ts ? './tasks-ts.mjs' : './tasks.js';
    const pool = new Piscina({
      filename: new URL(entry, here).href,
      minThreads: threads,
      maxThreads: threads,
      // Tasks are queued in the pool, not in the workers: results come back in any order, the
      // stages put them back in input order.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      execArgv: workerExecArgv(),
      workerData: { dictionary: opts.dictionary !== false },
    });
    return new WorkerPool(pool, threads);
  }

  scan(task: Omit<ScanTask, 'kind'>): Promise<ScanResult[]> {
    return this.pool.run({ kind: 'scan', ...task });
  }

  segment(task: Omit<SegmentTask, 'kind'>): Promise<SegmentedRows[]> {
    return this.pool.run({ kind: 'segment', ...task });
  }

  /** Arrays in the tasks are on SharedArrayBuffers: the workers fill and read them in place. */
  signatures(task: Omit<SignatureTask, 'kind'>): Promise<void> {
    return this.pool.run({ kind: 'signatures', ...task });
  }

  bandPairs(task: Omit<BandPairsTask, 'kind'>): Promise<BandPairsResult> {
    return this.pool.run({ kind: 'band-pairs', ...task });
  }

  /** The lexical fit's helper work (embed/lexical/worker.ts). */
  lexical(task: object): Promise<unknown> {
    return this.pool.run({ kind: 'lexical', ...task });
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * One pool for the stages of one command (`confrec run`: ingest, then segment), opened on first use
 * and closed by its owner. A second pool would load every worker's dictionary again (≈ 0.3 s of CPU
 * and 60 MB each).
 */
export class SharedPool {
  private pool: WorkerPool | null = null;

  constructor(readonly threads: number) {}

  get open(): boolean {
    return this.pool !== null;
  }

  /** The pool (opened now if it is not yet), or null for one thread. */
  get(): WorkerPool | null {
    if (this.threads <= 1) return null;
    this.pool ??= WorkerPool.open(this.threads);
    return this.pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}

/**
 * Runs `fn` with a pool of `threads` workers (or null for 1). A shared pool of the stage's size is
 * used (and left open) when one is given and the work is worth it or it is open already; otherwise a
 * pool of the stage's own is opened and closed afterwards. `wanted` (≤ threads) is how many workers
 * the work can keep busy.
 */
export async function withPool<T>(
  threads: number,
  fn: (pool: WorkerPool | null) => Promise<T>,
  shared?: SharedPool,
  wanted: number = threads,
): Promise<T> {
  if (shared && shared.threads === threads && threads > 1 && (wanted > 1 || shared.open)) return fn(shared.get());
  const pool = WorkerPool.open(Math.min(threads, wanted));
  try {
    return await fn(pool);
  } finally {
    await pool?.close();
  }
}

/**
 * Ordered results from concurrent work: `start(i)` is called at most `ahead` items before item i is
 * awaited, so memory holds a window of results, not the whole corpus, and results are consumed in
 * input order.
 */
export class Lookahead<T> {
  private readonly started = new Map<number, Promise<T>>();
  private next = 0;

  constructor(private readonly count: number, private readonly ahead: number, private readonly start: (i: number) => Promise<T> | null) {}

  /** The result of item i (null when `start` declined it); items must be asked for in increasing order. */
  async get(i: number): Promise<T | null> {
    while (this.next < this.count && this.next <= i + this.ahead) {
      const p = this.start(this.next);
      if (p) {
        // Rejections are observed when the item is asked for; until then they must not be "unhandled".
        p.catch(() => undefined);
        this.started.set(this.next, p);
      }
      this.next++;
    }
    const p = this.started.get(i);
    this.started.delete(i);
    return p ?? null;
  }
}

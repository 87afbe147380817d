/**
 * The snapshot the server answers from, and its renewal. Every `pollMs` the database file's size and
 * modification time (and its WAL's) are compared with the snapshot's; when they changed, a new
 * snapshot is loaded in the background and swapped in. While a `confrec run` holds the file (DuckDB
 * allows one writer and no reader beside it), loading fails on the lock: the old snapshot keeps
 * answering, the pages say that new data is on its way, and the next poll tries again.
 */
import { errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../progress.js';
import { explorerConfig } from '../config.js';
import { HttpProblem } from './problem.js';
import { fileStamp, isLockError, loadSnapshot, sameStamp, type FileStamp, type Snapshot } from './snapshot.js';

export interface SourceState {
  /**
   * 'writer': a confrec process is writing the file; 'failed': the last load failed otherwise;
   * 'missing': the file is gone (deleted or moved) — the loaded data keep answering.
   */
  pending: 'none' | 'loading' | 'writer' | 'failed' | 'missing';
  problem: string | null;
}

export class SnapshotSource {
  private snapshot: Snapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  /** The file state a load failed on (not for the lock): not retried until the file changes again. */
  private failedStamp: FileStamp | null = null;
  readonly state: SourceState = { pending: 'none', problem: null };

  constructor(
    readonly path: string,
    private readonly opts: { modelDir?: string; log?: Logger; pollMs?: number } = {},
  ) {}

  /** Loads the first snapshot (errors propagate: no database, not readable) and starts polling. */
  async start(): Promise<Snapshot> {
    const log = this.opts.log ?? silentLogger;
    let first: Snapshot | null = null;
    // Started while a `confrec run` writes: wait for it rather than fail (Ctrl+C to give up).
    for (let waited = false; !first; ) {
      try {
        first = await loadSnapshot(this.path, { modelDir: this.opts.modelDir, log });
      } catch (err) {
        if (!isLockError(err)) throw err;
        if (!waited) log.info('serve: the database is being written by another confrec process; waiting for it to finish…');
        waited = true;
        await new Promise((r) => setTimeout(r, this.opts.pollMs || explorerConfig.pollMs));
      }
    }
    this.snapshot = first;
    const every = this.opts.pollMs ?? explorerConfig.pollMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.refresh(), every);
      this.timer.unref();
    }
    return first;
  }

  /** The snapshot to answer a request from. */
  current(): Snapshot {
    if (!this.snapshot) throw new HttpProblem(503, 'Данные ещё загружаются', 'Обозреватель загружает базу; обновите страницу через несколько секунд.');
    return this.snapshot;
  }

  /** Checks the file and loads a new snapshot when it changed; resolves when done (for tests). */
  async refresh(force = false): Promise<void> {
    if (this.loading) return this.loading;
    const stamp = await fileStamp(this.path);
    if (stamp === null) {
      if (this.state.pending !== 'missing') (this.opts.log ?? silentLogger).warn(`serve: the database file ${this.path} is gone; still answering from the data loaded before`);
      this.state.pending = 'missing';
      this.state.problem = null;
      return;
    }
    if (this.state.pending === 'missing') this.state.pending = 'none';
    if (!force && (stamp === null || sameStamp(stamp, this.snapshot?.stamp ?? null))) return;
    if (stamp === null || (!force && sameStamp(stamp, this.failedStamp))) return;
    const log = this.opts.log ?? silentLogger;
    this.loading = (async () => {
      const wasWriter = this.state.pending === 'writer';
      this.state.pending = 'loading';
      try {
        const next = await loadSnapshot(this.path, { modelDir: this.opts.modelDir, log, probe: false });
        const old = this.snapshot;
        this.snapshot = next;
        this.state.pending = 'none';
        this.state.problem = null;
        // Requests still running on the old snapshot finish first.
        if (old) setTimeout(() => void old.close(), 30_000).unref();
      } catch (err) {
        if (isLockError(err)) {
          this.state.pending = 'writer';
          this.state.problem = null;
          if (!wasWriter) log.info('serve: the database is being written by another confrec process; new data will be loaded when it is done');
        } else {
          this.state.pending = 'failed';
          this.failedStamp = stamp;
          this.state.problem = errorMessage(err);
          log.warn(`serve: could not load the changed database (${errorMessage(err)}); still answering from the data loaded at ${this.snapshot?.loadedAt.toISOString() ?? '—'}`);
        }
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loading?.catch(() => {});
    await this.snapshot?.close();
    this.snapshot = null;
  }
}

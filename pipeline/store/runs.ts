import { hostname } from 'node:os';
import type { Store } from './db.js';
import { codeVersion } from './version.js';

export { codeVersion } from './version.js';

export interface StageResult {
  counts: Record<string, unknown>;
}

/**
 * Records a stage run in `runs`: a 'running' row first (outside the stage's transaction, so a crash
 * leaves evidence), then status, duration and counts. The stage's own writes happen in `work`.
 */
export async function withRun<R extends StageResult>(
  store: Store,
  stage: string,
  params: Record<string, unknown>,
  work: (runId: number) => Promise<R>,
): Promise<R & { runId: number; durationMs: number }> {
  const started = Date.now();
  // A run still marked 'running' cannot be: this process holds the database. It was killed.
  await store.run(`UPDATE runs SET status = 'interrupted' WHERE status = 'running'`);
  // The process id and host let `status` tell a run still going from one whose process was killed.
  const runId = await store.scalar<number>(
    `INSERT INTO runs (stage, status, started_at, params, code_version, pid, host)
     VALUES ($1, 'running', now()::TIMESTAMP, $2::JSON, $3, $4, $5) RETURNING run_id`,
    [stage, JSON.stringify(params), codeVersion(), process.pid, hostname()],
  );
  const outer = store.stage;
  store.stage = stage;
  try {
    const result = await work(runId);
    const durationMs = Date.now() - started;
    await store.run(
      `UPDATE runs SET status = 'ok', finished_at = now()::TIMESTAMP, duration_ms = $2, counts = $3::JSON WHERE run_id = $1`,
      [runId, durationMs, JSON.stringify(result.counts)],
    );
    return { ...result, runId, durationMs };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await store
      .run(`UPDATE runs SET status = 'failed', finished_at = now()::TIMESTAMP, duration_ms = $2, error = $3 WHERE run_id = $1`, [
        runId,
        Date.now() - started,
        message,
      ])
      .catch(() => {});
    throw err;
  } finally {
    store.stage = outer;
  }
}

/** Whether a process of this machine is alive (signal 0 checks without touching it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A run's status as it really is: a 'running' row whose process (on this machine) is gone was
 * killed — it shows as 'interrupted' even before the next run marks it so. A run of another machine
 * (a database on a shared drive) cannot be checked and keeps its recorded status.
 */
export function effectiveStatus(
  run: { status: string; pid: number | null; host: string | null },
  alive: (pid: number) => boolean = processAlive,
  host: string = hostname(),
): string {
  if (run.status !== 'running' || run.pid === null) return run.status;
  if (run.host !== null && run.host !== host) return run.status;
  return alive(run.pid) ? 'running' : 'interrupted';
}

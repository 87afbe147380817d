import { execFileSync } from 'node:child_process';
import { config, ROOT } from '../config.js';
import type { Store } from './db.js';

let cachedVersion: string | undefined;

/** Package version plus the git commit when the code runs from a checkout. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a checkout */
  }
  cachedVersion = commit ? `${config.version}+${commit}` : config.version;
  return cachedVersion;
}

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
  const runId = await store.scalar<number>(
    `INSERT INTO runs (stage, status, started_at, params, code_version)
     VALUES ($1, 'running', now()::TIMESTAMP, $2::JSON, $3) RETURNING run_id`,
    [stage, JSON.stringify(params), codeVersion()],
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

/**
 * The newest segment run behind the current recommendations. A downstream stage records it in its
 * params; on its next incremental run, recommendations written by a later segment run are new work
 * even when their rec_id is known (a re-segmented document keeps its rec_ids, not its texts).
 */
export async function segmentWatermark(store: Store): Promise<number> {
  return (
    (await store.scalar<number | null>(
      `SELECT max(r.run_id) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`,
    )) ?? 0
  );
}

/** The segment watermark the stage's last successful run saw, or null (never ran, or an older version). */
export async function lastWatermark(store: Store, stage: string): Promise<number | null> {
  const v = await store.scalar<number | null>(
    `SELECT json_extract(params, '$.segment_run')::INTEGER FROM runs WHERE stage = $1 AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
    [stage],
  );
  return v ?? null;
}

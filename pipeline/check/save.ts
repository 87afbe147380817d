/** `confrec check --save`: the draft becomes a document like any other (ingest, then every stage). */
import { dirname, join, resolve } from 'node:path';
import type { CommandContext } from '../command.js';
import { config } from '../config.js';
import { ingestFolder } from '../ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline.js';
import { REPORT_FILE } from '../report/stage.js';
import { withStore, type Store } from '../store/db.js';

/**
 * Where `--save` writes the updated report: `--out` when given, else where the last report of this
 * database was written (its run's `out`: the folder `confrec run` or `confrec report` chose), else the
 * report's default (./reports or $CONFREC_REPORTS) — not a new ./reports wherever the check was run.
 */
export async function reportFolder(store: Store, out?: string): Promise<string> {
  if (out) return resolve(out);
  const last = await store.scalar<string | null>(`SELECT json_extract_string(params, '$.out') FROM latest_runs WHERE stage = 'report'`).catch(() => null);
  return last ?? resolve(config.reportsDir);
}

export async function saveDraft(dbPath: string, file: string, ctx: CommandContext, opts: { out?: string } = {}): Promise<string> {
  return withStore(dbPath, async (store) => {
    const stageCtx = { log: ctx.log, quiet: ctx.quiet };
    const out = await reportFolder(store, opts.out);
    ctx.log.info((await ingestFolder(store, dirname(file), { ...stageCtx, options: { only: [file] } })).line);
    for (const stage of DOWNSTREAM_STAGES) ctx.log.info((await stage.run(store, { ...stageCtx, options: stage.name === 'report' ? { out, pdf: false } : {} })).line);
    return join(out, REPORT_FILE);
  });
}

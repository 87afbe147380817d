/** `confrec check --save`: the draft becomes a document like any other (ingest, then every stage). */
import { dirname } from 'node:path';
import type { CommandContext } from '../command.js';
import { ingestFolder } from '../ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline.js';
import { withStore } from '../store/db.js';

export async function saveDraft(dbPath: string, file: string, ctx: CommandContext): Promise<void> {
  await withStore(dbPath, async (store) => {
    const stageCtx = { log: ctx.log, quiet: ctx.quiet };
    ctx.log.info((await ingestFolder(store, dirname(file), { ...stageCtx, options: { only: [file] } })).line);
    for (const stage of DOWNSTREAM_STAGES) ctx.log.info((await stage.run(store, { ...stageCtx, options: {} })).line);
  });
}

import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { clustersStage } from './stage.js';

export const clustersCommand: CommandSpec = {
  name: 'clusters',
  summary: 'discover recurring themes: cluster the recommendations, label clusters by distinctive lemmas',
  usage: 'confrec clusters [--db FILE]',
  async run(_args, ctx) {
    const summary = await withStore(ctx.dbPath, (store) => clustersStage.run(store, { log: ctx.log, quiet: ctx.quiet, options: {} }));
    ctx.log.info(summary.line);
  },
};

import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { clustersStage } from './stage.js';

export const clustersCommand: CommandSpec = {
  name: 'clusters',
  summary: 'discover recurring themes: cluster the recommendations, label clusters by distinctive lemmas',
  usage: 'confrec clusters [--all] [--db FILE]',
  options: { all: { type: 'boolean' } },
  async run({ values }, ctx) {
    const options = { all: Boolean(values.all) };
    const summary = await withStore(ctx.dbPath, (store) => clustersStage.run(store, { log: ctx.log, quiet: ctx.quiet, options }));
    ctx.log.info(summary.line);
  },
};

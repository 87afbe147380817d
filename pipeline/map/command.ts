import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { mapStage } from './stage.js';

export const mapCommand: CommandSpec = {
  name: 'map',
  summary: 'lay out every recommendation on a 2D map for the explorer (deterministic for a seed)',
  usage: 'confrec map [--all] [--db FILE]',
  options: { all: { type: 'boolean' } },
  async run({ values }, ctx) {
    const options = { all: Boolean(values.all) };
    const summary = await withStore(ctx.dbPath, (store) => mapStage.run(store, { log: ctx.log, quiet: ctx.quiet, options }));
    ctx.log.info(summary.line);
  },
};

import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { segmentStage } from './stage.js';

export const segmentCommand: CommandSpec = {
  name: 'segment',
  summary: 'split every ingested resolution into recommendations',
  usage: 'confrec segment [--all] [--db FILE]',
  options: { all: { type: 'boolean' } },
  async run({ values }, ctx) {
    const summary = await withStore(ctx.dbPath, (store) =>
      segmentStage.run(store, { log: ctx.log, quiet: ctx.quiet, options: { all: Boolean(values.all) } }),
    );
    ctx.log.info(summary.line);
  },
};

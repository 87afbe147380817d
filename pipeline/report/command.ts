import { existsSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { ConfrecError } from '../errors.js';
import { warnIfStale } from '../freshness.js';
import { withStore } from '../store/db.js';
import { reportStage } from './stage.js';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'write the trend report for leadership: one self-contained HTML page (and a PDF with --pdf)',
  usage: 'confrec report [--out DIR] [--pdf] [--db FILE]',
  options: reportStage.flags,
  async run({ values }, ctx) {
    if (!existsSync(ctx.dbPath)) {
      throw new ConfrecError('no database here yet', { file: ctx.dbPath, hint: 'run `confrec run <folder>` first, or pass --db' });
    }
    const options = reportStage.parseOptions(values);
    const summary = await withStore(ctx.dbPath, async (store) => {
      // The report shows what the tables hold; say so when an analysis stage has not caught up.
      for (const stage of reportStage.after) await warnIfStale(store, stage, `the ${stage} results in the report`, ctx.log, 'report');
      return reportStage.run(store, { log: ctx.log, quiet: ctx.quiet, options });
    });
    ctx.log.info(summary.line);
  },
};

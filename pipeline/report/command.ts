import { existsSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { ConfrecError } from '../errors.js';
import { withStore } from '../store/db.js';
import { reportStage } from './stage.js';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'write the trend report for leadership: one self-contained HTML page (and a PDF with --pdf)',
  usage: 'confrec report [--out DIR] [--pdf] [--db FILE]',
  options: { out: { type: 'string' }, pdf: { type: 'boolean' } },
  async run({ values }, ctx) {
    if (!existsSync(ctx.dbPath)) {
      throw new ConfrecError('no database here yet', { file: ctx.dbPath, hint: 'run `confrec run <folder>` first, or pass --db' });
    }
    const options = { out: values.out, pdf: values.pdf === true };
    const summary = await withStore(ctx.dbPath, (store) => reportStage.run(store, { log: ctx.log, quiet: ctx.quiet, options }));
    ctx.log.info(summary.line);
  },
};

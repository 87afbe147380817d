import { existsSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { ConfrecError } from '../errors.js';
import { join } from 'node:path';
import { staleStagesLine } from '../freshness.js';
import { withStore } from '../store/db.js';
import { refuseDatabaseTarget } from '../store/outputs.js';
import { PDF_FILE, REPORT_FILE, reportStage } from './stage.js';

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
    // Neither the folder nor a file written into it may be the database (or its WAL): checked before anything.
    for (const target of [options.out, join(options.out, REPORT_FILE), join(options.out, PDF_FILE)]) refuseDatabaseTarget(target, ctx.dbPath);
    const summary = await withStore(ctx.dbPath, async (store) => {
      // The report shows what the tables hold; say so when an analysis stage has not caught up.
      const stale = await staleStagesLine(store, reportStage.after);
      if (stale) ctx.log.warn(`report: written from stale results: ${stale}`);
      return reportStage.run(store, { log: ctx.log, quiet: ctx.quiet, options });
    });
    ctx.log.info(summary.line);
  },
};

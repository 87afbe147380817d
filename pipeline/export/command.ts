import { renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ConfrecError, UsageError } from '../errors.js';
import { withStore } from '../store/db.js';
import { explainDatabaseError } from '../store/diagnose.js';
import { refuseDatabaseTarget } from '../store/outputs.js';
import { EXPORT_FORMATS, exportTable, type ExportFormat } from './export.js';

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'write a table to JSON Lines, CSV, Parquet or Arrow',
  usage: `confrec export <table> --format ${EXPORT_FORMATS.join('|')} --out FILE [--embedder ID] [--db FILE]`,
  options: { format: { type: 'string' }, out: { type: 'string' }, embedder: { type: 'string' } },
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const format = (values.format ?? 'jsonl') as ExportFormat;
    if (typeof values.out !== 'string') throw new UsageError('--out FILE is required', `usage: ${exportCommand.usage}`);
    const out = values.out;
    refuseDatabaseTarget(out, ctx.dbPath);
    // Written beside the target and renamed: a failure (disk full, damaged database) leaves no half
    // file, and an existing file is replaced only by a complete one. The database is read whole
    // first (verify), so damage is reported before anything is written.
    const tmp = `${resolve(out)}.${process.pid}.tmp`;
    const embedder = typeof values.embedder === 'string' ? values.embedder : undefined;
    let n: number;
    try {
      n = await withStore(ctx.dbPath, (store) => exportTable(store, positionals[0], format, tmp, { embedder }), { readOnly: true, verify: true });
      renameSync(tmp, resolve(out));
    } catch (err) {
      rmSync(tmp, { force: true });
      // "cannot write csv file: <DuckDB's text>": a full disk or a damaged block underneath is said plainly.
      const explained = explainDatabaseError(ctx.dbPath, (err as { cause?: unknown }).cause ?? err);
      if (!(explained instanceof ConfrecError)) throw err;
      throw new ConfrecError(explained.message.replace(tmp, resolve(out)), { file: explained.file, hint: explained.hint, exitCode: explained.exitCode, cause: err });
    }
    ctx.log.info(`export: ${n} row(s) of ${positionals[0]} → ${out}`);
  },
};

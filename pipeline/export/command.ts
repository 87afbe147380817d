import type { CommandSpec } from '../command.js';
import { UsageError } from '../errors.js';
import { withStore } from '../store/db.js';
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
    const n = await withStore(ctx.dbPath, (store) =>
        exportTable(store, positionals[0], format, out, { embedder: typeof values.embedder === 'string' ? values.embedder : undefined }), { readOnly: true });
    ctx.log.info(`export: ${n} row(s) of ${positionals[0]} → ${out}`);
  },
};

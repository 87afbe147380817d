import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { ingestFolder } from './stage.js';

export const ingestCommand: CommandSpec = {
  name: 'ingest',
  summary: 'read a folder of resolutions (.txt .md .docx .pdf) into the database',
  usage: 'confrec ingest <dir> [--rehash] [--db FILE]',
  options: { rehash: { type: 'boolean' } },
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const options = { rehash: Boolean(values.rehash) };
    const summary = await withStore(ctx.dbPath, (store) => ingestFolder(store, positionals[0], { log: ctx.log, quiet: ctx.quiet, options }));
    ctx.log.info(summary.line);
  },
};

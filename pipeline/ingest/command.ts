import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { INGEST_OPTIONS, ingestReadOptions } from './options.js';
import { ingestFolder } from './stage.js';

export const ingestCommand: CommandSpec = {
  name: 'ingest',
  summary: 'read a folder of resolutions (.txt .md .docx .doc .rtf .odt .pdf, web pages, scans, .zip) into the database',
  usage: 'confrec ingest <dir> [--rehash] [--ocr auto|off|force] [--max-unpacked-mb N …] [--db FILE]',
  options: { rehash: { type: 'boolean' }, ...INGEST_OPTIONS },
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const options = { rehash: Boolean(values.rehash), ...(await ingestReadOptions(values)) };
    const summary = await withStore(ctx.dbPath, (store) => ingestFolder(store, positionals[0], { log: ctx.log, quiet: ctx.quiet, options }));
    ctx.log.info(summary.line);
  },
};

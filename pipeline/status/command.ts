import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { formatStatus, readStatus } from './status.js';

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'show documents, recommendations, flagged documents, skipped files and recent runs',
  usage: 'confrec status [--json] [--db FILE]',
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    // status is where one looks for trouble: it reads every block, so a damaged file is reported here.
    const status = await withStore(ctx.dbPath, (store) => readStatus(store), { readOnly: true, verify: true });
    process.stdout.write((values.json ? JSON.stringify(status, null, 2) : formatStatus(status)) + '\n');
  },
};

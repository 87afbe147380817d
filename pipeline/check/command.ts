import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ConfrecError } from '../errors.js';
import { withStore } from '../store/db.js';
import { refuseFolderAsDatabase } from '../serve/db-path.js';

export const checkCommand: CommandSpec = {
  name: 'check',
  summary:
    'check a draft resolution: each item with the closest earlier recommendations and a verdict; text in Russian for people (ПОВТОР / ПОХОЖЕЕ / НОВОЕ), --json for scripts with stable English keys and codes (verdict repeated / similar / new)',
  usage: 'confrec check <file> [--save [--out DIR]] [--json] [--model-dir DIR] [--db FILE]',
  options: { save: { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' }, 'model-dir': { type: 'string' } },
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    refuseFolderAsDatabase(ctx.dbPath);
    const path = resolve(positionals[0]);
    const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new ConfrecError(err.code === 'ENOENT' ? 'file not found' : `cannot read the file (${err.code ?? err.message})`, {
        file: positionals[0],
        hint: 'give the path of the draft (.txt, .md, .docx, .pdf)',
      });
    });
    const modelDir = typeof values['model-dir'] === 'string' ? resolve(values['model-dir']) : undefined;
    // Loaded on demand: other commands do not pay for the index.
    const { openCheckIndex, formatCheck, checkJson } = await import('./cli.js');
    const { checkDraft } = await import('./check.js');
    const out = await withStore(
      ctx.dbPath,
      async (store) => {
        const index = await openCheckIndex(store, { modelDir, log: ctx.log });
        try {
          const result = await checkDraft(index, { name: path, bytes });
          return values.json ? JSON.stringify(checkJson(result, index.corpus), null, 2) : formatCheck(result, index.corpus);
        } finally {
          await index.embedder?.dispose?.();
        }
      },
      { readOnly: true },
    );
    process.stdout.write(out + '\n');
    if (values.save) {
      const { saveDraft } = await import('./save.js');
      const report = await saveDraft(ctx.dbPath, path, ctx, { out: typeof values.out === 'string' ? values.out : undefined });
      // Where things went, said once at the end (stderr: stdout is the check itself, maybe --json).
      process.stderr.write(`check --save: the draft is stored in ${resolve(ctx.dbPath)}; the report is updated at ${report} (where this database's last report was written; --out DIR to choose)\n`);
    }
  },
};

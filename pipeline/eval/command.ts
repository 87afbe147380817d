import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandSpec } from '../command.js';
import { config } from '../config.js';
import { ConfrecError } from '../errors.js';
import { withStore, type Store } from '../store/db.js';
import { META_FIELDS, type ConferenceMeta } from '../store/types.js';
import { formatSummary, scoreDocument, summarise, type EvalSummary, type GoldFile, type PredictedRec } from './score.js';

export async function readGold(dir: string): Promise<GoldFile[]> {
  const names = (await readdir(dir).catch(() => {
    throw new ConfrecError('gold folder not found', { file: dir });
  })).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) throw new ConfrecError('no gold .json files', { file: dir });
  return Promise.all(
    names.map(async (n) => {
      try {
        return JSON.parse(await readFile(join(dir, n), 'utf8')) as GoldFile;
      } catch (err) {
        throw new ConfrecError(`not a gold file: ${(err as Error).message}`, { file: join(dir, n) });
      }
    }),
  );
}

/** Scores the database's current documents against gold files matched by source file name. */
export async function evaluate(store: Store, gold: GoldFile[]): Promise<EvalSummary> {
  const scores = [];
  for (const g of gold) {
    const doc = await store.one<ConferenceMeta & { doc_id: string }>(
      `SELECT doc_id, ${META_FIELDS.map((f) => (f.startsWith('date') ? `strftime(${f}, '%Y-%m-%d') AS ${f}` : f)).join(', ')}
       FROM current_documents WHERE source_file = $1`,
      [g.file],
    );
    const themed = (await store.scalar<number>(`SELECT count(*) FROM runs WHERE stage = 'themes' AND status = 'ok'`)) > 0;
    const recs = doc
      ? await store.all<PredictedRec>(
          `SELECT r.text, r.addressee, r.verb,
             CASE WHEN $2 THEN coalesce((SELECT list(t.theme_id ORDER BY t.theme_id) FROM rec_themes t WHERE t.rec_id = r.rec_id), []) END AS themes
           FROM recommendations r WHERE r.doc_id = $1 ORDER BY r.seq`,
          [doc.doc_id, themed],
        )
      : null;
    scores.push(scoreDocument(g, doc ?? null, recs));
  }
  return summarise(scores);
}

export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'score segmentation, addressees, verbs and metadata against gold annotations',
  usage: 'confrec eval [--gold DIR] [--json] [--db FILE]',
  options: { gold: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const gold = await readGold(typeof values.gold === 'string' ? values.gold : config.goldDir);
    const summary = await withStore(ctx.dbPath, (store) => evaluate(store, gold), { readOnly: true });
    process.stdout.write((values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary, ctx.verbose || !ctx.quiet)) + '\n');
  },
};

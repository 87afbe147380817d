import { readdir, readFile } from 'node:fs/promises';
import type { CommandSpec } from '../command.js';
import { config } from '../config.js';
import { ConfrecError } from '../errors.js';
import { withStore, type Store } from '../store/db.js';
import { META_FIELDS, type ConferenceMeta } from '../store/types.js';
import { goldFiles } from './gold-sets.js';
import { evaluateFixtures } from './fixtures.js';
import { formatHeldOut } from './heldout.js';
import { loadThemes } from '../themes/definitions.js';
import { formatSummary, scoreDocument, summarise, type EvalSummary, type GoldFile, type PredictedRec } from './score.js';

/** Gold files of a folder, family sub-folders included (tests/fixtures/layouts/gold/<family>/…). */
export async function readGold(dir: string): Promise<GoldFile[]> {
  await readdir(dir).catch(() => {
    throw new ConfrecError('gold folder not found', { file: dir });
  });
  const paths = goldFiles(dir);
  if (paths.length === 0) throw new ConfrecError('no gold .json files', { file: dir });
  return Promise.all(
    paths.map(async (p) => {
      try {
        return JSON.parse(await readFile(p, 'utf8')) as GoldFile;
      } catch (err) {
        throw new ConfrecError(`not a gold file: ${(err as Error).message}`, { file: p });
      }
    }),
  );
}

/** Scores the database's current documents against gold files matched by source file name. */
export async function evaluate(store: Store, gold: GoldFile[]): Promise<EvalSummary> {
  // Themes are data: the ids scored are those of data/themes.json.
  const themeIds = (await loadThemes(config.themesFile)).map((t) => t.id);
  const scores = [];
  for (const g of gold) {
    const doc = await store.one<ConferenceMeta & { doc_id: string }>(
      `SELECT doc_id, ${META_FIELDS.map((f) => (f.startsWith('date') ? `strftime(${f}, '%Y-%m-%d') AS ${f}` : f)).join(', ')}
       FROM documents WHERE source_file = $1 AND is_current`,
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
    scores.push(scoreDocument(g, doc ?? null, recs, themeIds));
  }
  return summarise(scores);
}

export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'score segmentation, addressees, verbs and metadata against gold annotations',
  usage: 'confrec eval [--gold DIR] [--json] [--db FILE] | confrec eval --fixtures [--json]',
  options: { gold: { type: 'string' }, json: { type: 'boolean' }, fixtures: { type: 'boolean' } },
  async run({ values }, ctx) {
    if (values.fixtures) {
      const r = await evaluateFixtures(evaluate, readGold, ctx.log);
      if (values.json) {
        process.stdout.write(JSON.stringify({ sets: r.sets.map((s) => ({ name: s.set.name, ...s.summary })), overall: r.overall, themes: r.themes }, null, 2) + '\n');
        return;
      }
      const lines: string[] = [];
      for (const s of r.sets) lines.push(`== ${s.set.name}`, formatSummary(s.summary, ctx.verbose));
      lines.push(`== all gold (${r.sets.map((s) => s.set.name).join(', ')})`, formatSummary(r.overall, false).split('\nper document:')[0]);
      lines.push(...formatHeldOut(r.themes));
      process.stdout.write(lines.join('\n') + '\n');
      return;
    }
    const gold = await readGold(typeof values.gold === 'string' ? values.gold : config.goldDir);
    const summary = await withStore(ctx.dbPath, (store) => evaluate(store, gold), { readOnly: true });
    process.stdout.write((values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary, ctx.verbose || !ctx.quiet)) + '\n');
  },
};

import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
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

/** A gold file and the layout family it belongs to: its sub-folder below the gold folder ('' at the top). */
export type FamilyGold = GoldFile & { family?: string };

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(p)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Every gold .json below dir (sub-folders are layout families). */
export async function readGold(dir: string): Promise<FamilyGold[]> {
  const paths = await jsonFiles(dir).catch(() => {
    throw new ConfrecError('gold folder not found', { file: dir });
  });
  if (paths.length === 0) throw new ConfrecError('no gold .json files', { file: dir });
  return Promise.all(
    paths.map(async (p) => {
      let gold: GoldFile;
      try {
        gold = JSON.parse(await readFile(p, 'utf8')) as GoldFile;
      } catch (err) {
        throw new ConfrecError(`not a gold file: ${(err as Error).message}`, { file: p });
      }
      if (typeof gold?.file !== 'string' || !Array.isArray(gold.recommendations)) {
        throw new ConfrecError('not a gold file: "file" and "recommendations" are required', { file: p });
      }
      const sub = relative(dir, p).split(sep).slice(0, -1).join('/');
      return { ...gold, not_recommendations: gold.not_recommendations ?? [], family: sub };
    }),
  );
}

/** Scores the database's current documents against gold files matched by source file name. */
export async function evaluate(store: Store, gold: FamilyGold[]): Promise<EvalSummary> {
  // Themes are data: the ids scored are those of data/themes.json.
  const themeIds = (await loadThemes(config.themesFile)).map((t) => t.id);
  const scores = [];
  const themed = (await store.scalar<number>(`SELECT count(*) FROM runs WHERE stage = 'themes' AND status = 'ok'`)) > 0;
  for (const g of gold) {
    const doc = await store.one<ConferenceMeta & { doc_id: string; source_kind: string | null }>(
      `SELECT d.doc_id, s.source_kind, ${META_FIELDS.map((f) => (f.startsWith('date') ? `strftime(d.${f}, '%Y-%m-%d') AS ${f}` : `d.${f}`)).join(', ')}
       FROM current_documents d LEFT JOIN segment_status s USING (doc_id) WHERE d.source_file = $1`,
      [g.file],
    );
    const recs = doc
      ? await store.all<PredictedRec>(
          `SELECT r.text, r.addressee, r.verb, r.form, r.responsible, strftime(r.deadline, '%Y-%m-%d') AS deadline,
             CASE WHEN $2 THEN coalesce((SELECT list(t.theme_id ORDER BY t.theme_id) FROM rec_themes t WHERE t.rec_id = r.rec_id), []) END AS themes
           FROM recommendations r WHERE r.doc_id = $1 ORDER BY r.seq`,
          [doc.doc_id, themed],
        )
      : null;
    scores.push(scoreDocument(g, doc ?? null, recs, { family: g.family ?? '', sourceKind: doc ? doc.source_kind : undefined, themeIds }));
  }
  return summarise(scores);
}

export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'score segmentation (strict and lenient), addressees, verbs, item forms, deadlines, themes and metadata against gold annotations',
  usage: 'confrec eval [--gold DIR]... [--json] [--db FILE] | confrec eval --fixtures [--json]',
  options: { gold: { type: 'string', multiple: true }, json: { type: 'boolean' }, fixtures: { type: 'boolean' } },
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
    const dirs = Array.isArray(values.gold) && values.gold.length ? values.gold : [config.goldDir];
    const gold: FamilyGold[] = [];
    for (const dir of dirs) {
      // With several gold folders, each folder's name prefixes its families ("layouts/tables").
      const prefix = dirs.length > 1 ? basename(dir) : '';
      for (const g of await readGold(dir)) gold.push({ ...g, family: [prefix, g.family].filter(Boolean).join('/') });
    }
    const summary = await withStore(ctx.dbPath, (store) => evaluate(store, gold), { readOnly: true });
    process.stdout.write((values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary, ctx.verbose || !ctx.quiet)) + '\n');
  },
};

import type { CommandSpec } from '../command.js';
import { config } from '../config.js';
import { ConfrecError } from '../errors.js';
import { withStore, type Store } from '../store/db.js';
import { readGold } from '../eval/command.js';
import { normaliseForMatch } from '../eval/score.js';
import type { Logger } from '../progress.js';
import { loadThemes } from './definitions.js';
import { gatherThemeEvidence } from './evidence-store.js';
import { calibrate, UNCALIBRATED, type LabelledItem } from './score.js';
import { embedderFamily, saveCalibration, CALIBRATION_FILE } from './calibration.js';
import { refuseDatabaseTarget } from '../store/outputs.js';
import { themesStage, toEvidence } from './stage.js';

/**
 * Fits the theme model (similarity weight, threshold) on gold annotations for the current embedder
 * family and saves it to data/theme-calibration.json.
 */
export async function calibrateThemes(store: Store, opts: { themes: string; gold: string; log: Logger; modelDir?: string }) {
  const themes = await loadThemes(opts.themes);
  const gold = await readGold(opts.gold);
  const evidence = await gatherThemeEvidence(store, themes, { log: opts.log, modelDir: opts.modelDir });
  const items: LabelledItem[] = [];
  for (const g of gold) {
    const recs = await store.all<{ rec_id: string; text: string }>(
      `SELECT rec_id, text FROM recommendations JOIN current_documents USING (doc_id) WHERE source_file = $1`,
      [g.file],
    );
    const byText = new Map(recs.map((r) => [normaliseForMatch(r.text), r.rec_id]));
    for (const gr of g.recommendations) {
      const recId = byText.get(normaliseForMatch(gr.text));
      const raw = recId ? evidence.byRec.get(recId) : undefined;
      if (!raw) continue;
      items.push({
        gold: new Set(gr.themes),
        evidence: Object.fromEntries(themes.map((t) => [t.id, toEvidence(raw[t.id], UNCALIBRATED)])),
      });
    }
  }
  if (items.length === 0) {
    throw new ConfrecError('no gold recommendation is in the database', { hint: 'run `confrec run` on the gold documents first' });
  }
  const ids = themes.map((t) => t.id);
  const result = calibrate(items, ids, UNCALIBRATED.contextWeight);
  const family = embedderFamily(evidence.embedding?.id ?? null);
  await saveCalibration(family, {
    ...result.model,
    microF1: Number(result.f1.micro.toFixed(4)),
    perTheme: Object.fromEntries(Object.entries(result.f1.perTheme).map(([k, v]) => [k, Number(v.f1.toFixed(4))])),
    items: items.length,
    gold: opts.gold.replace(config.goldDir, 'tests/fixtures/gold'),
    calibratedAt: new Date().toISOString().slice(0, 10),
  });
  return { family, items: items.length, ...result };
}

export const themesCommand: CommandSpec = {
  name: 'themes',
  summary: 'score every recommendation against the seeded themes (data/themes.json); --calibrate fits thresholds on gold files',
  usage: 'confrec themes [--themes FILE] [--all] [--calibrate [--gold DIR]] [--db FILE]',
  options: { ...themesStage.flags, calibrate: { type: 'boolean' }, gold: { type: 'string' } },
  async run({ values }, ctx) {
    const options = themesStage.parseOptions(values);
    if (values.calibrate) refuseDatabaseTarget(CALIBRATION_FILE, ctx.dbPath, 'the calibration file');
    await withStore(ctx.dbPath, async (store) => {
      if (values.calibrate) {
        const r = await calibrateThemes(store, {
          themes: options.themes,
          gold: typeof values.gold === 'string' ? values.gold : config.goldDir,
          log: ctx.log,
          modelDir: options.modelDir,
        });
        const per = Object.entries(r.f1.perTheme).map(([k, v]) => `${k} ${v.f1.toFixed(3)}`).join(', ');
        ctx.log.info(
          `calibrated ${r.family} on ${r.items} gold recommendations: similarity weight ${r.model.simWeight}, threshold ${r.model.threshold.toFixed(3)} (margin ${r.margin.toFixed(3)}); micro-F1 ${r.f1.micro.toFixed(3)}; ${per} → ${CALIBRATION_FILE}`,
        );
      }
      const summary = await themesStage.run(store, { log: ctx.log, quiet: ctx.quiet, options });
      ctx.log.info(summary.line);
    });
  },
};

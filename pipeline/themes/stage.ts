import { DOUBLE, VARCHAR, INTEGER, type DuckDBType } from '@duckdb/node-api';
import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { loadThemes, type ThemeDefinition } from './definitions.js';
import { squash } from './evidence.js';
import { gatherThemeEvidence, type RawEvidence } from './evidence-store.js';
import { embedderFamily, modelFor } from './calibration.js';
import { themeScore, type Evidence, type ThemeModel } from './score.js';

const SCORE_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE, VARCHAR, INTEGER];

/** Raw evidence → the two numbers the model combines. */
export function toEvidence(raw: RawEvidence, model: ThemeModel): Evidence {
  return { lexical: squash(raw.own + model.contextWeight * raw.context), similarity: raw.similarity ?? 0 };
}

export function themesFile(ctx: StageContext): string {
  return typeof ctx.options.themes === 'string' ? ctx.options.themes : config.themesFile;
}

/**
 * The themes stage: scores every current recommendation against every seeded theme and writes
 * `themes`, `rec_theme_scores` (all scores) and `rec_themes` (assignments) in one transaction.
 * The model (weights, threshold) comes from the calibration for the current embedder family.
 */
export const themesStage: PipelineStage = {
  name: 'themes',
  async run(store: Store, ctx: StageContext) {
    const file = themesFile(ctx);
    const themes: ThemeDefinition[] = await loadThemes(file);
    const evidence = await gatherThemeEvidence(store, themes, { modelDir: ctx.options.modelDir as string | undefined, log: ctx.log });
    const family = embedderFamily(evidence.embedding?.id ?? null);
    const { model, calibrated } = await modelFor(family);
    const params = { themes_file: file, embedder: evidence.embedding?.id ?? null, family, calibrated, ...model };
    return withRun(store, 'themes', params, async (runId) => {
      const scoreRows: unknown[][] = [];
      const assigned: unknown[][] = [];
      const perTheme: Record<string, number> = Object.fromEntries(themes.map((t) => [t.id, 0]));
      let withTheme = 0;
      for (const [recId, byTheme] of evidence.byRec) {
        let any = false;
        for (const t of themes) {
          const raw = byTheme[t.id];
          const ev = toEvidence(raw, model);
          const score = themeScore(ev, model);
          scoreRows.push([recId, t.id, ev.lexical, raw.similarity, score, raw.matched.join('; ') || null, runId]);
          if (score >= model.threshold) {
            assigned.push([recId, t.id, score, runId]);
            perTheme[t.id]++;
            any = true;
          }
        }
        if (any) withTheme++;
      }
      await store.transaction(async () => {
        await store.run('DELETE FROM themes');
        for (const t of themes) {
          await store.run(`INSERT INTO themes VALUES ($1, $2, $3, $4::JSON, $5::JSON)`, [
            t.id, t.label_ru, t.description, JSON.stringify(t.seeds), JSON.stringify(t.terms),
          ]);
        }
        await store.run('DELETE FROM rec_theme_scores');
        await store.run('DELETE FROM rec_themes');
        await store.append('rec_theme_scores', SCORE_TYPES, scoreRows);
        await store.append('rec_themes', [VARCHAR, VARCHAR, DOUBLE, INTEGER], assigned);
      });
      const total = evidence.byRec.size;
      const counts = { recommendations: total, with_theme: withTheme, without_theme: total - withTheme, per_theme: perTheme };
      const how = calibrated ? `calibrated for ${family}` : `uncalibrated for ${family}: term evidence only`;
      const line = `themes: ${withTheme} of ${total} recommendation(s) in a seeded theme (${Object.entries(perTheme)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; ${how})`;
      return { counts, line };
    });
  },
};

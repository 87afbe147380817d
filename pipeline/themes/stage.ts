import { createHash } from 'node:crypto';
import { DOUBLE, VARCHAR, INTEGER, type DuckDBType } from '@duckdb/node-api';
import { currentEmbedding } from '../embed/current.js';
import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { lastWatermark, segmentWatermark, withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { loadThemes, type ThemeDefinition } from './definitions.js';
import { squash } from './evidence.js';
import { gatherThemeEvidence, type RawEvidence } from './evidence-store.js';
import { embedderFamily, modelFor } from './calibration.js';
import { themeScore, type Evidence, type ThemeModel } from './score.js';

/** Bumped when scoring changes in a way that invalidates stored scores. */
export const THEMES_VERSION = 'themes-3';

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
    const embedding = await currentEmbedding(store);
    const family = embedderFamily(embedding?.id ?? null);
    const { model, calibrated } = await modelFor(family);
    // Scores depend on the definitions, the embedding space and the model only: when none of these
    // changed since the last run, only recommendations without scores are scored.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ v: THEMES_VERSION, themes, embedder: embedding?.id ?? null, model }))
      .digest('hex')
      .slice(0, 16);
    const last = await store.one<{ fp: string | null }>(
      `SELECT json_extract_string(params, '$.fingerprint') AS fp FROM runs WHERE stage = 'themes' AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
    );
    const since = await lastWatermark(store, 'themes');
    const incremental = !ctx.options.all && last?.fp === fingerprint && since !== null;
    const evidence = await gatherThemeEvidence(store, themes, {
      modelDir: ctx.options.modelDir as string | undefined,
      log: ctx.log,
      segmentedAfter: incremental ? since : null,
    });
    const segment_run = await segmentWatermark(store);
    const params = { themes_file: file, embedder: embedding?.id ?? null, family, calibrated, ...model, fingerprint, incremental, segment_run };
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
        if (incremental) {
          // Scores of recommendations that are gone (superseded versions, re-segmented documents) go
          // too, and so does anything stored for the ones scored now.
          await store.run(`CREATE OR REPLACE TEMP TABLE scored_now (rec_id VARCHAR)`);
          await store.append('scored_now', [VARCHAR], [...evidence.byRec.keys()].map((id) => [id]));
          const stale = `rec_id IN (SELECT rec_id FROM scored_now)
            OR rec_id NOT IN (SELECT r.rec_id FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current)`;
          await store.run(`DELETE FROM rec_theme_scores WHERE ${stale}`);
          await store.run(`DELETE FROM rec_themes WHERE ${stale}`);
          await store.run(`DROP TABLE scored_now`);
        } else {
          await store.run('DELETE FROM rec_theme_scores');
          await store.run('DELETE FROM rec_themes');
        }
        await store.append('rec_theme_scores', SCORE_TYPES, scoreRows);
        await store.append('rec_themes', [VARCHAR, VARCHAR, DOUBLE, INTEGER], assigned);
      });
      // Counts describe the whole current state, not just this run's share.
      const totals = await store.all<{ theme_id: string; n: number }>(`SELECT theme_id, count(*) AS n FROM rec_themes GROUP BY theme_id`);
      for (const t of themes) perTheme[t.id] = totals.find((x) => x.theme_id === t.id)?.n ?? 0;
      const total = await store.scalar<number>(
        `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`,
      );
      withTheme = await store.scalar<number>(`SELECT count(DISTINCT rec_id) FROM rec_themes`);
      const counts = {
        recommendations: total,
        scored_now: evidence.byRec.size,
        with_theme: withTheme,
        without_theme: total - withTheme,
        per_theme: perTheme,
      };
      const how = calibrated ? `calibrated for ${family}` : `uncalibrated for ${family}: term evidence only`;
      const line = `themes: ${incremental ? `${evidence.byRec.size} new recommendation(s) scored; ` : ''}${withTheme} of ${total} recommendation(s) in a seeded theme (${Object.entries(perTheme)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; ${how})`;
      return { counts, line };
    });
  },
};

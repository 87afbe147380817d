import { VARCHAR } from '@duckdb/node-api';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { config } from '../config.js';
import { pathFlag } from '../flags.js';
import type { Store } from '../store/db.js';
import { REC_THEME_SCORES, REC_THEMES, type ThemeAssignmentRow, type ThemeScoreRow } from '../store/columns.js';
import { checkFreshness, fingerprintParams, recommendationInputs, valueFingerprint, watermarkOf, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadThemes, type ThemeDefinition } from './definitions.js';
import { squash } from './evidence.js';
import { gatherThemeEvidence, type RawEvidence } from './evidence-store.js';
import { embedderFamily, modelFor } from './calibration.js';
import { themeScore, type Evidence, type ThemeModel } from './score.js';

/** Bumped when scoring changes in a way that invalidates stored scores. */
export const THEMES_VERSION = 'themes-3';

export interface ThemesOptions {
  /** Score everything again, not only recommendations without scores. */
  all: boolean;
  /** Theme definitions (default data/themes.json). */
  themes: string;
  /** Where a transformer embedder's model is, to embed the seed phrases. */
  modelDir?: string;
}

/** Score rows per append (4 per recommendation with the four seeded themes). */
const SCORE_ROWS_PER_APPEND = 16_384;

/** Raw evidence → the two numbers the model combines. */
export function toEvidence(raw: RawEvidence, model: ThemeModel): Evidence {
  return { lexical: squash(raw.own + model.contextWeight * raw.context), similarity: raw.similarity ?? 0 };
}

/** Everything a themes run is decided by: definitions, embedding space, calibrated model, fingerprint. */
interface ThemesPlan {
  themes: ThemeDefinition[];
  embedding: CurrentEmbedding | null;
  family: string;
  model: ThemeModel;
  calibrated: boolean;
  fingerprint: Fingerprint;
}

async function planThemes(store: Store, o: ThemesOptions): Promise<ThemesPlan> {
  const themes = await loadThemes(o.themes);
  const embedding = await currentEmbedding(store);
  const family = embedderFamily(embedding?.id ?? null);
  const { model, calibrated } = await modelFor(family);
  // Scores depend on the definitions (the file's content), the embedding space and the calibrated
  // model (data/theme-calibration.json for the family); the inputs are the current recommendations.
  const fingerprint: Fingerprint = {
    inputs: await recommendationInputs(store),
    config: { version: THEMES_VERSION, themes: valueFingerprint(themes), embedder: embedding?.id ?? null, model },
  };
  return { themes, embedding, family, model, calibrated, fingerprint };
}

/**
 * The themes stage: scores every current recommendation against every seeded theme and writes
 * `themes`, `rec_theme_scores` (all scores) and `rec_themes` (assignments) in one transaction.
 * The model (weights, threshold) comes from the calibration for the current embedder family. When
 * only the recommendations changed since the last run, only those without scores (or re-segmented)
 * are scored.
 */
export const themesStage: PipelineStage<ThemesOptions> = {
  name: 'themes',
  after: ['segment', 'embed'],
  refresh: 'confrec themes',
  flags: { all: { type: 'boolean' }, themes: { type: 'string' }, 'model-dir': { type: 'string' } },
  parseOptions: (values) => ({ all: values.all === true, themes: pathFlag(values.themes) ?? config.themesFile, modelDir: pathFlag(values['model-dir']) }),
  fingerprint: async (store, o) => (await planThemes(store, o)).fingerprint,
  async run(store: Store, ctx: StageContext<ThemesOptions>) {
    const o = stageOptions(themesStage, ctx);
    const { themes, family, model, calibrated, fingerprint } = await planThemes(store, o);
    const freshness = await checkFreshness(store, 'themes', fingerprint);
    const since = watermarkOf(freshness.last);
    const incremental = !o.all && (freshness.status === 'fresh' || freshness.status === 'inputs-changed') && since !== null;
    const params = { themes_file: o.themes, embedder: fingerprint.config.embedder, family, calibrated, ...model, incremental, ...fingerprintParams(fingerprint) };
    return withRun(store, 'themes', params, async (runId) => {
      // Inside the run, so that its recorded duration includes the evidence (most of the work).
      const evidence = await gatherThemeEvidence(store, themes, {
        modelDir: o.modelDir,
        log: ctx.log,
        segmentedAfter: incremental ? since : null,
      });
      const scoredNow = evidence.byRec.size;
      await withScratch(store, 'themes', (scratch) => store.transaction(async () => {
        await store.run('DELETE FROM themes');
        for (const t of themes) {
          await store.run(`INSERT INTO themes VALUES ($1, $2, $3, $4::JSON, $5::JSON)`, [
            t.id, t.label_ru, t.description, JSON.stringify(t.seeds), JSON.stringify(t.terms),
          ]);
        }
        if (incremental) {
          const scored = await scratch.table<{ rec_id: string }>('scored_now', { rec_id: VARCHAR });
          await scored.append([...evidence.byRec.keys()].map((id) => ({ rec_id: id })));
          const stale = `rec_id IN (SELECT rec_id FROM ${scored.name})
            OR rec_id NOT IN (SELECT r.rec_id FROM recommendations r JOIN current_documents USING (doc_id))`;
          await store.run(`DELETE FROM rec_theme_scores WHERE ${stale}`);
          await store.run(`DELETE FROM rec_themes WHERE ${stale}`);
        } else {
          await store.run('DELETE FROM rec_theme_scores');
          await store.run('DELETE FROM rec_themes');
        }
        // Scored and appended a slice at a time, each recommendation's evidence dropped once scored:
        // 750,000 recommendations × 4 themes as row objects held gigabytes at 100,000 resolutions.
        let scoreRows: ThemeScoreRow[] = [];
        let assigned: ThemeAssignmentRow[] = [];
        const flush = async () => {
          await store.append(REC_THEME_SCORES, scoreRows);
          await store.append(REC_THEMES, assigned);
          scoreRows = [];
          assigned = [];
        };
        for (const [recId, byTheme] of evidence.byRec) {
          for (const t of themes) {
            const raw = byTheme[t.id];
            const ev = toEvidence(raw, model);
            const score = themeScore(ev, model);
            scoreRows.push({ rec_id: recId, theme_id: t.id, lexical: ev.lexical, similarity: raw.similarity, score, matched: raw.matched.join('; ') || null, run_id: runId });
            if (score >= model.threshold) assigned.push({ rec_id: recId, theme_id: t.id, score, run_id: runId });
          }
          evidence.byRec.delete(recId);
          if (scoreRows.length >= SCORE_ROWS_PER_APPEND) await flush();
        }
        await flush();
      }));
      const totals = await store.all<{ theme_id: string; n: number }>(`SELECT theme_id, count(*) AS n FROM rec_themes GROUP BY theme_id`);
      const perTheme: Record<string, number> = Object.fromEntries(themes.map((t) => [t.id, totals.find((x) => x.theme_id === t.id)?.n ?? 0]));
      const total = await store.scalar<number>(`SELECT count(*) FROM recommendations r JOIN current_documents USING (doc_id)`);
      const withTheme = await store.scalar<number>(`SELECT count(DISTINCT rec_id) FROM rec_themes`);
      const counts = {
        recommendations: total,
        scored_now: scoredNow,
        with_theme: withTheme,
        without_theme: total - withTheme,
        per_theme: perTheme,
      };
      const how = calibrated ? `calibrated for ${family}` : `uncalibrated for ${family}: term evidence only`;
      const line = `themes: ${incremental ? `${scoredNow} new recommendation(s) scored; ` : ''}${withTheme} of ${total} recommendation(s) in a seeded theme (${Object.entries(perTheme)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; ${how})`;
      return { counts, line };
    });
  },
};

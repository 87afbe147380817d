import { VARCHAR } from '@duckdb/node-api';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { config } from '../config.js';
import { pathFlag } from '../flags.js';
import type { Store } from '../store/db.js';
import { REC_THEME_SCORES, REC_THEMES } from '../store/columns.js';
import { checkFreshness, fingerprintParams, recommendationInputs, rowHash, valueFingerprint, watermarkOf, type Fingerprint, type LastRun } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadThemes, type ThemeDefinition } from './definitions.js';
import { squash } from './evidence.js';
import { gatherThemeEvidenceColumns, type RawEvidence } from './evidence-store.js';
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

/** Recommendations per append (their score rows: 4 per recommendation with the four seeded themes). */
const RECS_PER_APPEND = 4_096;

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
    // Adding documents only (the common re-run): the current recommendations are the last run's plus
    // those segmented since, so the search for unscored ones, the deletes of stale scores and the
    // recounts of every assignment (scans of all scores: ≈ 0.5 s of CPU at 30,000 resolutions) are not
    // needed; the totals are the last run's plus what this run adds.
    const added = incremental && since !== null ? await onlyAddedSince(store, freshness.last, fingerprint, since) : null;
    const params = { themes_file: o.themes, embedder: fingerprint.config.embedder, family, calibrated, ...model, incremental, ...fingerprintParams(fingerprint) };
    return withRun(store, 'themes', params, async (runId) => {
      // Inside the run, so that its recorded duration includes the evidence (most of the work).
      const evidence = await gatherThemeEvidenceColumns(store, themes, {
        modelDir: o.modelDir,
        log: ctx.log,
        segmentedAfter: incremental ? since : null,
        onlySegmented: added !== null,
      });
      const scoredNow = evidence.recIds.length;
      const T = themes.length;
      const assignedNow = new Array<number>(T).fill(0);
      let withThemeNow = 0;
      await withScratch(store, 'themes', (scratch) => store.transaction(async () => {
        await store.run('DELETE FROM themes');
        for (const t of themes) {
          await store.run(`INSERT INTO themes VALUES ($1, $2, $3, $4::JSON, $5::JSON)`, [
            t.id, t.label_ru, t.description, JSON.stringify(t.seeds), JSON.stringify(t.terms),
          ]);
        }
        if (incremental) {
          const scored = await scratch.table<{ rec_id: string }>('scored_now', { rec_id: VARCHAR });
          await scored.append(evidence.recIds.map((id) => ({ rec_id: id })));
          const stale =
            added !== null
              ? `rec_id IN (SELECT rec_id FROM ${scored.name})`
              : `rec_id IN (SELECT rec_id FROM ${scored.name})
            OR rec_id NOT IN (SELECT r.rec_id FROM recommendations r JOIN current_documents USING (doc_id))`;
          await store.run(`DELETE FROM rec_theme_scores WHERE ${stale}`);
          await store.run(`DELETE FROM rec_themes WHERE ${stale}`);
        } else {
          await store.run('DELETE FROM rec_theme_scores');
          await store.run('DELETE FROM rec_themes');
        }
        // Scored and appended a slice at a time, as columns (no object per row): 750,000
        // recommendations × 4 themes as row objects held gigabytes at 100,000 resolutions.
        const themeIds = themes.map((t) => t.id);
        for (let from = 0; from < scoredNow; from += RECS_PER_APPEND) {
          const to = Math.min(scoredNow, from + RECS_PER_APPEND);
          const s = { rec_id: [] as string[], theme_id: [] as string[], lexical: [] as number[], similarity: [] as (number | null)[], score: [] as number[], matched: [] as (string | null)[] };
          const a = { rec_id: [] as string[], theme_id: [] as string[], score: [] as number[] };
          for (let k = from; k < to; k++) {
            const recId = evidence.recIds[k];
            let any = false;
            for (let t = 0; t < T; t++) {
              const i = k * T + t;
              const sim = evidence.similarity[i];
              const raw: RawEvidence = { own: evidence.own[i], context: evidence.context[i], similarity: sim === sim ? sim : null, matched: [] };
              const ev = toEvidence(raw, model);
              const score = themeScore(ev, model);
              s.rec_id.push(recId);
              s.theme_id.push(themeIds[t]);
              s.lexical.push(ev.lexical);
              s.similarity.push(raw.similarity);
              s.score.push(score);
              s.matched.push(evidence.matched[i]);
              if (score >= model.threshold) {
                a.rec_id.push(recId);
                a.theme_id.push(themeIds[t]);
                a.score.push(score);
                assignedNow[t]++;
                any = true;
              }
            }
            if (any) withThemeNow++;
          }
          const runIds = (m: number) => new Array<number>(m).fill(runId);
          await store.appendVectors(REC_THEME_SCORES, [s.rec_id, s.theme_id, s.lexical, s.similarity, s.score, s.matched, runIds(s.rec_id.length)], s.rec_id.length);
          await store.appendVectors(REC_THEMES, [a.rec_id, a.theme_id, a.score, runIds(a.rec_id.length)], a.rec_id.length);
        }
      }));
      let perTheme: Record<string, number>;
      let total: number;
      let withTheme: number;
      const before = added?.counts;
      if (!incremental) {
        // Everything was scored just now: the totals are this run's.
        perTheme = Object.fromEntries(themes.map((t, i) => [t.id, assignedNow[i]]));
        total = scoredNow;
        withTheme = withThemeNow;
      } else if (before && themes.every((t) => typeof before.perTheme[t.id] === 'number')) {
        perTheme = Object.fromEntries(themes.map((t, i) => [t.id, before.perTheme[t.id] + assignedNow[i]]));
        total = added.total;
        withTheme = before.withTheme + withThemeNow;
      } else {
        const totals = await store.all<{ theme_id: string; n: number }>(`SELECT theme_id, count(*) AS n FROM rec_themes GROUP BY theme_id`);
        perTheme = Object.fromEntries(themes.map((t) => [t.id, totals.find((x) => x.theme_id === t.id)?.n ?? 0]));
        total = await store.scalar<number>(`SELECT count(*) FROM recommendations r JOIN current_documents USING (doc_id)`);
        withTheme = await store.scalar<number>(`SELECT count(DISTINCT rec_id) FROM rec_themes`);
      }
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

/** "count:xor" of a recommendations signature (store/freshness.ts), or null. */
function parseSignature(sig: unknown): { count: number; xor: bigint } | null {
  const m = typeof sig === 'string' ? /^(\d+):(\d+)$/.exec(sig) : null;
  return m ? { count: Number(m[1]), xor: BigInt(m[2]) } : null;
}

/**
 * Whether the current recommendations are exactly the last run's (which it scored, all of them) plus
 * those segmented after `since`: then the signature of the current ones, with the new ones taken out
 * (XOR and count), is the last run's signature. If so: the number of current recommendations and the
 * last run's totals (its counts, when they are there). Null when anything else changed (a document
 * replaced or revived, a re-segmented one), and the incremental run looks for what to score and drop.
 */
async function onlyAddedSince(
  store: Store,
  last: LastRun | null,
  now: Fingerprint,
  since: number,
): Promise<{ total: number; counts: { perTheme: Record<string, number>; withTheme: number } | null } | null> {
  const before = parseSignature(last?.fingerprint?.inputs.recommendations);
  const current = parseSignature(now.inputs.recommendations);
  if (!before || !current) return null;
  const row = await store.one<{ n: number; x: string | null }>(
    `SELECT count(*) AS n, bit_xor(${rowHash('r.rec_id', 'r.text_hash')})::VARCHAR AS x
     FROM recommendations r JOIN current_documents USING (doc_id) WHERE r.run_id > $1`,
    [since],
  );
  const newCount = Number(row?.n ?? 0);
  const newXor = row?.x ? BigInt(row.x) : 0n;
  if (current.count - newCount !== before.count || (current.xor ^ newXor) !== before.xor) return null;
  const c = last?.counts ?? {};
  const per = c.per_theme as Record<string, unknown> | undefined;
  const ok = typeof c.with_theme === 'number' && per && typeof per === 'object' && Object.values(per).every((v) => typeof v === 'number');
  return { total: current.count, counts: ok ? { perTheme: per as Record<string, number>, withTheme: c.with_theme as number } : null };
}

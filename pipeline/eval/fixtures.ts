/**
 * `confrec eval --fixtures`: every annotated document set (gold-sets.ts) run through the pipeline
 * into a scratch database of its own (.cache/eval.duckdb, rebuilt each time — never the user's
 * database), then scored set by set and together, with the theme model held out by document.
 */
import { rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, config } from '../config.js';
import type { Logger } from '../progress.js';
import { withStore, type Store } from '../store/db.js';
import { ingestFolder } from '../ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline.js';
import { loadThemes } from '../themes/definitions.js';
import { currentEmbedding } from '../embed/current.js';
import { embedderFamily, modelFor } from '../themes/calibration.js';
import { discoverGoldSets, type GoldSet } from './gold-sets.js';
import { heldOutThemes, type HeldOutThemes } from './heldout.js';
import type { EvalSummary, GoldFile } from './score.js';

export const FIXTURE_DB = join(ROOT, '.cache', 'eval.duckdb');

export interface FixtureEval {
  sets: { set: GoldSet; summary: EvalSummary }[];
  overall: EvalSummary;
  themes: HeldOutThemes;
}

/** Ingests every set's documents and runs the analysis stages (not the report) into a fresh database. */
export async function buildFixtureDatabase(sets: readonly GoldSet[], log: Logger, dbPath = FIXTURE_DB): Promise<void> {
  mkdirSync(dirname(dbPath), { recursive: true });
  for (const f of [dbPath, `${dbPath}.wal`]) rmSync(f, { force: true });
  const quiet: Logger = { ...log, info: () => {} };
  const ctx = { log: quiet, quiet: true, options: {} };
  await withStore(dbPath, async (store) => {
    for (const s of sets) await ingestFolder(store, s.docsDir, ctx);
    for (const stage of DOWNSTREAM_STAGES) if (stage.name !== 'report') await stage.run(store, ctx);
  });
}

export async function evaluateFixtures(
  evaluate: (store: Store, gold: GoldFile[]) => Promise<EvalSummary>,
  readGold: (dir: string) => Promise<GoldFile[]>,
  log: Logger,
  dbPath = FIXTURE_DB,
): Promise<FixtureEval> {
  const sets = discoverGoldSets();
  await buildFixtureDatabase(sets, log, dbPath);
  const themes = await loadThemes(config.themesFile);
  return withStore(dbPath, async (store) => {
    const perSet: FixtureEval['sets'] = [];
    const all: GoldFile[] = [];
    for (const set of sets) {
      const gold = await readGold(set.goldDir);
      all.push(...gold);
      perSet.push({ set, summary: await evaluate(store, gold) });
    }
    const family = embedderFamily((await currentEmbedding(store))?.id ?? null);
    const { model } = await modelFor(family);
    return { sets: perSet, overall: await evaluate(store, all), themes: await heldOutThemes(store, all, themes, model, log) };
  });
}

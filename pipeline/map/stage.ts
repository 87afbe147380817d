/**
 * The map stage: a 2D position for every current recommendation (rec_map), for the explorer's map.
 * Computed once here, not in the browser, so every reader sees the same picture and the page only
 * draws. One point per distinct proposal text: recommendations with the same proposal share it.
 */
import { BOOLEAN, FLOAT, VARCHAR } from '@duckdb/node-api';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { checkFreshness, fingerprintParams, recommendationInputs, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type Scratch, type TableRef } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { currentVectorSet, vectorsOf } from '../store/vectors.js';
import { buildSampleModel, MAP_PARAMS, placePoints, sampleRows, type MapParams } from './layout.js';
import { loadSampleModel, saveSampleModel, sampleModelKey } from './model.js';

export const STAGE_NAME = 'map';

/** Bumped when the layout is computed differently, so stored maps are recomputed. */
export const MAP_VERSION = 'map-2';

/** Share of new or removed texts up to which they are placed on the stored map instead of laying it out again. */
export const MAX_INCREMENTAL_SHARE = 0.1;

export interface MapOptions {
  /** Lay the whole map out again instead of placing new texts on the stored one. */
  all: boolean;
  /** Layout parameters (MAP_PARAMS by default; tests and benchmarks may override some). */
  params: Partial<MapParams>;
}

/**
 * What the stored layout depends on: the current recommendations (inputs: a change allows placing
 * the new ones on the stored map) and the method, its parameters and the embedding space (config: a
 * change means laying everything out again).
 */
async function mapFingerprint(store: Store, p: MapParams, current: CurrentEmbedding | null): Promise<Fingerprint> {
  return { inputs: await recommendationInputs(store), config: { version: MAP_VERSION, params: p, embedder: current?.id ?? null } };
}

const CURRENT_TEXTS = `
  SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents d USING (doc_id)`;

/**
 * The given texts (or every current text) in text_hash order, and where each one's vector is in the
 * run's shared vector set (store/vectors.ts: read once per process). The layout reads vectors by row
 * index, so the set is used in place: no copy of every vector (768 MB at 100,000 resolutions).
 */
async function readVectors(store: Store, current: CurrentEmbedding, only?: readonly string[]): Promise<{ hashes: string[]; data: Float32Array; rowOf: Int32Array }> {
  const set = only ? await vectorsOf(store, current, only) : await currentVectorSet(store, current);
  const wanted = only ?? (await store.columns<{ text_hash: string[] }>(CURRENT_TEXTS)).text_hash;
  const hashes = [...new Set(wanted)].filter((h) => set.rowOf.has(h)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { hashes, data: set.data, rowOf: Int32Array.from(hashes, (h) => set.rowOf.get(h)!) };
}

/** Current recommendations as (rec_id, text_hash): what rec_map rows must match. */
const CURRENT_RECS = `SELECT r.rec_id, r.text_hash FROM recommendations r JOIN current_documents d USING (doc_id)`;

/** Current recommendations not yet on the map. */
const UNPLACED = `SELECT r.rec_id, r.text_hash FROM recommendations r JOIN current_documents d USING (doc_id)
  WHERE r.rec_id NOT IN (SELECT rec_id FROM rec_map)`;

/** rec_map rows for texts at positions xy (n × 2): one row per current recommendation of each text. */
async function writePositions(
  store: Store,
  scratch: Scratch,
  hashes: readonly string[],
  xy: Float32Array,
  sampled: ReadonlySet<string>,
  runId: number,
  /** The recommendations not on the map (rec_id, text_hash): UNPLACED, or a table of them the caller knows. */
  unplaced: string = UNPLACED,
): Promise<number> {
  const positions = await scratch.table<{ text_hash: string; x: number; y: number; sampled: boolean }>('xy', {
    text_hash: VARCHAR,
    x: FLOAT,
    y: FLOAT,
    sampled: BOOLEAN,
  });
  await positions.appendValues(hashes.map((h, i) => [h, xy[2 * i], xy[2 * i + 1], sampled.has(h)]));
  const before = await store.scalar<number>(`SELECT count(*) FROM rec_map`);
  await store.run(
    `INSERT INTO rec_map SELECT u.rec_id, m.x, m.y, m.sampled, $1, u.text_hash
     FROM (${unplaced}) u JOIN ${positions.name} m USING (text_hash)`,
    [runId],
  );
  await scratch.drop(positions);
  return (await store.scalar<number>(`SELECT count(*) FROM rec_map`)) - before;
}

/**
 * Recommendations of texts already on the map (a re-segmented document, a copy) take their text's
 * position (every row of a text has the same). `unplaced`: the recommendations not on the map.
 */
async function placeKnownTexts(store: Store, runId: number, unplaced: string): Promise<void> {
  await store.run(
    `INSERT INTO rec_map SELECT u.rec_id, m.x, m.y, false, $1, u.text_hash
     FROM (${unplaced}) u
     JOIN (SELECT text_hash, any_value(x) AS x, any_value(y) AS y FROM rec_map WHERE text_hash IN (SELECT text_hash FROM (${unplaced})) GROUP BY text_hash) m
     USING (text_hash)`,
    [runId],
  );
}

/**
 * Few texts came or went since the stored layout: the new ones are placed among the stored sample
 * (with the sample's PCA and partitions as map_models keeps them, or fitted again from the sampled
 * texts when it has none for this sample: deterministic, the same model), removed ones dropped.
 * Returns null when a full layout is needed.
 */
async function placeIncrementally(store: Store, scratch: Scratch, current: CurrentEmbedding, p: MapParams, runId: number) {
  // What changed since the stored layout: the current recommendations and the map's rows side by
  // side, one full join on rec_id (unique in both), keeping only the rows that differ — a current
  // recommendation without a row (new), a row without one or with another text (gone). Everything
  // else is counted on those few rows; the map's and the recommendations' texts are only probed
  // with them (five joins over every row, two of them again in the writes, before: 0.5–0.9 s at 30k).
  const changed = await scratch.query(
    'changed',
    `SELECT c.rec_id, c.text_hash, m.rec_id AS map_rec, m.text_hash AS map_text, m.sampled
     FROM (${CURRENT_RECS}) c FULL OUTER JOIN rec_map m ON m.rec_id = c.rec_id
     WHERE c.rec_id IS NULL OR m.rec_id IS NULL OR c.text_hash IS DISTINCT FROM m.text_hash`,
  );
  const fresh = `SELECT rec_id, text_hash FROM ${changed.name} WHERE map_rec IS NULL`;
  // The texts of those rows that are on the map / current now (probing with the few rows' texts).
  const onMap = `SELECT DISTINCT text_hash FROM rec_map WHERE text_hash IN (SELECT text_hash FROM ${changed.name} WHERE rec_id IS NOT NULL)`;
  const stillCurrent = `SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents d USING (doc_id)
     WHERE r.text_hash IN (SELECT map_text FROM ${changed.name} WHERE sampled)`;
  const change = await store.one<{ n: number; gone: number; fresh_recs: number; known_text_recs: number; sample_gone: number; fresh_texts: string[] }>(
    `SELECT (SELECT count(DISTINCT text_hash) FROM rec_map) AS n,
            (SELECT count(*) FROM ${changed.name} WHERE map_rec IS NOT NULL) AS gone,
            (SELECT count(*) FROM (${fresh})) AS fresh_recs,
            (SELECT count(*) FROM (${fresh}) WHERE text_hash IN (${onMap})) AS known_text_recs,
            (SELECT count(DISTINCT map_text) FROM ${changed.name} WHERE sampled AND map_text NOT IN (${stillCurrent})) AS sample_gone,
            coalesce((SELECT list(DISTINCT text_hash ORDER BY text_hash) FROM ${changed.name}
                      WHERE rec_id IS NOT NULL AND text_hash NOT IN (${onMap})), []::VARCHAR[]) AS fresh_texts`,
  );
  if (!change || change.n === 0) return null;
  const { gone, fresh_recs: freshRecs, sample_gone: sampleGone } = change;
  const freshTexts = change.fresh_texts;
  // The sample must still be there (its texts define the space new points are placed in).
  if (sampleGone > 0 || freshRecs + gone > MAX_INCREMENTAL_SHARE * change.n) return null;
  // Rows of texts already on the map (a re-segmented document, a copy) to place by their text: none
  // when nothing is gone and every unplaced recommendation has a new text (counted in the same snapshot).
  const placeKnown = gone > 0 || change.known_text_recs > 0;
  // Once the gone rows are deleted, the current recommendations not on the map are exactly the
  // changed rows with a current side (new, or with another text than their deleted row).
  const unplaced = `SELECT rec_id, text_hash FROM ${changed.name} WHERE rec_id IS NOT NULL`;

  let placed = 0;
  let modelReused: boolean | null = null;
  if (freshTexts.length > 0) {
    const sample = await store.all<{ text_hash: string; x: number; y: number }>(
      `SELECT text_hash, any_value(x) AS x, any_value(y) AS y FROM rec_map WHERE sampled GROUP BY text_hash ORDER BY text_hash`,
    );
    const dim = Math.trunc(current.dim);
    const layout = Float32Array.from(sample.flatMap((s) => [s.x, s.y]));
    const hashes = sample.map((s) => s.text_hash);
    const key = sampleModelKey(MAP_VERSION, p, current.id, dim, hashes);
    let model = await loadSampleModel(store, key, layout);
    // The stored model serves while every sampled text still has its vector (as when it was fitted);
    // otherwise the model is fitted again from the vectors there are, as before it was kept. The row's
    // dim is its vector's length (embed and import write it so); len(vector) would read every vector.
    if (model) {
      const withVector = await store.scalar<number>(
        `SELECT count(DISTINCT text_hash) FROM embeddings WHERE embedder = $1 AND dim = ${dim} AND text_hash IN (SELECT text_hash FROM rec_map WHERE sampled)`,
        [current.id],
      );
      if (withVector !== hashes.length) model = null;
    }
    const refit = model === null;
    let complete = true;
    if (!model) {
      const sv = await readVectors(store, current, hashes);
      complete = sv.hashes.length === hashes.length;
      model = buildSampleModel(sv.data, dim, Array.from(sv.rowOf), p, layout);
    }
    const fresh = await readVectors(store, current, freshTexts);
    const xy = placePoints(model, fresh.data, dim, Array.from(fresh.rowOf), p);
    await store.transaction(async () => {
      // Nothing gone (counted above, same snapshot): no statement to find nothing among 75,000 rows.
      if (gone > 0) await deleteGone(store, changed);
      if (placeKnown) await placeKnownTexts(store, runId, unplaced);
      placed = await writePositions(store, scratch, fresh.hashes, xy, new Set(), runId, unplaced);
      if (refit && complete) await saveSampleModel(store, key, model!, runId);
    });
    modelReused = !refit;
  } else if (freshRecs + gone > 0) {
    await store.transaction(async () => {
      if (gone > 0) await deleteGone(store, changed);
      if (placeKnown) await placeKnownTexts(store, runId, unplaced);
    });
  }
  const total = await store.scalar<number>(`SELECT count(*) FROM rec_map`);
  const counts = { recommendations: total, new_texts: freshTexts.length, new_recommendations: freshRecs, removed: gone, placed_texts: placed, model_reused: modelReused, incremental: true };
  const line =
    freshRecs + gone === 0
      ? `map: nothing to do (${total} recommendation(s) on the map)`
      : `map: ${freshRecs} new recommendation(s) placed on the stored map (${freshTexts.length} new text(s)), ${gone} removed; ${total} on the map (lay out again with --all)`;
  return { counts, line };
}

/** Rows of recommendations no longer current, or whose text changed under the same rec_id (`changed`: placeIncrementally). */
async function deleteGone(store: Store, changed: TableRef): Promise<void> {
  await store.run(`DELETE FROM rec_map WHERE rec_id IN (SELECT map_rec FROM ${changed.name} WHERE map_rec IS NOT NULL)`);
}

/** The whole map laid out again: UMAP of a sample, the rest placed among it, rec_map replaced. */
async function layOutAll(store: Store, scratch: Scratch, current: CurrentEmbedding, p: MapParams, runId: number, ctx: StageContext<MapOptions>) {
  const started = Date.now();
  const dim = Math.trunc(current.dim);
  const progress = createProgress('map', 4, ctx);
  const { hashes, data, rowOf } = await readVectors(store, current);
  const readMs = Date.now() - started;
  progress.tick(1, 'sample layout');
  // Positions in `hashes` (text_hash order); the layout reads the vectors at rowOf[position].
  const rows = sampleRows(hashes, p.sample);
  const t0 = Date.now();
  const model = buildSampleModel(data, dim, rows.map((r) => rowOf[r]), p);
  const layoutMs = Date.now() - t0;
  progress.tick(1, 'placing');
  const inSample = new Set(rows);
  const rest = hashes.map((_, i) => i).filter((i) => !inSample.has(i));
  const t1 = Date.now();
  const placed = placePoints(model, data, dim, rest.map((r) => rowOf[r]), p);
  const placeMs = Date.now() - t1;
  const xy = new Float32Array(hashes.length * 2);
  rows.forEach((r, i) => xy.set(model.layout.subarray(2 * i, 2 * i + 2), 2 * r));
  rest.forEach((r, i) => xy.set(placed.subarray(2 * i, 2 * i + 2), 2 * r));
  progress.tick(1, 'writing');
  const sampledHashes = new Set(rows.map((r) => hashes[r]));
  const t2 = Date.now();
  const written = await store.transaction(async () => {
    await store.run('DELETE FROM rec_map');
    const n = await writePositions(store, scratch, hashes, xy, sampledHashes, runId);
    // Kept for the incremental runs that place new texts among this sample (model.ts).
    await saveSampleModel(store, sampleModelKey(MAP_VERSION, p, current.id, dim, rows.map((r) => hashes[r])), model, runId);
    return n;
  });
  progress.tick(1);
  progress.done();
  const unplaced = await store.scalar<number>(`SELECT count(*) FROM (${UNPLACED})`);
  const counts = {
    recommendations: written,
    texts: hashes.length,
    sampled: rows.length,
    without_vector: unplaced,
    read_ms: readMs,
    layout_ms: layoutMs,
    place_ms: placeMs,
    write_ms: Date.now() - t2,
  };
  const line =
    `map: ${written} recommendation(s) on the map (${hashes.length} distinct text(s): ` +
    (rows.length === hashes.length ? 'all laid out by UMAP)' : `UMAP of a sample of ${rows.length}, the rest placed among their nearest sampled neighbours)`) +
    (unplaced ? `; ${unplaced} without a vector left off` : '');
  return { counts, line };
}

/**
 * The map stage: a 2D position per current recommendation in `rec_map`, written in one transaction.
 * When only the recommendations changed since the last run (same parameters and embedding space) and
 * few of them, the new ones are placed on the stored map; otherwise (or with --all) it is laid out again.
 */
export const mapStage: PipelineStage<MapOptions> = {
  name: STAGE_NAME,
  after: ['segment', 'embed'],
  refresh: 'confrec map',
  flags: { all: { type: 'boolean' } },
  parseOptions: (values) => ({ all: values.all === true, params: {} }),
  fingerprint: async (store, o) => mapFingerprint(store, { ...MAP_PARAMS, ...o.params }, await currentEmbedding(store)),
  async run(store: Store, ctx: StageContext<MapOptions>) {
    const o = stageOptions(mapStage, ctx);
    const p: MapParams = { ...MAP_PARAMS, ...o.params };
    const current = await currentEmbedding(store);
    const fingerprint = await mapFingerprint(store, p, current);
    const freshness = await checkFreshness(store, STAGE_NAME, fingerprint);
    const params = { ...p, version: MAP_VERSION, embedder: current?.id ?? null, ...fingerprintParams(fingerprint) };
    return withRun(store, STAGE_NAME, params, async (runId) => {
      if (!current) {
        await store.transaction(() => store.run('DELETE FROM rec_map'));
        return { counts: { recommendations: 0 }, line: 'map: skipped (no embeddings yet: run `confrec embed`)' };
      }
      return withScratch(store, STAGE_NAME, async (scratch) => {
        // Same method and space as the stored map: new recommendations can be placed on it.
        if (!o.all && (freshness.status === 'fresh' || freshness.status === 'inputs-changed')) {
          const inc = await placeIncrementally(store, scratch, current, p, runId);
          if (inc) return inc;
        }
        return layOutAll(store, scratch, current, p, runId, ctx);
      });
    });
  },
};

/**
 * The map stage: a 2D position for every current recommendation (rec_map), for the explorer's map.
 * Computed once here, not in the browser, so every reader sees the same picture and the page only
 * draws. One point per distinct proposal text: recommendations with the same proposal share it.
 */
import { createHash } from 'node:crypto';
import { BOOLEAN, FLOAT, INTEGER, VARCHAR } from '@duckdb/node-api';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { readVectorRows } from './read-vectors.js';
import { buildSampleModel, MAP_PARAMS, placePoints, sampleRows, type MapParams } from './layout.js';

export const STAGE_NAME = 'map';

/** Bumped when the layout is computed differently, so stored maps are recomputed. */
export const MAP_VERSION = 'map-1';

/** Share of new or removed texts up to which they are placed on the stored map instead of laying it out again. */
export const MAX_INCREMENTAL_SHARE = 0.1;

/** What the stored layout depends on besides the texts: method, parameters and the embedding space. */
export function mapFingerprint(p: MapParams, embedderId: string): string {
  return createHash('sha256').update(JSON.stringify({ v: MAP_VERSION, p, embedderId })).digest('hex').slice(0, 16);
}

const CURRENT_TEXTS = `
  SELECT DISTINCT r.text_hash FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`;

/** Vectors of the given texts (or of every current text), in text_hash order, straight from the column reader. */
async function readVectors(store: Store, current: CurrentEmbedding, only?: readonly string[]): Promise<{ hashes: string[]; data: Float32Array }> {
  const dim = Math.trunc(current.dim);
  let source = `(${CURRENT_TEXTS})`;
  if (only) {
    await store.run(`CREATE OR REPLACE TEMP TABLE map_only (text_hash VARCHAR)`);
    await store.append('map_only', [VARCHAR], only.map((h) => [h]));
    source = 'map_only';
  }
  const rows = await readVectorRows(
    store,
    `SELECT e.text_hash, e.vector FROM embeddings e JOIN ${source} t USING (text_hash)
     WHERE e.embedder = $1 AND len(e.vector) = ${dim} ORDER BY e.text_hash`,
    [current.id],
    dim,
  );
  if (only) await store.run(`DROP TABLE map_only`);
  return { hashes: rows.keys, data: rows.data };
}

async function lastRun(store: Store): Promise<{ fingerprint: string | null } | null> {
  const row = await store.one<{ fp: string | null }>(
    `SELECT json_extract_string(params, '$.fingerprint') AS fp FROM runs WHERE stage = $1 AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
    [STAGE_NAME],
  );
  return row ? { fingerprint: row.fp } : null;
}

/** rec_map rows for texts at positions xy (n × 2): one row per current recommendation of each text. */
async function writePositions(store: Store, hashes: readonly string[], xy: Float32Array, sampled: ReadonlySet<string>, runId: number): Promise<number> {
  await store.run(`CREATE OR REPLACE TEMP TABLE map_xy (text_hash VARCHAR, x FLOAT, y FLOAT, sampled BOOLEAN)`);
  await store.append(
    'map_xy',
    [VARCHAR, FLOAT, FLOAT, BOOLEAN],
    hashes.map((h, i) => [h, xy[2 * i], xy[2 * i + 1], sampled.has(h)]),
  );
  const before = await store.scalar<number>(`SELECT count(*) FROM rec_map`);
  await store.run(
    `INSERT INTO rec_map SELECT r.rec_id, m.x, m.y, m.sampled, $1, r.text_hash
     FROM recommendations r JOIN documents d USING (doc_id) JOIN map_xy m USING (text_hash)
     WHERE d.is_current AND r.rec_id NOT IN (SELECT rec_id FROM rec_map)`,
    [runId],
  );
  await store.run(`DROP TABLE map_xy`);
  return (await store.scalar<number>(`SELECT count(*) FROM rec_map`)) - before;
}

/**
 * Few texts came or went since the stored layout: the new ones are placed among the stored sample
 * (PCA and partitions re-derived from the sampled texts, which are deterministic), removed ones
 * dropped. Returns null when a full layout is needed.
 */
async function placeIncrementally(store: Store, current: CurrentEmbedding, p: MapParams, runId: number) {
  const stored = await store.one<{ n: number; sampled: number }>(
    `SELECT count(DISTINCT text_hash) AS n, count(DISTINCT text_hash) FILTER (WHERE sampled) AS sampled FROM rec_map`,
  );
  if (!stored || stored.n === 0) return null;
  const gone = await store.scalar<number>(
    `SELECT count(*) FROM rec_map m ANTI JOIN (SELECT r.rec_id, r.text_hash FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current) c USING (rec_id, text_hash)`,
  );
  const freshTexts = (
    await store.all<{ text_hash: string }>(`SELECT text_hash FROM (${CURRENT_TEXTS}) WHERE text_hash NOT IN (SELECT text_hash FROM rec_map) ORDER BY text_hash`)
  ).map((r) => r.text_hash);
  const freshRecs = await store.scalar<number>(
    `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current AND r.rec_id NOT IN (SELECT rec_id FROM rec_map)`,
  );
  // The sample must still be there (its texts define the space new points are placed in).
  const sampleGone = await store.scalar<number>(
    `SELECT count(DISTINCT text_hash) FROM rec_map WHERE sampled AND text_hash NOT IN (${CURRENT_TEXTS})`,
  );
  if (sampleGone > 0 || freshRecs + gone > MAX_INCREMENTAL_SHARE * stored.n) return null;

  let placed = 0;
  if (freshTexts.length > 0) {
    const sample = await store.all<{ text_hash: string; x: number; y: number }>(
      `SELECT text_hash, any_value(x) AS x, any_value(y) AS y FROM rec_map WHERE sampled GROUP BY text_hash ORDER BY text_hash`,
    );
    const sv = await readVectors(store, current, sample.map((s) => s.text_hash));
    const layout = Float32Array.from(sample.flatMap((s) => [s.x, s.y]));
    const model = buildSampleModel(sv.data, Math.trunc(current.dim), sample.map((_, i) => i), p, layout);
    const fresh = await readVectors(store, current, freshTexts);
    const xy = placePoints(model, fresh.data, Math.trunc(current.dim), fresh.hashes.map((_, i) => i), p);
    await store.transaction(async () => {
      await deleteGone(store);
      // Recommendations of known texts (a re-segmented document, a copy) take their text's position.
      await store.run(
        `INSERT INTO rec_map SELECT r.rec_id, m.x, m.y, false, $1, r.text_hash
         FROM recommendations r JOIN documents d USING (doc_id)
         JOIN (SELECT text_hash, any_value(x) AS x, any_value(y) AS y FROM rec_map GROUP BY text_hash) m USING (text_hash)
         WHERE d.is_current AND r.rec_id NOT IN (SELECT rec_id FROM rec_map)`,
        [runId],
      );
      placed = await writePositions(store, fresh.hashes, xy, new Set(), runId);
    });
  } else if (freshRecs + gone > 0) {
    await store.transaction(async () => {
      await deleteGone(store);
      await store.run(
        `INSERT INTO rec_map SELECT r.rec_id, m.x, m.y, false, $1, r.text_hash
         FROM recommendations r JOIN documents d USING (doc_id)
         JOIN (SELECT text_hash, any_value(x) AS x, any_value(y) AS y FROM rec_map GROUP BY text_hash) m USING (text_hash)
         WHERE d.is_current AND r.rec_id NOT IN (SELECT rec_id FROM rec_map)`,
        [runId],
      );
    });
  }
  const total = await store.scalar<number>(`SELECT count(*) FROM rec_map`);
  const counts = { recommendations: total, new_texts: freshTexts.length, new_recommendations: freshRecs, removed: gone, placed_texts: placed, incremental: true };
  const line =
    freshRecs + gone === 0
      ? `map: nothing to do (${total} recommendation(s) on the map)`
      : `map: ${freshRecs} new recommendation(s) placed on the stored map (${freshTexts.length} new text(s)), ${gone} removed; ${total} on the map (lay out again with --all)`;
  return { counts, line };
}

/** Rows of recommendations no longer current, or whose text changed under the same rec_id. */
async function deleteGone(store: Store): Promise<void> {
  await store.run(
    `DELETE FROM rec_map WHERE rec_id IN (
       SELECT m.rec_id FROM rec_map m
       ANTI JOIN (SELECT r.rec_id, r.text_hash FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current) c USING (rec_id, text_hash))`,
  );
}

export const mapStage: PipelineStage = {
  name: STAGE_NAME,
  async run(store: Store, ctx: StageContext) {
    const p: MapParams = { ...MAP_PARAMS, ...((ctx.options.mapParams as Partial<MapParams>) ?? {}) };
    const current = await currentEmbedding(store);
    const fingerprint = current ? mapFingerprint(p, current.id) : null;
    const params = { ...p, version: MAP_VERSION, embedder: current?.id ?? null, fingerprint };
    const last = await lastRun(store);
    return withRun(store, STAGE_NAME, params, async (runId) => {
      if (!current) {
        await store.transaction(() => store.run('DELETE FROM rec_map'));
        return { counts: { recommendations: 0 }, line: 'map: skipped (no embeddings yet: run `confrec embed`)' };
      }
      if (!ctx.options.all && last?.fingerprint === fingerprint) {
        const inc = await placeIncrementally(store, current, p, runId);
        if (inc) return inc;
      }
      const started = Date.now();
      const dim = Math.trunc(current.dim);
      const progress = createProgress('map', 4, ctx);
      const { hashes, data } = await readVectors(store, current);
      const readMs = Date.now() - started;
      progress.tick(1, 'sample layout');
      const rows = sampleRows(hashes, p.sample);
      const t0 = Date.now();
      const model = buildSampleModel(data, dim, rows, p);
      const layoutMs = Date.now() - t0;
      progress.tick(1, 'placing');
      const inSample = new Set(rows);
      const rest = hashes.map((_, i) => i).filter((i) => !inSample.has(i));
      const t1 = Date.now();
      const placed = placePoints(model, data, dim, rest, p);
      const placeMs = Date.now() - t1;
      const xy = new Float32Array(hashes.length * 2);
      rows.forEach((r, i) => xy.set(model.layout.subarray(2 * i, 2 * i + 2), 2 * r));
      rest.forEach((r, i) => xy.set(placed.subarray(2 * i, 2 * i + 2), 2 * r));
      progress.tick(1, 'writing');
      const sampledHashes = new Set(rows.map((r) => hashes[r]));
      const t2 = Date.now();
      const written = await store.transaction(async () => {
        await store.run('DELETE FROM rec_map');
        return writePositions(store, hashes, xy, sampledHashes, runId);
      });
      progress.tick(1);
      progress.done();
      const unplaced = await store.scalar<number>(
        `SELECT count(*) FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current AND r.rec_id NOT IN (SELECT rec_id FROM rec_map)`,
      );
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
    });
  },
};

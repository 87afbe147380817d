/**
 * The map's sample model kept in the database (map_models), so that placing a few new texts on the
 * stored map does not fit the PCA and the partitions of the sample again (0.8 s of PCA and 0.2 s of
 * k-means on every re-run at 10,000 resolutions). The model is a pure function of the sampled texts'
 * vectors and the parameters (layout.ts: buildSampleModel), so the stored one is exactly the one a
 * refit gives as long as the key matches: same map version, parameters, embedding space (whose id
 * fixes each text's vector), dimension and sampled texts.
 */
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { sha256Hex } from '../store/hash.js';
import { partitionLabels, partitionMembers, type MapParams, type SampleModel } from './layout.js';

/** What a stored model must match: the map version, parameters, space, dimension and sampled texts (in text_hash order). */
export function sampleModelKey(version: string, p: MapParams, embedder: string, dim: number, sampleHashes: readonly string[]): string {
  const params = Object.fromEntries(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : 1)));
  return sha256Hex(JSON.stringify({ version, params, embedder, dim }) + '\n' + sampleHashes.join('\n'));
}

// Typed arrays are stored as their raw bytes; every platform Node runs on is little-endian.
function blob(a: Float32Array | Float64Array | Int32Array): DuckDBBlobValue {
  return new DuckDBBlobValue(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function typed<T extends Float32Array | Float64Array | Int32Array>(value: unknown, Ctor: { new (b: ArrayBuffer): T }): T {
  const bytes = (value as DuckDBBlobValue).bytes;
  // Copy into a fresh, aligned buffer: the blob's bytes may start at any offset.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Ctor(copy.buffer);
}

/** Replaces the stored model (inside the caller's transaction). */
export async function saveSampleModel(store: Store, key: string, model: SampleModel, runId: number): Promise<void> {
  const { pca } = model;
  const m = model.layout.length / 2;
  await store.run('DELETE FROM map_models');
  await store.run(
    `INSERT INTO map_models (model_key, dim, components, n_sample, mean, axes, reduced, centroids, partition, run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [key, pca.dim, pca.components, m, blob(pca.mean), blob(pca.axes), blob(model.reduced), blob(model.centroids), blob(partitionLabels(model.members, m)), runId],
  );
}

/**
 * The stored model under `key`, completed with the sample's 2D positions (`layout`, from rec_map, in
 * the same text_hash order), or null when there is none for this key or it does not fit the layout.
 */
export async function loadSampleModel(store: Store, key: string, layout: Float32Array): Promise<SampleModel | null> {
  // Raw values (not `store.all`): the blobs must stay bytes.
  const reader = await store.conn.runAndReadAll(
    `SELECT dim, components, n_sample, mean, axes, reduced, centroids, partition FROM map_models WHERE model_key = $1 LIMIT 1`,
    [key],
  );
  const row = reader.getRows()[0];
  if (!row) return null;
  const [dim, components, nSample, mean, axes, reduced, centroids, partition] = row;
  const m = Number(nSample);
  const k = Number(components);
  if (m * 2 !== layout.length) return null;
  const labels = typed(partition, Int32Array);
  const c = typed(centroids, Float32Array);
  return {
    pca: { dim: Number(dim), components: k, mean: typed(mean, Float64Array), axes: typed(axes, Float64Array) },
    reduced: typed(reduced, Float32Array),
    layout,
    centroids: c,
    members: partitionMembers(labels, c.length / Math.max(1, k)),
  };
}

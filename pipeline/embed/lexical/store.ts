import { DuckDBBlobValue } from '@duckdb/node-api';
import type { Store } from '../../store/db.js';
import { LEXICAL_FIT_TEXTS } from '../../store/columns.js';
import { paramsKey, type LexicalModelData, type LexicalParams } from './model.js';

// Typed arrays are stored as their raw bytes; every platform Node runs on is little-endian.
function bytesOf(a: Float32Array | Float64Array): DuckDBBlobValue {
  return new DuckDBBlobValue(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function floats<T extends Float32Array | Float64Array>(
  blob: unknown,
  Ctor: { new (b: ArrayBuffer): T; new (b: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
): T {
  const bytes = (blob as DuckDBBlobValue).bytes;
  // A view of the blob's own bytes when they are aligned (the blob value is this function's alone:
  // copying a 6.5 MB projection again cost ≈ 50 ms of each stage that opens the space).
  if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 && bytes.byteLength % Ctor.BYTES_PER_ELEMENT === 0) {
    return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  // Otherwise a copy into a fresh, aligned buffer: the blob's bytes may start at any offset.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Ctor(copy.buffer);
}

/**
 * The model each open Store last saved or loaded in this process. The stages after embed in one run
 * (themes embeds its seed phrases) open the space embed has just fitted; reading its projection back
 * cost 0.2–0.6 s per stage at 20,000 recommendations. Only ever used for the id the table names as
 * the newest (a rolled-back save, or a model written by another process, is simply not found here).
 */
const kept = new WeakMap<Store, LexicalModelData>();

export async function saveLexicalModel(store: Store, m: LexicalModelData, runId: number | null): Promise<void> {
  // DELETE + INSERT rather than INSERT OR REPLACE: the same row, but OR REPLACE took 1.0–1.5 s for
  // the 6.5 MB projection where a plain INSERT takes 0.2–0.4 s (DuckDB 1.5, 20,000 recommendations).
  await store.run(`DELETE FROM lexical_models WHERE model_id = $1`, [m.id]);
  await store.run(
    `INSERT INTO lexical_models
       (model_id, corpus_hash, params, n_texts, dim, n_features, n_word_features, features, idf, projection, fitted_at, run_id)
     VALUES ($1, $2, $3::JSON, $4, $5, $6, $7, $8, $9, $10, now()::TIMESTAMP, $11)`,
    [
      m.id,
      m.corpusHash,
      paramsKey(m.params),
      m.nTexts,
      m.params.dim,
      m.features.length,
      m.nWordFeatures,
      m.features.join('\n'),
      bytesOf(m.idf),
      bytesOf(m.projection),
      runId,
    ],
  );
  kept.set(store, m);
}

export async function deleteLexicalModel(store: Store, id: string): Promise<void> {
  await store.run(`DELETE FROM lexical_models WHERE model_id = $1`, [id]);
  await store.run(`DELETE FROM lexical_fit_texts WHERE model_id = $1`, [id]);
}

/** Records which texts a space was fitted on. */
export async function saveFitTexts(store: Store, id: string, hashes: readonly string[]): Promise<void> {
  await store.run(`DELETE FROM lexical_fit_texts WHERE model_id = $1`, [id]);
  await store.append(LEXICAL_FIT_TEXTS, hashes.map((h) => ({ model_id: id, text_hash: h })));
}

export async function loadFitTexts(store: Store, id: string): Promise<Set<string>> {
  // As a column: DuckDB's row objects for 72,654 hashes cost ≈ 0.15 s.
  return new Set((await store.columns<{ text_hash: string[] }>(`SELECT text_hash FROM lexical_fit_texts WHERE model_id = $1`, [id])).text_hash);
}

/**
 * The newest model fitted with these parameters (models with other parameters live in other spaces
 * and are never mixed in), or undefined.
 */
export async function loadLexicalModel(store: Store, params: LexicalParams): Promise<LexicalModelData | undefined> {
  // The newest model's id first (a few bytes): the blobs are read only when it is not the one kept.
  const newest = await store.one<{ model_id: string; corpus_hash: string; n_texts: number }>(
    `SELECT model_id, corpus_hash, n_texts FROM lexical_models WHERE params::VARCHAR = $1
      ORDER BY fitted_at DESC, model_id LIMIT 1`,
    [paramsKey(params)],
  );
  if (!newest) return undefined;
  const known = kept.get(store);
  if (known && known.id === newest.model_id && known.corpusHash === newest.corpus_hash && known.nTexts === Number(newest.n_texts) && paramsKey(known.params) === paramsKey(params)) {
    return known;
  }
  // Raw values (not `store.all`): the blobs must stay bytes.
  const reader = await store.conn.runAndReadAll(
    `SELECT model_id, corpus_hash, params::VARCHAR AS params, n_texts, n_word_features, features, idf, projection
       FROM lexical_models WHERE model_id = $1`,
    [newest.model_id],
  );
  const row = reader.getRows()[0];
  if (!row) return undefined;
  const [id, corpusHash, p, nTexts, nWord, features, idf, projection] = row;
  const text = String(features);
  const data: LexicalModelData = {
    id: String(id),
    corpusHash: String(corpusHash),
    params: JSON.parse(String(p)) as LexicalParams,
    nTexts: Number(nTexts),
    features: text.length ? text.split('\n') : [],
    nWordFeatures: Number(nWord),
    idf: floats(idf, Float64Array),
    projection: floats(projection, Float32Array),
  };
  kept.set(store, data);
  return data;
}

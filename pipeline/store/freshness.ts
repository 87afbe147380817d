/**
 * "Is this stage's output fresh?", decided in one place. Every stage declares one fingerprint of
 * everything its output depends on (its folder's fingerprint.ts): `inputs` (what it was computed
 * from: the current recommendations, the texts, the upstream runs) and `config` (how: code version,
 * embedder, thresholds, the data files it reads — themes.json, synonyms.json, calibrations). The
 * stage records it with its run; `checkFreshness` compares it with the last successful run:
 *   fresh             nothing to do, the stored output is what a run would write;
 *   inputs-changed    same config: a stage may bring its output up to date incrementally;
 *   config-changed    recompute everything;
 *   never-ran         no successful run (or one recorded before fingerprints existed).
 * Reader commands ask pipeline/freshness.ts (stageFreshness), which uses the same declarations.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Store } from './db.js';

export interface Fingerprint {
  /** What the output was computed from. A change here allows an incremental update. */
  inputs: Record<string, unknown>;
  /** How it was computed. A change here means recomputing everything. */
  config: Record<string, unknown>;
}

export type FreshnessStatus = 'fresh' | 'inputs-changed' | 'config-changed' | 'never-ran';

export interface Comparison {
  status: FreshnessStatus;
  /** The fingerprint parts that differ ("config.synonyms", "inputs.recommendations"), for messages. */
  changed: string[];
}

export interface LastRun {
  runId: number;
  params: Record<string, unknown>;
  counts: Record<string, unknown>;
  /** null for a run recorded before fingerprints (it counts as never run: everything is recomputed). */
  fingerprint: Fingerprint | null;
}

export interface Freshness extends Comparison {
  last: LastRun | null;
  now: Fingerprint;
}

/** JSON with sorted keys: equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A short stable name of a fingerprint (what runs.params.fingerprint_key holds). */
export function fingerprintKey(fp: Fingerprint): string {
  return createHash('sha256').update(canonicalJson(fp)).digest('hex').slice(0, 16);
}

function isFingerprint(v: unknown): v is Fingerprint {
  return !!v && typeof v === 'object' && typeof (v as Fingerprint).inputs === 'object' && typeof (v as Fingerprint).config === 'object';
}

/** The differing keys of two records, as "<part>.<key>". */
function differences(part: string, a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)).map((k) => `${part}.${k}`);
}

/** The one comparison: a fingerprint now against the one a run recorded. Pure. */
export function compareFingerprints(last: Fingerprint | null, now: Fingerprint): Comparison {
  if (!last) return { status: 'never-ran', changed: [] };
  const config = differences('config', last.config, now.config);
  if (config.length) return { status: 'config-changed', changed: config };
  const inputs = differences('inputs', last.inputs, now.inputs);
  if (inputs.length) return { status: 'inputs-changed', changed: inputs };
  return { status: 'fresh', changed: [] };
}

/** The latest successful run of a stage (latest_runs), with the fingerprint it recorded. */
export async function lastSuccessfulRun(store: Store, stage: string): Promise<LastRun | null> {
  const row = await store.one<{ run_id: number; params: string | null; counts: string | null }>(
    `SELECT run_id, params::VARCHAR AS params, counts::VARCHAR AS counts FROM latest_runs WHERE stage = $1`,
    [stage],
  );
  if (!row) return null;
  const params = JSON.parse(row.params ?? '{}') as Record<string, unknown>;
  return {
    runId: row.run_id,
    params,
    counts: JSON.parse(row.counts ?? '{}') as Record<string, unknown>,
    fingerprint: isFingerprint(params.fingerprint) ? params.fingerprint : null,
  };
}

/** Compares a stage's fingerprint now with its last successful run. */
export async function checkFreshness(store: Store, stage: string, now: Fingerprint): Promise<Freshness> {
  const last = await lastSuccessfulRun(store, stage);
  return { ...compareFingerprints(last?.fingerprint ?? null, now), last, now };
}

/** What a run records in runs.params so the next comparison can be made. */
export function fingerprintParams(fp: Fingerprint): { fingerprint: Fingerprint; fingerprint_key: string } {
  return { fingerprint: fp, fingerprint_key: fingerprintKey(fp) };
}

// --- the parts fingerprints are made of ------------------------------------------------------------

export type RecommendationInputs = { recommendations: string; segment_run: number };

/**
 * Stores whose recommendations and documents are settled for the rest of a command (`confrec run`
 * after segment: no later stage writes either table), with their input signature once computed.
 */
const settled = new WeakMap<Store, Promise<RecommendationInputs> | null>();

/**
 * Declares that nothing writes `recommendations` or `documents` through this store any more
 * (`confrec run` calls it after segment), so recommendationInputs is computed once for the five
 * stages that ask (0.05–0.2 s each at 10k) instead of five times over the same rows. Called again
 * (or `unsettle`) when that no longer holds.
 */
export function settleRecommendations(store: Store): void {
  settled.set(store, null);
}

/** Undoes settleRecommendations: every call computes the signature again. */
export function unsettleRecommendations(store: Store): void {
  settled.delete(store);
}

/**
 * The input of every stage after segment: the current recommendations, by (rec_id, text_hash), and
 * the newest segment run behind them (the watermark: a re-segmented document keeps its rec_ids, not
 * its texts, and its recommendations are new work downstream).
 */
export async function recommendationInputs(store: Store): Promise<RecommendationInputs> {
  if (!settled.has(store)) return computeRecommendationInputs(store);
  let memo = settled.get(store);
  if (!memo) {
    memo = computeRecommendationInputs(store);
    settled.set(store, memo);
    // A failed computation is not kept.
    const mine = memo;
    mine.catch(() => {
      if (settled.get(store) === mine) settled.set(store, null);
    });
  }
  return memo;
}

async function computeRecommendationInputs(store: Store): Promise<RecommendationInputs> {
  // Order-free: the count and the XOR of 64-bit hashes of (rec_id, text_hash), not md5 of a sorted
  // list — five stages compute this on every run, and the sort of 75,000 strings took 0.3–0.5 s each
  // (1–2 s under load) against 0.05 s. Two sets meet by chance with odds of 2⁻⁶⁴; a new DuckDB whose
  // hash differs only makes every stage see its inputs changed once. See rowHash for why one string.
  const row = await store.one<{ sig: string | null; watermark: number | null }>(
    `SELECT CASE WHEN count(*) = 0 THEN NULL ELSE count(*) || ':' || bit_xor(${rowHash('r.rec_id', 'r.text_hash')}) END AS sig, max(r.run_id) AS watermark
     FROM recommendations r JOIN current_documents d USING (doc_id)`,
  );
  return { recommendations: row?.sig ?? 'empty', segment_run: row?.watermark ?? 0 };
}

/**
 * SQL for a 64-bit hash of one row's values, to be summed by XOR (bit_xor) into an order-free
 * signature of a set of rows. The values are joined into ONE string first: DuckDB's hash of several
 * arguments combines them so that its last argument enters linearly (XOR), and a XOR over rows then
 * cancels the same change made in two rows — two recommendations of one group renamed from one
 * addressee entity to another left the sum unchanged (seen on 10k). NULL is written as chr(30) so
 * that it differs from ''; values are separated by chr(31).
 */
export function rowHash(...values: string[]): string {
  return `hash(concat_ws(chr(31), ${values.map((v) => `coalesce(CAST(${v} AS VARCHAR), chr(30))`).join(', ')}))`;
}

/** The segment watermark a stage's run recorded in its inputs, or null. */
export function watermarkOf(last: LastRun | null): number | null {
  const w = last?.fingerprint?.inputs.segment_run;
  return typeof w === 'number' ? w : null;
}

/** Any JSON-able value by content (sha256 of its canonical JSON, 16 hex digits): theme definitions, parameters. */
export function valueFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** A data file a stage reads, by content (sha256, 16 hex digits); 'missing' when it is not there. */
export function fileFingerprint(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return 'missing';
  }
}

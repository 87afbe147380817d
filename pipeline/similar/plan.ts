import { config } from '../config.js';
import { currentEmbedding, type CurrentEmbedding } from '../embed/current.js';
import type { Store } from '../store/db.js';
import { fileFingerprint, recommendationInputs, type Fingerprint } from '../store/freshness.js';
import { embedderFamily } from '../themes/calibration.js';
import { nearDuplicateThreshold } from './calibration/thresholds.js';
import type { NearDuplicateOptions } from './options.js';
import { candidateProbability, lshParams, type LshParams } from './pairs/lsh.js';
import type { PairMethod } from './pairs/pairs.js';

/** Bumped when pairs or groups are computed differently, so stored results are recomputed. */
export const SIMILAR_VERSION = 'similar-3';

/**
 * Below this many distinct texts every pair is compared: exact, and under a second (500,000
 * cosines). Above it the exhaustive cost grows with the square and LSH wins: on 2,196 synthetic
 * texts exhaustive took 2.7 s against 0.4 s for LSH (recall 0.993); on 4,000, 8 s.
 */
export const EXHAUSTIVE_BELOW = 1000;

/** Everything a near-duplicate run is decided by, worked out once, and its fingerprint. */
export interface NearDuplicatePlan {
  current: CurrentEmbedding | null;
  family: string;
  threshold: number;
  thresholdSource: 'option' | 'calibrated' | 'default';
  /**
   * Distinct current texts with a vector in the current space, counted up to EXHAUSTIVE_BELOW (what
   * chooses the method with --method auto); null when the method was given.
   */
  texts: number | null;
  method: PairMethod | 'text_hash';
  lsh: LshParams | null;
  fingerprint: Fingerprint;
}

/**
 * Distinct current texts with a vector of `dim` numbers in the current space, counted up to `cap`:
 * all that decides the pair method is whether there are fewer than EXHAUSTIVE_BELOW, so the count
 * stops there (DuckDB ends the join at the LIMIT: 0.2 s instead of 0.8 s at 10k, cold). Zero vectors
 * (texts with no feature the embedder knows; rare) are counted too, although staging leaves them
 * out: checking for them reads every vector (0.6 s instead of 0.05 s on 7,500 texts), and a few
 * texts more or less only move where exhaustive gives way to LSH. The length is the dim column,
 * written with each vector by embed and import (which checks it): len(vector) made DuckDB read every
 * vector, the only read of them in a full `confrec run` (1.3 s at 10k, cold).
 */
export async function countTexts(store: Store, dim: number, cap: number): Promise<number> {
  return store.scalar<number>(
    `SELECT count(*) FROM (
       SELECT 1 FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) t
       JOIN current_embeddings e USING (text_hash) WHERE e.dim = $1 LIMIT $2)`,
    [Math.trunc(dim), Math.trunc(cap)],
  );
}

/**
 * The similar stage's declared fingerprint: inputs are the current recommendations; config is the
 * code version, the embedding space, the threshold (calibrated per family in
 * data/near-duplicate-calibration.json, or the option), the pair method and LSH parameters, the
 * synonym groups of the containment criterion (data/synonyms.json, by content) and the copy cap.
 */
export async function planNearDuplicates(store: Store, o: NearDuplicateOptions): Promise<NearDuplicatePlan> {
  const current = await currentEmbedding(store);
  const family = embedderFamily(current?.id ?? null);
  const cut = o.threshold !== undefined ? { threshold: o.threshold, calibrated: false } : await nearDuplicateThreshold(family);
  const thresholdSource = o.threshold !== undefined ? 'option' : cut.calibrated ? 'calibrated' : 'default';
  const texts = current && o.method === 'auto' ? await countTexts(store, current.dim, EXHAUSTIVE_BELOW) : null;
  const method: PairMethod | 'text_hash' = !current ? 'text_hash' : o.method !== 'auto' ? o.method : texts! < EXHAUSTIVE_BELOW ? 'exhaustive' : 'lsh';
  const lsh = current && method === 'lsh' ? lshParams(cut.threshold, current.dim, o.lsh) : null;
  const fingerprint: Fingerprint = {
    inputs: await recommendationInputs(store),
    config: {
      version: SIMILAR_VERSION,
      embedder: current?.id ?? null,
      threshold: cut.threshold,
      method,
      lsh: lsh && { ...lsh, expected_recall_at_threshold: Number(candidateProbability(cut.threshold, lsh.bitsPerBand, lsh.bands).toFixed(4)) },
      synonyms: fileFingerprint(config.synonymsFile),
      max_copies_per_document: config.nearDuplicates.maxCopiesPerDocument,
    },
  };
  return { current, family, threshold: cut.threshold, thresholdSource, texts, method, lsh, fingerprint };
}

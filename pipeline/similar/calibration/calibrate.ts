import { relative } from 'node:path';
import { ROOT } from '../../config.js';
import { currentEmbedding, openCurrentEmbedder } from '../../embed/current.js';
import { mulberry32 } from '../../math/prng.js';
import { cosine } from '../../math/vectors.js';
import { ConfrecError } from '../../errors.js';
import { silentLogger, type Logger } from '../../progress.js';
import type { Store } from '../../store/db.js';
import { embedderFamily } from '../../themes/calibration.js';
import { saveNearDuplicateCalibration, NEAR_DUPLICATE_CALIBRATION_FILE, type NearDuplicateCalibration } from './thresholds.js';
import { EDIT_KINDS, editText, splice } from './edits.js';
import { fitThreshold, shareAbove, type ScoredPair } from './fit-threshold.js';

export interface CalibrateOptions {
  seed?: number;
  /** Recommendations used as originals (a seeded sample when the corpus has more). */
  maxBases?: number;
  /** Random other recommendations paired with each original as negatives. */
  randomNegatives?: number;
  modelDir?: string;
  log?: Logger;
  /** Write the result to the calibration file (default true). */
  save?: boolean;
  file?: string;
}

export interface CalibrationResult {
  family: string;
  entry: NearDuplicateCalibration;
  pairs: ScoredPair[];
}

const BATCH = 256;
/** Precision counts twice as much as recall (F0.5): see fitThreshold. */
export const CALIBRATION_BETA = 0.5;

async function corpusLabel(store: Store): Promise<string> {
  const row = await store.one<{ docs: number; recs: number }>(
    `SELECT count(DISTINCT doc_id) AS docs, count(*) AS recs FROM recommendations JOIN current_documents USING (doc_id)`,
  );
  const dirs = await store.all<{ dir: string }>(
    `SELECT DISTINCT json_extract_string(params, '$.dir') AS dir FROM runs WHERE stage = 'ingest' AND status = 'ok' ORDER BY dir`,
  );
  const where = dirs.map((d) => (d.dir.startsWith(ROOT) ? relative(ROOT, d.dir) : d.dir)).join(', ');
  return `${row?.docs ?? 0} document(s), ${row?.recs ?? 0} recommendation(s)${where ? ` from ${where}` : ''}`;
}

/**
 * Chooses the near-duplicate threshold for the current embedder family from labelled pairs made out
 * of the corpus itself. Positives: each original against its edited variants (a word dropped, a
 * synonym swapped, a phrase added, the word order changed, two of these). Negatives: each original
 * against random other recommendations and against a half-splice with another one. The cut with the
 * best F0.5 is saved per family; the embedder is the one that made the stored vectors.
 */
export async function calibrateNearDuplicates(store: Store, opts: CalibrateOptions = {}): Promise<CalibrationResult> {
  const log = opts.log ?? silentLogger;
  const seed = opts.seed ?? 1;
  const current = await currentEmbedding(store);
  if (!current) throw new ConfrecError('no embeddings to calibrate on', { hint: 'run `confrec run <folder>` or `confrec embed` first' });
  const embedder = await openCurrentEmbedder(store, current, { modelDir: opts.modelDir }, log);
  if (!embedder) throw new ConfrecError(`cannot open the embedder that made the stored vectors (${current.id})`, { hint: 're-run `confrec embed`' });
  try {
    const rand = mulberry32(seed);
    const all = (
      await store.all<{ text: string }>(
        `SELECT any_value(coalesce(r.proposal, r.text) ORDER BY r.rec_id) AS text FROM recommendations r JOIN current_documents USING (doc_id)
         GROUP BY r.text_hash ORDER BY r.text_hash`,
      )
    ).map((r) => r.text);
    if (all.length < 3) throw new ConfrecError('too few recommendations to calibrate on (need at least 3 different texts)');
    const maxBases = opts.maxBases ?? 1500;
    const bases = all.length <= maxBases ? all : sample(all, maxBases, rand);

    const labelled: { a: string; b: string; positive: boolean; kind: string }[] = [];
    bases.forEach((base, i) => {
      for (const kind of EDIT_KINDS) {
        const variant = editText(base, kind, rand);
        if (variant && variant !== base) labelled.push({ a: base, b: variant, positive: true, kind });
      }
      const other = () => {
        const j = (i + 1 + Math.floor(rand() * (bases.length - 1))) % bases.length;
        return bases[j];
      };
      for (let k = 0; k < (opts.randomNegatives ?? 2); k++) labelled.push({ a: base, b: other(), positive: false, kind: 'random' });
      const spliced = splice(base, other());
      if (spliced && spliced !== base) labelled.push({ a: base, b: spliced, positive: false, kind: 'half-splice' });
    });

    const texts = [...new Set(labelled.flatMap((p) => [p.a, p.b]))];
    const vectors = new Map<string, Float32Array>();
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      (await embedder.embed(batch, 'passage')).forEach((v, k) => vectors.set(batch[k], v));
    }
    const pairs: ScoredPair[] = labelled.map((p) => ({ score: cosine(vectors.get(p.a)!, vectors.get(p.b)!), positive: p.positive, kind: p.kind }));
    const fit = fitThreshold(pairs, CALIBRATION_BETA);
    const threshold = Number(fit.threshold.toFixed(4));
    const tp = pairs.filter((p) => p.positive && p.score >= threshold).length;
    const fp = pairs.filter((p) => !p.positive && p.score >= threshold).length;
    const positives = pairs.filter((p) => p.positive).length;
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = positives === 0 ? 1 : tp / positives;
    const round = (x: number) => Number(x.toFixed(4));
    const family = embedderFamily(current.id);
    const entry: NearDuplicateCalibration = {
      threshold,
      criterion: `F${CALIBRATION_BETA}`,
      precision: round(precision),
      recall: round(recall),
      f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
      margin: round(fit.margin),
      positives,
      negatives: pairs.length - positives,
      recallByEdit: shareAbove(pairs, threshold, true),
      falsePositiveRateByKind: shareAbove(pairs, threshold, false),
      bases: bases.length,
      corpus: await corpusLabel(store),
      embedder: current.id,
      seed,
      calibratedAt: new Date().toISOString().slice(0, 10),
    };
    if (opts.save !== false) await saveNearDuplicateCalibration(family, entry, opts.file ?? NEAR_DUPLICATE_CALIBRATION_FILE);
    return { family, entry, pairs };
  } finally {
    await embedder.dispose?.();
  }
}

/** k items in their original order, chosen by a seeded partial shuffle. */
function sample<T>(xs: readonly T[], k: number, rand: () => number): T[] {
  const idx = xs.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => xs[i]);
}

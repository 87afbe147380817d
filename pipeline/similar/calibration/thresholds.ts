import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../config.js';
import { ConfrecError } from '../../errors.js';

/**
 * Near-duplicate thresholds, one per embedder family (embedderFamily in themes/calibration.ts),
 * committed with the project so every run uses the same cut and can say where it came from.
 * Written by `confrec duplicates --calibrate`.
 */
export const NEAR_DUPLICATE_CALIBRATION_FILE = join(ROOT, 'data', 'near-duplicate-calibration.json');

/**
 * The cut for a family nobody has calibrated. Conservative on purpose: sentence models put
 * unrelated texts of one domain at cosine 0.7–0.85 and light edits of one text above 0.95, and a
 * missed near-duplicate costs less than a false one presented as a copy.
 */
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.95;

export interface NearDuplicateCalibration {
  threshold: number;
  /** What the threshold maximises on the labelled pairs, e.g. "F0.5". */
  criterion: string;
  precision: number;
  recall: number;
  f1: number;
  /** Distance from the threshold to the nearest score on either side. */
  margin: number;
  positives: number;
  negatives: number;
  /** Recall per kind of edit, and the share of negatives of each kind at or above the threshold. */
  recallByEdit: Record<string, number>;
  falsePositiveRateByKind: Record<string, number>;
  bases: number;
  corpus: string;
  embedder: string;
  seed: number;
  calibratedAt: string;
}

export async function readNearDuplicateCalibrations(file = NEAR_DUPLICATE_CALIBRATION_FILE): Promise<Record<string, NearDuplicateCalibration>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, NearDuplicateCalibration>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfrecError(`cannot read near-duplicate calibration: ${(err as Error).message}`, { file });
  }
}

export async function nearDuplicateThreshold(family: string, file = NEAR_DUPLICATE_CALIBRATION_FILE): Promise<{ threshold: number; calibrated: boolean }> {
  const entry = (await readNearDuplicateCalibrations(file))[family];
  return entry ? { threshold: entry.threshold, calibrated: true } : { threshold: DEFAULT_NEAR_DUPLICATE_THRESHOLD, calibrated: false };
}

export async function saveNearDuplicateCalibration(family: string, entry: NearDuplicateCalibration, file = NEAR_DUPLICATE_CALIBRATION_FILE): Promise<void> {
  const all = await readNearDuplicateCalibrations(file);
  all[family] = entry;
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(file, JSON.stringify(sorted, null, 2) + '\n');
}

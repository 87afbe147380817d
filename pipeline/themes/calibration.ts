import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../config.js';
import { ConfrecError } from '../errors.js';
import { UNCALIBRATED, type ThemeModel } from './score.js';

/**
 * Calibrated theme models, one per embedder family, committed with the project so that every run
 * uses the same thresholds and says where they came from. Written by `confrec themes --calibrate`.
 */
export const CALIBRATION_FILE = join(ROOT, 'data', 'theme-calibration.json');

export interface CalibrationEntry extends ThemeModel {
  microF1: number;
  perTheme: Record<string, number>;
  items: number;
  gold: string;
  calibratedAt: string;
}

/** The part of an embedder id that fixes its scale: lexical spaces differ per corpus but not in kind. */
export function embedderFamily(id: string | null): string {
  if (!id) return 'none';
  return id.startsWith('lexical') ? id.split(':')[0] : id;
}

export async function readCalibrations(file = CALIBRATION_FILE): Promise<Record<string, CalibrationEntry>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, CalibrationEntry>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfrecError(`cannot read theme calibration: ${(err as Error).message}`, { file });
  }
}

export async function modelFor(family: string, file = CALIBRATION_FILE): Promise<{ model: ThemeModel; calibrated: boolean }> {
  const entry = (await readCalibrations(file))[family];
  if (!entry) return { model: UNCALIBRATED, calibrated: false };
  return { model: { simWeight: entry.simWeight, threshold: entry.threshold, contextWeight: entry.contextWeight }, calibrated: true };
}

export async function saveCalibration(family: string, entry: CalibrationEntry, file = CALIBRATION_FILE): Promise<void> {
  const all = await readCalibrations(file);
  all[family] = entry;
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(file, JSON.stringify(sorted, null, 2) + '\n');
}

import { join } from 'node:path';

/** The project root and the folders tests read, wherever the test file sits. */
export const ROOT = join(__dirname, '..', '..');
export const SAMPLE_DIR = join(ROOT, 'data', 'resolutions');
export const GOLD_DIR = join(ROOT, 'tests', 'fixtures', 'gold');
export const FIXTURE_FILES = join(ROOT, 'tests', 'fixtures', 'files');
export const BIN = join(ROOT, 'bin', 'confrec.js');

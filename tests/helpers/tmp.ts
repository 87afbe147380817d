import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SAMPLE_DIR } from './paths.js';

export { SAMPLE_DIR, GOLD_DIR } from './paths.js';

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'confrec-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the sample corpus to change freely. */
export function sampleCopy(): string {
  const dir = tempDir('confrec-corpus-');
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  return dir;
}

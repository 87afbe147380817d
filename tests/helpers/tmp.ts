import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SAMPLE_DIR } from './paths.js';

export { SAMPLE_DIR, GOLD_DIR } from './paths.js';

// One hook per test file, registered when the file is collected: a hook registered from inside a
// running test (where most callers make their folders) never ran, and 2,600 folders piled up in /tmp.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file (made at collection, in a hook or in a test). */
export function tempDir(prefix = 'confrec-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of the sample corpus to change freely. */
export function sampleCopy(): string {
  const dir = tempDir('confrec-corpus-');
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  return dir;
}

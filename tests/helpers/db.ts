import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { tempDir } from './tmp.js';

/** A private copy of a database file (and its WAL), for a test to change as it likes. */
export function copyDatabase(path: string, name = 'copy.duckdb'): string {
  const to = join(tempDir('confrec-db-'), name);
  copyFileSync(path, to);
  if (existsSync(`${path}.wal`)) copyFileSync(`${path}.wal`, `${to}.wal`);
  return to;
}

/** The stage tier's sample database (tests/stage/global-setup.ts), copied: open, use, close. */
export async function openSampleCopy(): Promise<Store> {
  return Store.open(copyDatabase(inject('sampleDb'), 'sample.duckdb'));
}

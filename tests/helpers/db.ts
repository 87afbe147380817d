import { copyFileSync, existsSync, rmSync } from 'node:fs';
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

/**
 * A document taken away: its file deleted and the document no longer current. Ingest retires a
 * document when a new version of its file replaces it and keeps one whose file is gone; to the stages
 * after ingest both are the same — a document that is no longer current.
 */
export async function retireDocument(store: Store, folder: string, file: string): Promise<void> {
  rmSync(join(folder, file));
  await store.run(`UPDATE documents SET is_current = false WHERE source_file = $1`, [file]);
}

/**
 * Builds the stage tier's small database once per test run: the sample corpus (data/resolutions)
 * through every analysis stage but the report, lexical embedder. Tests open a copy of it
 * (tests/helpers/db.ts), so no test depends on what another did to a shared database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { SAMPLE_DIR } from '../helpers/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The sample corpus after ingest, segment, embed (lexical), themes, clusters and similar. */
    sampleDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'confrec-stage-'));
  const path = join(dir, 'sample.duckdb');
  const store = await Store.open(path);
  try {
    const ctx = { log: silentLogger, quiet: true };
    await ingestFolder(store, SAMPLE_DIR, { ...ctx, options: { rehash: false } });
    for (const stage of DOWNSTREAM_STAGES) {
      if (stage.name === 'report') continue;
      await stage.run(store, { ...ctx, options: stage.name === 'embed' ? { embedder: 'lexical' } : {} });
    }
  } finally {
    store.close();
  }
  project.provide('sampleDb', path);
  return () => rmSync(dir, { recursive: true, force: true });
}

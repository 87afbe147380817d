import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { SAMPLE_DIR } from './paths.js';
import { tempDir } from './tmp.js';

/** The explorer's own fixture corpus: four resolutions of 2016–2024 repeating proposals with edits. */
export const EXPLORER_FIXTURES = join(__dirname, '..', 'fixtures', 'explorer');
export const EXPLORER_CORPUS = join(EXPLORER_FIXTURES, 'corpus');
export const DRAFT_DOCX = join(EXPLORER_FIXTURES, 'draft.docx');

/** A temporary folder removed after the test file, usable inside beforeAll (tmp.ts tempDir). */
export function explorerTempDir(prefix = 'confrec-explorer-'): string {
  return tempDir(prefix);
}

/**
 * A database of the sample corpus plus the explorer fixtures, every stage run (report excepted),
 * in a temporary folder. `stages` stops after the named stage (e.g. 'segment': no vectors yet).
 */
export async function buildExplorerDb(opts: { until?: string } = {}): Promise<{ dir: string; db: string; corpus: string }> {
  const dir = explorerTempDir();
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus, { recursive: true });
  cpSync(SAMPLE_DIR, corpus, { recursive: true });
  cpSync(EXPLORER_CORPUS, corpus, { recursive: true });
  const db = join(dir, 'explorer.duckdb');
  const store = await Store.open(db);
  try {
    const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } };
    await ingestFolder(store, corpus, ctx);
    for (const stage of DOWNSTREAM_STAGES) {
      if (stage.name === 'report') continue;
      await stage.run(store, ctx);
      if (stage.name === opts.until) break;
    }
  } finally {
    store.close();
  }
  return { dir, db, corpus };
}

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json lives), found from this file whether run from dist/ or source. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'confrec') return dir;
    } catch {
      /* keep walking up */
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

export const ROOT = findRoot();

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * All defaults in one visible object (like transformers.js `env`). Environment variables override the
 * paths so that tests and notebooks can point at their own files.
 */
export const config = {
  version: pkg.version,
  /** Default database file; every command takes --db to choose another. */
  dbPath: process.env.CONFREC_DB ?? resolve(process.cwd(), 'confrec.duckdb'),
  /** Sample corpus shipped with the project. */
  sampleDir: join(ROOT, 'data', 'resolutions'),
  themesFile: join(ROOT, 'data', 'themes.json'),
  /** Synonym groups for the near-duplicate containment criterion ($CONFREC_SYNONYMS to use another file). */
  synonymsFile: process.env.CONFREC_SYNONYMS ?? join(ROOT, 'data', 'synonyms.json'),
  /** Where transformer models are looked for (one sub-folder per model id). */
  modelDir: process.env.CONFREC_MODEL_DIR ?? join(ROOT, 'models'),
  /** Where `confrec report` (and `run`) write the report: ./reports, like the database, or $CONFREC_REPORTS. */
  reportsDir: process.env.CONFREC_REPORTS ?? resolve(process.cwd(), 'reports'),
  goldDir: join(ROOT, 'tests', 'fixtures', 'gold'),
  /** File extensions ingest reads; anything else is reported as unsupported. */
  extensions: ['.txt', '.md', '.docx', '.pdf'] as const,
  /** Files larger than this are refused with a message rather than read into memory. */
  maxFileBytes: 50 * 1024 * 1024,
  /**
   * Ingest hashes every file before deciding what is new (pipeline/ingest/versions.ts needs them all to
   * tell a moved file from a copy); the bytes of new files are kept for the reader up to this total and
   * read again beyond it (from the page cache, at ~1 GB/s), so memory stays flat on a folder of any size.
   */
  ingestKeepBytes: 64 * 1024 * 1024,
  /**
   * Incremental re-runs. When only a few recommendations came or went since a stage last ran, it
   * brings its stored output up to date instead of recomputing all of it: adding one resolution to
   * 10,000 re-runs in 7.9 s instead of 96 s (bench/results/pipeline-10000.json). Past these shares
   * the stage recomputes, each for its own reason below. Every stage's run line says which way it went,
   * and `--all` always recomputes.
   */
  incremental: {
    /**
     * Lexical embedder: share of current texts its fitted space has not seen before it is refitted.
     * New texts are embedded into the existing vocabulary and SVD; words it lacks are lost, which a
     * tenth of the corpus can bear and a growing corpus, refitted at each tenth, never accumulates.
     */
    lexicalMaxUnseen: 0.1,
    /**
     * Clusters: share of new plus removed recommendations that join the stored centroids (labels are
     * kept). Beyond a tenth the centroids, fitted without them, may no longer be where k-means would
     * put them, and new topics would be forced into old clusters.
     */
    clustersMaxChange: 0.1,
    /**
     * Near-duplicates: new × all comparisons are exact, so this limit is cost only. Past a tenth of
     * the corpus (or past `similarMaxNewTexts` new texts) the new × all join costs more than the LSH
     * of a full run: 2,000 new texts against 75,000 is 150 million cosines.
     */
    similarMaxChange: 0.1,
    similarMaxNewTexts: 2000,
  },
  nearDuplicates: {
    /**
     * Copies of one proposal within one document beyond this many are linked only to its first copy:
     * a 50 MB file repeating one line gave 27 million identical pairs of itself (issue 10). Real
     * resolutions repeat a proposal for a few addressees at most (no sample resolution repeats one).
     */
    maxCopiesPerDocument: 20,
  },
};

export type Config = typeof config;

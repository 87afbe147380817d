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
  /** What abbreviations and variant names of addressees stand for ($CONFREC_ADDRESSEE_ALIASES to use another file). */
  addresseeAliasesFile: process.env.CONFREC_ADDRESSEE_ALIASES ?? join(ROOT, 'data', 'addressee-aliases.json'),
  /** Synonym groups for the near-duplicate containment criterion ($CONFREC_SYNONYMS to use another file). */
  synonymsFile: process.env.CONFREC_SYNONYMS ?? join(ROOT, 'data', 'synonyms.json'),
  /** Where transformer models are looked for (one sub-folder per model id). */
  modelDir: process.env.CONFREC_MODEL_DIR ?? join(ROOT, 'models'),
  /** Where `confrec report` (and `run`) write the report: ./reports, like the database, or $CONFREC_REPORTS. */
  reportsDir: process.env.CONFREC_REPORTS ?? resolve(process.cwd(), 'reports'),
  goldDir: join(ROOT, 'tests', 'fixtures', 'gold'),
  /**
   * A recurring proposal spans at least this many distinct years and conferences (resolutions): the
   * definition leadership asked for (issue 14) — two could be coincidence, three is a pattern.
   */
  recurring: { minYears: 3, minConferences: 3 },
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
};

export type Config = typeof config;

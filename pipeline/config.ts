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
};

export type Config = typeof config;

/**
 * The explorer (`confrec serve`) and the draft check (`confrec check`). Floors are per embedder
 * family (embedderFamily), because cosines of different embedders live on different scales.
 */
export const explorerConfig = {
  /** Port `confrec serve` listens on unless --port says otherwise. */
  port: 8765,
  /**
   * Lowest cosine of a query with a recommendation for it to be a search hit (literal hits always
   * are). Lexical: on the 10k synthetic corpus two random recommendations exceed 0.456 once in a
   * hundred pairs, and a query of words the corpus never uses ("астрономия планетарий") reaches 0.46
   * at best, so 0.45 keeps such noise out while topical queries keep hundreds of hits. Other
   * families: sentence models put unrelated texts of one domain at 0.7–0.85 (similar/calibration.ts).
   */
  searchFloor: { 'lexical-v1': 0.45, default: 0.85 } as Record<string, number>,
  /**
   * Lowest cosine between two recommendations for one to be listed as related to the other (history,
   * draft check verdict "similar"), below the near-duplicate threshold. Lexical: random pairs of the
   * 10k synthetic corpus exceed 0.64 once in a thousand; 0.6 lists a few dozen per recommendation.
   */
  relatedFloor: { 'lexical-v1': 0.6, default: 0.88 } as Record<string, number>,
  /**
   * Draft check, lexical family only: a draft item is compared out of sample (its words may be
   * unknown to the fitted space, which then projects it onto whatever known words it has — on the
   * five-document sample an item about planetariums scored 0.94 with an unrelated one). A cosine
   * match must therefore also share this share of content lemmas (|A∩B| / min(|A|, |B|)); on the
   * 10k synthetic corpus every pair the similar stage accepts by cosine shares at least 0.55.
   */
  lexicalMinOverlap: 0.5,
  /** Rank = cosine + literalWeight × share of the query's lemmas present. */
  literalWeight: 0.3,
  /** Most semantic-only hits a query returns (literal hits are never cut). */
  maxSemanticHits: 2000,
  /** Longest search query; a longer text belongs in the draft check. */
  maxQueryChars: 2000,
  /** Largest draft a check accepts (upload or pasted). */
  maxUploadBytes: 20 * 1024 * 1024,
  /** Hits per page. */
  pageSize: 50,
  /** How often the server looks at the database file for new data. */
  pollMs: 2000,
};

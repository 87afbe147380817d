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
  /**
   * File extensions ingest reads, as messages list them (variants such as .docm, .htm, .jpeg, .tiff
   * are read too: pipeline/ingest/sniff.ts); anything else is reported as unsupported.
   */
  extensions: ['.txt', '.md', '.docx', '.doc', '.rtf', '.odt', '.pdf', '.html', '.htm', '.mht', '.png', '.jpg', '.tif', '.zip'] as const,
  /** Files larger than this are refused with a message rather than read into memory. */
  maxFileBytes: 50 * 1024 * 1024,
  /**
   * Ingest hashes every file before deciding what is new (pipeline/ingest/versions.ts needs them all to
   * tell a moved file from a copy); the bytes of new files are kept for the reader up to this total and
   * read again beyond it (from the page cache, at ~1 GB/s), so memory stays flat on a folder of any size.
   */
  ingestKeepBytes: 64 * 1024 * 1024,
  /**
   * The segmentations ingest hands to the segment stage of the same `confrec run`
   * (segment/handoff.ts), at most this many MB (estimated from their strings and rows): ≈ 125 MB on
   * 10,000 synthetic resolutions (peak RSS of ingest + segment +160 MB), so up to ≈ 40,000 of them
   * are segmented once; beyond, the segment stage segments the rest itself, as before, and memory
   * stays bounded (at 100,000 the largest stages need several GB; this stays well below them).
   */
  segmentHandoffMb: 512,
  /** OCR of scans and images (readers/ocr.ts); the commands are looked up on PATH unless set. */
  ocr: {
    tesseract: process.env.CONFREC_TESSERACT ?? 'tesseract',
    pdftoppm: process.env.CONFREC_PDFTOPPM ?? 'pdftoppm',
    /** Tesseract models: resolutions are Russian; with eng added Cyrillic letters can come out as Latin look-alikes (а/a, о/o, р/p). */
    languages: 'rus',
    /** Rasterising resolution for scanned PDF pages: tesseract's accuracy levels off at 300 dpi. */
    dpi: 300,
    /** Lowest resolution a huge page may be rasterised at to stay within maxImageMegapixels. */
    minDpi: 150,
  },
  /**
   * The per-file resource budget of the readers (issue 10 §1): every limit is checked before the
   * expensive step it protects, and a file over one is skipped with a message naming the flag that
   * raises it (`--max-unpacked-mb 200`). Sized so that no single input makes ingest pass 1 GB of peak
   * RSS (measured by `npm run bench -- hostile`); the figures behind each number are beside it.
   */
  limits: {
    /** Whole file, before reading (= maxFileBytes). Resolutions are 20 KB–5 MB; scans up to ~30 MB. */
    maxFileMb: 50,
    /**
     * What a .docx/.odt unpacks to (its XML parts: images are never unpacked), and every member of a
     * .zip. Before the budget, 20 MB of document.xml peaked at 725 MB in mammoth alone and 1.66 GB
     * through ingest; within it, 24 MB of XML is read with the reader's heap capped at 400 MB. Our
     * fixtures' document.xml files are 5–60 KB; a long resolution is a few MB.
     */
    maxUnpackedMb: 24,
    /** Total unpacked size of a .zip archive's members (each one also within maxUnpackedMb). */
    maxArchiveMb: 512,
    /**
     * Unpacked:packed ratio of one archive member above which it is treated as a bomb (members of at
     * least 1 MB only). The XML parts of our .docx/.odt fixtures pack 3.6–11.6:1 (median 5.3); a
     * repeated paragraph packs 250:1, zeros 1000:1.
     */
    maxCompressionRatio: 200,
    /** Members of one .zip; a folder of resolutions has tens to hundreds. */
    maxArchiveMembers: 5000,
    /** Archives inside archives: outer.zip/inner.zip/file is read, a third level is not. */
    maxArchiveDepth: 2,
    /**
     * One non-image PDF stream (page content, object stream, font) once inflated. Before the budget a
     * 30 MB content stream peaked at 641 MB through ingest (the 300 MB one at 3.8 GB); the
     * streams of our fixture PDFs inflate to less than 2 MB in all.
     */
    maxPdfStreamMb: 24,
    /** All non-image PDF streams of one file together, inflated. */
    maxPdfUnpackedMb: 256,
    /** Pages of a text-layer PDF; resolutions have 1–30, conference proceedings a few hundred. */
    maxPdfPages: 2000,
    /** Pages OCR reads per file (tesseract takes 3–10 s a page on one core). */
    maxOcrPages: 60,
    /** Pixels of one image or rasterised page given to OCR: A4 at 600 dpi is 35 megapixels. */
    maxImageMegapixels: 80,
    /**
     * Text a document may yield (UTF-8 MB). A resolution is 5–200 KB; ingest of a 20 MB .txt peaked
     * at 766 MB RSS (5 MB: 306 MB) and later stages grow with the text, so 10 MB keeps a run in budget.
     */
    maxTextMb: 10,
    /**
     * Heap of the reader process that reads .docx, .pdf, .doc, .rtf, .odt, web pages and images: an
     * input that gets past every check above (or past raised limits) and still balloons only loses that
     * file. Files within the other limits need less (24 MB of XML read within 400 MB); the 200
     * MB-XML .docx, let in by raised limits, is stopped at this cap with the reader process at 987 MB
     * (heap plus the unpacked XML; 1.1 GB with a 640 MB cap).
     */
    readerMemoryMb: 512,
    /** Seconds a reader may go without progress (one OCR page counts as progress) before it is stopped. */
    readerTimeoutSeconds: 180,
  },
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
    /**
     * From this many texts on, the LSH signatures and band buckets run on worker threads
     * (--threads): below it starting the workers costs more than they save.
     */
    parallelFromTexts: 5_000,
    /**
     * Up to this many texts, a full run reads and lemmatises the texts for containment while the
     * workers search the pairs (stage.ts recomputeAll); above it, one after the other as before. Both
     * then hold memory at once (the texts and lemmas beside the signatures): at 75,000 texts the run's
     * peak rose by up to ≈ 0.15 GB, and at 100,000 resolutions (≈ 700,000 texts), where the similar
     * stage already sets the peak (4.7 GB), that has not been measured against the 6 GB target.
     */
    overlapContainmentUpTo: 250_000,
    /**
     * From this many texts on, a full run keeps the vectors' 8-bit codes (pairs/codes.ts) for the
     * next incremental run's new × all scan. They cost ≈ 10 s to write at 100,000 resolutions (696,000
     * texts) and took 2.2–2.8 s off the similar stage of each re-run there (with the text_hash index
     * for the exact cosines); at 10,000 (72,000 texts) the scan of the vectors takes well under a
     * second, and the codes would cost a full run ≈ 1 s.
     */
    codesFromTexts: 200_000,
    /**
     * Candidate texts of the codes' scan whose vectors an incremental run looks up in the text_hash
     * index (at most HASH_LOOKUP_MAX, DuckDB's index_scan_max_count); above it, it scans the vectors joined to
     * them (at 100k: 140 lookups 0.4 s, 2,000 lookups 2.1 s, a scan ≈ 3 s, cold).
     */
    codesFetchUpTo: 2_000,
    /**
     * Adjacency asks of an incremental cover update answered by scanning the stored pairs before they
     * are staged once on integer codes (groups/regroup.ts). After one resolution a run asks two to
     * four times (0.6–0.7 s each at 100k) and staging costs ≈ 4.5 s; one hand-written resolution set
     * off a cascade of ≈ 200 asks: similar 151 s scanning, 87.5 s staged.
     */
    coverScansBeforeStaging: 6,
    /**
     * Asks of the staged pairs (0.2–0.4 s each at 100k) before they are read into memory and indexed
     * by both ends (≈ 5 s and ≈ 0.8 GB at 100k, 33 million pairs); later asks take microseconds.
     */
    coverStagedAsksBeforeMemory: 14,
    /**
     * Asks of the stored cover state and groups (≈ 0.1 s each at 100k) before both are read into
     * memory on codes (≈ 1 s at 100k).
     */
    coverStateAsksBeforeMemory: 10,
  },
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

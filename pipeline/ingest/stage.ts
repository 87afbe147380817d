import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { BIGINT, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import { config } from '../config.js';
import { ConfrecError, UsageError, errorMessage } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { DOCUMENTS, SEGMENT_CORRECTIONS } from '../store/columns.js';
import { withRun } from '../store/runs.js';
import { withScratch, type Scratch } from '../store/scratch.js';
import { sha256Hex } from '../store/hash.js';
import { documentTexts } from '../store/texts.js';
import { databaseFiles, isDatabaseFile } from '../store/outputs.js';
import type { ConferenceMeta, DocumentRow, MetaField, MetaSource } from '../store/types.js';
import type { StageContext, StageSummary } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { ArchiveInputs } from './archives.js';
import { MB, readLimits, type ReadLimits } from './limits.js';
import { METADATA_VERSION, extractMetadata } from './metadata.js';
import { fileTypeOf, unsupportedReason, type OcrMode } from './readers.js';
import { SandboxedReader } from './sandbox.js';
import { detectFormat, READ_EXTENSIONS } from './sniff.js';
import { prepareDocument, reviveError, serialiseError, type PreparedDocument } from './prepare.js';
import { readFileBytes, scanFile, type PreparedResult, type ScanFile, type ScanResult } from './scan.js';
import { Lookahead, withPool } from '../workers/pool.js';
import { defaultThreads } from '../workers/threads.js';
import { mergeMeta, readSidecar, sidecarCandidates, type Sidecar } from './sidecar.js';
import { readSegmentsSidecars } from './segments-sidecar.js';
import { listFiles } from './walk.js';
import { staleIssuePaths, type PathKind } from './stale-issues.js';
import { decideVersions, statMatches, touchedShas, type ObservedFile, type StoredVersion, type VersionDecision } from './versions.js';

export interface IngestOptions {
  /** Read and hash every file, even those whose size and mtime are unchanged. */
  rehash: boolean;
  /** OCR of scans and images: auto (when tesseract is installed), off, force. */
  ocr: OcrMode;
  /** The per-file resource budget (ingest/limits.ts; --max-… flags). */
  limits: ReadLimits;
  /** Worker threads for plain-text files (--threads; 1 = all in this thread). Default: every core. */
  threads?: number;
  /** Only these files of the folder (`confrec check --save` ingests one draft); every file when absent. */
  only?: string[];
}

/**
 * New documents go through a temporary table of the columns ingest writes (the DOCUMENTS column
 * spec, store/columns.ts) and are inserted BY NAME, so columns added to `documents` later (at the
 * end, by ALTER) need no change here, whatever their order.
 */
async function appendDocuments(store: Store, scratch: Scratch, docs: DocumentRow[]): Promise<void> {
  if (!docs.length) return;
  const staged = await scratch.table<Omit<DocumentRow, 'copy_of'>>('documents', DOCUMENTS.columns);
  await staged.append(docs);
  await store.run(`INSERT INTO documents BY NAME SELECT * REPLACE (meta_sources::JSON AS meta_sources) FROM ${staged.name}`);
}

/** A path as the user typed it: relative to the working folder when it lies below it. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

interface Issue {
  path: string;
  reason: string;
}

/** Why a file was skipped; when the fault is in another file (its sidecar), that file is named too. */
function issueReason(path: string, err: unknown): string {
  if (!(err instanceof ConfrecError)) return errorMessage(err);
  const where = err.file && err.file !== path ? `${displayPath(err.file)}: ` : '';
  return `${where}${err.message}${err.hint ? ` — ${err.hint}` : ''}`;
}

/**
 * One file's document row from its prepared text (prepare.ts, in this thread or a worker); throws
 * ConfrecError with the reason when it cannot. Things the user should know about a file that was read
 * (mixed encodings, pages not read) go to `notes`.
 */
async function finishDocument(
  path: string,
  docId: string,
  byteLength: number,
  sha: string,
  prepared: PreparedDocument,
  runId: number,
  notes: Issue[],
  sidecarFor: (path: string) => Promise<Sidecar | null>,
): Promise<DocumentRow> {
  for (const note of prepared.raw.notes) notes.push({ path, reason: note });
  if (prepared.failure !== null && prepared.failureBeforeSidecar) throw prepared.failure;
  const sidecar = await sidecarFor(path);
  if (prepared.failure !== null) throw prepared.failure;
  const { meta, sources } = mergeMeta(prepared.meta!, sidecar);
  const raw = prepared.raw;
  return {
    doc_id: docId,
    sha256: sha,
    source_path: path,
    source_file: basename(path),
    file_type: raw.fileType,
    encoding: raw.encoding,
    bytes: byteLength,
    is_current: true,
    superseded_by: null,
    ...meta,
    meta_sources: sources,
    text: prepared.text,
    ingested_at: new Date().toISOString(),
    run_id: runId,
    reader: raw.reader,
    ocr_confidence: raw.ocrConfidence,
    metadata_version: METADATA_VERSION,
  };
}

/** The stored versions (without their texts) matching `where`, a condition on a table of `keys` (its column `key`). */
async function versionsWhere(store: Store, where: (keys: string) => string, keys: readonly string[]): Promise<StoredVersion[]> {
  if (!keys.length) return [];
  return withScratch(store, 'ingest_versions', async (scratch) => {
    const table = await scratch.table<{ key: string }>('keys', { key: VARCHAR });
    await table.appendValues(keys.map((k) => [k]));
    const sv = await store.columns<{ [K in keyof StoredVersion]: StoredVersion[K][] }>(
      `SELECT doc_id, sha256, source_path, is_current, file_type FROM documents WHERE ${where(table.name)}`,
    );
    return sv.doc_id.map((doc_id, i) => ({ doc_id, sha256: sv.sha256[i], source_path: sv.source_path[i], is_current: sv.is_current[i], file_type: sv.file_type[i] }));
  });
}

/** A file's stat, or the error that stat gave. */
function statOrError(path: string): Stats | Error {
  try {
    return statSync(path);
  } catch (err) {
    return err as Error;
  }
}

/** The prepared document of a plain-text file, from the scan (errors revived as they were thrown). */
function fromScan(result: PreparedResult): PreparedDocument {
  if (!result.ok) throw reviveError(result.error);
  return { ...result.doc, failure: result.failure === null ? null : reviveError(result.failure) };
}

/**
 * Below this many files to read, no worker pool is started: each worker loads the dictionary (about
 * 1 s of CPU with its modules), more than a handful of documents cost (`check --save`, a re-run
 * after adding one file).
 */
const POOL_MIN_DOCUMENTS = 32;

/**
 * Files per worker task in the first pass. One message per file cost ≈ 0.4 ms of the worker's time
 * in postMessage and left the workers waiting on the main thread (measured: 2.3 s of 9 s per worker
 * on 10,000 files); 32 files (≈ 60 ms of work) make that negligible and still balance two workers.
 */
const SCAN_BATCH = 32;

function metaParams(docId: string, meta: ConferenceMeta, sources: Partial<Record<MetaField, MetaSource>>) {
  return { ...meta, doc_id: docId, meta_sources: JSON.stringify(sources) };
}

/** Documents' metadata per row, in one statement through a scratch table (one UPDATE per document was quadratic: each scans the table). */
async function updateMetadata(store: Store, scratch: Scratch, updates: readonly ReturnType<typeof metaParams>[]): Promise<void> {
  if (updates.length === 0) return;
  // One row per document, the last given (as when each was its own statement).
  const rows = [...new Map(updates.map((m) => [m.doc_id, m])).values()];
  const text = ['title', 'kind', 'level', 'date_start', 'date_end', 'city', 'region', 'format', 'organizer'] as const;
  const table = await scratch.table('meta', {
    doc_id: VARCHAR, ...Object.fromEntries(text.map((k) => [k, VARCHAR])), year: INTEGER, participants: INTEGER, meta_sources: VARCHAR,
  });
  await table.appendValues(rows.map((m) => [m.doc_id, ...text.map((k) => m[k]), m.year, m.participants, m.meta_sources]));
  await store.run(
    `UPDATE documents SET title = m.title, kind = m.kind, level = m.level, date_start = m.date_start::DATE, date_end = m.date_end::DATE,
       year = m.year, city = m.city, region = m.region, participants = m.participants, format = m.format, organizer = m.organizer,
       meta_sources = m.meta_sources::JSON, metadata_version = $1
     FROM ${table.name} m WHERE documents.doc_id = m.doc_id`,
    [METADATA_VERSION],
  );
}

/**
 * Moved or renamed files: every version at the old path goes to the new one, and the old path's
 * stat row is dropped, for all of them in two statements (a folder of 100,000 moved files took 23
 * minutes one statement each). An old path is never a path seen in this run (versions.ts: it is
 * gone), so no move's new path is another's old one and the order of the moves does not matter.
 */
async function moveDocuments(store: Store, scratch: Scratch, moved: readonly Extract<VersionDecision, { kind: 'moved' }>[]): Promise<void> {
  if (moved.length === 0) return;
  const table = await scratch.table('moved', { source_path: VARCHAR, source_file: VARCHAR, old_path: VARCHAR });
  await table.appendValues(moved.map((d) => [d.path, basename(d.path), d.from]));
  await store.run(`UPDATE documents SET source_path = m.source_path, source_file = m.source_file FROM ${table.name} m WHERE documents.source_path = m.old_path`);
  await store.run(`DELETE FROM file_stats WHERE source_path IN (SELECT old_path FROM ${table.name})`);
}

/** Rows of stored texts fetched per statement (storedTexts): ≈ 3 MB of text at the genre's size. */
const TEXT_CHUNK = 1_000;

/**
 * The stored text of a document by doc_id. The texts of `expected` (in the order they will be asked
 * for) are fetched a chunk at a time, so neither one statement per document nor every text at once.
 */
function storedTexts(store: Store, expected: readonly string[]): (docId: string) => Promise<string> {
  const at = new Map(expected.map((id, i) => [id, i]));
  const one = (docId: string) => store.scalar<string>(`SELECT text FROM documents WHERE doc_id = $1`, [docId]);
  let chunk = new Map<string, string>();
  return async (docId) => {
    const cached = chunk.get(docId);
    if (cached !== undefined) return cached;
    const i = at.get(docId);
    if (i === undefined) return one(docId);
    chunk = await documentTexts(store, expected.slice(i, i + TEXT_CHUNK));
    return chunk.get(docId) ?? one(docId);
  };
}


/** Copies a stored document row to another path with the same bytes: one text, two documents. */
const COPY_SQL = `INSERT INTO documents BY NAME
  SELECT * REPLACE ($doc_id AS doc_id, $path AS source_path, $file AS source_file, true AS is_current,
    NULL::VARCHAR AS superseded_by, now()::TIMESTAMP AS ingested_at, $run_id::INTEGER AS run_id)
  FROM documents WHERE doc_id = $from`;

/**
 * `copy_of` of every current document: the current document with the same bytes and file type that
 * came first (earliest run, then path), NULL for that one itself and for documents without a twin.
 * Only the partitions whose bytes this run touched (`touched`, a table of sha256) are computed: a
 * partition's result depends only on its own rows (current documents with those bytes: run_id,
 * source_path, doc_id), and every ingest run leaves all partitions right (a database of schema
 * version 1 had unique bytes, so copy_of NULL everywhere was right when the column came). Computing
 * every partition sorted all current documents each run: ≈ 0.5 s of a one-file re-run at 10,000
 * documents (under load), growing with the corpus.
 */
const copyOfSql = (touched: string | null) => `UPDATE documents d SET copy_of = f.first FROM (
    SELECT doc_id, nullif(first_value(doc_id) OVER (PARTITION BY sha256, file_type ORDER BY run_id NULLS FIRST, source_path, doc_id), doc_id) AS first
    FROM documents WHERE is_current${touched ? ` AND sha256 IN (SELECT sha256 FROM ${touched})` : ''}) f
  WHERE d.doc_id = f.doc_id AND d.copy_of IS DISTINCT FROM f.first`;

/**
 * The ingest stage: reads a folder recursively and stores one row per new file version. A document
 * is a file at a path in one version (pipeline/ingest/versions.ts decides): unchanged files add
 * nothing, a changed file becomes a new version that supersedes that path's old one, identical bytes
 * at another path are another document that shares the text (`copy_of`), a renamed file keeps its
 * document. Bad files are reported one per line and recorded in `ingest_issues`; the rest of the
 * batch goes on and nothing already stored is touched.
 */
export async function ingestFolder(store: Store, dir: string, ctx: StageContext<IngestOptions>): Promise<StageSummary> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => null);
  if (!st) throw new UsageError(`input folder not found: ${dir}`, `give a folder of resolutions (${READ_EXTENSIONS.join(', ')})`);
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${dir}`, 'give the folder that holds the file');

  return withRun(store, 'ingest', { dir: root }, async (runId) => {
    // A pool shared with later stages (`confrec run`) starts now when this database has no file read
    // yet: its workers load their modules and dictionaries while this thread lists the folder and
    // reads the stored versions. Otherwise it starts once there are enough files to read (below): a
    // re-run after adding one file spent ≈ 1.3 s of its 2.4 s ingest in two workers loading
    // dictionaries for one file.
    const rehash = Boolean(ctx.options?.rehash);
    const firstReading = Number(await store.scalar(`SELECT count(*) FROM file_stats`)) === 0;
    if (!ctx.options?.only && (firstReading || rehash)) ctx.workers?.get();
    const issues: Issue[] = [];
    const sidecarFiles = new Set<string>();
    const limits: ReadLimits = ctx.options?.limits ?? readLimits();
    const ocr: OcrMode = ctx.options?.ocr ?? 'auto';
    const listed = await listFiles(root, (path, err) => {
      const code = (err as NodeJS.ErrnoException).code;
      issues.push({ path, reason: code === 'ENOENT' ? 'cannot read: broken link' : `cannot read: ${code ?? errorMessage(err)}` });
    }, sidecarFiles);
    // `confrec check --save` ingests one file of a folder: options.only lists the paths to take.
    const only = ctx.options?.only ? new Set(ctx.options.only.map((p) => resolve(p))) : null;
    // The database itself (and its WAL) may lie in the folder (`cd resolutions && confrec run .`): not a resolution, not an issue.
    // By name first: the real-path and inode check (a few system calls) only for files named like it.
    const dbNames = new Set(databaseFiles(basename(store.path)));
    const own = (f: string) => dbNames.has(basename(f)) && isDatabaseFile(f, store.path);
    const taken = (only ? listed.filter((f) => only.has(resolve(f))) : listed).filter((f) => !own(f));
    // .zip archives are read as if unpacked: their members take their place in the list.
    const archives = new ArchiveInputs(limits);
    const files = await archives.expand(taken, (issue) => issues.push(issue));
    const notes: Issue[] = [];
    // Only documents with a sidecar beside them need to look for one (10,000 failed opens cost seconds).
    // (And only documents in a folder that holds a sidecar file: a re-run asks for every unchanged file.)
    const sidecarFolders = new Set([...sidecarFiles].map((p) => dirname(p)));
    const sidecarFor = (path: string) =>
      sidecarFolders.has(dirname(path)) && sidecarCandidates(path).some((c) => sidecarFiles.has(c)) ? readSidecar(path) : Promise.resolve(null);
    const candidates = files.filter((f) => {
      if (fileTypeOf(f)) return true;
      const { message, hint } = unsupportedReason(f);
      issues.push({ path: f, reason: `${message} — ${hint}` });
      return false;
    });
    if (candidates.length === 0) {
      throw new ConfrecError(`no resolutions found in ${dir}`, {
        hint: `put ${READ_EXTENSIONS.join(', ')} files there (sub-folders are searched too)`,
      });
    }

    // Neither texts nor every stored version are read here. A file whose stat is the one recorded at
    // its last reading, of bytes that are its path's current version, is settled as unchanged from
    // that one row (`settled`); only the other files' versions are read (versionsFor). A re-run over
    // 100,000 unchanged files read every version and every recorded stat into objects (≈ 5 s with the
    // decisions over all of them). Read as columns: row objects cost more than the query.
    const storedCount = Number(await store.scalar(`SELECT count(*) FROM documents`));
    const fs = await store.columns<{
      source_path: string[]; size: number[]; mtime_ms: number[]; ino: (number | null)[]; ctime_ms: (number | null)[];
      current_id: (string | null)[]; sha256: (string | null)[]; file_type: (string | null)[];
    }>(
      // current_id: the path's current version has the recorded bytes; sha256 and file_type: an
      // earlier version has them (the file is revived if its stat matches). Both NULL: bytes never
      // stored at this path, so the file is read again. (source_path, sha256) is unique in documents.
      `SELECT f.source_path, f.size, f.mtime_ms, f.ino, f.ctime_ms,
         CASE WHEN v.is_current THEN v.doc_id END AS current_id,
         CASE WHEN NOT v.is_current THEN f.sha256 END AS sha256,
         CASE WHEN NOT v.is_current THEN v.file_type END AS file_type
       FROM file_stats f LEFT JOIN documents v ON v.source_path = f.source_path AND v.sha256 = f.sha256`,
    );
    const stats = new Map<string, number>();
    for (let i = 0; i < fs.source_path.length; i++) {
      const k = stats.get(fs.source_path[i]);
      if (k === undefined || fs.current_id[k] === null) stats.set(fs.source_path[i], i);
    }
    const statRows: unknown[][] = [];
    // Paths never read before will be: enough of them are worth the workers' start, begun now (the stats below take a while).
    if (!ctx.options?.only && candidates.filter((p) => !stats.has(p)).length >= POOL_MIN_DOCUMENTS) ctx.workers?.get();
    const succeeded: string[] = [];
    const progress = createProgress('ingest: scanning', candidates.length, ctx);
    // Stats are taken synchronously: one await per file, in turn, cost seconds at 10,000 files, and
    // parallel batches of 64 promises still ≈ 0.2–0.5 s, against 60–170 ms for statSync in a loop (the
    // inodes of a folder just listed are in the kernel's cache).
    const infos = new Map<string, Stats | Error>();
    for (const p of candidates) infos.set(p, archives.isMember(p) ? (archives.stat(p) as Stats) : statOrError(p));

    // 1. Hash every file (or trust the hash stored at its last reading). Files on disk are read by
    // scan.ts — in worker threads, a batch per task, a window ahead of this loop — which also prepares
    // plain text with new bytes (normalised text and metadata), so a new document is read once; the
    // loop takes the results in order, so observations and issues come out as with --threads 1.
    const observed: ObservedFile[] = [];
    /** Every observed path, settled or not, in the order found (the order of the decisions). */
    const order: string[] = [];
    const kept = new Map<string, Buffer>();
    let keptBytes = 0;
    const keep = (path: string, bytes: Buffer) => {
      if (keptBytes + bytes.byteLength <= config.ingestKeepBytes) {
        kept.set(path, bytes);
        keptBytes += bytes.byteLength;
      }
    };
    /** Plain text prepared during the scan, by path, and its size in bytes. */
    const scanned = new Map<string, { prepared: PreparedResult; byteLength: number }>();
    const readBytes = async (path: string): Promise<Buffer> => (archives.isMember(path) ? Buffer.from(await archives.read(path)) : readFileBytes(path));
    const tooLarge = (size: number) => size > limits.maxFileMb * MB;
    /** Files settled as unchanged from their stat: path → the doc_id of that path's current version. */
    const settled = new Map<string, string>();
    /** The others: their recorded hash when it can be trusted (cachedHash: an earlier version of the path, revived), null to read the file. */
    const cached = new Map<string, string | null>();
    for (const path of candidates) {
      const info = infos.get(path);
      if (!info || info instanceof Error || tooLarge(info.size)) continue;
      const k = rehash ? undefined : stats.get(path);
      if (k !== undefined && statMatches({ size: fs.size[k], mtime_ms: fs.mtime_ms[k], ino: fs.ino[k], ctime_ms: fs.ctime_ms[k] }, info)) {
        const current = fs.current_id[k];
        if (current !== null) {
          settled.set(path, current);
          continue;
        }
        if (fs.sha256[k] !== null) {
          cached.set(path, fs.sha256[k]);
          continue;
        }
      }
      cached.set(path, null);
    }
    // Every version stored at the other paths: the hashes a scan need not prepare again, the format a
    // stored version was read as (by content), and what decideVersions needs of those paths.
    const restPaths = candidates.filter((p) => !settled.has(p));
    const storedRest = storedCount ? await versionsWhere(store, (keys) => `source_path IN (SELECT key FROM ${keys})`, restPaths) : [];
    const storedType = new Map(storedRest.map((v) => [`${v.source_path}\n${v.sha256}`, v.file_type]));
    const shasAtPath = new Map<string, Set<string>>();
    for (const v of storedRest) {
      const set = shasAtPath.get(v.source_path);
      if (set) set.add(v.sha256);
      else shasAtPath.set(v.source_path, new Set([v.sha256]));
    }
    const toScan: ScanFile[] = candidates
      .filter((p) => cached.get(p) === null && !archives.isMember(p))
      .map((path) => ({ path, known: [...(shasAtPath.get(path) ?? [])] }));
    const scanIndex = new Map(toScan.map((f, k) => [f.path, k]));
    const scanOptions = { ocr, limits };
    // Segmentations for the segment stage of the same command (`confrec run`; segment/handoff.ts).
    const handoff = ctx.segmentations ?? null;
    const threads = ctx.options?.threads ?? defaultThreads();
    await withPool(threads, async (pool) => {
      const batches = Math.ceil(toScan.length / SCAN_BATCH);
      const ahead = pool
        ? new Lookahead<ScanResult[]>(batches, pool.threads * 4, (b) =>
            pool.scan({ files: toScan.slice(b * SCAN_BATCH, (b + 1) * SCAN_BATCH), ...scanOptions, segment: handoff?.accepting ?? false }),
          )
        : null;
      let batch: ScanResult[] = [];
      let batchNo = -1;
      const scanOf = async (path: string): Promise<ScanResult> => {
        const k = scanIndex.get(path)!;
        if (!ahead) return scanFile(toScan[k], { ...scanOptions, segment: handoff?.accepting ?? false });
        const b = Math.floor(k / SCAN_BATCH);
        if (b !== batchNo) {
          batchNo = b;
          // A worker that died takes its batch with it: each of those files is reported, the rest go on.
          const files = toScan.slice(b * SCAN_BATCH, (b + 1) * SCAN_BATCH);
          batch = await ahead.get(b).then(
            (r) => r!,
            (err: unknown) => files.map((): ScanResult => ({ ok: false, error: serialiseError(err) })),
          );
        }
        return batch[k % SCAN_BATCH];
      };
      for (const path of candidates) {
        progress.tick(1, basename(path));
        if (settled.has(path)) {
          order.push(path);
          continue;
        }
        try {
          const info = infos.get(path);
          if (!info || info instanceof Error) throw info ?? new Error('cannot stat');
          if (tooLarge(info.size)) {
            throw new ConfrecError(`file too large (${Math.round(info.size / MB)} MB; limit ${limits.maxFileMb} MB): not read`, {
              file: path,
              hint: `nothing else is affected; if it is a genuine document, raise the limit with --max-file-mb ${limits.maxFileMb * 4}`,
            });
          }
          let sha = cached.get(path) ?? null;
          // A file taken from the stat cache has exactly its recorded row already: only files read now are written.
          const readNow = sha === null;
          // The format by content (a .doc holding RTF is an rtf), as the reader will read it.
          let fileType: string | undefined;
          if (sha === null) {
            let detected: ReturnType<typeof detectFormat>;
            if (scanIndex.has(path)) {
              const r = await scanOf(path);
              if (!r.ok) throw reviveError(r.error);
              sha = r.sha256;
              detected = r.detected;
              if (r.bytes) keep(path, Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
              if (r.prepared) {
                scanned.set(path, { prepared: r.prepared, byteLength: r.byteLength });
                if (r.prepared.ok && r.prepared.doc.segmented) handoff?.reserve(r.prepared.doc.segmented.template);
              }
            } else {
              // An archive member: read through its archive here.
              const bytes = await readBytes(path);
              sha = sha256Hex(bytes);
              detected = detectFormat(path, bytes);
              keep(path, bytes);
            }
            if (detected && detected !== 'archive') fileType = detected;
          }
          // An archive member's stat has no inode or ctime of its own (NULL; its archive's mtime stands for it).
          // (Rewriting all 10,000 rows of an unchanged folder cost ≈ 0.3 s of statements and most of a 1.2 s commit.)
          if (readNow) statRows.push([path, info.size, info.mtimeMs, sha, info.ino ?? null, info.ctimeMs ?? null]);
          observed.push({ path, sha256: sha, file_type: fileType ?? storedType.get(`${path}\n${sha}`) ?? fileTypeOf(path)! });
          order.push(path);
        } catch (err) {
          issues.push({ path, reason: issueReason(path, err) });
        }
      }
    }, ctx.workers, toScan.length >= POOL_MIN_DOCUMENTS ? threads : 1);
    progress.done();

    // 2. Decide: unchanged, revived, moved or new (a pure function). A stored current document whose
    // bytes turn up at a new path may have moved there: only then is its old path looked at.
    // Of the stored versions, those at the paths of the files not settled and the current ones with
    // their bytes (versionsFor); new doc_ids must avoid every stored one.
    const observedPaths = new Set(observed.map((f) => f.path));
    const observedShas = new Set(observed.map((f) => f.sha256));
    const restIds = new Set(storedRest.map((v) => v.doc_id));
    const stored =
      storedCount && observed.length
        ? [...storedRest, ...(await versionsWhere(store, (keys) => `is_current AND sha256 IN (SELECT key FROM ${keys})`, [...observedShas])).filter((v) => !restIds.has(v.doc_id))]
        : storedRest;
    const maybeGone = [
      ...new Set(
        stored.filter((v) => v.is_current && observedShas.has(v.sha256) && !observedPaths.has(v.source_path) && !settled.has(v.source_path)).map((v) => v.source_path),
      ),
    ];
    const gone = new Set<string>();
    for (const p of maybeGone) if (pathKind(p) === null) gone.add(p);
    const docIds = storedCount && observed.length ? new Set((await store.columns<{ doc_id: string[] }>(`SELECT doc_id FROM documents`)).doc_id) : new Set<string>();
    const decided = decideVersions(stored, observed, gone, { paths: settled, docIds });
    const decidedAt = new Map(observed.map((f, i) => [f.path, decided[i]]));
    const decisions = order.map((path): VersionDecision => {
      const id = settled.get(path);
      return id === undefined ? decidedAt.get(path)! : { kind: 'unchanged', path, doc_id: id };
    });

    // 3. Read the new documents; copies take the text of their twin, metadata from their own sidecar.
    const fresh: DocumentRow[] = [];
    const freshById = new Map<string, DocumentRow>();
    const copies: Extract<VersionDecision, { kind: 'new' }>[] = [];
    const metaUpdates: ReturnType<typeof metaParams>[] = [];
    const failed = new Set<string>();
    // Stored documents whose metadata an older extractor took (METADATA_VERSION) take it again from
    // their stored texts, with their sidecars: after an upgrade, once (one scan of a narrow column when
    // nothing is outdated).
    const outdated = storedCount
      ? new Set((await store.columns<{ doc_id: string[] }>(`SELECT doc_id FROM documents WHERE metadata_version IS DISTINCT FROM $1`, [METADATA_VERSION])).doc_id ?? [])
      : new Set<string>();
    const refresh = (d: VersionDecision) => (d.kind === 'unchanged' || d.kind === 'revived') && outdated.has(d.doc_id);
    // (never a new document, so never one that failed: every one counts once done)
    const refreshed = decisions.filter(refresh).length;
    const refreshing = createProgress('ingest: metadata (newer extractor)', refreshed, ctx);
    // A moved document's metadata is taken again from its stored text: a folder of 100,000 moved
    // files asked for 100,000 texts one statement each. Their texts come a chunk at a time instead.
    const storedText = storedTexts(store, decisions.flatMap((d) => (d.kind === 'moved' || refresh(d) ? [d.doc_id] : [])));
    // Files read for themselves first, so that a copy whose twin could not be read is read on its own.
    const readFirst = [...decisions.filter((d) => !(d.kind === 'new' && d.textFrom)), ...decisions.filter((d) => d.kind === 'new' && d.textFrom)];
    const reading = createProgress('ingest: reading', decisions.filter((d) => d.kind === 'new').length, ctx);
    // Everything but plain text is read in a separate process with a capped heap (sandbox.ts).
    const reader = new SandboxedReader({ ocr, limits, onProgress: (p, note) => reading.tick(0, `${basename(p)}: ${note}`) });
    const bytesOf = async (d: { path: string; sha256: string }): Promise<Buffer> => {
      const kept_ = kept.get(d.path);
      if (kept_) return kept_;
      const bytes = await readBytes(d.path);
      if (sha256Hex(bytes) !== d.sha256) {
        throw new ConfrecError('the file changed while it was being read', { file: d.path, hint: 're-run ingest' });
      }
      return bytes;
    };
    for (const d of readFirst) {
      if (d.kind === 'new') reading.tick(1, basename(d.path));
      try {
        if (d.kind === 'new' && (d.textFrom === null || failed.has(d.textFrom))) {
          // Plain text was prepared by the scan (step 1); other formats are read now, in the reader process.
          const early = scanned.get(d.path);
          scanned.delete(d.path);
          let prepared: PreparedDocument;
          let byteLength: number;
          if (early) {
            prepared = fromScan(early.prepared);
            byteLength = early.byteLength;
          } else {
            const bytes = await bytesOf(d);
            prepared = prepareDocument(d.path, await reader.read(d.path, bytes), await loadMorph(), { segment: handoff?.accepting ?? false });
            if (prepared.segmented) handoff?.reserve(prepared.segmented.template);
            byteLength = bytes.byteLength;
          }
          const doc = await finishDocument(d.path, d.doc_id, byteLength, d.sha256, prepared, runId, notes, sidecarFor);
          fresh.push(doc);
          freshById.set(doc.doc_id, doc);
          if (prepared.segmented) handoff?.put(doc.doc_id, runId, prepared.segmented.template);
        } else if (d.kind === 'new') {
          const text = freshById.get(d.textFrom!)?.text ?? (await storedText(d.textFrom!));
          const { meta, sources } = mergeMeta(extractMetadata(text, await loadMorph()), await readSidecar(d.path));
          copies.push(d);
          metaUpdates.push(metaParams(d.doc_id, meta, sources));
        } else {
          // Sidecar edits apply without a new version: metadata is recomputed from the stored text (a
          // moved file's sidecar is the one at its new place).
          const sidecar = await sidecarFor(d.path);
          if (refresh(d)) refreshing.tick(1, basename(d.path));
          if (sidecar || d.kind === 'moved' || refresh(d)) {
            const { meta, sources } = mergeMeta(extractMetadata(await storedText(d.doc_id), await loadMorph()), sidecar);
            metaUpdates.push(metaParams(d.doc_id, meta, sources));
          }
        }
        succeeded.push(d.path);
      } catch (err) {
        if (d.kind === 'new') failed.add(d.doc_id);
        issues.push({ path: d.path, reason: issueReason(d.path, err) });
      }
    }
    reading.done();
    refreshing.done();
    await reader.close();
    const ok = (d: VersionDecision) => d.kind !== 'new' || !failed.has(d.doc_id);
    // Segmentation corrections (name.segments.json) of every document read or found unchanged.
    const corrections = await readSegmentsSidecars(succeeded, sidecarFiles);
    issues.push(...corrections.issues);

    await withScratch(store, 'ingest', (scratch) => store.transaction(async () => {
      await appendDocuments(store, scratch, fresh);
      for (const d of copies) {
        if (failed.has(d.doc_id)) continue;
        await store.run(COPY_SQL, { doc_id: d.doc_id, path: d.path, file: basename(d.path), run_id: runId, from: d.textFrom });
      }
      for (const d of decisions) {
        if (!ok(d)) continue;
        // A new or revived version retires exactly the version it replaces: the same path's, nothing else.
        if ((d.kind === 'new' || d.kind === 'revived') && d.supersedes) {
          await store.run(`UPDATE documents SET is_current = false, superseded_by = $1 WHERE doc_id = $2`, [d.doc_id, d.supersedes]);
        }
        if (d.kind === 'revived') await store.run(`UPDATE documents SET is_current = true, superseded_by = NULL WHERE doc_id = $1`, [d.doc_id]);
      }
      await moveDocuments(store, scratch, decisions.filter((d) => d.kind === 'moved'));
      await updateMetadata(store, scratch, metaUpdates.filter((m) => !failed.has(m.doc_id)));
      // A first reading touches every document: no table of its shas, the whole window.
      const shas = storedCount ? touchedShas(decisions, observed, stored) : null;
      if (!shas) await store.run(copyOfSql(null));
      else if (shas.size) {
        const touched = await scratch.table('touched', { sha256: VARCHAR });
        await touched.appendValues([...shas].map((sha) => [sha]));
        await store.run(copyOfSql(touched.name));
      }
      const statsNow = await scratch.table('stats', { source_path: VARCHAR, size: BIGINT, mtime_ms: DOUBLE, sha256: VARCHAR, ino: DOUBLE, ctime_ms: DOUBLE });
      await statsNow.appendValues(statRows);
      await store.run(`DELETE FROM file_stats WHERE source_path IN (SELECT source_path FROM ${statsNow.name})`);
      await store.run(`INSERT INTO file_stats BY NAME SELECT * FROM ${statsNow.name}`);
      // One statement for the files that read fine and have rows to clear (a folder of 10,000 must not
      // mean 10,000 deletes). Only paths with an issue or a correction recorded are sent: every file of
      // a re-run succeeds, and appending all their paths (and matching them) grew with the corpus.
      if (succeeded.length) {
        const recorded = new Set(
          (await store.columns<{ source_path: string[] }>(`SELECT source_path FROM ingest_issues UNION SELECT source_path FROM segment_corrections`)).source_path,
        );
        const clear = recorded.size ? succeeded.filter((p) => recorded.has(p)) : [];
        if (clear.length) {
          const ok = await scratch.table('ok', { source_path: VARCHAR });
          await ok.appendValues(clear.map((p) => [p]));
          await store.run(`DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM ${ok.name})`);
          await store.run(`DELETE FROM segment_corrections WHERE source_path IN (SELECT source_path FROM ${ok.name})`);
        }
        await store.append(SEGMENT_CORRECTIONS, corrections.rows.map((c) => ({ ...c, run_id: runId })));
        for (const p of corrections.valid) await store.run('DELETE FROM ingest_issues WHERE source_path = $1', [p]);
      }
      // Skipped files that are no longer there (deleted, or moved with their folder: recorded again
      // below under the new path) are no longer reported.
      const { source_path: recorded = [] } = await store.columns<{ source_path: string[] }>(`SELECT source_path FROM ingest_issues`);
      // (and the database's own files, reported as unsupported by versions before they were skipped)
      const stale = [...staleIssuePaths(recorded, new Set(issues.map((i) => i.path)), pathKind), ...recorded.filter((p) => own(p))];
      if (stale.length) {
        const gone = await scratch.table('stale_issues', { source_path: VARCHAR });
        await gone.appendValues(stale.map((p) => [p]));
        await store.run(`DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM ${gone.name})`);
      }
      for (const i of issues) {
        await store.run(
          `INSERT OR REPLACE INTO ingest_issues (source_path, source_file, reason, run_id, reported_at)
           VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`,
          [i.path, basename(i.path), i.reason, runId],
        );
      }
    }));

    for (const i of issues) ctx.log.warn(`skipped ${displayPath(i.path)}: ${i.reason}`);
    for (const n of notes) ctx.log.warn(`note ${displayPath(n.path)}: ${n.reason}`);
    const count = (kind: VersionDecision['kind']) => decisions.filter((d) => d.kind === kind && ok(d)).length;
    const added = count('new');
    const copied = copies.filter((d) => !failed.has(d.doc_id)).length;
    const moved = count('moved');
    const unchanged = count('unchanged') + count('revived') + moved;
    const counts = {
      files: files.length, added, unchanged, skipped: issues.length, metadata_updated: metaUpdates.length,
      metadata_refreshed: refreshed,
      copies: copied, moved, revived: count('revived'),
    };
    return {
      counts,
      line:
        `ingest: ${added} new document(s)${copied ? ` (${copied} a copy of another file)` : ''}, ` +
        `${unchanged} unchanged${moved ? ` (${moved} moved or renamed)` : ''}, ${issues.length} skipped` +
        (counts.metadata_refreshed ? `; metadata of ${counts.metadata_refreshed} stored document(s) taken again (newer extractor ${METADATA_VERSION})` : ''),
    };
  });
}

/** What is at this path (stale-issues.ts); one that cannot be looked at counts as there. */
function pathKind(path: string): PathKind {
  const st = statOrError(path);
  if (!(st instanceof Error)) return st.isFile() ? 'file' : 'other';
  const code = (st as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? null : 'other';
}

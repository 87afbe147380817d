import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { BOOLEAN, BIGINT, DATE, DOUBLE, INTEGER, TIMESTAMP, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import { config } from '../config.js';
import { ConfrecError, UsageError, errorMessage } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import { sha256Hex } from '../store/hash.js';
import type { ConferenceMeta, DocumentRow, MetaField, MetaSource } from '../store/types.js';
import type { StageContext, StageSummary } from '../stages.js';
import { loadMorph, type Morph } from '../text/morph.js';
import { normaliseText } from '../text/normalise.js';
import { extractMetadata } from './metadata.js';
import { fileTypeOf, readDocument } from './readers.js';
import { mergeMeta, readSidecar, sidecarCandidates } from './sidecar.js';
import { readSegmentsSidecars } from './segments-sidecar.js';
import { listFiles } from './walk.js';

/** Column types of `documents`, in table order, for the appender. */
const DOCUMENT_TYPES: DuckDBType[] = [
  VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BIGINT, BOOLEAN, VARCHAR, // ids, file
  VARCHAR, VARCHAR, VARCHAR, DATE, DATE, INTEGER, VARCHAR, VARCHAR, INTEGER, VARCHAR, VARCHAR, // meta
  VARCHAR /* JSON */, VARCHAR, TIMESTAMP, INTEGER,
];

function documentValues(d: DocumentRow): unknown[] {
  return [
    d.doc_id, d.sha256, d.source_path, d.source_file, d.file_type, d.encoding, d.bytes, d.is_current, d.superseded_by,
    d.title, d.kind, d.level,
    d.date_start ? new Date(`${d.date_start}T00:00:00Z`) : null,
    d.date_end ? new Date(`${d.date_end}T00:00:00Z`) : null,
    d.year, d.city, d.region, d.participants, d.format, d.organizer,
    JSON.stringify(d.meta_sources), d.text, new Date(d.ingested_at), d.run_id,
  ];
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

/** Reads one file into a document row; throws ConfrecError with the reason when it cannot. */
async function buildDocument(path: string, bytes: Uint8Array, sha: string, morph: Morph, runId: number): Promise<DocumentRow> {
  const raw = await readDocument(path, bytes);
  const text = normaliseText(raw.text);
  if (!/\p{L}/u.test(text)) throw new ConfrecError('no text', { file: path, hint: 'the file holds no readable words' });
  const sidecar = await readSidecar(path);
  const { meta, sources } = mergeMeta(extractMetadata(text, morph), sidecar);
  return {
    doc_id: sha.slice(0, 16),
    sha256: sha,
    source_path: path,
    source_file: basename(path),
    file_type: raw.fileType,
    encoding: raw.encoding,
    bytes: bytes.byteLength,
    is_current: true,
    superseded_by: null,
    ...meta,
    meta_sources: sources,
    text,
    ingested_at: new Date().toISOString(),
    run_id: runId,
  };
}

const META_UPDATE_SQL = `UPDATE documents SET title = $title, kind = $kind, level = $level,
  date_start = $date_start::DATE, date_end = $date_end::DATE, year = $year, city = $city, region = $region,
  participants = $participants, format = $format, organizer = $organizer, meta_sources = $meta_sources::JSON
  WHERE doc_id = $doc_id`;

function metaParams(docId: string, meta: ConferenceMeta, sources: Partial<Record<MetaField, MetaSource>>) {
  return { ...meta, doc_id: docId, meta_sources: JSON.stringify(sources) };
}

/**
 * The ingest stage: reads a folder recursively and stores one row per new file version. Unchanged
 * files add nothing (identity is the sha256 of the bytes); a changed file becomes a new version that
 * supersedes the old one. Bad files are reported one per line and recorded in `ingest_issues`; the
 * rest of the batch goes on and nothing already stored is touched.
 */
export async function ingestFolder(store: Store, dir: string, ctx: StageContext): Promise<StageSummary> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => null);
  if (!st) throw new UsageError(`input folder not found: ${dir}`, 'give a folder of resolutions (.txt, .md, .docx, .pdf)');
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${dir}`, 'give the folder that holds the file');

  return withRun(store, 'ingest', { dir: root }, async (runId) => {
    const issues: Issue[] = [];
    const sidecarFiles = new Set<string>();
    const files = await listFiles(root, (path, err) => {
      const code = (err as NodeJS.ErrnoException).code;
      issues.push({ path, reason: code === 'ENOENT' ? 'cannot read: broken link' : `cannot read: ${code ?? errorMessage(err)}` });
    }, sidecarFiles);
    // Only documents with a sidecar beside them need to look for one (10,000 failed opens cost seconds).
    const sidecarFor = (path: string) => (sidecarCandidates(path).some((c) => sidecarFiles.has(c)) ? readSidecar(path) : Promise.resolve(null));
    const candidates = files.filter((f) => {
      if (fileTypeOf(f)) return true;
      issues.push({
        path: f,
        reason: `unsupported file type ${extname(f) || '(no extension)'}; confrec reads ${config.extensions.join(', ')}`,
      });
      return false;
    });
    if (candidates.length === 0) {
      throw new ConfrecError(`no resolutions found in ${dir}`, {
        hint: `put ${config.extensions.join(', ')} files there (sub-folders are searched too)`,
      });
    }

    const morph = await loadMorph();
    // Texts are not loaded here: a re-run over 10,000 unchanged files only needs their hashes.
    const known = new Map(
      (await store.all<{ sha256: string; doc_id: string; source_path: string; is_current: boolean }>(
        'SELECT sha256, doc_id, source_path, is_current FROM documents',
      )).map((r) => [r.sha256, r]),
    );
    const fresh: DocumentRow[] = [];
    const freshBySha = new Map<string, DocumentRow>();
    const stats = new Map(
      (await store.all<{ source_path: string; size: number; mtime_ms: number; sha256: string }>(`SELECT * FROM file_stats`)).map((r) => [
        r.source_path,
        r,
      ]),
    );
    const statRows: unknown[][] = [];
    const rehash = Boolean(ctx.options.rehash);
    const revived: string[] = [];
    const metaUpdates: ReturnType<typeof metaParams>[] = [];
    const succeeded: string[] = [];
    let unchanged = 0;
    const progress = createProgress('ingest', candidates.length, ctx);
    // Stats are fetched in parallel batches: one await per file, in turn, costs seconds at 10,000 files.
    const infos = new Map<string, Stats | Error>();
    for (let i = 0; i < candidates.length; i += 64) {
      const batch = candidates.slice(i, i + 64);
      const got = await Promise.all(batch.map((p) => stat(p).catch((err: Error) => err)));
      batch.forEach((p, k) => infos.set(p, got[k]));
    }
    for (const path of candidates) {
      progress.tick(1, basename(path));
      try {
        const info = infos.get(path);
        if (!info || info instanceof Error) throw info ?? new Error('cannot stat');
        if (info.size > config.maxFileBytes) {
          throw new ConfrecError(`file too large (${Math.round(info.size / 1048576)} MB; limit ${config.maxFileBytes / 1048576} MB)`, { file: path });
        }
        const cached = stats.get(path);
        const statUnchanged = !rehash && cached !== undefined && cached.size === info.size && cached.mtime_ms === info.mtimeMs;
        let bytes: Buffer | null = null;
        let sha: string;
        if (statUnchanged && known.has(cached.sha256)) {
          sha = cached.sha256;
        } else {
          bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
            throw new ConfrecError(`cannot read file (${err.code ?? err.message})`, { file: path, hint: 'check permissions' });
          });
          sha = sha256Hex(bytes);
        }
        statRows.push([path, info.size, info.mtimeMs, sha]);
        const stored = known.get(sha);
        if (stored || freshBySha.has(sha)) {
          unchanged++;
          succeeded.push(path);
          if (stored && stored.source_path === path) {
            if (!stored.is_current) revived.push(stored.doc_id);
            // Sidecar edits apply without a new version: metadata is recomputed from the stored text.
            const sidecar = await sidecarFor(path);
            if (sidecar) {
              const text = await store.scalar<string>(`SELECT text FROM documents WHERE doc_id = $1`, [stored.doc_id]);
              const { meta, sources } = mergeMeta(extractMetadata(text, morph), sidecar);
              metaUpdates.push(metaParams(stored.doc_id, meta, sources));
            }
          }
          continue;
        }
        // Files are only skipped unread when their version is stored, so a new one was read above.
        const doc = await buildDocument(path, bytes!, sha, morph, runId);
        fresh.push(doc);
        freshBySha.set(sha, doc);
        succeeded.push(path);
      } catch (err) {
        issues.push({ path, reason: err instanceof ConfrecError ? err.message + (err.hint ? ` — ${err.hint}` : '') : errorMessage(err) });
      }
    }
    progress.done();
    // Segmentation corrections (name.segments.json) of every document read or found unchanged.
    const corrections = await readSegmentsSidecars(succeeded, sidecarFiles);
    issues.push(...corrections.issues);

    await store.transaction(async () => {
      await store.append('documents', DOCUMENT_TYPES, fresh.map(documentValues));
      // A new version of a path supersedes whatever version of that path was current.
      for (const d of fresh) {
        await store.run(
          `UPDATE documents SET is_current = false, superseded_by = $1 WHERE source_path = $2 AND doc_id <> $1 AND is_current`,
          [d.doc_id, d.source_path],
        );
      }
      for (const id of revived) {
        await store.run(
          `UPDATE documents SET is_current = false, superseded_by = $1
           WHERE source_path = (SELECT source_path FROM documents WHERE doc_id = $1) AND doc_id <> $1 AND is_current`,
          [id],
        );
        await store.run(`UPDATE documents SET is_current = true, superseded_by = NULL WHERE doc_id = $1`, [id]);
      }
      for (const m of metaUpdates) await store.run(META_UPDATE_SQL, m);
      await store.run(`CREATE OR REPLACE TEMP TABLE stats_now (source_path VARCHAR, size BIGINT, mtime_ms DOUBLE, sha256 VARCHAR)`);
      await store.append('stats_now', [VARCHAR, BIGINT, DOUBLE, VARCHAR], statRows);
      await store.run(`DELETE FROM file_stats WHERE source_path IN (SELECT source_path FROM stats_now)`);
      await store.run(`INSERT INTO file_stats SELECT * FROM stats_now`);
      await store.run(`DROP TABLE stats_now`);
      // One statement for all files that read fine (a folder of 10,000 must not mean 10,000 deletes).
      if (succeeded.length) {
        await store.run(`CREATE OR REPLACE TEMP TABLE ingest_ok (source_path VARCHAR)`);
        await store.append('ingest_ok', [VARCHAR], succeeded.map((p) => [p]));
        await store.run('DELETE FROM ingest_issues WHERE source_path IN (SELECT source_path FROM ingest_ok)');
        await store.run('DELETE FROM segment_corrections WHERE source_path IN (SELECT source_path FROM ingest_ok)');
        await store.run('DROP TABLE ingest_ok');
        await store.append('segment_corrections', [VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER], corrections.rows.map((c) => [c.source_path, c.sidecar_path, c.content, c.sha256, runId]));
        for (const p of corrections.valid) await store.run('DELETE FROM ingest_issues WHERE source_path = $1', [p]);
      }
      for (const i of issues) {
        await store.run(
          `INSERT OR REPLACE INTO ingest_issues (source_path, source_file, reason, run_id, reported_at)
           VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`,
          [i.path, basename(i.path), i.reason, runId],
        );
      }
    });

    for (const i of issues) ctx.log.warn(`skipped ${displayPath(i.path)}: ${i.reason}`);
    const counts = { files: files.length, added: fresh.length, unchanged, skipped: issues.length, metadata_updated: metaUpdates.length };
    return {
      counts,
      line: `ingest: ${fresh.length} new document(s), ${unchanged} unchanged, ${issues.length} skipped`,
    };
  });
}

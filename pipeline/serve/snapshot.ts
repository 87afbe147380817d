/**
 * A snapshot of the database for the explorer: a private copy of the file (made under a read-only
 * attach, so it is consistent) is attached READ_ONLY to an in-memory DuckDB, the index (corpus.ts) is
 * built and the tables the pages query are copied, then everything on disk is let go. The server
 * holds DuckDB's file lock only while copying the file, and `confrec run` can write while the
 * explorer keeps answering from memory.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { config } from '../config.js';
import { openCurrentEmbedder } from '../embed/current.js';
import type { Embedder } from '../embed/types.js';
import { ConfrecError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../progress.js';
import { thresholdCalibrated, thresholdForSpace } from '../similar/queries/current-space.js';
import { loadThesaurus, type Thesaurus } from '../similar/containment/thesaurus.js';
import { Store } from '../store/db.js';
import { loadMorph, type Morph } from '../text/morph.js';
import { loadCorpus, type Corpus } from './corpus.js';
import { explorerStageFreshness, freshnessNotes, type FreshnessNote } from './freshness.js';
import type { StageFreshness } from '../freshness.js';
import * as Q from './queries.js';

export interface FileStamp {
  mtimeMs: number;
  size: number;
  walMtimeMs: number;
}

export interface Snapshot {
  path: string;
  /** The in-memory copy; queried through `sql` (one connection, one query at a time). */
  store: Store;
  corpus: Corpus;
  morph: Morph;
  /** Embeds queries and drafts in the stored space; null without vectors or when it cannot be opened. */
  embedder: Embedder | null;
  embedderProblem: string | null;
  nearDuplicateThreshold: number;
  /** Whether that threshold was calibrated for the space's family (else the default). */
  thresholdCalibrated: boolean;
  thesaurus: Thesaurus;
  loadedAt: Date;
  loadMs: number;
  stamp: FileStamp;
  freshness: FreshnessNote[];
  /** Runs queries on the snapshot's connection one after another. */
  sql<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function fileStamp(path: string): Promise<FileStamp | null> {
  const st = await stat(path).catch(() => null);
  if (!st) return null;
  const wal = await stat(`${path}.wal`).catch(() => null);
  return { mtimeMs: st.mtimeMs, size: st.size, walMtimeMs: wal?.mtimeMs ?? 0 };
}

export const sameStamp = (a: FileStamp | null, b: FileStamp | null) =>
  a !== null && b !== null && a.mtimeMs === b.mtimeMs && a.size === b.size && a.walMtimeMs === b.walMtimeMs;

/** Another process holds the file for writing (DuckDB allows one writer and no reader beside it). */
export class DatabaseBusy extends ConfrecError {}

export function isLockError(err: unknown): boolean {
  if (err instanceof DatabaseBusy) return true;
  // DuckDB's own wording, or the store's explanation of it (store/diagnose.ts), with the original as cause.
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (/Could not set lock on file|Conflicting lock|database is in use by/i.test(errorMessage(e))) return true;
  }
  return false;
}

/** A SQL string literal: the path comes from the operator's command line, not from a request. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function copyTables(store: Store): Promise<void> {
  for (const { table, where } of Q.SNAPSHOT_TABLES) {
    const src = (await store.all<{ column_name: string }>(Q.TABLE_COLUMNS, ['src', table])).map((c) => c.column_name);
    if (src.length === 0) continue; // a table an older version did not have
    const mine = new Set((await store.all<{ column_name: string }>(Q.TABLE_COLUMNS, ['memory', table])).map((c) => c.column_name));
    const cols = src.filter((c) => mine.has(c)).map((c) => `"${c}"`);
    if (cols.length === 0) continue;
    await store.run(`INSERT INTO memory.main.${table} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM src.main.${table}${where ? ` WHERE ${where}` : ''}`);
  }
}

/**
 * A private copy of the database file (and its WAL), made while the file is attached READ_ONLY — the
 * shared lock keeps any writer out, so the copy is consistent. The lock is held only for the copy (a
 * second or two for 240 MB), not for the whole load: a `confrec run` started meanwhile is refused only
 * in that window. The snapshot is then built from the copy, which is deleted afterwards.
 */
async function privateCopy(store: Store, path: string): Promise<string> {
  try {
    await store.run(`ATTACH ${literal(path)} AS held (READ_ONLY)`);
  } catch (err) {
    throw isLockError(err)
      ? new DatabaseBusy('the database is being written by another confrec process', { file: path, hint: 'the explorer keeps showing the data it has and loads the new data when the writer is done', cause: err })
      : new ConfrecError(`cannot open the database: ${errorMessage(err)}`, { file: path, cause: err });
  }
  const dir = await mkdtemp(join(tmpdir(), 'confrec-serve-'));
  const copy = join(dir, 'snapshot.duckdb');
  try {
    await copyFile(path, copy);
    await copyFile(`${path}.wal`, `${copy}.wal`).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new ConfrecError(`cannot copy the database for the explorer: ${errorMessage(err)}`, { file: path, hint: `free space in ${tmpdir()} (the explorer needs a copy as large as the database while it loads)`, cause: err });
  } finally {
    await store.run('DETACH held').catch(() => {});
  }
  return copy;
}

/** Loads a snapshot of the database at `path`. Throws ConfrecError (lock, missing, corrupt) as it is. */
export async function loadSnapshot(path: string, opts: { modelDir?: string; log?: Logger; probe?: boolean } = {}): Promise<Snapshot> {
  const started = Date.now();
  const stamp = await fileStamp(path);
  if (!stamp) throw new ConfrecError('no database here yet', { file: path, hint: 'run `confrec run <folder>` first, or pass --db' });
  // The guard of every open first (store/db.ts): a foreign, empty or newer file is refused with its
  // reason, an older confrec database is upgraded; the probe is closed at once. Only for the first
  // snapshot: a file the pipeline rewrote since is confrec's, and opening one file again and again in
  // one process is what trips DuckDB (bad_weak_ptr, seen by the similar commands' tests).
  if (opts.probe !== false) {
    try {
      (await Store.open(path, { readOnly: true })).close();
    } catch (err) {
      throw isLockError(err) ? new DatabaseBusy('the database is being written by another confrec process', { file: path, cause: err }) : err;
    }
  }
  const store = await Store.open(':memory:');
  const morph = await loadMorph();
  let corpus: Corpus;
  let stages: StageFreshness[] = [];
  let copy: string | null = null;
  try {
    copy = await privateCopy(store, path);
    await store.run(`ATTACH ${literal(copy)} AS src (READ_ONLY)`);
    try {
      if ((await store.scalar<number>(Q.TABLE_EXISTS, ['src', 'recommendations'])) === 0) {
        throw new ConfrecError('this database has no confrec tables yet', { file: path, hint: 'run `confrec run <folder>` to fill it' });
      }
      await store.run('USE src');
      // The shared views (current_documents, latest_runs, …) over the copy, also for a file written
      // before they existed: temporary views, bound to whichever database is in use when queried.
      await store.applyViewsReadOnly();
      corpus = await loadCorpus(store, morph, 'src');
      // Stale stages, by the shared API (each stage's fingerprint against its last run), on the copy.
      stages = await explorerStageFreshness(store);
      await copyTables(store);
      await store.run('USE memory');
      if (corpus.embedding?.id.startsWith('lexical')) await store.run(Q.COPY_LEXICAL_MODEL, [corpus.embedding.id]);
    } finally {
      await store.run('USE memory').catch(() => {});
      await store.run('DETACH src').catch(() => {});
    }
  } catch (err) {
    store.close();
    throw err;
  } finally {
    if (copy) await rm(dirname(copy), { recursive: true, force: true });
  }

  let embedder: Embedder | null = null;
  let embedderProblem: string | null = null;
  if (corpus.embedding) {
    const notes: string[] = [];
    const log: Logger = { info: () => {}, warn: (l) => notes.push(l) };
    embedder = await openCurrentEmbedder(store, corpus.embedding, { modelDir: opts.modelDir }, log).catch((err) => {
      notes.push(errorMessage(err));
      return null;
    });
    if (!embedder) embedderProblem = notes.join('; ') || `cannot open ${corpus.embedding.id}`;
  }
  const thesaurus = loadThesaurus(config.synonymsFile, morph);
  const nearDuplicateThreshold = await thresholdForSpace(corpus.embedding);

  let queue: Promise<unknown> = Promise.resolve();
  const snapshot: Snapshot = {
    path,
    store,
    corpus,
    morph,
    embedder,
    embedderProblem,
    nearDuplicateThreshold,
    thresholdCalibrated: await thresholdCalibrated(corpus.embedding),
    thesaurus,
    loadedAt: new Date(),
    loadMs: Date.now() - started,
    stamp,
    freshness: freshnessNotes(corpus, embedderProblem, stages),
    sql<T>(fn: (s: Store) => Promise<T>): Promise<T> {
      const next = queue.then(() => fn(store));
      queue = next.catch(() => {});
      return next;
    },
    async close() {
      await queue.catch(() => {});
      await embedder?.dispose?.();
      store.close();
    },
  };
  (opts.log ?? silentLogger).info(`serve: loaded ${corpus.n} recommendation(s) from ${corpus.docs.length} document(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return snapshot;
}

import { sha256Hex } from '../store/hash.js';

/**
 * File identity, as a pure function: what ingest does with each file it finds, given the versions
 * already stored. A document is a (path, version) pair — the bytes of one file at one place — so
 * identical bytes at two paths are two documents (the later one marked as a copy of the earlier), and
 * editing one of them never retires the other.
 *
 *   path never seen, bytes new ............ new
 *   path never seen, bytes of a stored
 *     current document whose file is gone .. moved (the file was renamed or its folder moved: same
 *                                            document, same doc_id and rec_ids, new path)
 *   path's current version has these bytes  unchanged
 *   an earlier version of the path has them revived (it becomes current again)
 *   otherwise ............................. new, superseding the path's current version if any
 *
 * A new document whose bytes another current document (or another new one) of the same file type
 * already has takes its text from there instead of being read again (`textFrom`).
 */

/** A document version already in the database (documents row, without its text). */
export interface StoredVersion {
  doc_id: string;
  sha256: string;
  source_path: string;
  is_current: boolean;
  /** The reader that made its text (txt, md, docx, pdf, …): equal bytes read by another reader are not a copy. */
  file_type: string;
}

/** A file found now: its path, the sha256 of its bytes and the reader its extension selects. */
export interface ObservedFile {
  path: string;
  sha256: string;
  file_type: string;
}

export type VersionDecision =
  | { kind: 'unchanged'; path: string; doc_id: string }
  | { kind: 'revived'; path: string; doc_id: string; supersedes: string | null }
  | { kind: 'moved'; path: string; doc_id: string; from: string }
  | {
      kind: 'new';
      path: string;
      sha256: string;
      doc_id: string;
      /** The path's current version, retired by this one. */
      supersedes: string | null;
      /** A current (or new) document with the same bytes at another path: its text is this one's. */
      textFrom: string | null;
    };

/**
 * The doc_id of a new version. The first document with given bytes keeps the historical id (the first
 * 16 hex digits of the sha256), so databases built before file identity was (path, version) and after
 * give the same doc_ids and rec_ids; a second path with the same bytes gets an id derived from both.
 */
export function newDocId(sha256: string, path: string, taken: ReadonlySet<string>): string {
  const plain = sha256.slice(0, 16);
  if (!taken.has(plain)) return plain;
  for (let salt = 0; ; salt++) {
    const id = sha256Hex(`${sha256}\n${path}${salt ? `\n${salt}` : ''}`).slice(0, 16);
    if (!taken.has(id)) return id;
  }
}

/** A file's stat as recorded in `file_stats` at its last reading (ino/ctime_ms null in rows of older databases). */
export interface RecordedStat {
  size: number;
  mtime_ms: number;
  sha256: string;
  ino?: number | null;
  ctime_ms?: number | null;
}

/** A file's stat now; an archive member has no inode or ctime of its own (its archive's mtime stands for it). */
export interface CurrentStat {
  size: number;
  mtimeMs: number;
  ino?: number;
  ctimeMs?: number;
}

/**
 * Whether a file must be read and hashed, or its stored hash can be trusted: only when its size,
 * modification time, inode and status-change time are those recorded at the last reading (git's
 * index compares the same fields; make and rsync's quick check only size and mtime), `--rehash` is
 * not given, and that hash is a stored version of this very path. The inode catches a file replaced
 * by another one with the same size and mtime (`cp -p`, `rsync` without --inplace, an editor's
 * save-by-rename); the ctime catches a file written in place whose mtime was set back (`touch -d`,
 * `tar x`), since no user-level call can set the ctime. What no stat can see — bytes changed in
 * place by a program that restores size and mtime and with a clock the ctime does not move on
 * (a ctime set back by changing the system clock, a filesystem without ctime) — is the known limit;
 * `--rehash` reads every file.
 */
export function cachedHash(
  cached: RecordedStat | undefined,
  now: CurrentStat,
  versionsAtPath: ReadonlySet<string> | undefined,
  rehash: boolean,
): string | null {
  if (rehash || !cached || !statMatches(cached, now)) return null;
  return versionsAtPath?.has(cached.sha256) ? cached.sha256 : null;
}

/** The stat half of cachedHash: size and mtime, and for a file on disk its inode and ctime, are those recorded. */
export function statMatches(cached: Omit<RecordedStat, 'sha256'>, now: CurrentStat): boolean {
  if (cached.size !== now.size || cached.mtime_ms !== now.mtimeMs) return false;
  // A file on disk: its inode and ctime must match too (a row of an older database has neither: read once more).
  return now.ino === undefined || (cached.ino === now.ino && cached.ctime_ms === now.ctimeMs);
}

/**
 * The stored versions decideVersions needs to decide `rest`, the observed files that were not
 * settled as unchanged beforehand (their stat and bytes those of their path's current version):
 * every version at their paths, and the current versions with their bytes (text sources, move
 * candidates). Ingest reads exactly these rows with SQL (ingest/stage.ts) instead of every version;
 * this is the same selection on plain rows, for the tests.
 */
export function versionsFor(stored: readonly StoredVersion[], paths: ReadonlySet<string>, shas: ReadonlySet<string>): StoredVersion[] {
  return stored.filter((v) => paths.has(v.source_path) || (v.is_current && shas.has(v.sha256)));
}

/**
 * Files decided outside decideVersions (ingest settles an unchanged file from its stat alone): their
 * paths, which count as observed, and the doc_id of every stored version, which new ones must not take
 * — `stored` then need only be `versionsFor` the remaining files.
 */
export interface SettledFiles {
  paths: { has(path: string): boolean };
  docIds: ReadonlySet<string>;
}

/**
 * Decisions for every observed file, in the order given. `gone` holds the stored paths known not to
 * exist any more (the caller checks only those that could matter: current documents whose bytes turn
 * up at a path not stored yet). Deterministic: the same inputs give the same decisions and doc_ids,
 * whatever the order of `observed`. With `settled` (files known unchanged, decided by the caller),
 * `stored` may be just `versionsFor` the observed files: the decisions are those of every version
 * (tests/unit/versions.test.ts checks it over any history).
 */
export function decideVersions(
  stored: readonly StoredVersion[],
  observed: readonly ObservedFile[],
  gone: ReadonlySet<string> = new Set(),
  settled: SettledFiles | null = null,
): VersionDecision[] {
  const byPath = new Map<string, StoredVersion[]>();
  for (const v of stored) {
    const list = byPath.get(v.source_path);
    if (list) list.push(v);
    else byPath.set(v.source_path, [v]);
  }
  const taken = new Set(settled ? settled.docIds : stored.map((v) => v.doc_id));
  const observedPaths = new Set(observed.map((f) => f.path));
  const isObserved = (path: string) => observedPaths.has(path) || (settled?.paths.has(path) ?? false);
  // Current documents by their bytes (text sources and move candidates), smallest doc_id first.
  const currentBySha = new Map<string, StoredVersion[]>();
  for (const v of [...stored].sort((a, b) => (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0))) {
    if (!v.is_current) continue;
    const list = currentBySha.get(v.sha256);
    if (list) list.push(v);
    else currentBySha.set(v.sha256, [v]);
  }

  const decided = new Map<string, VersionDecision>();
  const sorted = [...observed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // 1. Paths already stored: unchanged or revived; the rest of them get a new version (step 3).
  for (const f of sorted) {
    const versions = byPath.get(f.path);
    if (!versions) continue;
    const current = versions.find((v) => v.is_current) ?? null;
    if (current?.sha256 === f.sha256) {
      decided.set(f.path, { kind: 'unchanged', path: f.path, doc_id: current.doc_id });
      continue;
    }
    const earlier = versions.find((v) => v.sha256 === f.sha256);
    if (earlier) decided.set(f.path, { kind: 'revived', path: f.path, doc_id: earlier.doc_id, supersedes: current?.doc_id ?? null });
  }
  // 2. New paths holding the bytes of a current document whose file is gone: the file moved.
  const claimed = new Set<string>();
  for (const f of sorted) {
    if (byPath.has(f.path)) continue;
    const from = (currentBySha.get(f.sha256) ?? []).find(
      (v) => v.file_type === f.file_type && gone.has(v.source_path) && !isObserved(v.source_path) && !claimed.has(v.doc_id),
    );
    if (!from) continue;
    claimed.add(from.doc_id);
    decided.set(f.path, { kind: 'moved', path: f.path, doc_id: from.doc_id, from: from.source_path });
  }
  // 3. Everything else is a new version; the first new document with given bytes is the text source of later ones.
  const retired = new Set<string>();
  for (const d of decided.values()) if (d.kind === 'revived' && d.supersedes) retired.add(d.supersedes);
  const freshBySha = new Map<string, string>();
  const pending: { f: ObservedFile; current: StoredVersion | null }[] = [];
  for (const f of sorted) {
    if (decided.has(f.path)) continue;
    const current = byPath.get(f.path)?.find((v) => v.is_current) ?? null;
    if (current) retired.add(current.doc_id);
    pending.push({ f, current });
  }
  for (const { f, current } of pending) {
    const doc_id = newDocId(f.sha256, f.path, taken);
    taken.add(doc_id);
    const key = `${f.file_type}:${f.sha256}`;
    const storedSource = (currentBySha.get(f.sha256) ?? []).find((v) => !retired.has(v.doc_id) && v.file_type === f.file_type);
    const textFrom = storedSource?.doc_id ?? freshBySha.get(key) ?? null;
    if (!freshBySha.has(key)) freshBySha.set(key, doc_id);
    decided.set(f.path, { kind: 'new', path: f.path, sha256: f.sha256, doc_id, supersedes: current?.doc_id ?? null, textFrom });
  }
  return observed.map((f) => decided.get(f.path)!);
}

/**
 * The bytes (sha256) whose documents a set of decisions may change in the columns `copy_of` is
 * computed from (which documents are current, their path): every version a decision adds, revives,
 * moves or retires. Unchanged files touch nothing. A superset is harmless (ingest recomputes those
 * partitions exactly); a missing sha would leave a stale copy_of, so every kind but 'unchanged' counts,
 * applied or not.
 */
export function touchedShas(decisions: readonly VersionDecision[], observed: readonly ObservedFile[], stored: readonly StoredVersion[]): Set<string> {
  const observedSha = new Map(observed.map((f) => [f.path, f.sha256]));
  let storedSha: Map<string, string> | null = null;
  const shaOf = (docId: string) => (storedSha ??= new Map(stored.map((v) => [v.doc_id, v.sha256]))).get(docId);
  const out = new Set<string>();
  const add = (sha: string | undefined) => {
    if (sha !== undefined) out.add(sha);
  };
  for (const d of decisions) {
    if (d.kind === 'unchanged') continue;
    add(observedSha.get(d.path));
    if (d.kind === 'new') add(d.sha256);
    else add(shaOf(d.doc_id));
    if ((d.kind === 'new' || d.kind === 'revived') && d.supersedes) add(shaOf(d.supersedes));
  }
  return out;
}

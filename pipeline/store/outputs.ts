import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * No command writes its output over the database. Every path a command writes (export --out,
 * report --out and its files, calibration files, synth --out, model make-tiny) is checked here
 * against the database file and the files DuckDB keeps beside it (`<db>.wal`), by real path — so
 * `./x/../confrec.duckdb` and a symbolic link to it are caught — and, when both exist, by device and
 * inode, which also catches a hard link.
 */

/**
 * The `<meta name="generator">` of the pages confrec writes (the report): ingest refuses a page
 * that carries it (ingest/readers/html.ts), so a report written into the folder of resolutions
 * (`cd resolutions && confrec run .`) is not read back as a resolution on the next run.
 */
export const GENERATOR = 'confrec';

/** Whether an HTML page was written by confrec (its generator meta tag, in any attribute order). */
export function writtenByConfrec(html: string): boolean {
  const head = html.slice(0, 4096);
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    if (/\bname\s*=\s*["']?generator\b/i.test(tag) && new RegExp(`\\bcontent\\s*=\\s*["']?${GENERATOR}\\b`, 'i').test(tag)) return true;
  }
  return false;
}

/** The real path of a file that may not exist yet: its deepest existing folder resolved, the rest appended. */
function realTarget(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realTarget(parent), basename(abs));
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** The database file and the files DuckDB writes beside it. */
export function databaseFiles(dbPath: string): string[] {
  return [dbPath, `${dbPath}.wal`];
}

/** The database file or its WAL that `path` is (by real path, or device and inode), or null. */
function databaseFileAt(path: string, dbPath: string): string | null {
  if (dbPath === ':memory:') return null;
  const target = realTarget(path);
  return databaseFiles(resolve(dbPath)).find((file) => target === realTarget(file) || sameFile(target, file)) ?? null;
}

/** Whether `path` is the database at dbPath or its WAL (ingest skips them when they lie among the resolutions). */
export function isDatabaseFile(path: string, dbPath: string): boolean {
  return databaseFileAt(path, dbPath) !== null;
}

/** Throws a UsageError when writing `out` would overwrite the database at dbPath or its WAL. */
export function refuseDatabaseTarget(out: string, dbPath: string, what = '--out'): void {
  const file = databaseFileAt(out, dbPath);
  if (file === null) return;
  const which = file.endsWith('.wal') ? "the database's write-ahead log" : 'the database file';
  throw new UsageError(`${what} ${out} is ${which} (${file}); nothing was written`, 'choose another output file');
}

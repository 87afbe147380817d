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

/** Throws a UsageError when writing `out` would overwrite the database at dbPath or its WAL. */
export function refuseDatabaseTarget(out: string, dbPath: string, what = '--out'): void {
  if (dbPath === ':memory:') return;
  const target = realTarget(out);
  for (const file of databaseFiles(resolve(dbPath))) {
    if (target === realTarget(file) || sameFile(target, file)) {
      const which = file.endsWith('.wal') ? "the database's write-ahead log" : 'the database file';
      throw new UsageError(`${what} ${out} is ${which} (${file}); nothing was written`, 'choose another output file');
    }
  }
}

import { ConfrecError } from '../errors.js';

/**
 * DuckDB's errors that a user can act on, recognised by DuckDB's own wording (checked against
 * @duckdb/node-api 1.5; tests/e2e/database-guard.test.ts produces each of them), and turned into one
 * ConfrecError that says what happened and what to do. Anything else is returned unchanged: it is a
 * bug, and its stack is worth having with --verbose.
 */

/** "IO Error: Could not set lock on file "…": Conflicting lock is held in /usr/bin/node (PID 123)…" */
const LOCK = /Could not set lock on file "[^"]*": Conflicting lock is held in (.*?) \(PID (\d+)\)/;
/** A block whose checksum fails, a file cut short, or DuckDB's own corruption checks. */
const CORRUPT = [
  /Corrupt database file/i,
  /computed checksum \d+ does not match stored checksum/,
  /Could not read enough bytes from file/,
  /DataCorruption|Data corruption/i,
];
/** "IO Error: The file "…" exists, but it is not a valid DuckDB database file!" */
const NOT_DUCKDB = /is not a valid DuckDB database file/;
/** "Trying to read a database file with version number 70, but we can only read version 64…" */
const NEWER_FORMAT = /Trying to read a database file with version number|newer version of DuckDB/i;
/** "Could not write file "…/confrec.duckdb.wal": No space left on device" (and Node's ENOSPC). */
const NO_SPACE = /No space left on device|ENOSPC/;
/** After a failed write DuckDB refuses further work on the instance until it is reopened. */
const INVALIDATED = /database has been invalidated/i;

export const MOVE_ASIDE = 'move it aside (keep it if you want to inspect it) and re-run `confrec run <folder>` to rebuild it from the source files';

export function isCorruption(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return CORRUPT.some((re) => re.test(msg));
}

/** The file an error names: DuckDB quotes it ("…"), Node's errors carry it in `path`. */
function namedFile(err: unknown, msg: string): string | undefined {
  const errPath = (err as NodeJS.ErrnoException | null)?.path;
  if (typeof errPath === 'string') return errPath;
  return /file "([^"]+)"/.exec(msg)?.[1];
}

export function corruptionError(dbPath: string, err: unknown): ConfrecError {
  const msg = err instanceof Error ? err.message : String(err);
  const what = /Could not read enough bytes/.test(msg) ? 'the database file is damaged (shorter than it should be: cut off?)' : 'the database file is damaged (a block fails its checksum)';
  return new ConfrecError(what, { file: dbPath, hint: MOVE_ASIDE, cause: err });
}

/**
 * A ConfrecError for the errors above (opening or working on the database at dbPath), or the error
 * itself when it is none of them.
 */
export function explainDatabaseError(dbPath: string, err: unknown): unknown {
  if (err instanceof ConfrecError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const lock = LOCK.exec(msg);
  if (lock) {
    const [, program, pid] = lock;
    const who = /(^|\/)node(js)?$/.test(program) ? `another confrec process (PID ${pid})` : `another program (${program}, PID ${pid})`;
    return new ConfrecError(`the database is in use by ${who}`, {
      file: dbPath,
      hint: 'wait for it to finish (or close that DuckDB client or notebook), or use another --db file',
      cause: err,
    });
  }
  if (NO_SPACE.test(msg) || (err as NodeJS.ErrnoException | null)?.code === 'ENOSPC') {
    const file = namedFile(err, msg) ?? dbPath;
    return new ConfrecError(`no space left on device while writing ${file}; nothing was lost; free space and re-run`, { cause: err });
  }
  if (CORRUPT.some((re) => re.test(msg))) return corruptionError(dbPath, err);
  if (NOT_DUCKDB.test(msg)) {
    return new ConfrecError('this file is not a readable DuckDB database (written by another program, or damaged)', {
      file: dbPath,
      hint: `give confrec its own file with --db, or ${MOVE_ASIDE}`,
      cause: err,
    });
  }
  if (NEWER_FORMAT.test(msg)) {
    return new ConfrecError('this database was written by a newer DuckDB than this confrec uses', {
      file: dbPath,
      hint: 'update confrec (npm install) and try again',
      cause: err,
    });
  }
  if (INVALIDATED.test(msg)) {
    return new ConfrecError('the database refused further writes after an earlier error in this run; nothing was committed by the failed step', {
      file: dbPath,
      hint: 'fix the cause reported above (disk space?) and re-run',
      cause: err,
    });
  }
  return err;
}

import { describe, it, expect } from 'vitest';
import { ConfrecError, errorMessage, escapeControl } from '../../pipeline/errors.js';
import { explainDatabaseError } from '../../pipeline/store/diagnose.js';

describe('control characters are escaped in every message', () => {
  it.each([
    ['newline', 'перевод\nстроки.txt', 'перевод\\nстроки.txt'],
    ['carriage return', 'a\rb', 'a\\rb'],
    ['ANSI colour and erase-line', 'x\x1b[31mred\x1b[2K', 'x\\e[31mred\\e[2K'],
    ['C1 CSI', 'x\u009b31m', 'x\\x9b31m'],
    ['bidi override', 'обратный \u202etxt.exe', 'обратный \\u{202e}txt.exe'],
    ['NUL and DEL', 'a\u0000b\u007f', 'a\\x00b\\x7f'],
    ['Cyrillic, emoji and quotes stay as they are', 'Резолюция «📌» "2024".txt', 'Резолюция «📌» "2024".txt'],
  ])('%s', (_what, raw, shown) => {
    expect(escapeControl(raw)).toBe(shown);
    const line = new ConfrecError('empty file', { file: `/data/${raw}`, hint: 'add text' }).toLine();
    expect(line).toBe(`/data/${shown}: empty file — add text`);
    expect(line.split('\n')).toHaveLength(1);
  });

  it('listings keep their line breaks but not escape sequences', () => {
    expect(escapeControl('a\n\tb\x1b[2K', { keepLines: true })).toBe('a\n\tb\\e[2K');
  });

  it('errors that are not ConfrecErrors are one line too', () => {
    expect(errorMessage(new Error('Binder Error\nLINE 1: …'))).toBe('Binder Error\\nLINE 1: …');
  });
});

describe('DuckDB errors are recognised by their own wording', () => {
  const db = '/data/confrec.duckdb';
  const line = (msg: string) => {
    const e = explainDatabaseError(db, new Error(msg));
    return e instanceof ConfrecError ? e.toLine() : `raw: ${(e as Error).message}`;
  };

  it('a damaged block is corruption, not a lock (the message says "block")', () => {
    const msg = 'IO Error: Corrupt database file: computed checksum 5381 does not match stored checksum 0 in block at location 274432';
    expect(line(msg)).toMatch(/database file is damaged/);
    expect(line(msg)).toMatch(/move it aside/);
    expect(line(msg)).not.toMatch(/in use/);
  });

  it('the lock error names the process that holds it', () => {
    const node = 'IO Error: Could not set lock on file "/data/confrec.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency';
    expect(line(node)).toBe('/data/confrec.duckdb: the database is in use by another confrec process (PID 4242) — wait for it to finish (or close that DuckDB client or notebook), or use another --db file');
    const py = node.replace('/usr/bin/node', '/usr/bin/python3.11');
    expect(line(py)).toMatch(/in use by another program \(\/usr\/bin\/python3\.11, PID 4242\)/);
  });

  it('a file cut short is damage', () => {
    expect(line('IO Error: Could not read enough bytes from file "/data/confrec.duckdb": attempted to read 262144 bytes from location 11022336')).toMatch(
      /damaged \(shorter than it should be/,
    );
  });

  it('disk full names the file and says nothing was lost', () => {
    const msg = 'TransactionContext Error: Failed to commit: Could not write file "/mnt/small/confrec.duckdb.wal": No space left on device';
    expect(line(msg)).toBe('no space left on device while writing /mnt/small/confrec.duckdb.wal; nothing was lost; free space and re-run');
    const node = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/mnt/small/out.arrow' });
    expect((explainDatabaseError(db, node) as ConfrecError).toLine()).toMatch(/while writing \/mnt\/small\/out\.arrow; nothing was lost/);
  });

  it('other errors pass through unchanged (bugs keep their stack)', () => {
    expect(line('Binder Error: Referenced column "x" not found')).toBe('raw: Binder Error: Referenced column "x" not found');
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../pipeline/store/hash.js';
import { confrec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import {
  blockOffset,
  checkpoint,
  dataBlocks,
  flipByte,
  truncatedCopy,
  writeEmptyDuckDB,
  writeForeignDatabase,
  zeroBlocks,
} from '../hostile/databases.js';
import { writeAstralFile, writeIdenticalFiles } from '../hostile/files.js';

const fileHash = (path: string) => sha256Hex(readFileSync(path));
const oneLine = (s: string) => s.trim().split('\n');

let corpus: string;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = tempDir('confrec-guard-');
  corpus = join(dir, 'corpus');
  writeIdenticalFiles(corpus);
  writeAstralFile(corpus);
  base = join(dir, 'base.duckdb');
  expect(confrec(['run', corpus, '--db', base, '--quiet']).code).toBe(0);
  await checkpoint(base);
});

describe('a DuckDB file of another program', () => {
  it.each([['status'], ['run', '<corpus>'], ['ingest', '<corpus>'], ['export', 'documents', '--out', '<out>'], ['similar', 'родители']])(
    '`confrec %s` refuses it before writing anything',
    async (...args: string[]) => {
      const foreign = join(tempDir(), 'sales.duckdb');
      await writeForeignDatabase(foreign);
      const before = fileHash(foreign);
      const out = join(dir, `foreign-${args[0]}.jsonl`);
      const r = confrec([...args.map((a) => (a === '<corpus>' ? corpus : a === '<out>' ? out : a)), '--db', foreign]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/this DuckDB file was not made by confrec: it holds customers, sales — nothing was written to it/);
      expect(oneLine(r.err)).toHaveLength(1);
      expect(fileHash(foreign)).toBe(before);
      expect(existsSync(`${foreign}.wal`)).toBe(false);
      expect(existsSync(out)).toBe(false);
    },
  );

  it('an empty DuckDB file is adopted; an empty one opened to read says so', async () => {
    const empty = join(tempDir(), 'empty.duckdb');
    await writeEmptyDuckDB(empty);
    const status = confrec(['status', '--db', empty]);
    expect(status.code).toBe(1);
    expect(status.err).toMatch(/the database is empty — run `confrec run <folder>` first/);
    const run = confrec(['ingest', corpus, '--db', empty, '--quiet']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(confrec(['status', '--json', '--db', empty]).out).documents.current).toBe(4);
  });
});

describe('a damaged database is called damaged, with the move-aside advice, by status and export', () => {
  const damaged = /the database file is damaged .* — move it aside .* re-run `confrec run <folder>`/;

  async function expectDamaged(db: string, shorter = false) {
    const before = fileHash(db);
    for (const args of [['status'], ['export', 'recommendations', '--format', 'csv', '--out', join(dir, 'out.csv')]]) {
      const r = confrec([...args, '--db', db]);
      expect(r.code, `${args[0]}: ${r.err}`).toBe(1);
      expect(r.err).toMatch(damaged);
      if (shorter) expect(r.err).toMatch(/shorter than it should be/);
      expect(r.err).not.toMatch(/in use/);
      expect(oneLine(r.err)).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fileHash(db)).toBe(before);
  }

  it('one flipped byte inside a data block of documents (caught by the integrity probe, not at a later query)', async () => {
    const { blockSize, blocks } = await dataBlocks(base, 'documents');
    for (const block of [blocks[0], blocks[blocks.length - 1]]) {
      const db = join(tempDir(), `flip-${block}.duckdb`);
      flipByte(base, db, blockOffset(block, blockSize) + 8 + 1000);
      await expectDamaged(db);
    }
  });

  it('one flipped byte in the catalogue block (the message says "block": it is not a lock)', async () => {
    const db = join(tempDir(), 'flip-catalogue.duckdb');
    flipByte(base, db, blockOffset(0, 262_144) + 8 + 16);
    await expectDamaged(db);
  });

  it('zeroed blocks: the catalogue, and data blocks in the middle', async () => {
    const { blockSize, blocks } = await dataBlocks(base, 'recommendations');
    const first = join(tempDir(), 'zero-first.duckdb');
    zeroBlocks(base, first, 0, 2, blockSize);
    await expectDamaged(first);
    const middle = join(tempDir(), 'zero-middle.duckdb');
    zeroBlocks(base, middle, blocks[0], 1, blockSize);
    await expectDamaged(middle);
  });

  it('a file cut short', async () => {
    const db = join(tempDir(), 'cut.duckdb');
    truncatedCopy(base, db, 0.5);
    await expectDamaged(db, true);
  });

  it('the intact database passes, and status says what it checked', () => {
    const r = confrec(['status', '--db', base]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/integrity: every block of \d+ tables read, checksums verified/);
  });
});

describe('no command writes its output over the database', () => {
  let db: string;
  let before: string;
  beforeAll(() => {
    db = join(tempDir(), 'target.duckdb');
    expect(confrec(['ingest', corpus, '--db', db, '--quiet']).code).toBe(0);
    before = fileHash(db);
  });

  it.each([
    ['export over the database', (db: string) => ['export', 'recommendations', '--format', 'csv', '--out', db]],
    ['export over its WAL', (db: string) => ['export', 'documents', '--out', `${db}.wal`]],
    ['export through a roundabout path', (db: string) => ['export', 'documents', '--out', join(db, '..', '.', 'x', '..', db.split('/').pop()!)]],
    ['report into the database file', (db: string) => ['report', '--out', db]],
    ['synth into the database file', (db: string) => ['synth', '--docs', '3', '--out', db]],
  ])('%s is refused', (_what, args) => {
    const r = confrec([...args(db), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is the database( file|'s write-ahead log) .*nothing was written/);
    expect(fileHash(db)).toBe(before);
  });

  it('a symbolic link or a hard link to the database is the database', () => {
    const d = tempDir();
    symlinkSync(db, join(d, 'export.csv'));
    linkSync(db, join(d, 'hard.csv'));
    for (const out of ['export.csv', 'hard.csv']) {
      const r = confrec(['export', 'documents', '--format', 'csv', '--out', join(d, out), '--db', db]);
      expect(r.code).toBe(2);
    }
    expect(fileHash(db)).toBe(before);
    expect(JSON.parse(confrec(['status', '--json', '--db', db]).out).documents.current).toBe(4);
  });
});

/** A real full disk: a small tmpfs (needs root and mount; the message mapping is unit-tested without it). */
function tryMount(size: string): string | null {
  try {
    const mnt = join(tempDir('confrec-tmpfs-'), 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt], { stdio: 'ignore' });
    afterAll(() => {
      try {
        execFileSync('umount', [mnt], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    });
    return mnt;
  } catch {
    return null;
  }
}

/** Fills the file system of `dir` but for `leave` bytes; returns the filler file. */
function fill(dir: string, leave: number): string {
  const filler = join(dir, 'filler.bin');
  const { bavail, bsize } = statfsSync(dir);
  writeFileSync(filler, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - leave)));
  return filler;
}

describe('disk full', () => {
  const mnt = process.getuid?.() === 0 ? tryMount('32m') : null;

  it.skipIf(!mnt)('says which file, that nothing was lost, and what to do; what was committed stays, and the re-run finishes', () => {
    const db = join(mnt!, 'full.duckdb');
    expect(confrec(['ingest', corpus, '--db', db, '--quiet']).code).toBe(0);
    const filler = fill(mnt!, 64 * 1024);
    const r = confrec(['run', corpus, '--db', db, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^confrec run: no space left on device while writing \/.*full\.duckdb(\.wal)?; nothing was lost; free space and re-run\n$/);
    rmSync(filler);
    expect(JSON.parse(confrec(['status', '--json', '--db', db]).out).documents.current).toBe(4);
    const again = confrec(['run', corpus, '--db', db, '--quiet']);
    expect(again.err).toBe('');
    expect(again.code).toBe(0);
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  });

  it.skipIf(!mnt)('an export that does not fit leaves no half file', () => {
    const out = join(mnt!, 'documents.jsonl');
    const filler = fill(mnt!, 4 * 1024);
    const r = confrec(['export', 'documents', '--out', out, '--db', base]);
    rmSync(filler);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no space left on device while writing .*documents\.jsonl; nothing was lost/);
    expect(readdirSync(mnt!)).toEqual([]);
  });
});

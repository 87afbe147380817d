/**
 * Generated hostile input folders (see README.md): identical files, astral characters, control
 * characters and newlines in file names, names at the file-system limit. Each writer returns what
 * it wrote, so tests assert on it instead of on hard-coded copies.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { astralResolution, plainResolution } from './texts.js';

/** Two files with the same bytes at two paths, plus an unrelated third. */
export function writeIdenticalFiles(dir: string): { a: string; b: string; other: string } {
  mkdirSync(dir, { recursive: true });
  const a = join(dir, 'a.txt');
  const b = join(dir, 'b.txt');
  const other = join(dir, 'other.txt');
  writeFileSync(a, plainResolution(0));
  writeFileSync(b, plainResolution(0));
  writeFileSync(other, plainResolution(7));
  return { a, b, other };
}

export function writeAstralFile(dir: string, name = 'astral.txt'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, astralResolution());
  return path;
}

/**
 * File names that break one-line messages or terminals: a newline, a carriage return, an ANSI escape
 * sequence that would turn the terminal red and clear the line, a C1 control (U+009B, the one-byte
 * CSI), a bidi override. Each is an unreadable file (a .png) or a file with no text, so ingest
 * reports it. Returns the names written.
 */
export function writeControlCharacterNames(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names = [
    'перевод\nстроки.png',
    'возврат\rкаретки.png',
    'красный \x1b[31mтекст\x1b[2K.png',
    'csi \u009b31m.png',
    'обратный \u202etxt.exe.png',
    'пустой\tфайл.txt',
  ];
  for (const n of names) writeFileSync(join(dir, n), n.endsWith('.txt') ? '' : 'not a resolution');
  return names;
}

/**
 * A resolution whose name is 250 bytes of UTF-8 (125 Cyrillic letters; the usual limit is 255
 * bytes), so that "<stem>.meta.json" beside it would be longer than the file system allows.
 */
export function writeLongName(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const stem = 'р'.repeat(123);
  const name = `${stem}.txt`; // 246 + 4 = 250 bytes
  if (Buffer.byteLength(name) !== 250) throw new Error(`long name is ${Buffer.byteLength(name)} bytes`);
  const path = join(dir, name);
  writeFileSync(path, plainResolution(3));
  return path;
}

/**
 * The corpus of the migration fixture (make-old-database.sh): identical a.txt and b.txt, an astral
 * resolution, and c.txt in two versions (stage 1 and 2, ingested one after the other).
 */
export function writeMigrationCorpus(dir: string, stage: 1 | 2): void {
  writeIdenticalFiles(dir);
  writeAstralFile(dir);
  writeFileSync(join(dir, 'c.txt'), plainResolution(stage === 1 ? 11 : 12));
}

// `npx tsx tests/hostile/files.ts migration-corpus <dir> <1|2>` (used by make-old-database.sh).
if (process.argv[2] === 'migration-corpus') writeMigrationCorpus(process.argv[3], Number(process.argv[4]) as 1 | 2);

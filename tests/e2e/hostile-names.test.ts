import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { confrec } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeControlCharacterNames, writeIdenticalFiles, writeLongName } from '../hostile/files.js';

/** Raw control characters a terminal would act on: C0 but newline, DEL, C1, bidi overrides. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('control characters and newlines in file names (issue 10 §7)', () => {
  it('every skip message is one line, with the characters escaped, and so is status', () => {
    const corpus = tempDir();
    const names = writeControlCharacterNames(corpus);
    writeIdenticalFiles(corpus);
    const db = join(tempDir(), 'names.duckdb');
    const r = confrec(['ingest', corpus, '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(names.length);
    // The .png names hold text, not pictures: read as images, they are skipped as unreadable ones.
    for (const l of lines) expect(l).toMatch(/^skipped .*: (unsupported file type|empty file|not a readable image)/);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toContain('перевод\\nстроки.png');
    expect(r.err).toContain('красный \\e[31mтекст\\e[2K.png');
    expect(r.err).toContain('csi \\x9b31m.png');
    expect(r.err).toContain('обратный \\u{202e}txt.exe.png');
    expect(r.out).toMatch(/^ingest: 3 new document\(s\)/);

    const status = confrec(['status', '--db', db]);
    expect(status.out).not.toMatch(RAW_CONTROL);
    const skipped = status.out.split('\n').filter((l) => /^ {2}\/.*: /.test(l));
    expect(skipped).toHaveLength(names.length);
  });

  it('an error about a folder with an escape sequence in its name is one line', () => {
    const r = confrec(['ingest', join(tempDir(), 'нет\x1b[2Jпапки\nздесь'), '--db', join(tempDir(), 'x.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(RAW_CONTROL);
  });
});

describe('a 250-byte file name', () => {
  it('is ingested: the sidecar path it would have ("<name>.meta.json") is too long to exist, so there is none', () => {
    const corpus = tempDir();
    const path = writeLongName(corpus);
    // A folder sidecar makes ingest look for the per-document one too.
    writeFileSync(join(corpus, 'metadata.csv'), `file,city\n${basename(path)},Вологда\n`);
    const db = join(tempDir(), 'long.duckdb');
    const r = confrec(['run', corpus, '--db', db]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/ingest: 1 new document\(s\), 0 unchanged, 0 skipped/);
    expect(r.out).toMatch(/segment: 4 recommendation\(s\) from 1 document\(s\)/);
  });
});

describe('a metadata.csv whose quoting slip happens to close', () => {
  it('is reported, naming the CSV and the line; the documents it covers are skipped, nothing is stored wrong', () => {
    const corpus = tempDir();
    writeIdenticalFiles(corpus);
    // The quote opened in a.txt's row closes in b.txt's: well-formed in shape, b.txt's row swallowed.
    writeFileSync(join(corpus, 'metadata.csv'), 'file,title,city\na.txt,"Семья и школа,Вологда\nb.txt,Диалог",Череповец\n');
    const r = confrec(['ingest', corpus, '--db', join(tempDir(), 'csv.duckdb')]);
    expect(r.code).toBe(0);
    const lines = r.err.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) expect(l).toMatch(/metadata\.csv: malformed CSV at line 2: the quoted field opened here runs over line 3/);
  });
});

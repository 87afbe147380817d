import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { GOLD_DIR, sampleCopy, tempDir } from '../helpers/tmp.js';

// The CLI as users run it: the compiled bin (npm test builds dist/ first).
const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');
// Reports go to a temporary folder, not into the checkout.
const REPORTS = join(tmpdir(), `confrec-cli-reports-${process.pid}`);

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONFREC_REPORTS: REPORTS } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('confrec CLI', () => {
  let db: string;
  let corpus: string;
  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', '..', 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first');
    db = join(tempDir(), 'cli.duckdb');
    corpus = sampleCopy();
  });

  it('run ingests and segments a folder and prints one line per stage', () => {
    const r = confrec('run', corpus, '--db', db);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ingest: 5 new document\(s\), 0 unchanged, 0 skipped/);
    expect(r.out).toMatch(/segment: 39 recommendation\(s\) from 5 document\(s\)/);
  });

  it('status shows documents, recommendations and runs', () => {
    const r = confrec('status', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/documents: 5 current/);
    expect(r.out).toMatch(/recommendations: 39/);
    expect(r.out).toMatch(/flagged documents: none/);
    expect(r.out).toMatch(/#\d+ .* segment ok/);
    const json = JSON.parse(confrec('status', '--json', '--db', db).out);
    expect(json.recommendations).toBe(39);
  });

  it('eval scores the database against the gold files', () => {
    const r = confrec('eval', '--gold', GOLD_DIR, '--json', '--db', db);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.f1).toBeGreaterThanOrEqual(0.97);
  });

  it('export writes a csv with source_file', () => {
    const out = join(tempDir(), 'recs.csv');
    const r = confrec('export', 'recommendations', '--format', 'csv', '--out', out, '--db', db);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0].split(',')).toContain('source_file');
    expect(lines).toHaveLength(40);
  });

  it('a missing input folder is a usage error: one line, exit code 2, nothing stored changes', () => {
    const r = confrec('ingest', join(corpus, 'nope'), '--db', db);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/input folder not found/);
    expect(confrec('status', '--json', '--db', db).out).toMatch(/"recommendations": 39/);
  });

  it('unknown options and commands are usage errors', () => {
    expect(confrec('run', corpus, '--bogus', '--db', db).code).toBe(2);
    expect(confrec('frobnicate').code).toBe(2);
    expect(confrec('--help').out).toMatch(/Commands:/);
  });

  it('a corrupt database file gives a clear message', () => {
    const bad = join(tempDir(), 'bad.duckdb');
    writeFileSync(bad, 'this is not a database'.repeat(500));
    const r = confrec('status', '--db', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a readable DuckDB database|cannot open the database/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLD_DIR, SAMPLE_DIR, sampleCopy, tempDir } from '../helpers/tmp.js';

// The CLI as users run it: the compiled bin (npm test builds dist/ first).
const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');
// Reports go to a temporary folder, not into the checkout.
const REPORTS = tempDir('confrec-cli-reports-');

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONFREC_REPORTS: REPORTS } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('confrec CLI', () => {
  // One run of the sample corpus, made before the tests; every test below only reads it (or works
  // on a folder or file of its own), so they pass in any order.
  let db: string;
  let corpus: string;
  let run: ReturnType<typeof confrec>;
  let recommendations: number;
  const files = readdirSync(SAMPLE_DIR).filter((f) => /\.(txt|md|docx|pdf)$/.test(f)).length;
  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', '..', 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first');
    db = join(tempDir(), 'cli.duckdb');
    corpus = sampleCopy();
    run = confrec('run', corpus, '--db', db);
    recommendations = JSON.parse(confrec('status', '--json', '--db', db).out).recommendations;
  });

  it('run ingests, segments and analyses a folder and prints one line per stage', () => {
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`ingest: ${files} new document\\(s\\), 0 unchanged, 0 skipped`));
    expect(run.out).toMatch(new RegExp(`segment: ${recommendations} recommendation\\(s\\) from ${files} document\\(s\\)`));
    expect(recommendations).toBeGreaterThan(files);
    const stages = run.out.split('\n').filter((l) => /^[a-z]+: /.test(l) && !/^embed: model /.test(l)).map((l) => l.split(':')[0]);
    expect(stages).toEqual(['ingest', 'segment', 'addressees', 'embed', 'themes', 'clusters', 'similar', 'recurring', 'map', 'report']);
    expect(run.out).toMatch(/^done in \d+\.\d s — database: /m);
  });

  it('status shows documents, recommendations, freshness and runs', () => {
    const r = confrec('status', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`documents: ${files} current`));
    expect(r.out).toMatch(new RegExp(`recommendations: ${recommendations}\n`));
    expect(r.out).toMatch(/flagged documents: none/);
    expect(r.out).toMatch(/every stage is up to date/);
    expect(r.out).toMatch(/#\d+ .* segment ok/);
  });

  it('eval scores the database against the gold files', () => {
    const r = confrec('eval', '--gold', GOLD_DIR, '--json', '--db', db);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.f1).toBeGreaterThanOrEqual(0.97);
  });

  it('export writes a csv with source_file, one row per recommendation', () => {
    const out = join(tempDir(), 'recs.csv');
    const r = confrec('export', 'recommendations', '--format', 'csv', '--out', out, '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`export: ${recommendations} row(s) of recommendations → ${out}\n`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0].split(',')).toContain('source_file');
    expect(lines).toHaveLength(recommendations + 1);
  });

  it('export of embeddings from an embedder that is not there is an error, not an empty file', () => {
    const out = join(tempDir(), 'emb.jsonl');
    const r = confrec('export', 'embeddings', '--format', 'jsonl', '--out', out, '--embedder', "x' OR 1=1 --", '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^confrec export: no embeddings from embedder "x' OR 1=1 --" in this database — embedders present: lexical-v1:[0-9a-f]{16} \(\d+ vectors\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing input folder is a usage error: one line, exit code 2, nothing stored changes', () => {
    const r = confrec('ingest', join(corpus, 'nope'), '--db', db);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/input folder not found/);
    expect(JSON.parse(confrec('status', '--json', '--db', db).out).recommendations).toBe(recommendations);
  });

  it('unknown options and commands are usage errors', () => {
    const bad = confrec('run', corpus, '--bogus', '--db', join(tempDir(), 'unused.duckdb'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--bogus/);
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

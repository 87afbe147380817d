/**
 * `confrec serve` and `confrec check` as people run them (the compiled bin), and the explorer beside a
 * writer: the server never holds the database, a `confrec run` proceeds while it answers, and the new
 * data appear without a restart; while another process writes, the old data keep being served.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSource } from '../../pipeline/serve/source.js';
import { buildExplorerDb, DRAFT_DOCX, explorerTempDir } from '../helpers/explorer.js';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'confrec.js');
let REPORTS = '';

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, CONFREC_REPORTS: REPORTS } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts `confrec serve` and resolves with its URL once it listens. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; err: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 120_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /explorer at (http:\/\/\S+?)\/? /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1].replace(/\/$/, ''), err: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

let db: string;
let corpus: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first');
  // Reports of `run` and `check --save` go to a temporary folder, removed after the file.
  REPORTS = explorerTempDir('confrec-serve-reports-');
  ({ db, corpus } = await buildExplorerDb());
});

describe('confrec serve', () => {
  it('serves the explorer on loopback, answers pages, and stops cleanly', async () => {
    const s = await serve(['--db', db, '--port', '0']);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${s.url}/search?q=${encodeURIComponent('наставничество')}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<mark>наставничества<\/mark>/);
      // A 100 KB query in the URL reaches the application (not Node's bare 431) and is refused in Russian.
      const long = await fetch(`${s.url}/search?q=${encodeURIComponent('а'.repeat(100_000))}`);
      expect(long.status).toBe(414);
      expect(await long.text()).toMatch(/Слишком длинный запрос/);
      expect(s.err()).toBe('');
    } finally {
      expect(await stop(s.child)).toBe(0);
    }
  });

  it('warns that there is no authentication when told to listen beyond loopback', async () => {
    const s = await serve(['--db', db, '--port', '0', '--host', '0.0.0.0']);
    try {
      expect(s.err()).toMatch(/no authentication/);
    } finally {
      await stop(s.child);
    }
  });

  it('refuses a missing database, a folder for a database and a bad port with a one-line message', () => {
    const missing = confrec('serve', '--db', join(tmpdir(), 'no-such-confrec.duckdb'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no database here yet/);
    // A folder given as the database: a Russian sentence naming the file to pass, not DuckDB's "IO Error".
    const folder = confrec('serve', '--db', join(db, '..'), '--port', '0');
    expect(folder.code).toBe(1);
    expect(folder.err).toMatch(/это папка, а не файл базы данных — укажите в --db сам файл базы: .*explorer\.duckdb/);
    expect(folder.err).not.toMatch(/IO Error/);
    const checkFolder = confrec('check', DRAFT_DOCX, '--db', join(db, '..'));
    expect(checkFolder.err).toMatch(/это папка, а не файл базы данных/);
    const port = confrec('serve', '--db', db, '--port', 'http');
    expect(port.code).toBe(2);
    expect(port.err).toMatch(/--port must be a port number/);
  });
});

describe('the explorer beside a writer', () => {
  let source: SnapshotSource;
  afterAll(async () => {
    await source?.close();
  });

  it('never holds the database: confrec run proceeds, and the new data are picked up without a restart', async () => {
    source = new SnapshotSource(db, { pollMs: 0 });
    const before = await source.start();
    mkdirSync(join(corpus, 'later'), { recursive: true });
    writeFileSync(
      join(corpus, 'later', 'school-media-2025.txt'),
      'РЕЗОЛЮЦИЯ\nгородской конференции «Школьные медиацентры», 12 февраля 2025 года\n\nУчастники конференции рекомендуют:\n\nОбразовательным организациям:\n1. Создать школьные медиацентры с участием обучающихся.\n2. Проводить конкурсы школьных газет и видеороликов.\n',
    );
    const run = confrec('run', corpus, '--db', db, '--quiet');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    await source.refresh();
    const after = source.current();
    expect(after).not.toBe(before);
    expect(after.corpus.n).toBe(before.corpus.n + 2);
    expect(after.corpus.text.some((t) => t.includes('школьные медиацентры'))).toBe(true);
  });

  it('keeps answering from the data it has while another process writes, and loads the new data after', async () => {
    const served = source.current();
    // A writer holding the file, as `confrec run` does for its whole run.
    const holder = spawn(
      process.execPath,
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(db)}).then(async i=>{const c=await i.connect();await c.run('CREATE TABLE IF NOT EXISTS scratch_writer (x INTEGER)');console.log('holding');setTimeout(()=>{c.closeSync();i.closeSync();},4000)})`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.on('data', (d) => String(d).includes('holding') && resolve()));
    await source.refresh(true);
    expect(source.state.pending).toBe('writer');
    expect(source.current()).toBe(served);
    await new Promise((resolve) => holder.on('exit', resolve));
    await source.refresh(true);
    expect(source.state.pending).toBe('none');
    expect(source.current()).not.toBe(served);
  });
});

describe('confrec check', () => {
  it('gives each item of a .docx draft its verdict, in Russian text for people and as JSON with English codes', () => {
    const text = confrec('check', DRAFT_DOCX, '--db', db);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/draft\.docx: 3\u00a0рекомендации — повторы: 2, похожие: 0, новые: 1/);
    expect(text.out).toMatch(/почти-дубликат 3 более ранних рекомендаций, впервые — в 2019 году/);
    expect(text.out).toMatch(/^ 1\. ПОВТОР +строка 9 /m);
    expect(text.out).toMatch(/^ 3\. НОВОЕ +строка 11 /m);
    // No English words left for a methodologist (file names, the embedder id and --json aside).
    const words = (text.out.match(/[\w.\-/:]+/g) ?? []).filter((w) => /[A-Za-z]/.test(w) && !/[.\-/:\d_]/.test(w));
    expect(words).toEqual([]);
    const json = confrec('check', DRAFT_DOCX, '--db', db, '--json');
    const body = JSON.parse(json.out);
    expect(body.items.map((i: { verdict: string }) => i.verdict)).toEqual(['repeated', 'repeated', 'new']);
    expect(body.items[0].matches.map((m: { match: string }) => m.match)).toContain('similar');
    expect(confrec('check', '--help').out).toMatch(/--json for scripts with stable English keys and codes/);
  });

  it('explains a missing or unreadable draft', () => {
    const missing = confrec('check', join(tmpdir(), 'no-such-draft.docx'), '--db', db);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/file not found/);
    const bad = confrec('check', join(ROOT, 'tests', 'fixtures', 'files', 'bad.docx'), '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a valid \.docx/);
    expect(bad.err).not.toMatch(/at .*\.js:\d+/);
  });

  it('stores the draft with --save, and a later check leaves the stored copy out', () => {
    const save = confrec('check', DRAFT_DOCX, '--db', db, '--save');
    expect(save.code).toBe(0);
    expect(save.out).toMatch(/ingest: 1 new document/);
    const again = confrec('check', DRAFT_DOCX, '--db', db, '--json');
    const body = JSON.parse(again.out);
    expect(body.excluded_document).toMatch(/^[0-9a-f]{16}$/);
    expect(body.items.map((i: { verdict: string }) => i.verdict)).toEqual(['repeated', 'repeated', 'new']);
  });

  it('with --save updates the report where this database last wrote it (not a ./reports where it was run), and says where', () => {
    const elsewhere = explorerTempDir('confrec-save-cwd-');
    const out = explorerTempDir('confrec-save-report-');
    expect(confrec('report', '--db', db, '--out', out).code).toBe(0);
    const draft = join(elsewhere, 'проект-сохранить.txt');
    writeFileSync(draft, 'Участники конференции рекомендуют:\n\nОбразовательным организациям:\n1. Создать школьные музеи боевой славы в каждом районе.\n');
    const r = spawnSync(process.execPath, [BIN, 'check', draft, '--db', db, '--save'], { cwd: elsewhere, encoding: 'utf8', timeout: 180_000, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CONFREC_REPORTS')) });
    expect(r.status).toBe(0);
    expect(existsSync(join(elsewhere, 'reports'))).toBe(false);
    expect(r.stderr).toContain(`the report is updated at ${join(out, 'index.html')}`);
    expect(readFileSync(join(out, 'index.html'), 'utf8').length).toBeGreaterThan(1000);
  });
});

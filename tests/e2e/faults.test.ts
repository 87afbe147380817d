import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { snapshotDatabase } from '../helpers/snapshot.js';
import { tempDir } from '../helpers/tmp.js';

const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');
// Reports go to a temporary folder, not into the checkout.
process.env.CONFREC_REPORTS ??= tempDir('confrec-fault-reports-');

function confrec(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** The stages `status` shows as interrupted (a run recorded as running whose process is gone). */
function interrupted(db: string): string[] {
  const status = JSON.parse(confrec(['status', '--json', '--db', db]).out) as { runs: { stage: string; status: string }[] };
  expect(status.runs.some((r) => r.status === 'running')).toBe(false);
  return status.runs.filter((r) => r.status === 'interrupted').map((r) => r.stage);
}

describe('crash safety: kill -9 inside every stage, then re-run', () => {
  let corpus: string;
  let baseline: Record<string, unknown[]>;
  const stages = ['ingest', ...DOWNSTREAM_STAGES.map((s) => s.name)];

  beforeAll(() => {
    const dir = tempDir();
    corpus = join(dir, 'synth');
    expect(confrec(['synth', '--docs', '40', '--seed', '11', '--out', corpus]).code).toBe(0);
    const db = join(dir, 'baseline.duckdb');
    expect(confrec(['run', join(corpus, 'docs'), '--db', db, '--quiet']).code).toBe(0);
    return snapshotDatabase(db).then((s) => {
      baseline = s;
    });
  });

  it.each(stages)('killed just before %s commits: status shows the stage interrupted, the re-run ends with the same tables as an uninterrupted run', async (stage) => {
    const db = join(tempDir(), `${stage}.duckdb`);
    const crashed = confrec(['run', join(corpus, 'docs'), '--db', db, '--quiet'], { CONFREC_CRASH_AT: `${stage}:commit` });
    expect(crashed.signal).toBe('SIGKILL');
    // The kill landed inside this stage: its run is recorded and its process is gone.
    expect(interrupted(db)).toEqual([stage]);
    const again = confrec(['run', join(corpus, 'docs'), '--db', db, '--quiet']);
    expect(again.err).toBe('');
    expect(again.code).toBe(0);
    expect(await snapshotDatabase(db)).toEqual(baseline);
    const status = JSON.parse(confrec(['status', '--json', '--db', db]).out);
    expect(status.runs.some((r: { stage: string; status: string }) => r.stage === stage && r.status === 'interrupted')).toBe(true);
    expect(status.stages.every((s: { fresh: boolean }) => s.fresh)).toBe(true);
  });

  // Killed from outside while the pipeline is running: right after the line of a stage appears, so
  // the kill lands in the stages after it whatever the machine's speed (a kill after the end of the
  // run would leave exit code 0 and complete tables, and fail here).
  it.each(['ingest', 'segment', 'themes'])('killed from outside after %s has finished, the re-run still converges', async (after) => {
    const db = join(tempDir(), `after-${after}.duckdb`);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', join(corpus, 'docs'), '--db', db]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (new RegExp(`^${after}: `, 'm').test(out)) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    // Killed while running (not after a run that had finished), with work left undone …
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await snapshotDatabase(db)).not.toEqual(baseline);
    // … in a later stage, if the kill came inside one (not between two): shown as interrupted, never as running.
    for (const stage of interrupted(db)) expect(stages.indexOf(stage)).toBeGreaterThan(stages.indexOf(after));
    expect(confrec(['run', join(corpus, 'docs'), '--db', db, '--quiet']).code).toBe(0);
    expect(await snapshotDatabase(db)).toEqual(baseline);
  });
});

describe('two processes on one database', () => {
  it('the second says the database is in use and exits without damage', async () => {
    const dir = tempDir();
    const corpus = join(dir, 'synth');
    expect(confrec(['synth', '--docs', '150', '--seed', '5', '--out', corpus]).code).toBe(0);
    const db = join(dir, 'shared.duckdb');
    const first = spawn(process.execPath, [BIN, 'run', join(corpus, 'docs'), '--db', db]);
    let out = '';
    first.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (out.includes('ingest:')) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const second = confrec(['status', '--db', db]);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/the database is in use by another confrec process \(PID \d+\)/);
    expect(second.err.trim().split('\n')).toHaveLength(1);
    const code = await new Promise<number | null>((resolve) => first.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(confrec(['status', '--json', '--db', db]).out).documents.current).toBe(150);
  });
});

describe('awkward file names', () => {
  it('spaces, Cyrillic and quotes work end to end', () => {
    const dir = tempDir();
    const name = `Резолюция «О воспитании» 'тест' "2024" № 5.txt`;
    copyFileSync(join(__dirname, '..', '..', 'data', 'resolutions', 'resolution-05.txt'), join(dir, name));
    const db = join(tempDir(), 'names.duckdb');
    expect(confrec(['run', dir, '--db', db, '--quiet']).code).toBe(0);
    const out = join(tempDir(), `выгрузка 'recs'.jsonl`);
    expect(confrec(['export', 'recommendations', '--format', 'jsonl', '--out', out, '--db', db]).code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // Every recommendation the database holds is exported, each naming the awkward file.
    const stored = JSON.parse(confrec(['status', '--json', '--db', db]).out).recommendations;
    expect(stored).toBeGreaterThan(0);
    expect(rows).toHaveLength(stored);
    expect(new Set(rows.map((r) => r.source_file))).toEqual(new Set([name]));
    expect(existsSync(out)).toBe(true);
  });
});

describe('corrupt database file', () => {
  it('gives one clear line and leaves the file alone', () => {
    const bad = join(tempDir(), 'broken.duckdb');
    const junk = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 31) % 251));
    writeFileSync(bad, junk);
    for (const args of [['status'], ['run', join(__dirname, '..', '..', 'data', 'resolutions')]]) {
      const r = confrec([...args, '--db', bad]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/not a readable DuckDB database|cannot open the database/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(bad).equals(junk)).toBe(true);
  });
});

/**
 * Peak memory per hostile input (issue 10 §1: no single input file may take confrec past 1 GB of
 * RSS). Each input of tests/hostile/inputs.ts is put in a folder of its own next to a good resolution
 * and ingested by the CLI in a fresh process, which reports its own peak RSS; /usr/bin/time, when
 * present, reports the largest process of the run (the reader process, when it outgrew ingest).
 * A second pass raises the budget's limits for the two bombs of the issue, so that only the reader
 * process's heap cap stands between them and the machine.
 *
 *   npm run bench -- hostile
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { GOOD_FILES, HOSTILE_INPUTS } from '../tests/hostile/inputs.js';
import { machineInfo, printMachine, table } from './machine.js';

const CLI = join(ROOT, 'dist', 'pipeline', 'cli.js');
const TIME = '/usr/bin/time';

interface Measure {
  input: string;
  what: string;
  flags: string;
  outcome: string;
  ingestPeakMb: number;
  /** Largest single process of the run (ingest or its reader), when /usr/bin/time is there. */
  largestProcessMb: number | null;
  seconds: number;
}

function ingest(dir: string, db: string, flags: string[]): { peakMb: number; largestMb: number | null; seconds: number; err: string } {
  const script = `const { main } = await import(${JSON.stringify(CLI)});
    const code = await main(${JSON.stringify(['ingest', dir, '--db', db, '--ocr', 'off', ...flags])});
    process.stderr.write('\\nPEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n');
    process.exit(code);`;
  const node = [process.execPath, '--input-type=module', '-e', script];
  const withTime = existsSync(TIME);
  const t = Date.now();
  const r = spawnSync(withTime ? TIME : node[0], withTime ? ['-f', 'LARGEST_KB=%M', ...node] : node.slice(1), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  const seconds = (Date.now() - t) / 1000;
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const largest = withTime ? Number(/LARGEST_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN) : null;
  if (r.status !== 0 || Number.isNaN(peak)) throw new Error(`ingest of ${dir} failed (${r.status}): ${r.stderr}`);
  return { peakMb: Math.round(peak / 1024), largestMb: largest === null ? null : Math.round(largest / 1024), seconds, err: r.stderr };
}

function outcomeFor(err: string, name: string): string {
  const lines = err.split('\n').filter((l) => l.startsWith('skipped ') && l.includes(`/${name}`));
  if (lines.length === 0) return 'read';
  return lines.map((l) => l.replace(/^skipped .*?\/in\//, '').replace(/ — .*$/, '')).join('; ');
}

export async function runHostileBenchmark(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first');
  printMachine();
  const work = mkdtempSync(join(tmpdir(), 'confrec-hostile-bench-'));
  const rows: Measure[] = [];
  try {
    const runs: { input: (typeof HOSTILE_INPUTS)[number]; flags: string[] }[] = HOSTILE_INPUTS.map((input) => ({ input, flags: [] }));
    const raised = ['--max-unpacked-mb', '100000', '--max-compression-ratio', '1000000', '--max-pdf-stream-mb', '100000', '--max-pdf-unpacked-mb', '100000'];
    for (const name of ['docx-bomb.docx', 'pdf-stream-bomb.pdf']) runs.push({ input: HOSTILE_INPUTS.find((h) => h.name === name)!, flags: raised });
    for (const { input, flags } of runs) {
      const dir = join(work, `${input.name}-${flags.length ? 'raised' : 'default'}`, 'in');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, input.name), input.bytes());
      for (const g of GOOD_FILES) writeFileSync(join(dir, g.name), g.bytes());
      const m = ingest(dir, join(dir, '..', 'b.duckdb'), flags);
      rows.push({
        input: input.name,
        what: input.what,
        flags: flags.length ? 'limits raised' : 'defaults',
        outcome: outcomeFor(m.err, input.name),
        ingestPeakMb: m.peakMb,
        largestProcessMb: m.largestMb,
        seconds: Math.round(m.seconds * 10) / 10,
      });
      process.stdout.write(`${input.name} (${flags.length ? 'limits raised' : 'defaults'}): ${m.peakMb} MB ingest, ${m.largestMb ?? '?'} MB largest process, ${m.seconds.toFixed(1)} s\n`);
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
    // The baseline: the good file alone.
    const base = join(work, 'baseline', 'in');
    mkdirSync(base, { recursive: true });
    for (const g of GOOD_FILES) writeFileSync(join(base, g.name), g.bytes());
    copyFileSync(join(ROOT, 'tests', 'fixtures', 'formats', 'files', 'fmt-01-tver-inclusion.docx'), join(base, 'good.docx'));
    const b = ingest(base, join(base, '..', 'b.duckdb'), []);
    rows.push({ input: '(baseline: a .txt and a .docx)', what: '', flags: 'defaults', outcome: 'read', ingestPeakMb: b.peakMb, largestProcessMb: b.largestMb, seconds: Math.round(b.seconds * 10) / 10 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(
    `\n${table(
      ['input', 'budget', 'ingest peak MB', 'largest process MB', 's', 'outcome'],
      rows.map((r) => [r.input, r.flags, r.ingestPeakMb, r.largestProcessMb ?? '–', r.seconds, r.outcome.slice(0, 90)]),
    )}\n`,
  );
  const out = join(ROOT, 'bench', 'results', 'hostile.json');
  writeFileSync(out, `${JSON.stringify({ machine: machineInfo(), rows }, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${out}\n`);
}

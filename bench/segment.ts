/**
 * `confrec segment --all` on N synthetic resolutions (default 10,000): the issue-12 budget is "within
 * 10 % of the seg-3 segmenter's time". Ingests once, then times the stage several times in child
 * processes (wall and CPU), so the figure can be compared with a run of an older build on the same
 * machine and load. Prints the machine's load: figures taken under contention must say so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { machineInfo, printMachine, table } from './machine.js';

const CLI = join(ROOT, 'dist', 'pipeline', 'cli.js');

function cli(args: string[]): { wallS: number; cpuS: number; out: string } {
  const script = `const { main } = await import(${JSON.stringify(CLI)});
    const code = await main(${JSON.stringify(args)});
    const u = process.resourceUsage();
    process.stderr.write('\\nCPU_US=' + (u.userCPUTime + u.systemCPUTime) + '\\n');
    process.exit(code);`;
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`confrec ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wallS: (Date.now() - t) / 1000, cpuS: Number(/CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1e6, out: r.stdout + r.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runSegmentBenchmark(opts: { docs: number; seed: number; repeats: number }) {
  printMachine();
  const work = mkdtempSync(join(tmpdir(), 'confrec-bench-seg-'));
  try {
    const corpus = join(work, 'corpus');
    const db = join(work, 'bench.duckdb');
    cli(['synth', '--docs', String(opts.docs), '--seed', String(opts.seed), '--out', corpus, '--quiet']);
    cli(['ingest', join(corpus, 'docs'), '--db', db, '--quiet']);
    const runs = [];
    for (let k = 0; k < opts.repeats; k++) {
      const load = machineInfo().load_1m;
      const r = cli(['segment', '--all', '--db', db]);
      runs.push({ ...r, load, line: r.out.trim().split('\n')[0] });
    }
    process.stdout.write(`\nconfrec segment --all on ${opts.docs} synthetic resolutions (seed ${opts.seed})\n`);
    process.stdout.write(
      table(['run', 'wall s', 'cpu s', 'load 1m', 'docs/s (wall)'], runs.map((r, k) => [k + 1, r.wallS.toFixed(1), r.cpuS.toFixed(1), r.load.toFixed(1), Math.round(opts.docs / r.wallS)])) + '\n',
    );
    process.stdout.write(`median: wall ${median(runs.map((r) => r.wallS)).toFixed(1)} s, cpu ${median(runs.map((r) => r.cpuS)).toFixed(1)} s — ${runs[0].line}\n`);
    const out = join(ROOT, 'bench', 'results', `segment-${opts.docs}.json`);
    writeFileSync(out, JSON.stringify({ machine: machineInfo(), docs: opts.docs, seed: opts.seed, runs: runs.map(({ wallS, cpuS, load }) => ({ wallS, cpuS, load })) }, null, 2) + '\n');
    process.stdout.write(`→ ${out}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * End-to-end benchmarks of `confrec run` on synthetic corpora: the 10,000-resolution target, the
 * ingest + segment throughput, the incremental re-run after adding one resolution, and a scaling
 * table. Each run is a separate process (as users run it), reporting its own peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { Store } from '../pipeline/store/db.js';
import { machineInfo, printMachine, table } from './machine.js';

const CLI = join(ROOT, 'dist', 'pipeline', 'cli.js');

interface RunResult {
  wallS: number;
  peakRssMb: number;
  stages: Record<string, { seconds: number; counts: Record<string, unknown> }>;
}

/** Runs the CLI in a child process that reports its peak RSS on exit. */
function cli(args: string[]): { wallS: number; peakRssMb: number; out: string } {
  const script = `const { main } = await import(${JSON.stringify(CLI)});
    const code = await main(${JSON.stringify(args)});
    process.stderr.write('\\nPEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n');
    process.exit(code);`;
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  const wallS = (Date.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`confrec ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { wallS, peakRssMb: Math.round(kb / 1024), out: r.stdout };
}

async function stagesSince(db: string, afterRunId: number): Promise<RunResult['stages']> {
  const store = await Store.open(db, { readOnly: true });
  try {
    const rows = await store.all<{ stage: string; duration_ms: number; counts: string }>(
      `SELECT stage, duration_ms, counts::VARCHAR AS counts FROM runs WHERE run_id > $1 AND status = 'ok' ORDER BY run_id`,
      [afterRunId],
    );
    return Object.fromEntries(rows.map((r) => [r.stage, { seconds: r.duration_ms / 1000, counts: JSON.parse(r.counts) }]));
  } finally {
    store.close();
  }
}

async function lastRunId(db: string): Promise<number> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return (await store.scalar<number | null>(`SELECT max(run_id) FROM runs`)) ?? 0;
  } finally {
    store.close();
  }
}

async function runOnce(docsDir: string, db: string, threads?: number): Promise<RunResult> {
  const before = await lastRunId(db).catch(() => 0);
  const r = cli(['run', docsDir, '--db', db, '--quiet', ...(threads ? ['--threads', String(threads)] : [])]);
  return { wallS: r.wallS, peakRssMb: r.peakRssMb, stages: await stagesSince(db, before) };
}

function synth(docs: number, seed: number, out: string): void {
  cli(['synth', '--docs', String(docs), '--seed', String(seed), '--out', out, '--quiet']);
}

const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));

export async function runPipelineBenchmark(opts: { docs: number; seed: number; threads?: number }) {
  printMachine();
  const work = mkdtempSync(join(tmpdir(), 'confrec-bench-'));
  try {
    const corpus = join(work, 'corpus');
    synth(opts.docs, opts.seed, corpus);
    const docsDir = join(corpus, 'docs');
    const db = join(work, 'bench.duckdb');
    const loadBefore = machineInfo().load_1m;
    const full = await runOnce(docsDir, db, opts.threads);
    const loadAfter = machineInfo().load_1m;
    const recs = Number(full.stages.segment?.counts.recommendations ?? 0);
    const ingestSegmentS = (full.stages.ingest?.seconds ?? 0) + (full.stages.segment?.seconds ?? 0);

    // Incremental: one new resolution, then the same command again.
    mkdirSync(join(docsDir, 'added'), { recursive: true });
    copyFileSync(join(ROOT, 'data', 'resolutions', 'resolution-01.txt'), join(docsDir, 'added', 'new-resolution.txt'));
    const inc = await runOnce(docsDir, db, opts.threads);

    const stageNames = Object.keys(full.stages);
    process.stdout.write(`\nconfrec run on ${opts.docs} synthetic resolutions (${recs} recommendations), lexical embedder\n\n`);
    process.stdout.write(
      table(
        ['stage', 'full run (s)', 'after adding 1 file (s)', 'incremental work'],
        stageNames.map((s) => [
          s,
          fmt(full.stages[s]?.seconds),
          fmt(inc.stages[s]?.seconds),
          JSON.stringify(
            Object.fromEntries(
              Object.entries(inc.stages[s]?.counts ?? {}).filter(([k]) =>
                ['added', 'unchanged', 'documents', 'recommendations', 'embedded', 'cached', 'refitted', 'scored_now', 'joined', 'incremental', 'new_texts', 'resolved_documents', 'groups_derived'].includes(k),
              ),
            ),
          ),
        ]),
      ) + '\n',
    );
    const results = {
      machine: machineInfo(),
      docs: opts.docs,
      threads: opts.threads ?? 'default (every core)',
      // Timings measured under a load above the core count are contended: say so next to them.
      load_1m: { before: loadBefore, after: loadAfter },
      recommendations: recs,
      full: { wall_s: full.wallS, peak_rss_mb: full.peakRssMb, stages: full.stages },
      ingest_segment_docs_per_s: Number((opts.docs / ingestSegmentS).toFixed(1)),
      incremental: { wall_s: inc.wallS, peak_rss_mb: inc.peakRssMb, stages: inc.stages },
      // Issue 16 §2 (10,000 resolutions, both cores): full run ≤ 60 s, peak RSS ≤ 1.5 GB,
      // ingest + segment ≥ 800 documents/s, clusters ≤ 5 s; the incremental re-run as before.
      targets: {
        full_wall_s: { value: full.wallS, target: 60, met: full.wallS <= 60 },
        full_peak_rss_mb: { value: full.peakRssMb, target: 1536, met: full.peakRssMb <= 1536 },
        ingest_segment_docs_per_s: { value: opts.docs / ingestSegmentS, target: 800, met: opts.docs / ingestSegmentS >= 800 },
        clusters_s: { value: full.stages.clusters?.seconds ?? NaN, target: 5, met: (full.stages.clusters?.seconds ?? Infinity) <= 5 },
        incremental_wall_s: { value: inc.wallS, target: 10, met: inc.wallS <= 10 },
      },
    };
    process.stdout.write(
      `\n${table(
        ['figure', 'value', 'target', 'met'],
        Object.entries(results.targets).map(([k, v]) => [k, v.value.toFixed(1), v.target, v.met ? 'yes' : 'NO']),
      )}\n`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', `pipeline-${opts.docs}.json`), JSON.stringify(results, null, 2) + '\n');
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

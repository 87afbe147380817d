/**
 * `npm run bench -- scaling` (issue 16 §4): confrec at 10k / 30k / 100k synthetic resolutions
 * (≈ 75k / 225k / 750k recommendations). Every stage runs as its own `confrec <stage>` process, as a
 * user would run it alone, so each gets its own wall time and peak RSS; the stage's own duration
 * comes from the `runs` table. Then one resolution is added and `confrec run` is timed again (the
 * incremental re-run). For each stage the growth exponent between consecutive sizes
 * (log(t₂/t₁)/log(n₂/n₁): 1 linear, 2 quadratic) is set against the complexity the code should have.
 *
 * Sizes run smallest first and results are written after each size, so an interrupted run keeps
 * what it measured. Rows of sizes not run this time are kept from the results file (each row says
 * the code version it measured), so `--sizes 100000` adds the largest size to earlier ones. A corpus
 * generated beforehand with `confrec synth --docs N --seed S --out <tmp>/confrec-synth-N-S` (and a
 * file `.complete` in it) is used instead of generating one: generating 100,000 resolutions takes
 * minutes that are not part of any figure.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { Store } from '../pipeline/store/db.js';
import { codeVersion } from '../pipeline/store/version.js';
import { machineInfo, printMachine, table } from './machine.js';
import { confrec, growthExponent } from './scaling-cli.js';

/**
 * The stages in `confrec run`'s order, the command that runs each alone, and the complexity the code
 * should have in n (recommendations), with the reason. `duplicates` is the similar stage's command
 * (it recomputes when stale, then lists one group).
 */
export const SCALING_STAGES: { stage: string; args: (dir: string) => string[]; expected: string; why: string }[] = [
  { stage: 'ingest', args: (dir) => ['ingest', dir], expected: 'n', why: 'per file: read, decode, normalise, metadata' },
  { stage: 'segment', args: () => ['segment'], expected: 'n', why: 'per document, independent' },
  { stage: 'addressees', args: () => ['addressees'], expected: 'n', why: 'per form; corpus-wide merges over distinct names (u log u, u ≪ n)' },
  { stage: 'embed', args: () => ['embed', '--embedder', 'lexical'], expected: 'n', why: 'vocabulary count over all texts; SVD on a fixed 4,000-text sample; projection per text' },
  { stage: 'themes', args: () => ['themes'], expected: 'n', why: 'each text against 4 seeded themes' },
  { stage: 'clusters', args: () => ['clusters'], expected: 'n', why: 'k-means and k selection on a bounded sample; assignment n × k' },
  { stage: 'similar', args: () => ['duplicates', '--limit', '1'], expected: 'n (n log n)', why: 'LSH: signatures per text, candidates within buckets (linear while buckets stay small); containment per candidate pair' },
  { stage: 'recurring', args: () => ['recurring', '--limit', '1'], expected: 'n', why: 'over near-duplicate groups (their number grows with n)' },
  { stage: 'map', args: () => ['map'], expected: 'n', why: 'PCA/UMAP on a bounded sample, the rest placed by nearest neighbours among it' },
  { stage: 'report', args: () => ['report'], expected: 'n', why: 'SQL aggregates over current recommendations' },
];

export interface ScalingRow {
  docs: number;
  /** package version + git commit of the code measured. */
  code?: string;
  recommendations: number;
  total_wall_s: number;
  peak_rss_mb: number;
  stages: Record<string, StageFigure>;
  incremental: { wall_s: number; peak_rss_mb: number; load: [number, number]; stages: Record<string, { seconds: number; counts: Record<string, unknown> }> } | null;
  machine_load_1m: number;
}

interface StageFigure {
  /** The stage's own duration, from `runs`. */
  seconds: number | null;
  /** The process: start-up, opening the database, the stage. */
  wall_s: number;
  peak_rss_mb: number;
  load: [number, number];
  counts: Record<string, unknown>;
}

async function lastRun(db: string, stage: string): Promise<{ seconds: number; counts: Record<string, unknown> } | null> {
  const store = await Store.open(db, { readOnly: true });
  try {
    const row = await store.one<{ duration_ms: number; counts: string }>(
      `SELECT duration_ms, counts::VARCHAR AS counts FROM runs WHERE stage = $1 AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
      [stage],
    );
    return row ? { seconds: row.duration_ms / 1000, counts: JSON.parse(row.counts) as Record<string, unknown> } : null;
  } finally {
    store.close();
  }
}

async function runsSince(db: string, after: number): Promise<Record<string, { seconds: number; counts: Record<string, unknown> }>> {
  const store = await Store.open(db, { readOnly: true });
  try {
    const rows = await store.all<{ stage: string; duration_ms: number; counts: string }>(
      `SELECT stage, duration_ms, counts::VARCHAR AS counts FROM runs WHERE run_id > $1 AND status = 'ok' ORDER BY run_id`,
      [after],
    );
    return Object.fromEntries(rows.map((r) => [r.stage, { seconds: r.duration_ms / 1000, counts: JSON.parse(r.counts) as Record<string, unknown> }]));
  } finally {
    store.close();
  }
}

async function maxRunId(db: string): Promise<number> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return (await store.scalar<number | null>(`SELECT max(run_id) FROM runs`)) ?? 0;
  } finally {
    store.close();
  }
}

/** Counts worth showing for an incremental run (what was new, what was reused). */
const INCREMENTAL_KEYS = ['added', 'unchanged', 'documents', 'recommendations', 'embedded', 'cached', 'refitted', 'scored_now', 'incremental', 'new_texts', 'new_recommendations'];

export async function runScalingBenchmark(opts: { sizes: number[]; seed: number }) {
  const log = (s: string) => process.stdout.write(s + '\n');
  printMachine();
  const machine = machineInfo();
  const rows: ScalingRow[] = [];
  const resultsFile = join(ROOT, 'bench', 'results', 'scaling.json');
  const earlier: ScalingRow[] = existsSync(resultsFile)
    ? ((JSON.parse(readFileSync(resultsFile, 'utf8')) as { sizes?: ScalingRow[] }).sizes ?? []).filter((r) => !opts.sizes.includes(r.docs))
    : [];
  const save = () => {
    const all = [...earlier, ...rows].sort((a, b) => a.docs - b.docs);
    const growth = growth_(all);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      resultsFile,
      JSON.stringify(
        {
          machine,
          load_after: machineInfo().load_1m,
          method: 'each stage as its own `confrec <stage>` process on a fresh database; wall_s/peak RSS = the process (what growth exponents use), seconds = the stage\'s own duration in `runs` (leaves out work before its run row); incremental = `confrec run DIR` after adding one resolution',
          expected: Object.fromEntries(SCALING_STAGES.map((s) => [s.stage, { complexity: s.expected, why: s.why }])),
          sizes: all,
          growth,
          targets: targets_(all),
        },
        null,
        2,
      ) + '\n',
    );
  };
  for (const docs of opts.sizes) {
    const work = mkdtempSync(join(tmpdir(), 'confrec-scaling-'));
    const cached = join(tmpdir(), `confrec-synth-${docs}-${opts.seed}`);
    const useCached = existsSync(join(cached, '.complete'));
    const corpus = useCached ? cached : join(work, 'corpus');
    const dir = join(corpus, 'docs');
    try {
      const db = join(work, 'scale.duckdb');
      const env = { CONFREC_REPORTS: join(work, 'reports') };
      if (useCached) {
        log(`\n${docs} resolutions: the corpus generated beforehand in ${cached}`);
      } else {
        log(`\n${docs} resolutions: generating (not timed)`);
        await confrec(['synth', '--docs', String(docs), '--seed', String(opts.seed), '--out', corpus, '--quiet']);
      }
      const stages: Record<string, StageFigure> = {};
      for (const s of SCALING_STAGES) {
        const r = await confrec([...s.args(dir), '--db', db, '--quiet'], env);
        const own = await lastRun(db, s.stage);
        stages[s.stage] = { seconds: own?.seconds ?? null, wall_s: +r.wallS.toFixed(2), peak_rss_mb: r.peakRssMb, load: r.load, counts: own?.counts ?? {} };
        log(`  ${s.stage.padEnd(10)} ${(own?.seconds ?? 0).toFixed(1).padStart(7)} s (process ${r.wallS.toFixed(1)} s), peak ${r.peakRssMb} MB, load ${r.load.join('→')}`);
      }
      const recs = Number(stages.segment?.counts.recommendations ?? 0);
      const row: ScalingRow = {
        docs,
        code: codeVersion(),
        recommendations: recs,
        total_wall_s: +Object.values(stages).reduce((a, s) => a + s.wall_s, 0).toFixed(2),
        peak_rss_mb: Math.max(...Object.values(stages).map((s) => s.peak_rss_mb)),
        stages,
        incremental: null,
        machine_load_1m: machineInfo().load_1m,
      };
      rows.push(row);
      save();

      // One new resolution, then the command a user runs again.
      mkdirSync(join(dir, 'added'), { recursive: true });
      copyFileSync(join(ROOT, 'data', 'resolutions', 'resolution-01.txt'), join(dir, 'added', 'new-resolution.txt'));
      const before = await maxRunId(db);
      const inc = await confrec(['run', dir, '--db', db, '--embedder', 'lexical', '--quiet'], env);
      row.incremental = { wall_s: +inc.wallS.toFixed(2), peak_rss_mb: inc.peakRssMb, load: inc.load, stages: await runsSince(db, before) };
      log(`  incremental (one resolution added, confrec run): ${inc.wallS.toFixed(1)} s, peak ${inc.peakRssMb} MB, load ${inc.load.join('→')}`);
      save();
    } finally {
      // CONFREC_BENCH_KEEP=1 keeps the database (and says where) for measuring one stage again on it.
      if (process.env.CONFREC_BENCH_KEEP === '1') log(`  kept: ${work}`);
      else rmSync(work, { recursive: true, force: true });
      // A corpus generated beforehand is left as it was found.
      if (useCached) rmSync(join(dir, 'added'), { recursive: true, force: true });
    }
  }
  printScaling([...earlier, ...rows].sort((a, b) => a.docs - b.docs), log);
  save();
  log('results: bench/results/scaling.json');
}

type Rows = { docs: number; recommendations: number; total_wall_s: number; stages: Record<string, StageFigure> }[];

/**
 * Growth exponents between consecutive sizes, per stage and in total, by recommendations, on the
 * process wall time: a stage's `runs` duration leaves out what it does before its run row (themes
 * gathers its evidence first), and the process is what a user waits for.
 */
export function growth_(rows: Rows): { pairs: string[]; stages: Record<string, Record<string, number | null>>; total: Record<string, number | null> } {
  const pairs: string[] = [];
  const stages: Record<string, Record<string, number | null>> = {};
  const total: Record<string, number | null> = {};
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const key = `${a.docs}→${b.docs}`;
    pairs.push(key);
    total[key] = growthExponent(a.recommendations, a.total_wall_s, b.recommendations, b.total_wall_s);
    for (const s of SCALING_STAGES) {
      (stages[s.stage] ??= {})[key] = growthExponent(a.recommendations, a.stages[s.stage]?.wall_s ?? 0, b.recommendations, b.stages[s.stage]?.wall_s ?? 0);
    }
  }
  return { pairs, stages, total };
}

/** Issue 16 §4 targets at 100k resolutions: full run ≤ 12 min, peak RSS ≤ 6 GB, +1 resolution ≤ 15 s. */
function targets_(rows: (Rows[number] & { peak_rss_mb: number; incremental: { wall_s: number } | null })[]) {
  const at = rows.find((r) => r.docs >= 100_000);
  if (!at) return { note: '100k resolutions not measured in this run' };
  return {
    full_run_s: { value: at.total_wall_s, target: 720, met: at.total_wall_s <= 720 },
    peak_rss_mb: { value: at.peak_rss_mb, target: 6144, met: at.peak_rss_mb <= 6144 },
    incremental_s: { value: at.incremental?.wall_s ?? null, target: 15, met: (at.incremental?.wall_s ?? Infinity) <= 15 },
  };
}

/** The table of a scaling run (also for a results file: `printScaling(JSON.parse(…).sizes, console.log)`). */
export function printScaling(rows: ScalingRow[], log: (s: string) => void): void {
  const growth = growth_(rows);
  log('\n' + table(
    ['stage', 'expected', ...rows.map((r) => `${r.docs} docs (s)`), ...rows.map((r) => `of it in runs`), ...rows.map((r) => `${r.docs} MB`), ...growth.pairs.map((p) => `n^ ${p}`), ...rows.map((r) => `+1 file at ${r.docs} (s)`)],
    SCALING_STAGES.map((s) => [
      s.stage,
      s.expected,
      ...rows.map((r) => (r.stages[s.stage]?.wall_s ?? 0).toFixed(1)),
      ...rows.map((r) => (r.stages[s.stage]?.seconds ?? 0).toFixed(1)),
      ...rows.map((r) => String(r.stages[s.stage]?.peak_rss_mb ?? '–')),
      ...growth.pairs.map((p) => String(growth.stages[s.stage]?.[p] ?? '–')),
      ...rows.map((r) => r.incremental?.stages[s.stage]?.seconds.toFixed(1) ?? '–'),
    ]),
  ));
  for (const r of rows) {
    const work = Object.entries(r.incremental?.stages ?? {}).map(
      ([stage, st]) => `${stage} ${JSON.stringify(Object.fromEntries(Object.entries(st.counts).filter(([k]) => INCREMENTAL_KEYS.includes(k))))}`,
    );
    log(`\nincremental work at ${r.docs}: ${work.join('; ')}`);
  }
  for (const r of rows) {
    log(`${r.docs} resolutions (${r.recommendations} recommendations): stages ${r.total_wall_s.toFixed(1)} s in total (processes), peak ${r.peak_rss_mb} MB; +1 resolution: ${r.incremental?.wall_s.toFixed(1) ?? '–'} s`);
  }
}

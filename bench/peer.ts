/**
 * `npm run bench -- peer`: confrec against what a researcher would write instead (issue 16 §1).
 *
 * The peer (bench/peer.py, Debian's /usr/bin/python3 with python3-sklearn): TF-IDF over words and
 * character 3–5-grams → TruncatedSVD 256 → L2; KMeans k=50; brute-force radius neighbours at confrec's
 * near-duplicate threshold. confrec (bench/peer-confrec.ts): the stages embed (lexical), themes,
 * clusters and similar, on a copy of the same segmented database, so every run starts from the same
 * state. Both read the same recommendations (the text confrec embeds: the proposal, else the text;
 * one per recommendation for the peer — confrec embeds each distinct text once, which is part of its
 * design). Runs alternate (peer, confrec, confrec, peer, …) so that a change in the machine's load
 * falls on both; each step's figure is the median over rounds.
 *
 * Pair recall: every pair of confrec's own vectors at or above its threshold, found by brute force
 * (numpy, in the peer's process, untimed), against the text pairs confrec's near-duplicates cover.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { Store } from '../pipeline/store/db.js';
import { nearDuplicateThreshold } from '../pipeline/similar/calibration/thresholds.js';
import { machineInfo, printMachine, table } from './machine.js';
import { confrec, median, runChild, type ChildResult } from './scaling-cli.js';

export const PYTHON = '/usr/bin/python3';
const PEER_PY = join(ROOT, 'bench', 'peer.py');
const CONFREC_SIDE = join(ROOT, 'dist', 'bench', 'peer-confrec.js');
/** The steps both sides have; themes is confrec's only (the peer's job has no seeded themes). */
const SHARED_STEPS = ['embed', 'clusters', 'near-duplicates'] as const;
/** Synthetic resolutions hold 7.5 recommendations on average (1,000 → 7,580 with seed 1). */
const RECS_PER_DOC = 7.5;

export interface PeerBenchOptions {
  /** Target recommendation counts (default 20,000 and 75,000, the issue's). */
  sizes: number[];
  rounds: number;
  seed: number;
}

/**
 * Debian's python with scikit-learn. pyenv's python3 comes first on PATH here and has no sklearn,
 * so the path is fixed. When sklearn is missing, python3-sklearn is installed with apt-get — said
 * first, since it changes the machine.
 */
export function ensurePeerPython(log: (line: string) => void): string {
  const probe = () => spawnSync(PYTHON, ['-c', 'import sklearn, scipy, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
  let r = probe();
  if (r.status === 0) return r.stdout.trim();
  log(`peer: ${PYTHON} has no scikit-learn (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); installing python3-sklearn with apt-get`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const [cmd, ...args] = [...asRoot, 'apt-get', 'install', '-y', '--no-install-recommends', 'python3-sklearn'];
  const apt = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  r = probe();
  if (apt.status !== 0 || r.status !== 0) {
    throw new Error(`peer: could not install python3-sklearn with apt-get (exit ${apt.status}); install it (apt-get install python3-sklearn) and run again`);
  }
  log(`peer: python3-sklearn ${r.stdout.trim()} installed`);
  return r.stdout.trim();
}

interface SideRun {
  round: number;
  wall_s: number;
  imports_s: number;
  steps: Record<string, number>;
  total_s: number;
  peak_rss_mb: number;
  load: [number, number];
}

function sideRun(round: number, child: ChildResult): { run: SideRun; json: Record<string, unknown> } {
  const json = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { imports_s: number; steps: Record<string, number>; peak_rss_mb: number };
  const total = Object.values(json.steps).reduce((a, b) => a + b, 0);
  return {
    run: { round, wall_s: +child.wallS.toFixed(3), imports_s: json.imports_s, steps: json.steps, total_s: +total.toFixed(3), peak_rss_mb: json.peak_rss_mb, load: child.load },
    json,
  };
}

/** The text pairs (text_hash a < b) confrec's near_duplicates cover. */
async function confrecTextPairs(store: Store): Promise<Set<string>> {
  const rows = await store.all<{ a: string; b: string }>(
    `SELECT DISTINCT least(ra.text_hash, rb.text_hash) AS a, greatest(ra.text_hash, rb.text_hash) AS b
       FROM near_duplicates n JOIN recommendations ra ON ra.rec_id = n.rec_a JOIN recommendations rb ON rb.rec_id = n.rec_b
      WHERE ra.text_hash <> rb.text_hash`,
  );
  return new Set(rows.map((r) => `${r.a}:${r.b}`));
}

/** confrec's current vectors of the current texts, as one float32 file (row per text) and their hashes. */
async function dumpVectors(store: Store, file: string): Promise<{ hashes: string[]; dim: number }> {
  const rows = await store.all<{ text_hash: string; vector: number[] }>(
    `SELECT e.text_hash, e.vector FROM current_embeddings e
      WHERE e.text_hash IN (SELECT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) ORDER BY e.text_hash`,
  );
  const dim = rows[0]?.vector.length ?? 0;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => data.set(r.vector, i * dim));
  writeFileSync(file, Buffer.from(data.buffer));
  return { hashes: rows.map((r) => r.text_hash), dim };
}

async function measureSize(target: number, opts: PeerBenchOptions, work: string, log: (s: string) => void) {
  const docs = Math.ceil(target / RECS_PER_DOC);
  const corpus = join(work, `corpus-${target}`);
  const base = join(work, `base-${target}.duckdb`);
  log(`\n${target} recommendations: ${docs} synthetic resolutions (seed ${opts.seed}), ingest + segment (setup, not timed)`);
  await confrec(['synth', '--docs', String(docs), '--seed', String(opts.seed), '--out', corpus, '--quiet']);
  await confrec(['ingest', join(corpus, 'docs'), '--db', base, '--quiet']);
  await confrec(['segment', '--db', base, '--quiet']);

  const textsFile = join(work, `texts-${target}.jsonl`);
  const store = await Store.open(base, { readOnly: true });
  let recs: number;
  let distinct: number;
  try {
    const rows = await store.all<{ rec_id: string; text: string }>(
      `SELECT r.rec_id, coalesce(r.proposal, r.text) AS text FROM recommendations r JOIN current_documents USING (doc_id) ORDER BY r.rec_id`,
    );
    writeFileSync(textsFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    recs = rows.length;
    distinct = await store.scalar<number>(`SELECT count(DISTINCT r.text_hash) FROM recommendations r JOIN current_documents USING (doc_id)`);
  } finally {
    store.close();
  }
  // The cut confrec uses for its lexical space; the peer uses the same cosine.
  const { threshold, calibrated } = await nearDuplicateThreshold('lexical-v1');
  log(`  ${recs} recommendations (${distinct} distinct texts); cosine threshold ${threshold}${calibrated ? ' (calibrated, data/near-duplicate-calibration.json)' : ' (default)'}`);

  const peerRuns: SideRun[] = [];
  const confrecRuns: SideRun[] = [];
  let peerInfo: Record<string, unknown> = {};
  let confrecCounts: Record<string, unknown> = {};
  const runDb = join(work, `run-${target}.duckdb`);
  for (let round = 1; round <= opts.rounds; round++) {
    // ABBA: peer first in odd rounds, confrec first in even ones.
    const order = round % 2 === 1 ? ['peer', 'confrec'] : ['confrec', 'peer'];
    for (const side of order) {
      if (side === 'peer') {
        const child = await runChild(PYTHON, [PEER_PY, '--texts', textsFile, '--threshold', String(threshold), '--dim', '256', '--k', '50']);
        const { run, json } = sideRun(round, child);
        peerRuns.push(run);
        peerInfo = json;
        log(`  round ${round} peer:    ${run.total_s.toFixed(1)} s in steps, ${run.wall_s.toFixed(1)} s wall, ${run.peak_rss_mb} MB, load ${run.load.join('→')}`);
      } else {
        rmSync(runDb, { force: true });
        rmSync(`${runDb}.wal`, { force: true });
        copyFileSync(base, runDb);
        const child = await runChild(process.execPath, [CONFREC_SIDE, runDb], { env: { DOTENV_CONFIG_QUIET: 'true' } });
        const { run, json } = sideRun(round, child);
        confrecRuns.push(run);
        confrecCounts = json.counts as Record<string, unknown>;
        log(`  round ${round} confrec: ${run.total_s.toFixed(1)} s in steps, ${run.wall_s.toFixed(1)} s wall, ${run.peak_rss_mb} MB, load ${run.load.join('→')}`);
      }
    }
  }

  // Pair recall of confrec's near-duplicates (last confrec run) against the exhaustive pairs.
  const vecFile = join(work, `vectors-${target}.f32`);
  const pairsFile = join(work, `pairs-${target}.i32`);
  const store2 = await Store.open(runDb, { readOnly: true });
  let recall: Record<string, unknown>;
  try {
    const { hashes, dim } = await dumpVectors(store2, vecFile);
    const found = await confrecTextPairs(store2);
    const ex = await runChild(PYTHON, [PEER_PY, '--exhaustive', vecFile, '--dim', String(dim), '--threshold', String(threshold), '--out', pairsFile]);
    const truthPairs = new Int32Array(new Uint8Array(readFileSync(pairsFile)).buffer);
    let hit = 0;
    const n = truthPairs.length / 2;
    for (let p = 0; p < n; p++) {
      const a = hashes[truthPairs[2 * p]];
      const b = hashes[truthPairs[2 * p + 1]];
      if (found.has(a < b ? `${a}:${b}` : `${b}:${a}`)) hit++;
    }
    const exInfo = JSON.parse(ex.stdout.trim()) as { seconds: number };
    recall = {
      exhaustive_pairs: n,
      found_by_confrec: hit,
      recall: n === 0 ? 1 : +(hit / n).toFixed(4),
      confrec_text_pairs: found.size,
      method: (confrecCounts['near-duplicates'] as { method?: string } | undefined)?.method ?? null,
      exhaustive_scan_s: exInfo.seconds,
      texts: hashes.length,
    };
  } finally {
    store2.close();
  }

  const med = (runs: SideRun[], step: string) => median(runs.map((r) => r.steps[step] ?? 0));
  const steps = [...SHARED_STEPS, 'themes'].map((step) => {
    const p = SHARED_STEPS.includes(step as never) ? med(peerRuns, step) : null;
    const c = med(confrecRuns, step);
    return { step, peer_s: p === null ? null : +p.toFixed(3), confrec_s: +c.toFixed(3), speedup: p === null ? null : +(p / c).toFixed(2) };
  });
  const peerTotal = median(peerRuns.map((r) => r.total_s));
  const confrecTotal = median(confrecRuns.map((r) => r.total_s));
  const peerWall = median(peerRuns.map((r) => r.wall_s));
  const confrecWall = median(confrecRuns.map((r) => r.wall_s));
  return {
    target_recommendations: target,
    measured_at: new Date().toISOString(),
    load_1m_after: machineInfo().load_1m,
    docs,
    recommendations: recs,
    distinct_texts: distinct,
    threshold,
    steps,
    overall: {
      peer_steps_s: +peerTotal.toFixed(3),
      confrec_steps_s: +confrecTotal.toFixed(3),
      speedup: +(peerTotal / confrecTotal).toFixed(2),
      peer_wall_s: +peerWall.toFixed(3),
      confrec_wall_s: +confrecWall.toFixed(3),
      speedup_wall: +(peerWall / confrecWall).toFixed(2),
    },
    pair_recall: recall,
    // What confrec's clusters step spends its time on (the last run's own timings): the peer's step is
    // a KMeans(50) fit alone; confrec's also chooses k, labels every cluster and writes statistics.
    clusters_breakdown: clustersBreakdown(confrecCounts.clusters as Record<string, unknown> | undefined),
    peer: { runs: peerRuns, last: peerInfo },
    confrec: { runs: confrecRuns, counts: confrecCounts },
  };
}

/** Seconds per part of confrec's clusters step, from the stage's counts (null when it did not say). */
function clustersBreakdown(counts: Record<string, unknown> | undefined): Record<string, number> | null {
  const ms = (k: string) => (typeof counts?.[k] === 'number' ? (counts[k] as number) / 1000 : null);
  const parts = { read_s: ms('read_ms'), kmeans_s: ms('fit_ms'), assign_s: ms('assign_ms'), stats_s: ms('stats_ms'), labels_s: ms('label_ms'), write_s: ms('write_ms') };
  return Object.values(parts).some((v) => v === null) ? null : (parts as Record<string, number>);
}

type SizeResult = Awaited<ReturnType<typeof measureSize>>;

/**
 * Writes bench/results/peer.json after each size. Sizes measured by an earlier invocation (say
 * `--recs 75000` after `--recs 20000`) are kept unless measured again; each size carries its own
 * time and load.
 */
function saveResults(sizes: SizeResult[], opts: PeerBenchOptions, machine: ReturnType<typeof machineInfo>) {
  const file = join(ROOT, 'bench', 'results', 'peer.json');
  let earlier: SizeResult[] = [];
  try {
    earlier = (JSON.parse(readFileSync(file, 'utf8')) as { sizes?: SizeResult[] }).sizes ?? [];
  } catch {
    earlier = [];
  }
  const all = [...earlier.filter((e) => !sizes.some((s) => s.target_recommendations === e.target_recommendations)), ...sizes].sort(
    (a, b) => a.target_recommendations - b.target_recommendations,
  );
  const targets = all.map((s) => ({
    recommendations: s.recommendations,
    overall_speedup: { value: s.overall.speedup, target: 3, met: s.overall.speedup >= 3 },
    pair_recall: { value: (s.pair_recall as { recall: number }).recall, target: 0.95, met: (s.pair_recall as { recall: number }).recall >= 0.95 },
    no_step_slower: { slower: s.steps.filter((x) => x.speedup !== null && x.speedup < 1).map((x) => x.step), met: s.steps.every((x) => x.speedup === null || x.speedup >= 1) },
  }));
  const after = machineInfo();
  const results = {
    machine,
    load_after: after.load_1m,
    contention: Math.max(machine.load_1m, after.load_1m, ...all.map((s) => s.load_1m_after ?? 0)) > machine.cpus * 0.75,
    peer_job: 'TfidfVectorizer(word) + TfidfVectorizer(char_wb, 3–5) → TruncatedSVD(256) → normalize; KMeans(50, n_init=auto); NearestNeighbors(radius=1−threshold, cosine, brute)',
    confrec_job: 'stages embed (lexical), themes, clusters, similar on a copy of the segmented database',
    rounds: opts.rounds,
    seed: opts.seed,
    sizes: all,
    targets,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return results;
}

export async function runPeerBenchmark(opts: PeerBenchOptions) {
  const log = (s: string) => process.stdout.write(s + '\n');
  printMachine();
  const sklearn = ensurePeerPython(log);
  if (!existsSync(CONFREC_SIDE)) throw new Error(`${CONFREC_SIDE} is missing: run \`npm run build\``);
  log(`peer: ${PYTHON}, scikit-learn ${sklearn}; ${opts.rounds} alternating round(s) per size`);
  const machineBefore = machineInfo();
  const work = mkdtempSync(join(tmpdir(), 'confrec-peer-'));
  const sizes = [];
  try {
    for (const target of opts.sizes) {
      const r = await measureSize(target, opts, work, log);
      sizes.push(r);
      log(`\n${r.recommendations} recommendations — median of ${opts.rounds} round(s), seconds inside each process (after imports)\n`);
      log(
        table(
          ['step', 'peer (s)', 'confrec (s)', 'confrec faster by'],
          [
            ...r.steps.map((s) => [s.step, s.peer_s === null ? '–' : s.peer_s.toFixed(2), s.confrec_s.toFixed(2), s.speedup === null ? 'confrec only' : `${s.speedup.toFixed(2)}×`]),
            ['overall (steps)', r.overall.peer_steps_s.toFixed(2), r.overall.confrec_steps_s.toFixed(2), `${r.overall.speedup.toFixed(2)}×`],
            ['overall (process wall)', r.overall.peer_wall_s.toFixed(2), r.overall.confrec_wall_s.toFixed(2), `${r.overall.speedup_wall.toFixed(2)}×`],
          ],
        ),
      );
      const cb = r.clusters_breakdown;
      if (cb) log(`confrec's clusters step: k selection + fit ${cb.kmeans_s.toFixed(2)} s, assignment ${cb.assign_s.toFixed(2)} s, labels ${cb.labels_s.toFixed(2)} s, reading ${cb.read_s.toFixed(2)} s, statistics ${cb.stats_s.toFixed(2)} s, writing ${cb.write_s.toFixed(2)} s`);
      const pr = r.pair_recall as { recall: number; found_by_confrec: number; exhaustive_pairs: number; method: string };
      log(`pair recall of confrec's near-duplicates (${pr.method}) against the exhaustive pairs: ${pr.recall} (${pr.found_by_confrec} of ${pr.exhaustive_pairs})`);
      saveResults(sizes, opts, machineBefore);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const machineAfter = machineInfo();
  log(`\nload (1 min) before ${machineBefore.load_1m}, after ${machineAfter.load_1m} on ${machineAfter.cpus} cores${machineAfter.load_1m > machineAfter.cpus * 0.75 ? ' — measured under contention' : ''}`);
  const results = saveResults(sizes, opts, machineBefore);
  log('results: bench/results/peer.json');
  return results;
}

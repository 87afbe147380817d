/**
 * confrec's side of `npm run bench -- peer`, run as its own process (as the peer is): opens a
 * database that holds segmented recommendations and nothing downstream, runs the stages the peer's
 * job corresponds to — embed (lexical), themes, clusters, similar (near-duplicates) — exactly as
 * `confrec run` calls them, and prints one JSON object: seconds per stage (measured in the process,
 * after the imports), the import time and peak RSS.
 *
 *   node dist/bench/peer-confrec.js DB
 */
import { performance } from 'node:perf_hooks';

const started = performance.now();
const [{ Store }, { embedStage }, { themesStage }, { clustersStage }, { nearDuplicatesStage }, { silentLogger }] = await Promise.all([
  import('../pipeline/store/db.js'),
  import('../pipeline/embed/stage.js'),
  import('../pipeline/themes/stage.js'),
  import('../pipeline/clusters/stage.js'),
  import('../pipeline/similar/stage.js'),
  import('../pipeline/progress.js'),
]);
const importsS = (performance.now() - started) / 1000;

const db = process.argv[2];
if (!db) {
  process.stderr.write('usage: node dist/bench/peer-confrec.js DB\n');
  process.exit(2);
}

const steps: Record<string, number> = {};
const counts: Record<string, Record<string, unknown>> = {};
const t0 = performance.now();
const store = await Store.open(db);
steps.open = (performance.now() - t0) / 1000;
try {
  const ctx = { log: silentLogger, quiet: true };
  const plan = [
    ['embed', () => embedStage.run(store, { ...ctx, options: { embedder: 'lexical' } })],
    ['themes', () => themesStage.run(store, ctx)],
    ['clusters', () => clustersStage.run(store, ctx)],
    ['near-duplicates', () => nearDuplicatesStage.run(store, ctx)],
  ] as const;
  for (const [name, run] of plan) {
    const t = performance.now();
    const summary = await run();
    steps[name] = (performance.now() - t) / 1000;
    counts[name] = summary.counts;
  }
} finally {
  store.close();
}
process.stdout.write(
  JSON.stringify({
    imports_s: Number(importsS.toFixed(3)),
    steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Number(v.toFixed(3))])),
    counts,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);

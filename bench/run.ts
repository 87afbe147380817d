/**
 * Benchmark entry point: `npm run bench -- <name> [--key value ...]`. Each benchmark is one module
 * exporting a function; add new ones to BENCHMARKS.
 */
import { parseArgs } from 'node:util';

type Benchmark = (flags: Record<string, string | undefined>) => Promise<void>;

const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));

const BENCHMARKS: Record<string, { summary: string; run: Benchmark }> = {
  embed: {
    summary: 'lexical embedder end to end on ≥100,000 generated texts, transformers with the tiny model [--n N] [--transformers-n N] [--seed N]',
    run: async (f) =>
      (await import('./embed.js')).runEmbedBenchmark({
        n: num(f.n, 100_000),
        transformersN: num(f['transformers-n'], 10_000),
        seed: num(f.seed, 1),
      }),
  },
  model: {
    summary: 'the transformers path on an e5-small-shaped model (fp32 vs q8, sorted batching on/off, threads, overhead vs raw onnxruntime) [--n 10000] [--subset 1000] [--cases id,…] [--seed N]',
    run: async (f) =>
      (await import('./model.js')).runModelBenchmark({ n: num(f.n, 10_000), subset: num(f.subset, 1_000), cases: f.cases, seed: num(f.seed, 1) }),
  },
  'near-duplicates': {
    summary: 'similar stage (LSH) on ≥100,000 synthetic recommendations, recall against an exhaustive scan of a sample [--n N] [--sample N] [--seed N]',
    run: async (f) => (await import('./near-duplicates.js')).runNearDuplicateBenchmark({ n: num(f.n, 100_000), sample: num(f.sample, 20_000), seed: num(f.seed, 1) }),
  },
  pipeline: {
    summary: 'confrec run end to end on N synthetic resolutions (default 10,000), ingest+segment rate, incremental re-run after one new file [--docs N] [--seed N] [--threads N]',
    run: async (f) => {
      await (await import('./pipeline.js')).runPipelineBenchmark({ docs: num(f.docs, 10_000), seed: num(f.seed, 1), threads: f.threads === undefined ? undefined : Number(f.threads) });
    },
  },
  scaling: {
    summary: 'time and peak RSS per stage (each its own process) at 10k, 30k and 100k synthetic resolutions, expected vs measured growth, incremental re-run after one new resolution [--sizes 10000,30000,100000] [--seed N]',
    run: async (f) =>
      (await import('./scaling.js')).runScalingBenchmark({ sizes: (f.sizes ?? '10000,30000,100000').split(',').map(Number), seed: num(f.seed, 1) }),
  },
  peer: {
    summary: 'confrec against the Python/scikit-learn peer (TF-IDF+SVD, KMeans, radius neighbours) on the same recommendations, alternating rounds, pair recall [--recs 20000,75000] [--rounds N] [--seed N]',
    run: async (f) => {
      await (await import('./peer.js')).runPeerBenchmark({ sizes: (f.recs ?? '20000,75000').split(',').map(Number), rounds: num(f.rounds, 2), seed: num(f.seed, 1) });
    },
  },
  serve: {
    summary: 'the explorer on 10,000 synthetic resolutions: map stage time, warm search and recommendation-page p95, 20 clients for 60 s, server RSS [--db FILE] [--docs N] [--seed N] [--clients N] [--seconds N]',
    run: async (f) => {
      await (await import('./serve.js')).runServeBenchmark({
        db: f.db,
        docs: num(f.docs, 10_000),
        seed: num(f.seed, 7),
        clients: num(f.clients, 20),
        seconds: num(f.seconds, 60),
      });
    },
  },
  formats: {
    summary: 'segmentation F1 per file format on the format fixtures (tests/fixtures/formats), OCR included when tesseract is installed [--ocr off]',
    run: async (f) => (await import('./formats.js')).runFormatsBenchmark({ ocr: f.ocr !== 'off' }),
  },
  hostile: {
    summary: 'peak RSS of ingest per hostile input (bombs, oversized streams, huge texts), each in its own process (tests/hostile)',
    run: async () => (await import('./hostile.js')).runHostileBenchmark(),
  },
  pathological: {
    summary: 'normalisation, segmentation and metadata on a 10 MB single line, 9,000 nested items, 3,000 headings (the inputs tests/unit/fuzz.test.ts checks for correctness)',
    run: async () => (await import('./pathological.js')).runPathologicalBenchmark(),
  },
  segment: {
    summary: 'confrec segment --all on N synthetic resolutions (default 10,000), several timed runs (wall and CPU) [--docs N] [--seed N] [--n repeats]',
    run: async (f) => (await import('./segment.js')).runSegmentBenchmark({ docs: num(f.docs, 10_000), seed: num(f.seed, 7), repeats: num(f.n, 3) }),
  },
  database: {
    summary: 'database guard on N synthetic resolutions (default 10,000) or an existing file: open + marker check, integrity probe, status, pre-marker migration [--docs N] [--db FILE]',
    run: async (f) => (await import('./database.js')).runDatabaseBenchmark({ docs: num(f.docs, 10_000), db: f.db, seed: num(f.seed, 1) }),
  },
  // Other stages' benchmarks go here, e.g. similar: { summary: '…', run: async (f) => (await import('./similar.js')).run(f) },
};

async function main(): Promise<number> {
  // Every option takes a value; declare the ones any benchmark reads so "--n 5" is not read as a flag.
  const options = Object.fromEntries(['n', 'transformers-n', 'seed', 'sample', 'docs', 'sizes', 'db', 'clients', 'seconds', 'ocr', 'recs', 'rounds', 'threads', 'subset', 'cases'].map((k) => [k, { type: 'string' as const }]));
  const { positionals, values } = parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
  const [name] = positionals;
  if (!name) {
    // `npm run bench` alone runs every benchmark, one after another.
    for (const [key, b] of Object.entries(BENCHMARKS)) {
      process.stdout.write(`\n=== ${key}: ${b.summary}\n`);
      await b.run(values as Record<string, string | undefined>);
    }
    return 0;
  }
  const bench = BENCHMARKS[name];
  if (!bench) {
    const list = Object.entries(BENCHMARKS).map(([k, b]) => `  ${k.padEnd(8)} ${b.summary}`);
    process.stderr.write(`usage: npm run bench -- <name> [options]\n\nbenchmarks:\n${list.join('\n')}\n`);
    return 2;
  }
  await bench.run(values as Record<string, string | undefined>);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

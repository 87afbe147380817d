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
  // Other stages' benchmarks go here, e.g. similar: { summary: '…', run: async (f) => (await import('./similar.js')).run(f) },
};

async function main(): Promise<number> {
  // Every option takes a value; declare the ones any benchmark reads so "--n 5" is not read as a flag.
  const options = Object.fromEntries(['n', 'transformers-n', 'seed'].map((k) => [k, { type: 'string' as const }]));
  const { positionals, values } = parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
  const [name] = positionals;
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    const list = Object.entries(BENCHMARKS).map(([k, b]) => `  ${k.padEnd(8)} ${b.summary}`);
    process.stderr.write(`usage: npm run bench -- <name> [options]\n\nbenchmarks:\n${list.join('\n')}\n`);
    return name ? 2 : 0;
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

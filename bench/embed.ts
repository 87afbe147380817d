import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { config, ROOT } from '../pipeline/config.js';
import { embedStage } from '../pipeline/embed/stage.js';
import { writeTinyBertModel } from '../tools/tiny-model/tinymodel.js';
import { loadTransformersEmbedder } from '../pipeline/embed/transformers/embedder.js';
import { silentLogger } from '../pipeline/progress.js';
import { Store } from '../pipeline/store/db.js';
import { rssMb } from './machine.js';
import { seedCorpus, type SeedDocument, type SeedRecommendation } from './seed.js';
import { generateTexts, sampleFragments } from './textgen.js';

export interface EmbedBenchOptions {
  /** Texts for the lexical end-to-end run (≥ 100,000 for the target). */
  n: number;
  /** Texts for the transformers (tiny model) throughput run. */
  transformersN: number;
  seed: number;
}


/** Fills documents + recommendations as the segment stage would (setup, not measured). */
async function seed(store: Store, texts: readonly string[]): Promise<void> {
  const perDoc = 20;
  const docs: SeedDocument[] = [];
  const recs: SeedRecommendation[] = [];
  for (let d = 0; d * perDoc < texts.length; d++) {
    const id = `bench${String(d).padStart(6, '0')}`;
    docs.push({ doc_id: id });
    texts.slice(d * perDoc, (d + 1) * perDoc).forEach((t, i) => recs.push({ rec_id: `${id}-${i + 1}`, doc_id: id, seq: i + 1, text: t }));
  }
  await seedCorpus(store, docs, recs);
}

interface Row {
  case: string;
  texts: number;
  seconds: number;
  textsPerSecond: number;
  note: string;
}

export async function runEmbedBenchmark(opts: EmbedBenchOptions): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'confrec-bench-'));
  const rows: Row[] = [];
  const add = (c: string, texts: number, ms: number, note = '') =>
    rows.push({ case: c, texts, seconds: +(ms / 1000).toFixed(2), textsPerSecond: Math.round(texts / (ms / 1000)), note });
  try {
    let t0 = Date.now();
    const texts = generateTexts(sampleFragments(config.sampleDir), opts.n, opts.seed);
    const words = texts.reduce((s, t) => s + t.split(/\s+/).length, 0) / texts.length;
    process.stderr.write(`generated ${texts.length} texts (${words.toFixed(1)} words on average) in ${Date.now() - t0} ms\n`);

    const store = await Store.open(join(work, 'bench.duckdb'));
    await seed(store, texts);
    const rssBefore = rssMb();

    // Lexical, end to end: corpus read, fit (df, vocabulary, SVD), embedding, DuckDB write, run record.
    t0 = Date.now();
    const first = await embedStage.run(store, { log: silentLogger, quiet: true, options: { embedder: 'lexical' } });
    const lexicalMs = Date.now() - t0;
    const lexicalRss = rssMb();
    const c = first.counts as Record<string, number>;
    const split = { fit_ms: c.fit_ms, embed_ms: c.embed_ms, write_ms: c.write_ms, other_ms: lexicalMs - c.fit_ms - c.embed_ms - c.write_ms };
    add(
      'lexical: fit + embed + write',
      texts.length,
      lexicalMs,
      `fit ${(split.fit_ms / 1000).toFixed(1)} s, embed ${(split.embed_ms / 1000).toFixed(1)} s, append ${(split.write_ms / 1000).toFixed(1)} s, read+commit ${(split.other_ms / 1000).toFixed(1)} s`,
    );
    t0 = Date.now();
    const second = await embedStage.run(store, { log: silentLogger, quiet: true, options: { embedder: 'lexical' } });
    add('lexical: re-run (all cached)', texts.length, Date.now() - t0, `embedded ${String(second.counts.embedded)}`);
    store.close();

    // Transformers backend with the generated tiny BERT (pure model throughput, same code as users run).
    const modelDir = join(work, 'models');
    writeTinyBertModel(join(modelDir, 'bench', 'tiny-bert'), { seed: 1 });
    const embedder = await loadTransformersEmbedder({ model: 'bench/tiny-bert', modelDir, batchSize: 32 });
    const subset = texts.slice(0, opts.transformersN);
    t0 = Date.now();
    await embedder.embed(subset, 'passage');
    add('transformers: tiny BERT (2×32), batch 32', subset.length, Date.now() - t0, `${cpus().length} ONNX threads`);
    await embedder.dispose();

    const result = {
      // Seeding the database (documents + recommendations) is setup and not timed.
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      options: opts,
      rows,
      lexical: {
        embedder: String(first.counts.embedder),
        breakdownMs: split,
        textsPerSecond: rows[0].textsPerSecond,
        targetTextsPerSecond: 2000,
        peakRssMb: lexicalRss,
        rssBeforeEmbedMb: rssBefore,
        targetPeakRssMb: 2048,
      },
      peakRssMb: rssMb(),
    };
    const width = Math.max(...rows.map((r) => r.case.length));
    console.log(`${'case'.padEnd(width)}  ${'texts'.padStart(7)}  ${'seconds'.padStart(8)}  ${'texts/s'.padStart(8)}  note`);
    for (const r of rows) {
      console.log(`${r.case.padEnd(width)}  ${String(r.texts).padStart(7)}  ${r.seconds.toFixed(2).padStart(8)}  ${String(r.textsPerSecond).padStart(8)}  ${r.note}`);
    }
    console.log(
      `lexical: ${result.lexical.textsPerSecond} texts/s (target ≥ 2000), peak RSS ${lexicalRss} MB after the lexical run (target ≤ 2048 MB; ${rssBefore} MB before it)`,
    );
    const outDir = join(ROOT, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'embed.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(`written ${join(outDir, 'embed.json')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

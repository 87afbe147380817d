/**
 * Near-duplicate benchmark: ≥100,000 recommendation texts from the synthetic-corpus generator
 * (bench/textgen.ts does not suit: its 116 sample fragments make every text a near-duplicate of
 * hundreds of others), lexical vectors, the `similar` stage timed end to end, and its recall against
 * an exhaustive scan of a 20,000-text sample at the same threshold.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTEGER, listValue } from '@duckdb/node-api';
import { ROOT } from '../pipeline/config.js';
import { embedStage } from '../pipeline/embed/stage.js';
import { mulberry32 } from '../pipeline/math/prng.js';
import { silentLogger } from '../pipeline/progress.js';
import { EXHAUSTIVE_BELOW, nearDuplicatesStage } from '../pipeline/similar/stage.js';
import { exhaustivePairs } from '../pipeline/similar/pairs/pairs.js';
import { loadVectors, vectorTable, type VectorTable } from '../pipeline/similar/pairs/vectors.js';
import { atLeast, cosineAt } from '../pipeline/similar/pairs/cosine.js';
import { Store } from '../pipeline/store/db.js';
import { Scratch, type TableRef } from '../pipeline/store/scratch.js';
import { rssMb } from './machine.js';
import { seedCorpus, type SeedDocument, type SeedRecommendation } from './seed.js';
import { generateDocuments } from '../tools/synth/generate.js';
import { proposalOf } from '../pipeline/segment/proposal.js';
import { loadMorph, type Morph } from '../pipeline/text/morph.js';
import { currentEmbedding } from '../pipeline/embed/current.js';

export interface NearDuplicateBenchOptions {
  /** Recommendations (≥ 100,000 for the target). */
  n: number;
  /** Texts in the exhaustive recall sample (20,000 for the target). */
  sample: number;
  seed: number;
}

const secs = (ms: number) => +(ms / 1000).toFixed(2);

interface Corpus {
  docs: SeedDocument[];
  recs: SeedRecommendation[];
  planted: [string, string][];
}

/** Synthetic resolutions until n recommendations, as the ingest and segment stages would store them. */
function synthesise(n: number, seed: number, morph: Morph): Corpus {
  const docs: SeedDocument[] = [];
  const recs: SeedRecommendation[] = [];
  const planted: [string, string][] = [];
  const idOf = new Map<string, string>();
  // Resolutions hold 3–12 recommendations; n / 5 documents is always enough, and the loop stops at n.
  for (const d of generateDocuments({ docs: Math.ceil(n / 5) + 10, seed })) {
    const id = `b${String(d.index).padStart(7, '0')}`;
    idOf.set(d.gold.file, id);
    docs.push({ doc_id: id, year: d.info.year });
    d.gold.recommendations.forEach((r, k) => {
      recs.push({ rec_id: `${id}-${k + 1}`, doc_id: id, seq: k + 1, text: r.text, proposal: proposalOf(r.text, morph) });
    });
    for (const p of d.planted) {
      const a = idOf.get(p.a.file);
      if (a) planted.push([`${a}-${p.a.seq}`, `${id}-${p.b.seq}`]);
    }
    if (recs.length >= n) break;
  }
  const kept = new Set(recs.map((r) => r.rec_id));
  return { docs, recs, planted: planted.filter(([a, b]) => kept.has(a) && kept.has(b)) };
}

/**
 * Every pair of the sampled texts at or above the threshold. The scan is in JS with an exact
 * Cauchy–Schwarz early exit (the partial dot product plus the product of the remaining norms bounds
 * the cosine), keeping pairs within 1e-4 of the threshold; these are then decided by the stage's own
 * definition (pairs/cosine.ts), so float rounding cannot differ between truth and result.
 */
async function exhaustiveTruth(
  store: Store,
  scratch: Scratch,
  vectors: VectorTable,
  data: Float32Array,
  sample: number[],
  threshold: number,
): Promise<{ truth: TableRef; count: number }> {
  const dim = vectors.dim;
  const m = sample.length;
  const cuts = [Math.min(64, dim), Math.min(128, dim), dim];
  const v = new Float64Array(m * dim);
  const tails = new Float64Array(m * cuts.length);
  sample.forEach((idx, s) => {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += data[idx * dim + k] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < dim; k++) v[s * dim + k] = data[idx * dim + k] * inv;
    cuts.forEach((c, ci) => {
      let t = 0;
      for (let k = c; k < dim; k++) t += v[s * dim + k] ** 2;
      tails[s * cuts.length + ci] = Math.sqrt(t);
    });
  });
  const keep = threshold - 1e-4;
  const rows: unknown[][] = [];
  for (let a = 0; a < m; a++) {
    const oa = a * dim;
    for (let b = a + 1; b < m; b++) {
      const ob = b * dim;
      let dot = 0;
      let k = 0;
      let pruned = false;
      for (let ci = 0; ci < cuts.length; ci++) {
        const end = cuts[ci];
        let s0 = 0;
        let s1 = 0;
        for (; k + 1 < end; k += 2) {
          s0 += v[oa + k] * v[ob + k];
          s1 += v[oa + k + 1] * v[ob + k + 1];
        }
        for (; k < end; k++) s0 += v[oa + k] * v[ob + k];
        dot += s0 + s1;
        if (dot + tails[a * cuts.length + ci] * tails[b * cuts.length + ci] < keep) {
          pruned = true;
          break;
        }
      }
      if (!pruned && dot >= keep) {
        const [i, j] = [Math.min(sample[a], sample[b]), Math.max(sample[a], sample[b])];
        if (atLeast(cosineAt(data, dim, vectors.sq, i, j), threshold)) rows.push([i, j]);
      }
    }
  }
  const truth = await scratch.table<{ i: number; j: number }>('truth', { i: INTEGER, j: INTEGER });
  await truth.appendValues(rows);
  return { truth, count: rows.length };
}

interface Row {
  case: string;
  items: number;
  seconds: number;
  note: string;
}

export async function runNearDuplicateBenchmark(opts: NearDuplicateBenchOptions): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'confrec-bench-nd-'));
  const rows: Row[] = [];
  try {
    let t0 = Date.now();
    const corpus = synthesise(opts.n, opts.seed, await loadMorph());
    process.stderr.write(`generated ${corpus.recs.length} recommendations in ${corpus.docs.length} documents (${corpus.planted.length} planted near-duplicate pairs) in ${Date.now() - t0} ms\n`);
    const store = await Store.open(join(work, 'bench.duckdb'));
    await seedCorpus(store, corpus.docs, corpus.recs);
    const scratch = new Scratch(store, 'bench');

    t0 = Date.now();
    const embed = await embedStage.run(store, { log: silentLogger, quiet: true, options: { embedder: 'lexical' } });
    rows.push({ case: 'setup: lexical embed (not part of the target)', items: corpus.recs.length, seconds: secs(Date.now() - t0), note: String(embed.counts.embedder) });
    process.stderr.write(`embedded in ${secs(Date.now() - t0)} s; running the similar stage\n`);

    t0 = Date.now();
    const stage = await nearDuplicatesStage.run(store, { log: silentLogger, quiet: true, options: {} });
    const stageMs = Date.now() - t0;
    const c = stage.counts as Record<string, number>;
    const params = JSON.parse((await store.scalar<string>(`SELECT params::VARCHAR FROM runs WHERE run_id = $1`, [stage.runId])) ?? '{}');
    const threshold = c.threshold;
    rows.push({
      case: 'similar stage (LSH), end to end',
      items: c.texts,
      seconds: secs(stageMs),
      note: `pairs ${secs(c.pairs_ms)} s (of which vectors read + signatures ${secs(c.signature_ms)} s), containment ${secs(c.containment_ms)} s, write + groups ${secs(c.write_ms)} s`,
    });
    process.stderr.write(`${stage.line}\n`);

    // Recall on a sample: the stage's pairs (recommendation pairs mapped back to text pairs) against every pair of the sample.
    t0 = Date.now();
    const current = await currentEmbedding(store);
    if (!current) throw new Error('no embeddings after the embed stage');
    const vectors = await loadVectors(store, scratch, current);
    const dim = vectors.dim;
    const texts = vectors.count;
    const data = vectors.data;
    const rand = mulberry32(opts.seed);
    const ids = Array.from({ length: texts }, (_, i) => i);
    for (let i = 0; i < Math.min(opts.sample, texts); i++) {
      const j = i + Math.floor(rand() * (texts - i));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    const sample = ids.slice(0, Math.min(opts.sample, texts)).sort((a, b) => a - b);
    const { truth: truthPairs, count: truth } = await exhaustiveTruth(store, scratch, vectors, data, sample, threshold);
    const exhaustiveMs = Date.now() - t0;
    const v = vectors.table.name;
    const foundPairs = await scratch.query(
      'found',
      `SELECT DISTINCT least(va.idx, vb.idx) AS i, greatest(va.idx, vb.idx) AS j
       FROM near_duplicates n JOIN recommendations ra ON ra.rec_id = n.rec_a JOIN recommendations rb ON rb.rec_id = n.rec_b
       JOIN ${v} va ON va.text_hash = ra.text_hash JOIN ${v} vb ON vb.text_hash = rb.text_hash WHERE va.idx <> vb.idx`,
    );
    const found = await store.scalar<number>(`SELECT count(*) FROM ${truthPairs.name} t JOIN ${foundPairs.name} f USING (i, j)`);
    const recall = truth === 0 ? 1 : found / truth;
    rows.push({
      case: `exhaustive scan of a ${sample.length.toLocaleString('en')}-text sample (JS, pruned)`,
      items: (sample.length * (sample.length - 1)) / 2,
      seconds: secs(exhaustiveMs),
      note: `${truth} true pair(s), ${found} found by the stage: recall ${recall.toFixed(4)}`,
    });

    // What the exhaustive scan costs: the stage's method below EXHAUSTIVE_BELOW texts, timed on a small sample and scaled by n².
    const small = Math.min(4000, texts);
    const smallIdx = sample.slice(0, small);
    const smallData = new Float32Array(small * dim);
    smallIdx.forEach((x, k) => smallData.set(data.subarray(x * dim, (x + 1) * dim), k * dim));
    const smallVectors = await vectorTable(scratch, smallIdx.map((x) => vectors.hashes[x]), smallData, dim);
    t0 = Date.now();
    await exhaustivePairs(scratch, smallVectors, threshold);
    const smallMs = Date.now() - t0;
    const projected = (smallMs * (texts / small) ** 2) / 1000;
    rows.push({
      case: `exhaustive scan (JS) on ${small.toLocaleString('en')} texts`,
      items: (small * (small - 1)) / 2,
      seconds: secs(smallMs),
      note: `all ${texts.toLocaleString('en')} texts would take ~${Math.round(projected / 60)} min`,
    });

    const plantedFound = await store.scalar<number>(
      `SELECT count(*) FROM (SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS b) p
       JOIN near_duplicates n ON n.rec_a = least(p.a, p.b) AND n.rec_b = greatest(p.a, p.b)`,
      [listValue(corpus.planted.map((p) => p[0])), listValue(corpus.planted.map((p) => p[1]))],
    );
    await scratch.dispose();
    store.close();

    const width = Math.max(...rows.map((r) => r.case.length));
    process.stdout.write(`\n${'case'.padEnd(width)}  ${'items'.padStart(11)}  ${'seconds'.padStart(8)}  note\n`);
    for (const r of rows) process.stdout.write(`${r.case.padEnd(width)}  ${r.items.toLocaleString('en').padStart(11)}  ${r.seconds.toFixed(2).padStart(8)}  ${r.note}\n`);
    const summary = {
      recommendations: c.recommendations,
      texts: c.texts,
      threshold,
      thresholdSource: params.threshold_source,
      lsh: params.lsh,
      candidates: c.candidates,
      verified: c.verified,
      pairs: c.pairs,
      groups: c.groups,
      stageSeconds: secs(stageMs),
      targetSeconds: 60,
      recall,
      targetRecall: 0.95,
      recallSample: sample.length,
      truePairsInSample: truth,
      plantedPairs: corpus.planted.length,
      plantedFound,
      plantedRecall: corpus.planted.length ? +(plantedFound / corpus.planted.length).toFixed(4) : null,
      exhaustiveBelow: EXHAUSTIVE_BELOW,
    };
    process.stdout.write(
      `\nsimilar: ${summary.stageSeconds} s for ${summary.recommendations.toLocaleString('en')} recommendations (target ≤ 60 s), ` +
        `recall ${recall.toFixed(4)} on ${sample.length.toLocaleString('en')} sampled texts (target ≥ 0.95), ` +
        `${summary.candidates.toLocaleString('en')} candidate pairs → ${summary.verified.toLocaleString('en')} exact cosines → ${summary.pairs.toLocaleString('en')} pairs; ` +
        `planted pairs found ${plantedFound}/${corpus.planted.length}; peak RSS ${rssMb()} MB\n`,
    );
    const out = join(ROOT, 'bench', 'results', 'near-duplicates.json');
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const cpu = cpus();
    writeFileSync(
      out,
      JSON.stringify(
        { date: new Date().toISOString(), node: process.version, cpus: cpu.length, cpuModel: cpu[0]?.model ?? '', options: opts, rows, near_duplicates: summary, peakRssMb: rssMb() },
        null,
        2,
      ) + '\n',
    );
    process.stderr.write(`written ${out}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

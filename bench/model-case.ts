/**
 * One case of `npm run bench -- model`, in its own process so that its peak RSS is its own:
 * `node dist/bench/model-case.js '<json ModelCase>'` prints one JSON line (CaseResult).
 *
 * Pipeline pass: TransformersEmbedder.embed over all texts (tokenise, run, mean-pool, normalise,
 * copy out) — the code `confrec embed` runs. Raw pass: a plain onnxruntime-node InferenceSession
 * on the same weight file with the same session options, fed the same batches already tokenised
 * (tokenising is not timed): only session.run is timed. The two alternate batch by batch, so both
 * see the same machine load.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { rssMb } from './machine.js';
import { loadTransformersEmbedder, sessionOptions } from '../pipeline/embed/transformers/embedder.js';
import { DTYPE_FILES, modelFolder, modelInputs, type Dtype } from '../pipeline/embed/transformers/models.js';
import { join } from 'node:path';

export interface ModelCase {
  textsFile: string;
  n: number;
  modelDir: string;
  model: string;
  dtype: Dtype;
  threads: number;
  batchSize: number;
  sorted: boolean;
  /** Also time the raw InferenceSession (alternating with the pipeline). */
  raw: boolean;
  repeats: number;
}

export interface CaseResult {
  texts: number;
  tokens: number;
  paddedTokens: number;
  /** Best pipeline pass (seconds) and every pass. */
  seconds: number;
  passes: number[];
  rawSeconds: number | null;
  rawPasses: number[];
  loadSeconds: number;
  peakRssMb: number;
  load: number[];
}

interface OrtTensorCtor {
  new (type: string, data: BigInt64Array, dims: readonly number[]): unknown;
}
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { dispose?: () => void }>>;
  release(): Promise<void>;
}
interface Ort {
  Tensor: OrtTensorCtor;
  InferenceSession: { create(path: string, opts: Record<string, unknown>): Promise<OrtSession> };
}
interface TokenizerOut {
  input_ids: { data: BigInt64Array; dims: number[] };
  attention_mask: { data: BigInt64Array; dims: number[] };
  token_type_ids?: { data: BigInt64Array; dims: number[] };
}

const loadLavg = () => Number(loadavg()[0].toFixed(2));

async function main(c: ModelCase): Promise<CaseResult> {
  const texts = (JSON.parse(readFileSync(c.textsFile, 'utf8')) as string[]).slice(0, c.n);
  const load: number[] = [loadLavg()];
  let t0 = performance.now();
  const embedder = await loadTransformersEmbedder({
    model: c.model,
    modelDir: c.modelDir,
    dtype: c.dtype,
    threads: c.threads,
    batchSize: c.batchSize,
    sortByLength: c.sorted,
  });
  const loadSeconds = (performance.now() - t0) / 1000;

  // The batches exactly as the embedder forms them, tokenised once for the raw pass and the counts.
  const inputs = modelInputs(c.model, texts, 'passage');
  // Ordering (a tokenisation of every text) is part of our path: timed and added to our side.
  const orderStart = performance.now();
  const order = embedder.batchOrder(texts, 'passage');
  const orderMs = performance.now() - orderStart;
  const tokenizer = (embedder.pipeline as { tokenizer: (t: string[], o: object) => TokenizerOut }).tokenizer;
  const batches: TokenizerOut[] = [];
  let tokens = 0;
  let paddedTokens = 0;
  for (let s = 0; s < order.length; s += c.batchSize) {
    const enc = tokenizer(order.slice(s, s + c.batchSize).map((i) => inputs[i]), { padding: true, truncation: true });
    batches.push(enc);
    paddedTokens += enc.attention_mask.data.length;
    for (const m of enc.attention_mask.data) tokens += Number(m);
  }

  let ort: Ort | null = null;
  let session: OrtSession | null = null;
  if (c.raw) {
    const req = createRequire(createRequire(import.meta.url).resolve('@huggingface/transformers'));
    ort = req('onnxruntime-node') as Ort;
    session = await ort.InferenceSession.create(join(modelFolder(c.modelDir, c.model), 'onnx', DTYPE_FILES[c.dtype]), sessionOptions(c.threads));
  }
  const rawBatch = async (b: TokenizerOut) => {
    const feeds: Record<string, unknown> = {
      input_ids: new ort!.Tensor('int64', b.input_ids.data, b.input_ids.dims),
      attention_mask: new ort!.Tensor('int64', b.attention_mask.data, b.attention_mask.dims),
      token_type_ids: new ort!.Tensor('int64', b.token_type_ids?.data ?? new BigInt64Array(b.input_ids.data.length), b.input_ids.dims),
    };
    const out = await session!.run(feeds);
    for (const t of Object.values(out)) t.dispose?.();
  };

  // Warm-up: one batch through each path (first runs allocate arenas).
  await embedder.embed(texts.slice(0, c.batchSize), 'passage');
  if (session) await rawBatch(batches[0]);

  const passes: number[] = [];
  const rawPasses: number[] = [];
  for (let r = 0; r < c.repeats; r++) {
    if (!session) {
      t0 = performance.now();
      const vs = await embedder.embed(texts, 'passage');
      passes.push((performance.now() - t0) / 1000);
      if (vs.length !== texts.length) throw new Error('embedder returned the wrong number of vectors');
      load.push(loadLavg());
      continue;
    }
    // With the raw session: batch by batch, the same batch through both paths back to back (who goes
    // first alternates), so a change of machine load in between hits both sides alike.
    let ours = c.sorted ? orderMs : 0;
    let raw = 0;
    for (let b = 0; b < batches.length; b++) {
      const batchTexts = order.slice(b * c.batchSize, (b + 1) * c.batchSize).map((i) => texts[i]);
      const runOurs = async () => {
        const start = performance.now();
        const vs = await embedder.embed(batchTexts, 'passage');
        ours += performance.now() - start;
        if (vs.length !== batchTexts.length) throw new Error('embedder returned the wrong number of vectors');
      };
      const runRaw = async () => {
        const start = performance.now();
        await rawBatch(batches[b]);
        raw += performance.now() - start;
      };
      if (b % 2 === 0) {
        await runOurs();
        await runRaw();
      } else {
        await runRaw();
        await runOurs();
      }
    }
    passes.push(ours / 1000);
    rawPasses.push(raw / 1000);
    load.push(loadLavg());
  }
  const peakRssMb = rssMb();
  await session?.release();
  await embedder.dispose();
  return {
    texts: texts.length,
    tokens,
    paddedTokens,
    seconds: Math.min(...passes),
    passes,
    rawSeconds: rawPasses.length ? Math.min(...rawPasses) : null,
    rawPasses,
    loadSeconds,
    peakRssMb,
    load,
  };
}

main(JSON.parse(process.argv[2]) as ModelCase).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`model-case: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

import { choiceFlag, numberFlag, pathFlag, stringFlag } from '../flags.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { EMBEDDINGS } from '../store/columns.js';
import { keepVectorSet } from '../store/vectors.js';
import { fingerprintParams, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type Scratch, type TableRef } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { CURRENT_TEXT_HASHES, readCorpus, readCorpusHashes, textSetSignature, textsOf } from './corpus.js';
import { EMBEDDER_CHOICES, createEmbedder, opensLexical, type EmbedderOptions } from './registry.js';
import { loadMorph } from '../text/morph.js';
import type { CorpusText, Embedder, Refit } from './types.js';
import { DTYPE_FILES, type Dtype } from './transformers/models.js';
import { DEVICES } from './transformers/device.js';

export const DEFAULT_BATCH_SIZE = 32;
/** Vectors are written (and, without a refit, committed) in groups of this many rows. */
const FLUSH_ROWS = 4096;
/** Bumped when vectors are computed differently, so readers know stored ones are stale. */
export const EMBED_VERSION = 'embed-1';

/** The embed stage's options: which embedder (registry.ts) and how to run it. */
export type EmbedOptions = EmbedderOptions & { batchSize: number };

/**
 * Flags of `confrec embed` and `confrec run`: --embedder auto|transformers|lexical (default auto),
 * --model ID, --model-dir DIR, --batch-size N (default 32), --dtype q8|fp32|…, --allow-download,
 * --refit (refit the lexical space even when few texts are new), --device cpu|cuda, --threads N
 * (ONNX Runtime threads; default all cores).
 */
export function parseEmbedOptions(values: Record<string, unknown>): EmbedOptions {
  const dtype = stringFlag(values.dtype) === undefined ? undefined : choiceFlag(values.dtype, 'dtype', Object.keys(DTYPE_FILES) as Dtype[], 'q8');
  return {
    embedder: choiceFlag(values.embedder, 'embedder', EMBEDDER_CHOICES, 'auto'),
    model: stringFlag(values.model),
    modelDir: pathFlag(values['model-dir']),
    allowDownload: values['allow-download'] === true,
    refit: values.refit === true,
    batchSize: numberFlag(values['batch-size'], 'batch-size', { min: 1, integer: true }) ?? DEFAULT_BATCH_SIZE,
    dtype,
    device: stringFlag(values.device) === undefined ? undefined : choiceFlag(values.device, 'device', DEVICES, 'cpu'),
    threads: numberFlag(values.threads, 'threads', { min: 1, integer: true }),
  };
}

/**
 * What the stored vectors depend on: the distinct texts of the current recommendations, as their
 * count and the XOR of their hashes (corpus.ts textSetSignature) — order-free, so neither this nor
 * the stage sorts or reads 216,000 hashes at 30,000 resolutions (an md5 of the sorted hashes until
 * round 10: a database embedded before then sees its texts as changed once, until the next embed).
 */
async function embedFingerprint(store: Store, _o?: unknown, from: string = CURRENT_TEXT_HASHES): Promise<Fingerprint> {
  const texts = await store.scalar<string>(textSetSignature(from));
  return { inputs: { texts }, config: { version: EMBED_VERSION } };
}

export { embedFingerprint };

/** The current texts (`current`: text_hash) without a vector of this embedder, as a table of `hash`. */
function missingTexts(scratch: Scratch, current: TableRef, embedderId: string): Promise<TableRef> {
  return scratch.query(
    'missing',
    `SELECT c.text_hash AS hash FROM ${current.name} c ANTI JOIN (SELECT text_hash FROM embeddings WHERE embedder = $1) e USING (text_hash)`,
    [embedderId],
  );
}

/** Vectors of one flush group, packed: the keys and their floats row after row. */
interface VectorBatch {
  keys: string[];
  data: Float32Array;
}

/**
 * Embeds `todo` batch by batch, handing packed vectors to `flush` in groups of FLUSH_ROWS; when
 * `all` is given (todo.length × dim), every vector is also copied there, in todo's order.
 */
async function embedAll(
  embedder: Embedder,
  todo: readonly CorpusText[],
  batchSize: number,
  flush: (batch: VectorBatch) => Promise<void>,
  tick: (n: number) => void,
  timings: { embed_ms: number; write_ms: number },
  all?: Float32Array,
): Promise<void> {
  const dim = embedder.dim;
  let keys: string[] = [];
  let data = new Float32Array(Math.min(FLUSH_ROWS + batchSize, todo.length) * dim);
  const write = async () => {
    const t0 = Date.now();
    await flush({ keys, data: data.subarray(0, keys.length * dim) });
    keys = [];
    timings.write_ms += Date.now() - t0;
  };
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    const t0 = Date.now();
    const vectors = await embedder.embed(
      batch.map((t) => t.text),
      'passage',
    );
    timings.embed_ms += Date.now() - t0;
    batch.forEach((t, j) => {
      const v = vectors[j];
      if (v.length !== dim) throw new Error(`embedder ${embedder.id} returned ${v.length} numbers, expected ${dim}`);
      data.set(v, keys.length * dim);
      all?.set(v, (i + j) * dim);
      keys.push(t.hash);
    });
    tick(batch.length);
    if (keys.length >= FLUSH_ROWS) await write();
  }
  if (keys.length) await write();
}

/**
 * The embed stage: one vector per distinct current recommendation text and embedder. Only texts not
 * yet embedded by this embedder are embedded; vectors of other embedders stay. When a corpus-fitted
 * space (lexical) is refitted, its old vectors and model are replaced by the new ones in one
 * transaction, so readers never see vectors from two spaces under one name.
 */
export const embedStage: PipelineStage<EmbedOptions> = {
  name: 'embed',
  after: ['segment'],
  refresh: 'confrec embed',
  flags: {
    embedder: { type: 'string' },
    model: { type: 'string' },
    'model-dir': { type: 'string' },
    'batch-size': { type: 'string' },
    dtype: { type: 'string' },
    'allow-download': { type: 'boolean' },
    refit: { type: 'boolean' },
    device: { type: 'string' },
    threads: { type: 'string' },
  },
  parseOptions: parseEmbedOptions,
  fingerprint: embedFingerprint,
  async run(store: Store, ctx: StageContext<EmbedOptions>) {
    const opts = stageOptions(embedStage, ctx);
    // Where the stage's time goes beyond fit/embed/write (stored in the run's counts): the dictionary
    // (morph_ms, while DuckDB reads the hashes), the hashes, opening the embedder, deciding the
    // refit (adapt_ms), reading the texts, the run row, fit + vectors (fitembed_ms), waiting for the
    // model's save, the append, the commit, handing the vectors over (keep_ms).
    const t00 = Date.now();
    const phases: Record<string, number> = {};
    let tp = t00;
    const mark = (name: string) => {
      const now = Date.now();
      phases[name] = (phases[name] ?? 0) + now - tp;
      tp = now;
    };
    return withScratch(store, 'embed', async (scratch) => {
      // The current texts' hashes stay in DuckDB (a table); texts, or every hash, reach JS only where
      // they are needed: a refit, or texts not embedded yet.
      const currentRead = scratch.query('current', CURRENT_TEXT_HASHES);
      currentRead.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
      // The lexical analyzer's dictionaries load (≈ 0.7 s of this thread, once per process) while
      // DuckDB reads the hashes in its own threads; the embedder opened below finds them loaded. A
      // failure to load them is reported there, where it was before.
      if (await opensLexical(opts)) await loadMorph().catch(() => {});
      mark('morph_ms');
      const current = await currentRead;
      const total = await current.count();
      const fingerprint = await embedFingerprint(store, undefined, `SELECT text_hash FROM ${current.name}`);
      mark('hashes_ms');
      const embedder = await createEmbedder(store, opts, ctx.log);
      mark('open_ms');
      try {
        // The whole corpus (hashes, then texts) only when the space may have to be refitted.
        let corpus: CorpusText[] | null = null;
        let refit: Refit | null = null;
        if (embedder.adaptTo && !(await embedder.keepsSpace?.(store, current, total))) {
          corpus = await readCorpusHashes(store);
          mark('hashes_ms');
          refit = await embedder.adaptTo(corpus);
          mark('adapt_ms');
          if (refit) {
            corpus = await readCorpus(store);
            mark('texts_ms');
            refit = (await embedder.adaptTo(corpus)) ?? null;
          }
        }
        mark('adapt_ms');
        const id = refit?.id ?? embedder.id;
        const params = { embedder: id, ...embedder.info, batch_size: opts.batchSize, ...fingerprintParams(fingerprint) };
        return await withRun(store, 'embed', params, async (runId) => {
          const timings = { fit_ms: 0, embed_ms: 0, write_ms: 0 };
          mark('run_ms');
          if (refit) {
            const started = Date.now();
            const fitting = createProgress('embed: fitting the embedding space', total, ctx);
            let seen = 0;
            await refit.fit((phase, done) => {
              if (phase === 'count' && done > seen) {
                fitting.tick(done - seen);
                seen = done;
              }
            });
            fitting.done();
            timings.fit_ms = Date.now() - started;
          }
          // In the embedder's preferred order (a transformer: longest first by tokens, so each batch
          // pads to nearly its own length; bench/results/model.json); the order of rows does not matter.
          const unordered = refit && corpus ? corpus : await textsOf(store, scratch, await missingTexts(scratch, current, id));
          const todo = embedder.batchOrder ? embedder.batchOrder(unordered.map((t) => t.text), 'passage').map((i) => unordered[i]) : unordered;
          const progress = createProgress('embed', todo.length, ctx);
          const append = ({ keys, data }: VectorBatch) =>
            store.appendVectors(EMBEDDINGS, [keys, keys.map(() => id), keys.map(() => embedder.dim), { packed: data, dim: embedder.dim }], keys.length);
          // A fitted space's vectors are all its rows: kept for the stages after this one in the same
          // process (store/vectors.ts), which would otherwise read them back from the table.
          const all = refit ? new Float32Array(todo.length * embedder.dim) : undefined;
          if (refit && all) {
            await store.transaction(async () => {
              for (const old of [...refit.replaces, refit.id]) await store.run(`DELETE FROM embeddings WHERE embedder = $1`, [old]);
              // DuckDB writes the fitted model (the projection blob is most of the save) in its own
              // threads while this one computes every vector; the vectors are appended once the save
              // is done (one connection, one statement at a time).
              const saving = refit.save(store, runId);
              saving.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
              try {
                // Every flush group yields to the event loop once, so that the save's next statement
                // is sent to DuckDB while the vectors are still being computed.
                const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));
                if (refit.embedAll) {
                  // The backend's own way (lexical: shared with its helper thread); it yields as often.
                  const t0 = Date.now();
                  await refit.embedAll(
                    todo.map((t) => t.text),
                    all,
                    (n) => progress.tick(n),
                  );
                  timings.embed_ms += Date.now() - t0;
                } else {
                  await embedAll(embedder, todo, opts.batchSize, yieldOnce, (n) => progress.tick(n), timings, all);
                }
              } finally {
                // Settled before the transaction goes on (or rolls back); its error, if any, is thrown here.
                mark('fitembed_ms');
                await saving;
                mark('save_ms');
              }
              const t0 = Date.now();
              for (let i = 0; i < todo.length; i += FLUSH_ROWS) {
                const keys = todo.slice(i, i + FLUSH_ROWS).map((t) => t.hash);
                await append({ keys, data: all.subarray(i * embedder.dim, (i + keys.length) * embedder.dim) });
              }
              timings.write_ms += Date.now() - t0;
              mark('write_ms');
              delete phases.write_ms;
            });
            mark('commit_ms');
          } else {
            // Without a refit every group commits on its own, so an interrupted run keeps its progress.
            await embedAll(embedder, todo, opts.batchSize, (rows) => store.transaction(() => append(rows)), (n) => progress.tick(n), timings);
          }
          progress.done();
          if (all) await keepVectorSet(store, { id, dim: embedder.dim, runId }, todo.map((t) => t.hash), all);
          mark('keep_ms');
          const counts = {
            texts: total,
            embedded: todo.length,
            cached: total - todo.length,
            refitted: Boolean(refit),
            replaced: refit?.replaces ?? [],
            embedder: id,
            dim: embedder.dim,
            ...timings,
            ...(refit?.timings ?? {}),
            ...phases,
            total_ms: Date.now() - t00,
          };
          const line =
            total === 0
              ? 'embed: no recommendations to embed (run `confrec segment` first)'
              : todo.length === 0
                ? `embed: nothing to do (all ${total} text(s) embedded with ${id})`
                : `embed: ${todo.length} text(s) embedded with ${id} (${embedder.dim} dims)` +
                  (counts.cached ? `, ${counts.cached} cached` : '') +
                  (refit ? `, space ${refit.replaces.length ? 'refitted' : 'fitted'} on ${total} text(s)` : '');
          return { counts, line };
        });
      } finally {
        await embedder.dispose?.();
      }
    });
  },
};

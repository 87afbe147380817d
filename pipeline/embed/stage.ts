import { FLOAT, INTEGER, LIST, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import { UsageError } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { readCorpus, readCorpusHashes, withTexts } from './corpus.js';
import { EMBEDDER_CHOICES, createEmbedder, type Embedder, type EmbedderChoice, type EmbedderOptions } from './registry.js';
import type { CorpusText } from './types.js';
import { DTYPE_FILES, type Dtype } from './transformers/models.js';

export const DEFAULT_BATCH_SIZE = 32;
const EMBEDDING_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, INTEGER, LIST(FLOAT)];
/** Vectors are written (and, without a refit, committed) in groups of this many rows. */
const FLUSH_ROWS = 4096;

/**
 * Stage options, as `confrec embed` and `confrec run` put them in ctx.options:
 *   embedder       'auto' | 'transformers' | 'lexical'   (default 'auto')
 *   model          sentence model id for transformers     (default Xenova/multilingual-e5-small)
 *   modelDir       folder of local models                 (default config.modelDir, <root>/models)
 *   batchSize      texts per embedding call, number or numeric string (default 32)
 *   allowDownload  boolean: let transformers.js fetch a missing model into modelDir
 *   dtype          'q8' | 'fp32' | …: which ONNX weights to load (default: what the model folder has)
 *   refit          boolean: refit the lexical space even when under 10% of the texts are new
 */
export function embedderOptions(options: Record<string, unknown>): EmbedderOptions & { batchSize: number } {
  const str = (k: string) => (typeof options[k] === 'string' && options[k] !== '' ? (options[k] as string) : undefined);
  const embedder = (str('embedder') ?? 'auto') as EmbedderChoice;
  if (!EMBEDDER_CHOICES.includes(embedder)) {
    throw new UsageError(`unknown embedder "${embedder}"`, `use one of ${EMBEDDER_CHOICES.join(', ')}`);
  }
  const rawBatch = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const batchSize = typeof rawBatch === 'number' ? rawBatch : Number(rawBatch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, not "${String(rawBatch)}"`);
  const dtype = str('dtype') as Dtype | undefined;
  if (dtype && !(dtype in DTYPE_FILES)) throw new UsageError(`unknown dtype "${dtype}"`, `use one of ${Object.keys(DTYPE_FILES).join(', ')}`);
  return {
    embedder,
    model: str('model'),
    modelDir: str('modelDir'),
    allowDownload: Boolean(options.allowDownload),
    refit: Boolean(options.refit),
    batchSize,
    dtype,
  };
}

async function cachedHashes(store: Store, embedderId: string): Promise<Set<string>> {
  const rows = await store.all<{ text_hash: string }>(`SELECT text_hash FROM embeddings WHERE embedder = $1`, [embedderId]);
  return new Set(rows.map((r) => r.text_hash));
}

/** Embeds `todo` batch by batch, handing rows to `flush` in groups. */
async function embedAll(
  embedder: Embedder,
  todo: readonly CorpusText[],
  batchSize: number,
  flush: (rows: unknown[][]) => Promise<void>,
  tick: (n: number) => void,
  timings: { embed_ms: number; write_ms: number },
): Promise<void> {
  let rows: unknown[][] = [];
  const write = async () => {
    const t0 = Date.now();
    await flush(rows);
    rows = [];
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
      if (v.length !== embedder.dim) throw new Error(`embedder ${embedder.id} returned ${v.length} numbers, expected ${embedder.dim}`);
      rows.push([t.hash, embedder.id, embedder.dim, Array.from(v)]);
    });
    tick(batch.length);
    if (rows.length >= FLUSH_ROWS) await write();
  }
  if (rows.length) await write();
}

/**
 * The embed stage: one vector per distinct current recommendation text and embedder. Only texts not
 * yet embedded by this embedder are embedded; vectors of other embedders stay. When a corpus-fitted
 * space (lexical) is refitted, its old vectors and model are replaced by the new ones in one
 * transaction, so readers never see vectors from two spaces under one name.
 */
export const embedStage: PipelineStage = {
  name: 'embed',
  async run(store: Store, ctx: StageContext) {
    const opts = embedderOptions(ctx.options);
    // Hashes first; texts only where they are needed (a refit, or texts not embedded yet).
    let corpus = await readCorpusHashes(store);
    const embedder = await createEmbedder(store, opts, ctx.log);
    try {
      let refit = (await embedder.adaptTo?.(corpus)) ?? null;
      if (refit) {
        corpus = await readCorpus(store);
        refit = (await embedder.adaptTo?.(corpus)) ?? null;
      }
      const id = refit?.id ?? embedder.id;
      const params = { embedder: id, ...embedder.info, batch_size: opts.batchSize };
      return await withRun(store, 'embed', params, async (runId) => {
        const timings = { fit_ms: 0, embed_ms: 0, write_ms: 0 };
        if (refit) {
          const started = Date.now();
          const fitting = createProgress('embed: fitting the embedding space', corpus.length, ctx);
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
        const cached = refit ? new Set<string>() : await cachedHashes(store, id);
        const missing = corpus.filter((t) => !cached.has(t.hash));
        const todo = refit ? missing : await withTexts(store, missing);
        const progress = createProgress('embed', todo.length, ctx);
        const append = (rows: unknown[][]) => store.append('embeddings', EMBEDDING_TYPES, rows);
        if (refit) {
          await store.transaction(async () => {
            for (const old of [...refit.replaces, refit.id]) await store.run(`DELETE FROM embeddings WHERE embedder = $1`, [old]);
            await refit.save(store, runId);
            await embedAll(embedder, todo, opts.batchSize, append, (n) => progress.tick(n), timings);
          });
        } else {
          // Without a refit every group commits on its own, so an interrupted run keeps its progress.
          await embedAll(embedder, todo, opts.batchSize, (rows) => store.transaction(() => append(rows)), (n) => progress.tick(n), timings);
        }
        progress.done();
        const counts = {
          texts: corpus.length,
          embedded: todo.length,
          cached: corpus.length - todo.length,
          refitted: Boolean(refit),
          replaced: refit?.replaces ?? [],
          embedder: id,
          dim: embedder.dim,
          ...timings,
        };
        const line =
          corpus.length === 0
            ? 'embed: no recommendations to embed (run `confrec segment` first)'
            : todo.length === 0
              ? `embed: nothing to do (all ${corpus.length} text(s) embedded with ${id})`
              : `embed: ${todo.length} text(s) embedded with ${id} (${embedder.dim} dims)` +
                (counts.cached ? `, ${counts.cached} cached` : '') +
                (refit ? `, space ${refit.replaces.length ? 'refitted' : 'fitted'} on ${corpus.length} text(s)` : '');
        return { counts, line };
      });
    } finally {
      await embedder.dispose?.();
    }
  },
};

import { currentEmbedding, openCurrentEmbedder, type CurrentEmbedding } from '../../embed/current.js';
import type { Embedder } from '../../embed/types.js';
import { ConfrecError } from '../../errors.js';
import { silentLogger, type Logger } from '../../progress.js';
import type { Store } from '../../store/db.js';
import { embedderFamily } from '../../themes/calibration.js';
import { nearDuplicateThreshold } from '../calibration/thresholds.js';

/** The current embedding space, or a clear error when there is none yet. */
export async function requireEmbedding(store: Store): Promise<CurrentEmbedding> {
  const current = await currentEmbedding(store);
  if (!current) {
    throw new ConfrecError('no embeddings in this database yet', { file: store.path, hint: 'run `confrec run <folder>` (or `confrec embed`) first' });
  }
  return current;
}

/** The embedder that made the stored vectors, to put a query in the same space. */
export async function requireQueryEmbedder(store: Store, current: CurrentEmbedding, opts: { modelDir?: string; log?: Logger } = {}): Promise<Embedder> {
  const embedder = await openCurrentEmbedder(store, current, { modelDir: opts.modelDir }, opts.log ?? silentLogger);
  if (!embedder) {
    throw new ConfrecError(`cannot open the embedder that made the stored vectors (${current.id})`, {
      hint: 'make its model available (--model-dir) or re-run `confrec embed`',
    });
  }
  return embedder;
}

/** Whether the near-duplicate threshold of the current space comes from a calibration (else the default). */
export async function thresholdCalibrated(current: CurrentEmbedding | null): Promise<boolean> {
  return (await nearDuplicateThreshold(embedderFamily(current?.id ?? null))).calibrated;
}

/** The near-duplicate threshold for the current space: the option when given, else the calibrated one. */
export async function thresholdForSpace(current: CurrentEmbedding | null, explicit?: number): Promise<number> {
  if (explicit !== undefined) return explicit;
  return (await nearDuplicateThreshold(embedderFamily(current?.id ?? null))).threshold;
}

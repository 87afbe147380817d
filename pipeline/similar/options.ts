import { UsageError } from '../errors.js';
import { choiceFlag, numberFlag, pathFlag } from '../flags.js';
import type { LshOverrides } from './pairs/lsh.js';
import { THREADS_FLAG, threadsFlag } from '../workers/threads.js';

export const METHODS = ['auto', 'exhaustive', 'lsh'] as const;
export type MethodChoice = (typeof METHODS)[number];

/** Options of the similar (near-duplicates) stage. */
export interface NearDuplicateOptions {
  /** Recompute everything, not only the pairs of new recommendations. */
  all: boolean;
  /** Cosine cut instead of the one calibrated for the embedder family. */
  threshold?: number;
  /** 'auto' (exhaustive below EXHAUSTIVE_BELOW texts, else LSH) | 'exhaustive' | 'lsh'. */
  method: MethodChoice;
  /** Bits per band (default 16), bands (default: enough for 95 % recall at the cut), rotation seed. */
  lsh: LshOverrides;
  modelDir?: string;
  /** Worker threads for the LSH signatures and band buckets (--threads; default every core). Never changes a result. */
  threads: number;
}

export const NEAR_DUPLICATE_FLAGS = {
  all: { type: 'boolean' },
  threshold: { type: 'string' },
  method: { type: 'string' },
  'lsh-bits': { type: 'string' },
  'lsh-bands': { type: 'string' },
  'lsh-seed': { type: 'string' },
  'model-dir': { type: 'string' },
  ...THREADS_FLAG,
} as const;

/** --threshold X (0 < X ≤ 1), --method auto|exhaustive|lsh, --lsh-bits N, --lsh-bands N, --lsh-seed N, --threads N, --all. */
export function parseNearDuplicateOptions(values: Record<string, unknown>): NearDuplicateOptions {
  const threshold = numberFlag(values.threshold, 'threshold', { min: 0, max: 1 });
  if (threshold === 0) throw new UsageError('--threshold must be above 0 and at most 1, not 0');
  return {
    all: values.all === true,
    threshold,
    method: choiceFlag(values.method, 'method', METHODS, 'auto'),
    lsh: {
      bitsPerBand: numberFlag(values['lsh-bits'], 'lsh-bits', { integer: true }),
      bands: numberFlag(values['lsh-bands'], 'lsh-bands', { integer: true }),
      seed: numberFlag(values['lsh-seed'], 'lsh-seed', { integer: true }),
    },
    modelDir: pathFlag(values['model-dir']),
    threads: threadsFlag(values.threads),
  };
}

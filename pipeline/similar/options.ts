import { UsageError } from '../errors.js';
import type { LshOverrides } from './pairs/lsh.js';

export const METHODS = ['auto', 'exhaustive', 'lsh'] as const;
export type MethodChoice = (typeof METHODS)[number];

/**
 * Stage options, as ctx.options carries them (numbers or numeric strings from the command line):
 *   threshold   cosine cut instead of the calibrated one for the embedder family
 *   method      'auto' (exhaustive below EXHAUSTIVE_BELOW texts, else LSH) | 'exhaustive' | 'lsh'
 *   lshBits     bits per band (default 16); lshBands: bands (default: enough for 95 % recall at the cut)
 *   lshSeed     seed of the random rotations
 */
export interface NearDuplicateOptions {
  threshold?: number;
  method: MethodChoice;
  lsh: LshOverrides;
}

function numberOption(options: Record<string, unknown>, key: string, flag: string): number | undefined {
  const raw = options[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, not ${JSON.stringify(raw)}`);
  return n;
}

export function nearDuplicateOptions(options: Record<string, unknown>): NearDuplicateOptions {
  const threshold = numberOption(options, 'threshold', 'threshold');
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    throw new UsageError(`--threshold must be above 0 and at most 1, not ${threshold}`);
  }
  const method = (typeof options.method === 'string' && options.method !== '' ? options.method : 'auto') as MethodChoice;
  if (!METHODS.includes(method)) throw new UsageError(`unknown method "${method}"`, `use one of ${METHODS.join(', ')}`);
  return {
    threshold,
    method,
    lsh: {
      bitsPerBand: numberOption(options, 'lshBits', 'lsh-bits'),
      bands: numberOption(options, 'lshBands', 'lsh-bands'),
      seed: numberOption(options, 'lshSeed', 'lsh-seed'),
    },
  };
}

import { UsageError } from '../../errors.js';
import { CtfidfLabeler } from './ctfidf.js';
import { PhraseLabeler } from './phrase.js';
import type { Labeler, TextLabeler } from './types.js';

export type { ClusterLabel, LabelTerm, Labeler, PreparedText, TextLabeler } from './types.js';

/** Labelers by name; the first is the default. A new one is a file in this folder and a line here. */
export const LABELERS: Record<string, () => Labeler> = {
  phrase: () => new PhraseLabeler(),
  ctfidf: () => new CtfidfLabeler(),
};

export const DEFAULT_LABELER = 'phrase';

export function createLabeler(id: string): Labeler {
  const make = LABELERS[id];
  if (!make) throw new UsageError(`unknown labeler "${id}"`, `use one of ${Object.keys(LABELERS).join(', ')}`);
  return make();
}

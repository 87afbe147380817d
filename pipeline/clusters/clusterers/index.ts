import { UsageError } from '../../errors.js';
import { KMeansClusterer } from './kmeans.js';
import type { Clusterer } from './types.js';

export type { Clusterer, ClusterModel, VectorSample } from './types.js';

/** Clusterers by name; the first is the default. A new one is a file in this folder and a line here. */
export const CLUSTERERS: Record<string, (params: Record<string, unknown>) => Clusterer> = {
  kmeans: (params) => new KMeansClusterer(params),
};

export const DEFAULT_CLUSTERER = 'kmeans';

export function createClusterer(id: string, params: Record<string, unknown> = {}): Clusterer {
  const make = CLUSTERERS[id];
  if (!make) throw new UsageError(`unknown clusterer "${id}"`, `use one of ${Object.keys(CLUSTERERS).join(', ')}`);
  return make(params);
}

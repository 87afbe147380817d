/**
 * Quality of a grouping against expected groups, over pairs of items (the usual measure for entity
 * resolution): precision = of the pairs put into one entity, how many belong together; recall = of
 * the pairs that belong together, how many were put into one entity. Pure.
 */
export interface PairwiseQuality {
  precision: number;
  recall: number;
  /** Index pairs grouped together that should not be. */
  falseMerges: [number, number][];
  /** Index pairs that should be together but are not. */
  missedMerges: [number, number][];
}

export function pairwiseGrouping(expected: readonly string[], predicted: readonly string[]): PairwiseQuality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const falseMerges: [number, number][] = [];
  const missedMerges: [number, number][] = [];
  for (let i = 0; i < expected.length; i++) {
    for (let j = i + 1; j < expected.length; j++) {
      const same = expected[i] === expected[j];
      const together = predicted[i] === predicted[j];
      if (same && together) tp++;
      else if (together) {
        fp++;
        falseMerges.push([i, j]);
      } else if (same) {
        fn++;
        missedMerges.push([i, j]);
      }
    }
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), falseMerges, missedMerges };
}

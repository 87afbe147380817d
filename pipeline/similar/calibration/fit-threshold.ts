/** A labelled pair's similarity: positive = a near-duplicate; kind = the edit or the negative's kind. */
export interface ScoredPair {
  score: number;
  positive: boolean;
  kind: string;
}

export interface ThresholdFit {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** The F-beta the cut was chosen by. */
  fBeta: number;
  /** Half the gap between the scores on either side of the threshold. */
  margin: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * The cut with the best F-beta, placed in the middle of the gap between the two scores it separates;
 * among equally good cuts the widest gap wins (the most room for scores not seen here), then the
 * higher cut (the conservative one). beta < 1 weighs precision more: calling two different
 * recommendations copies misleads a reader more than missing one pair of copies.
 */
export function fitThreshold(items: readonly ScoredPair[], beta = 1): ThresholdFit {
  const b2 = beta * beta;
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const positives = sorted.filter((x) => x.positive).length;
  let best: ThresholdFit | null = null;
  let tp = 0;
  let fp = 0;
  for (let k = 1; k <= sorted.length; k++) {
    if (sorted[k - 1].positive) tp++;
    else fp++;
    if (k < sorted.length && sorted[k].score === sorted[k - 1].score) continue;
    const above = sorted[k - 1].score;
    const below = k < sorted.length ? sorted[k].score : Math.max(0, above - 0.05);
    const fb = tp === 0 ? 0 : ((1 + b2) * tp) / ((1 + b2) * tp + fp + b2 * (positives - tp));
    const fit: ThresholdFit = {
      threshold: (above + below) / 2,
      precision: tp / (tp + fp),
      recall: positives === 0 ? 1 : tp / positives,
      f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + (positives - tp)),
      fBeta: fb,
      margin: (above - below) / 2,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: positives - tp,
    };
    const better =
      !best ||
      fit.fBeta > best.fBeta + 1e-12 ||
      (Math.abs(fit.fBeta - best.fBeta) <= 1e-12 && (fit.margin > best.margin + 1e-12 || (Math.abs(fit.margin - best.margin) <= 1e-12 && fit.threshold > best.threshold)));
    if (better) best = fit;
  }
  if (!best) throw new Error('fitThreshold needs at least one labelled pair');
  return best;
}

/** Share of each kind's pairs at or above the threshold (recall for edits, false-positive rate for negatives). */
export function shareAbove(items: readonly ScoredPair[], threshold: number, positive: boolean): Record<string, number> {
  const by = new Map<string, { n: number; above: number }>();
  for (const x of items) {
    if (x.positive !== positive) continue;
    const c = by.get(x.kind) ?? { n: 0, above: 0 };
    c.n++;
    if (x.score >= threshold) c.above++;
    by.set(x.kind, c);
  }
  return Object.fromEntries([...by].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, Number((c.above / c.n).toFixed(4))]));
}

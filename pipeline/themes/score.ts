/**
 * Combining the two kinds of evidence into a theme score, and calibrating how. Pure.
 *
 * score = (1 − w) · lexical + w · similarity, assigned when score ≥ threshold, where `lexical` is the
 * squashed weight of the theme's terms found (in the recommendation, plus a share of what defined
 * terms it uses stand for) and `similarity` the best cosine to the theme's seed phrases.
 */

export interface ThemeModel {
  /** w: weight of embedding similarity (0 = terms only). */
  simWeight: number;
  threshold: number;
  /** Share of a defined term's evidence that carries over to recommendations using the term. */
  contextWeight: number;
}

/** Used when no calibration exists for the embedder: term evidence only, one strong term suffices. */
export const UNCALIBRATED: ThemeModel = { simWeight: 0, threshold: 0.5, contextWeight: 0.5 };

export interface Evidence {
  lexical: number;
  similarity: number;
}

export function themeScore(e: Evidence, m: ThemeModel): number {
  return (1 - m.simWeight) * e.lexical + m.simWeight * e.similarity;
}

export interface LabelledItem {
  /** themeId → evidence */
  evidence: Record<string, Evidence>;
  gold: ReadonlySet<string>;
}

export interface ThemeF1 {
  micro: number;
  perTheme: Record<string, { f1: number; tp: number; fp: number; fn: number }>;
}

export function themeF1(items: readonly LabelledItem[], themeIds: readonly string[], m: ThemeModel): ThemeF1 {
  const perTheme: ThemeF1['perTheme'] = {};
  let TP = 0;
  let FP = 0;
  let FN = 0;
  for (const id of themeIds) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const it of items) {
      const predicted = themeScore(it.evidence[id] ?? { lexical: 0, similarity: 0 }, m) >= m.threshold;
      const actual = it.gold.has(id);
      if (predicted && actual) tp++;
      else if (predicted) fp++;
      else if (actual) fn++;
    }
    perTheme[id] = { f1: tp === 0 ? (fp + fn === 0 ? 1 : 0) : (2 * tp) / (2 * tp + fp + fn), tp, fp, fn };
    TP += tp;
    FP += fp;
    FN += fn;
  }
  return { micro: TP === 0 ? 0 : (2 * TP) / (2 * TP + FP + FN), perTheme };
}

/**
 * Grid search. For each similarity weight w, the threshold is put in the middle of the widest
 * interval of thresholds that reaches that w's best micro-F1 (a wide margin generalises better than
 * the first threshold that happens to work on a few dozen items). Among the w that reach the overall
 * best F1, the median is taken: the centre of the region that works, rather than its edge, so that
 * neither kind of evidence is relied on more than the gold data justify.
 */
export function calibrate(items: readonly LabelledItem[], themeIds: readonly string[], contextWeight = UNCALIBRATED.contextWeight) {
  const perW: { model: ThemeModel; f1: ThemeF1; margin: number }[] = [];
  for (let step = 0; step <= 12; step++) {
    const w = step / 20;
    const scoreOf = (it: LabelledItem, id: string) =>
      themeScore(it.evidence[id] ?? { lexical: 0, similarity: 0 }, { simWeight: w, threshold: 0, contextWeight });
    const sorted = [...new Set(items.flatMap((it) => themeIds.map((id) => scoreOf(it, id))).concat([0, 1]))].sort((a, b) => a - b);
    let best: { model: ThemeModel; f1: ThemeF1; margin: number } | null = null;
    // Consecutive cuts with the same F1 form one interval of equally good thresholds.
    let runLo = 0;
    let runF1: ThemeF1 | null = null;
    const close = (hiIndex: number) => {
      if (!runF1) return;
      const lo = sorted[runLo];
      const hi = sorted[hiIndex];
      const margin = hi - lo;
      if (!best || runF1.micro > best.f1.micro + 1e-9 || (Math.abs(runF1.micro - best.f1.micro) <= 1e-9 && margin > best.margin)) {
        best = { model: { simWeight: w, threshold: (lo + hi) / 2, contextWeight }, f1: runF1, margin };
      }
    };
    for (let i = 0; i + 1 < sorted.length; i++) {
      const f1 = themeF1(items, themeIds, { simWeight: w, threshold: (sorted[i] + sorted[i + 1]) / 2, contextWeight });
      if (!runF1 || Math.abs(f1.micro - runF1.micro) > 1e-9) {
        close(i);
        runLo = i;
        runF1 = f1;
      }
    }
    close(sorted.length - 1);
    if (best) perW.push(best);
  }
  if (perW.length === 0) return { model: UNCALIBRATED, f1: themeF1(items, themeIds, UNCALIBRATED), margin: 0 };
  const top = Math.max(...perW.map((p) => p.f1.micro));
  const winners = perW.filter((p) => p.f1.micro >= top - 1e-9);
  const chosen = winners[Math.floor((winners.length - 1) / 2)];
  return { model: chosen.model, f1: themeF1(items, themeIds, chosen.model), margin: chosen.margin };
}

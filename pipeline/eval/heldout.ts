/**
 * Theme quality held out. The theme model's two numbers (similarity weight, threshold) are fitted
 * on gold recommendations (`confrec themes --calibrate`); measuring it on the same recommendations
 * says little. Here every document is scored by a model calibrated on all the other documents
 * (leave-one-document-out): the figure a new resolution can expect. The fitted figure — the
 * committed calibration applied to the gold it was fitted on — is reported next to it.
 */
import type { Store } from '../store/db.js';
import type { Logger } from '../progress.js';
import { gatherThemeEvidence } from '../themes/evidence-store.js';
import type { ThemeDefinition } from '../themes/definitions.js';
import { calibrate, themeF1, UNCALIBRATED, type LabelledItem, type ThemeF1, type ThemeModel } from '../themes/score.js';
import { toEvidence } from '../themes/stage.js';
import { normaliseForMatch, type GoldFile } from './score.js';

export interface HeldOutThemes {
  documents: number;
  /** Gold recommendations found in the database (the others cannot be scored). */
  items: number;
  missing: number;
  /** Leave-one-document-out. */
  heldOut: ThemeF1;
  /** The model in use (data/theme-calibration.json) on all items, including those it was fitted on. */
  fitted: ThemeF1;
  fittedModel: ThemeModel;
}

/** Gold recommendations matched to the database by text, with their evidence, grouped by document. */
export async function labelledItemsByDocument(
  store: Store,
  gold: readonly GoldFile[],
  themes: readonly ThemeDefinition[],
  log: Logger,
): Promise<{ byDoc: Map<string, LabelledItem[]>; missing: number }> {
  const evidence = await gatherThemeEvidence(store, themes, { log });
  const byDoc = new Map<string, LabelledItem[]>();
  let missing = 0;
  for (const g of gold) {
    const recs = await store.all<{ rec_id: string; text: string }>(
      `SELECT r.rec_id, r.text FROM recommendations r JOIN documents d USING (doc_id) WHERE d.source_file = $1 AND d.is_current`,
      [g.file],
    );
    const byText = new Map(recs.map((r) => [normaliseForMatch(r.text), r.rec_id]));
    const items: LabelledItem[] = [];
    for (const gr of g.recommendations) {
      const raw = evidence.byRec.get(byText.get(normaliseForMatch(gr.text)) ?? '');
      if (!raw) {
        missing++;
        continue;
      }
      items.push({ gold: new Set(gr.themes), evidence: Object.fromEntries(themes.map((t) => [t.id, toEvidence(raw[t.id], UNCALIBRATED)])) });
    }
    if (items.length) byDoc.set(g.file, items);
  }
  return { byDoc, missing };
}

/** Leave-one-document-out: each document predicted by a model calibrated on the others. Pure. */
export function leaveOneDocumentOut(byDoc: ReadonlyMap<string, readonly LabelledItem[]>, themeIds: readonly string[]): ThemeF1 {
  const counts = Object.fromEntries(themeIds.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
  for (const [doc, items] of byDoc) {
    const train = [...byDoc].filter(([d]) => d !== doc).flatMap(([, its]) => its);
    const model = train.length ? calibrate(train, themeIds).model : UNCALIBRATED;
    const f = themeF1(items, themeIds, model);
    for (const t of themeIds) {
      counts[t].tp += f.perTheme[t].tp;
      counts[t].fp += f.perTheme[t].fp;
      counts[t].fn += f.perTheme[t].fn;
    }
  }
  const f1 = (c: { tp: number; fp: number; fn: number }) => (c.tp === 0 ? (c.fp + c.fn === 0 ? 1 : 0) : (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
  const total = themeIds.reduce((a, t) => ({ tp: a.tp + counts[t].tp, fp: a.fp + counts[t].fp, fn: a.fn + counts[t].fn }), { tp: 0, fp: 0, fn: 0 });
  return { micro: f1(total), perTheme: Object.fromEntries(themeIds.map((t) => [t, { ...counts[t], f1: f1(counts[t]) }])) };
}

export async function heldOutThemes(
  store: Store,
  gold: readonly GoldFile[],
  themes: readonly ThemeDefinition[],
  fittedModel: ThemeModel,
  log: Logger,
): Promise<HeldOutThemes> {
  const ids = themes.map((t) => t.id);
  const { byDoc, missing } = await labelledItemsByDocument(store, gold, themes, log);
  const all = [...byDoc.values()].flat();
  return {
    documents: byDoc.size,
    items: all.length,
    missing,
    heldOut: leaveOneDocumentOut(byDoc, ids),
    fitted: themeF1(all, ids, fittedModel),
    fittedModel,
  };
}

export function formatHeldOut(h: HeldOutThemes): string[] {
  const per = (f: ThemeF1) => Object.entries(f.perTheme).map(([t, v]) => `${t} ${v.f1.toFixed(3)}`).join('  ');
  return [
    `themes held out (leave-one-document-out over ${h.documents} documents, ${h.items} gold recommendations${h.missing ? `; ${h.missing} not found by the segmenter, not scored` : ''}):`,
    `  held-out micro-F1 ${h.heldOut.micro.toFixed(3)}  ${per(h.heldOut)}`,
    `  fitted   micro-F1 ${h.fitted.micro.toFixed(3)}  ${per(h.fitted)}  (the calibration in use, on the same recommendations: threshold ${h.fittedModel.threshold.toFixed(3)}, similarity weight ${h.fittedModel.simWeight})`,
  ];
}

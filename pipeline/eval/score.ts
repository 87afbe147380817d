import { META_FIELDS, type ConferenceMeta, type MetaField } from '../store/types.js';

/** The hand-made gold schema (tests/fixtures/gold/README.md). */
export interface GoldFile {
  file: string;
  conference: ConferenceMeta;
  recommendations: { addressee: string | null; addressee_raw: string | null; text: string; verb: string; themes: string[] }[];
  not_recommendations: string[];
}

export interface PredictedRec {
  text: string;
  addressee: string | null;
  verb: string | null;
  /** Assigned theme ids, when the themes stage has run. */
  themes?: string[] | null;
}

export interface ThemeCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface DocScore {
  file: string;
  found: boolean;
  tp: number;
  fp: number;
  fn: number;
  addresseeOk: number;
  verbOk: number;
  trapHits: number;
  metaOk: Record<MetaField, boolean>;
  /** Per theme, on matched recommendations; null when no themes were predicted. */
  themes: Record<string, ThemeCounts> | null;
  errors: string[];
}

export interface EvalSummary {
  documents: number;
  precision: number;
  recall: number;
  f1: number;
  addresseeAccuracy: number;
  verbAccuracy: number;
  metadataAccuracy: number;
  metadataByField: Record<MetaField, number>;
  trapHits: number;
  /** Theme micro-F1 and per-theme F1 over matched recommendations (null before the themes stage). */
  themeMicroF1: number | null;
  themeF1: Record<string, number> | null;
  perDocument: DocScore[];
}

/** Text comparison rule: markdown bold removed, whitespace collapsed, trailing ";" and "." stripped. */
export function normaliseForMatch(s: string): string {
  return s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim().replace(/[\s;.]+$/, '');
}

function loose(s: string): string {
  return normaliseForMatch(s).toLowerCase().replace(/ё/g, 'е').replace(/[«»"“”„]/g, '"');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
  if (b === null || b === undefined) return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return loose(String(a)) === loose(String(b));
}

/**
 * Scores one document. `themeIds` are the seeded themes to score (read from data/themes.json by
 * `evaluate`: themes are data); without it, the themes that occur in the gold or the prediction.
 */
export function scoreDocument(gold: GoldFile, meta: ConferenceMeta | null, predicted: PredictedRec[] | null, themeIds?: readonly string[]): DocScore {
  const errors: string[] = [];
  const metaOk = {} as Record<MetaField, boolean>;
  for (const f of META_FIELDS) {
    metaOk[f] = meta !== null && sameValue(gold.conference[f], meta[f]);
    if (meta && !metaOk[f]) errors.push(`meta ${f}: got ${JSON.stringify(meta[f])}, gold ${JSON.stringify(gold.conference[f])}`);
  }
  if (!predicted) {
    return { file: gold.file, found: false, tp: 0, fp: 0, fn: gold.recommendations.length, addresseeOk: 0, verbOk: 0, trapHits: 0, metaOk, themes: null, errors: ['not in the database'] };
  }
  const pool = new Map<string, GoldFile['recommendations']>();
  for (const g of gold.recommendations) {
    const k = normaliseForMatch(g.text);
    pool.set(k, [...(pool.get(k) ?? []), g]);
  }
  let tp = 0;
  let fp = 0;
  let addresseeOk = 0;
  let verbOk = 0;
  const withThemes = predicted.some((p) => Array.isArray(p.themes));
  const ids = themeIds ?? [...new Set([...gold.recommendations.flatMap((g) => g.themes), ...predicted.flatMap((p) => p.themes ?? [])])];
  const themes: Record<string, ThemeCounts> | null = withThemes
    ? Object.fromEntries(ids.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]))
    : null;
  for (const p of predicted) {
    const k = normaliseForMatch(p.text);
    const g = pool.get(k)?.shift();
    if (!g) {
      fp++;
      errors.push(`extra: ${k.slice(0, 90)}`);
      continue;
    }
    tp++;
    if (sameValue(g.addressee, p.addressee)) addresseeOk++;
    else errors.push(`addressee: got ${JSON.stringify(p.addressee)}, gold ${JSON.stringify(g.addressee)} — ${k.slice(0, 50)}`);
    if (sameValue(g.verb, p.verb)) verbOk++;
    else errors.push(`verb: got ${JSON.stringify(p.verb)}, gold ${JSON.stringify(g.verb)} — ${k.slice(0, 50)}`);
    if (themes) {
      const got = new Set(p.themes ?? []);
      for (const t of ids) {
        const want = g.themes.includes(t);
        if (want && got.has(t)) themes[t].tp++;
        else if (got.has(t)) {
          themes[t].fp++;
          errors.push(`theme ${t}: extra — ${k.slice(0, 60)}`);
        } else if (want) {
          themes[t].fn++;
          errors.push(`theme ${t}: missed — ${k.slice(0, 60)}`);
        }
      }
    }
  }
  let fn = 0;
  for (const left of pool.values()) {
    for (const g of left) {
      fn++;
      errors.push(`missed: ${normaliseForMatch(g.text).slice(0, 90)}`);
    }
  }
  const trapHits = gold.not_recommendations.filter((t) => predicted.some((p) => loose(p.text).includes(loose(t)))).length;
  return { file: gold.file, found: true, tp, fp, fn, addresseeOk, verbOk, trapHits, metaOk, themes, errors };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export function summarise(scores: DocScore[]): EvalSummary {
  const sum = (f: (d: DocScore) => number) => scores.reduce((a, d) => a + f(d), 0);
  const tp = sum((d) => d.tp);
  const precision = ratio(tp, tp + sum((d) => d.fp));
  const recall = ratio(tp, tp + sum((d) => d.fn));
  const byField = {} as Record<MetaField, number>;
  for (const f of META_FIELDS) byField[f] = ratio(scores.filter((d) => d.metaOk[f]).length, scores.length);
  const scored = scores.filter((d) => d.themes);
  let themeMicroF1: number | null = null;
  let themeF1: Record<string, number> | null = null;
  if (scored.length) {
    const f1 = (c: ThemeCounts) => (c.tp === 0 ? (c.fp + c.fn === 0 ? 1 : 0) : (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
    const total: ThemeCounts = { tp: 0, fp: 0, fn: 0 };
    themeF1 = {};
    const ids = [...new Set(scored.flatMap((d) => Object.keys(d.themes!)))];
    for (const t of ids) {
      const c = { tp: 0, fp: 0, fn: 0 };
      for (const d of scored) {
        c.tp += d.themes![t]?.tp ?? 0;
        c.fp += d.themes![t]?.fp ?? 0;
        c.fn += d.themes![t]?.fn ?? 0;
      }
      themeF1[t] = f1(c);
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
    }
    themeMicroF1 = f1(total);
  }
  const metaTotal = scores.length * META_FIELDS.length;
  const metaRight = sum((d) => META_FIELDS.filter((f) => d.metaOk[f]).length);
  return {
    documents: scores.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    addresseeAccuracy: ratio(sum((d) => d.addresseeOk), tp),
    verbAccuracy: ratio(sum((d) => d.verbOk), tp),
    metadataAccuracy: ratio(metaRight, metaTotal),
    metadataByField: byField,
    trapHits: sum((d) => d.trapHits),
    themeMicroF1,
    themeF1,
    perDocument: scores,
  };
}

export function formatSummary(s: EvalSummary, verbose = false): string {
  const pct = (x: number) => x.toFixed(3);
  const lines = [
    `documents scored: ${s.documents}`,
    `segmentation: precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}  (trap items taken: ${s.trapHits})`,
    `addressee accuracy: ${pct(s.addresseeAccuracy)}   verb accuracy: ${pct(s.verbAccuracy)}`,
    `metadata field accuracy: ${pct(s.metadataAccuracy)}`,
    '  ' + Object.entries(s.metadataByField).map(([f, v]) => `${f} ${pct(v)}`).join('  '),
    ...(s.themeMicroF1 === null
      ? ['themes: not scored (run `confrec themes` first)']
      : [
          `themes: micro-F1 ${pct(s.themeMicroF1)}  ` +
            Object.entries(s.themeF1 ?? {}).map(([t, v]) => `${t} ${pct(v)}`).join('  '),
        ]),
    'per document:',
  ];
  for (const d of s.perDocument) {
    lines.push(`  ${d.file}: tp ${d.tp} fp ${d.fp} fn ${d.fn}${d.found ? '' : ' (not in the database)'}`);
    if (verbose) for (const e of d.errors) lines.push(`    ${e}`);
  }
  return lines.join('\n');
}

import { META_FIELDS, type ConferenceMeta, type MetaField } from '../store/types.js';

/** One gold recommendation (tests/fixtures/gold/README.md); `form`, `responsible`, `deadline` are optional. */
export interface GoldRecommendation {
  addressee: string | null;
  addressee_raw: string | null;
  text: string;
  verb: string | null;
  themes: string[];
  topics?: string[];
  form?: string;
  responsible?: string | null;
  deadline?: string | null;
}

/** The hand-made gold schema (tests/fixtures/gold/README.md), plus the optional document-level `source_kind`. */
export interface GoldFile {
  file: string;
  source_kind?: string;
  conference: ConferenceMeta;
  recommendations: GoldRecommendation[];
  not_recommendations: string[];
}

export interface PredictedRec {
  text: string;
  addressee: string | null;
  verb: string | null;
  form?: string | null;
  responsible?: string | null;
  deadline?: string | null;
  /** Assigned theme ids, when the themes stage has run. */
  themes?: string[] | null;
}

export interface ThemeCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Right answers out of the items where gold states the field. */
export interface FieldCount {
  ok: number;
  n: number;
}

export interface DocScore {
  file: string;
  /** Layout family (the gold file's sub-folder), or '' for a flat gold folder. */
  family: string;
  found: boolean;
  /** Strict: exact text after the gold normalisation. */
  tp: number;
  fp: number;
  fn: number;
  /** Lenient: strict matches plus near matches (lenientMatch), one-to-one. */
  lenientTp: number;
  lenientFp: number;
  lenientFn: number;
  /** Addressee and verb agreement over every matched pair (strict and lenient). */
  addresseeOk: number;
  verbOk: number;
  matched: number;
  form: FieldCount;
  responsible: FieldCount;
  deadline: FieldCount;
  /** 1/1 when gold states source_kind and the prediction agrees, 0/1 when not, 0/0 when gold is silent. */
  sourceKind: FieldCount;
  trapHits: number;
  traps: number;
  metaOk: Record<MetaField, boolean>;
  /** Per theme, on matched recommendations; null when no themes were predicted. */
  themes: Record<string, ThemeCounts> | null;
  errors: string[];
}

export interface Figures {
  documents: number;
  precision: number;
  recall: number;
  f1: number;
  lenientPrecision: number;
  lenientRecall: number;
  lenientF1: number;
  addresseeAccuracy: number;
  verbAccuracy: number;
  formAccuracy: number | null;
  responsibleAccuracy: number | null;
  deadlineAccuracy: number | null;
  sourceKindAccuracy: number | null;
  trapHits: number;
  traps: number;
  /** Share of gold trap quotes found inside a predicted recommendation. */
  trapRate: number;
}

export interface EvalSummary extends Figures {
  metadataAccuracy: number;
  metadataByField: Record<MetaField, number>;
  /** Theme micro-F1 and per-theme F1 over matched recommendations (null before the themes stage). */
  themeMicroF1: number | null;
  themeF1: Record<string, number> | null;
  /** Figures per layout family, when the gold folder has sub-folders. */
  families: (Figures & { family: string })[];
  perDocument: DocScore[];
}

/** Text comparison rule: markdown bold removed, whitespace collapsed, trailing ";" and "." stripped. */
export function normaliseForMatch(s: string): string {
  return s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim().replace(/[\s;.]+$/, '');
}

/**
 * The strict matching key: the gold normalisation, with dash variants folded to "-" because ingest
 * writes every bullet glyph as "- " while gold copies the source's "–" of a kept sub-item.
 */
function matchKey(s: string): string {
  return normaliseForMatch(s).replace(/[–—−]/g, '-').replace(/(^|\s)[•·▪●◦‣⁃](?=\s)/gu, '$1-');
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

function tokens(s: string): string[] {
  return loose(s).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Token-level F1 of two texts (multiset overlap). */
export function tokenF1(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.length || !tb.length) return 0;
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (!common) return 0;
  const p = common / tb.length;
  const r = common / ta.length;
  return (2 * p * r) / (p + r);
}

/** Lenient matching: token-F1 at least this, or one text containing the other. */
export const LENIENT_TOKEN_F1 = 0.8;
/** A contained text must have at least this many tokens, so that a stray fragment matches nothing. */
const MIN_CONTAINED_TOKENS = 3;

/**
 * How near a predicted text is to a gold text for lenient matching: the token F1, raised to 1 when
 * one text contains the other (an item cut with or without its "Рекомендовать X" frame, its
 * "Ответственный:" line, or its attribution in a news article); 0 below the threshold.
 */
export function lenientScore(gold: string, predicted: string): number {
  const g = matchKey(loose(gold));
  const p = matchKey(loose(predicted));
  const shorter = g.length <= p.length ? g : p;
  const longer = shorter === g ? p : g;
  if (tokens(shorter).length >= MIN_CONTAINED_TOKENS && longer.includes(shorter)) return 1;
  const f = tokenF1(gold, predicted);
  return f >= LENIENT_TOKEN_F1 ? f : 0;
}

function fieldCheck(count: FieldCount, gold: unknown, got: unknown, label: string, k: string, errors: string[]) {
  if (gold === undefined) return;
  count.n++;
  if (sameValue(gold, got)) count.ok++;
  else errors.push(`${label}: got ${JSON.stringify(got ?? null)}, gold ${JSON.stringify(gold)} — ${k.slice(0, 50)}`);
}

export function scoreDocument(
  gold: GoldFile,
  meta: ConferenceMeta | null,
  predicted: PredictedRec[] | null,
  extra: { family?: string; sourceKind?: string | null; themeIds?: readonly string[] } = {},
): DocScore {
  // The seeded themes to score (read from data/themes.json by `evaluate`: themes are data); without
  // them, the themes that occur in the gold or the prediction.
  const themeIds = extra.themeIds;
  const errors: string[] = [];
  const metaOk = {} as Record<MetaField, boolean>;
  for (const f of META_FIELDS) {
    metaOk[f] = meta !== null && sameValue(gold.conference[f], meta[f]);
    if (meta && !metaOk[f]) errors.push(`meta ${f}: got ${JSON.stringify(meta[f])}, gold ${JSON.stringify(gold.conference[f])}`);
  }
  const empty = (): FieldCount => ({ ok: 0, n: 0 });
  const base = {
    file: gold.file,
    family: extra.family ?? '',
    form: empty(),
    responsible: empty(),
    deadline: empty(),
    sourceKind: empty(),
    traps: gold.not_recommendations.length,
  };
  if (!predicted) {
    const fn = gold.recommendations.length;
    return {
      ...base, found: false, tp: 0, fp: 0, fn, lenientTp: 0, lenientFp: 0, lenientFn: fn, addresseeOk: 0, verbOk: 0, matched: 0,
      trapHits: 0, metaOk, themes: null, errors: ['not in the database'],
    };
  }
  if (gold.source_kind !== undefined && extra.sourceKind !== undefined) {
    base.sourceKind.n = 1;
    if (gold.source_kind === (extra.sourceKind ?? 'resolution')) base.sourceKind.ok = 1;
    else errors.push(`source_kind: got ${JSON.stringify(extra.sourceKind)}, gold ${JSON.stringify(gold.source_kind)}`);
  }

  // Strict pass: exact keys, one-to-one in order.
  const goldLeft = new Set(gold.recommendations.map((_, i) => i));
  const pairs: [number, number][] = [];
  const predLeft: number[] = [];
  const byKey = new Map<string, number[]>();
  gold.recommendations.forEach((g, i) => {
    const k = matchKey(g.text);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  predicted.forEach((p, j) => {
    const gi = byKey.get(matchKey(p.text))?.shift();
    if (gi === undefined) predLeft.push(j);
    else {
      pairs.push([gi, j]);
      goldLeft.delete(gi);
    }
  });
  const tp = pairs.length;
  // Lenient pass over what is left: best-scoring pairs first, one-to-one.
  const candidates: { gi: number; pj: number; s: number }[] = [];
  for (const gi of goldLeft) {
    for (const pj of predLeft) {
      const s = lenientScore(gold.recommendations[gi].text, predicted[pj].text);
      if (s > 0) candidates.push({ gi, pj, s });
    }
  }
  candidates.sort((a, b) => b.s - a.s || a.gi - b.gi || a.pj - b.pj);
  const usedPred = new Set<number>();
  for (const c of candidates) {
    if (!goldLeft.has(c.gi) || usedPred.has(c.pj)) continue;
    goldLeft.delete(c.gi);
    usedPred.add(c.pj);
    pairs.push([c.gi, c.pj]);
    errors.push(`near (lenient only): got "${normaliseForMatch(predicted[c.pj].text).slice(0, 70)}", gold "${normaliseForMatch(gold.recommendations[c.gi].text).slice(0, 70)}"`);
  }

  let addresseeOk = 0;
  let verbOk = 0;
  const withThemes = predicted.some((p) => Array.isArray(p.themes));
  const ids = themeIds ?? [...new Set([...gold.recommendations.flatMap((g) => g.themes), ...predicted.flatMap((p) => p.themes ?? [])])];
  const themes: Record<string, ThemeCounts> | null = withThemes
    ? Object.fromEntries(ids.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]))
    : null;
  for (const [gi, pj] of pairs) {
    const g = gold.recommendations[gi];
    const p = predicted[pj];
    const k = normaliseForMatch(p.text);
    if (sameValue(g.addressee, p.addressee)) addresseeOk++;
    else errors.push(`addressee: got ${JSON.stringify(p.addressee)}, gold ${JSON.stringify(g.addressee)} — ${k.slice(0, 50)}`);
    if (sameValue(g.verb, p.verb)) verbOk++;
    else errors.push(`verb: got ${JSON.stringify(p.verb)}, gold ${JSON.stringify(g.verb)} — ${k.slice(0, 50)}`);
    fieldCheck(base.form, g.form, p.form, 'form', k, errors);
    fieldCheck(base.responsible, g.responsible, p.responsible, 'responsible', k, errors);
    fieldCheck(base.deadline, g.deadline, p.deadline, 'deadline', k, errors);
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
  for (const j of predLeft) if (!usedPred.has(j)) errors.push(`extra: ${normaliseForMatch(predicted[j].text).slice(0, 90)}`);
  for (const i of goldLeft) errors.push(`missed: ${normaliseForMatch(gold.recommendations[i].text).slice(0, 90)}`);
  const trapHits = gold.not_recommendations.filter((t) => predicted.some((p) => loose(p.text).includes(loose(t)))).length;
  return {
    ...base,
    found: true,
    tp,
    fp: predicted.length - tp,
    fn: gold.recommendations.length - tp,
    lenientTp: pairs.length,
    lenientFp: predicted.length - pairs.length,
    lenientFn: gold.recommendations.length - pairs.length,
    addresseeOk,
    verbOk,
    matched: pairs.length,
    trapHits,
    metaOk,
    themes,
    errors,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1Of = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

function figures(scores: DocScore[]): Figures {
  const sum = (f: (d: DocScore) => number) => scores.reduce((a, d) => a + f(d), 0);
  const tp = sum((d) => d.tp);
  const precision = ratio(tp, tp + sum((d) => d.fp));
  const recall = ratio(tp, tp + sum((d) => d.fn));
  const ltp = sum((d) => d.lenientTp);
  const lenientPrecision = ratio(ltp, ltp + sum((d) => d.lenientFp));
  const lenientRecall = ratio(ltp, ltp + sum((d) => d.lenientFn));
  const field = (f: (d: DocScore) => FieldCount) => {
    const n = sum((d) => f(d).n);
    return n === 0 ? null : sum((d) => f(d).ok) / n;
  };
  const traps = sum((d) => d.traps);
  const trapHits = sum((d) => d.trapHits);
  return {
    documents: scores.length,
    precision,
    recall,
    f1: f1Of(precision, recall),
    lenientPrecision,
    lenientRecall,
    lenientF1: f1Of(lenientPrecision, lenientRecall),
    addresseeAccuracy: ratio(sum((d) => d.addresseeOk), sum((d) => d.matched)),
    verbAccuracy: ratio(sum((d) => d.verbOk), sum((d) => d.matched)),
    formAccuracy: field((d) => d.form),
    responsibleAccuracy: field((d) => d.responsible),
    deadlineAccuracy: field((d) => d.deadline),
    sourceKindAccuracy: field((d) => d.sourceKind),
    trapHits,
    traps,
    trapRate: traps === 0 ? 0 : trapHits / traps,
  };
}

export function summarise(scores: DocScore[]): EvalSummary {
  const sum = (f: (d: DocScore) => number) => scores.reduce((a, d) => a + f(d), 0);
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
  const familyNames = [...new Set(scores.map((d) => d.family))].sort();
  const families = familyNames.length > 1 || (familyNames.length === 1 && familyNames[0] !== '')
    ? familyNames.map((family) => ({ family, ...figures(scores.filter((d) => d.family === family)) }))
    : [];
  return {
    ...figures(scores),
    metadataAccuracy: ratio(metaRight, metaTotal),
    metadataByField: byField,
    themeMicroF1,
    themeF1,
    families,
    perDocument: scores,
  };
}

export function formatSummary(s: EvalSummary, verbose = false): string {
  const pct = (x: number) => x.toFixed(3);
  const opt = (label: string, x: number | null) => (x === null ? '' : `   ${label} ${pct(x)}`);
  const lines = [
    `documents scored: ${s.documents}`,
    `segmentation (strict): precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}`,
    `segmentation (lenient): precision ${pct(s.lenientPrecision)}  recall ${pct(s.lenientRecall)}  F1 ${pct(s.lenientF1)}  (token-F1 ≥ ${LENIENT_TOKEN_F1} or containment, one-to-one)`,
    `trap items taken: ${s.trapHits} of ${s.traps} (${(100 * s.trapRate).toFixed(1)} %)`,
    `addressee accuracy: ${pct(s.addresseeAccuracy)}   verb accuracy: ${pct(s.verbAccuracy)}` +
      opt('form', s.formAccuracy) + opt('responsible', s.responsibleAccuracy) + opt('deadline', s.deadlineAccuracy) + opt('source kind', s.sourceKindAccuracy),
    `metadata field accuracy: ${pct(s.metadataAccuracy)}`,
    '  ' + Object.entries(s.metadataByField).map(([f, v]) => `${f} ${pct(v)}`).join('  '),
    ...(s.themeMicroF1 === null
      ? ['themes: not scored (run `confrec themes` first)']
      : [
          `themes: micro-F1 ${pct(s.themeMicroF1)}  ` +
            Object.entries(s.themeF1 ?? {}).map(([t, v]) => `${t} ${pct(v)}`).join('  '),
        ]),
  ];
  if (s.families.length) {
    lines.push('per family:              docs  strict F1  lenient F1  addressee  verb   traps');
    for (const f of s.families) {
      lines.push(
        `  ${f.family.padEnd(22)} ${String(f.documents).padStart(4)}  ${pct(f.f1).padStart(9)}  ${pct(f.lenientF1).padStart(10)}  ${pct(f.addresseeAccuracy).padStart(9)}  ${pct(f.verbAccuracy).padStart(5)}  ${String(f.trapHits).padStart(2)}/${f.traps}`,
      );
    }
  }
  lines.push('per document:');
  for (const d of s.perDocument) {
    lines.push(`  ${d.family ? `${d.family}/` : ''}${d.file}: tp ${d.tp} fp ${d.fp} fn ${d.fn}${d.lenientTp > d.tp ? ` (lenient tp ${d.lenientTp})` : ''}${d.found ? '' : ' (not in the database)'}`);
    if (verbose) for (const e of d.errors) lines.push(`    ${e}`);
  }
  return lines.join('\n');
}

import { ConfrecError } from '../errors.js';
import type { Morph } from '../text/morph.js';
import { classifyAddressee } from './addressee.js';
import { itemForm } from './form.js';
import { itemMeta } from './deadline.js';
import { proposalOf } from './proposal.js';
import { CORRECTION_BOUNDS, CORRECTION_EDIT } from './rules/corrections.js';
import { collapse } from './rules/words.js';
import { analyseItem } from './verb.js';
import { segmentResolution, type SegmentedRecommendation, type Segmentation } from './segment.js';

/**
 * Hand corrections of one document's segmentation, written by a researcher in `name.segments.json`
 * beside the document. Items and places are named by what does not change when the segmenter does:
 * a quoted text (whitespace and case do not matter) or a line number of the document.
 *
 * {
 *   "operative": {"start": "По итогам работы", "end": {"line": 80}},
 *   "drop":      ["Провести конференцию в 2026 году", {"line": 55}],
 *   "merge":     [["Продолжить работу по направлениям", "развитие инклюзивной среды"]],
 *   "split":     [{"item": "Организовать курсы", "at": ["создать банк", "провести конкурс"]}],
 *   "addressee": [{"item": "рассмотреть возможность", "addressee": "Министерство просвещения Российской Федерации"},
 *                 {"from": {"line": 40}, "to": {"line": 52}, "addressee": "Образовательные организации"}],
 *   "add":       [{"text": "обеспечить подвоз обучающихся", "addressee": "Органы местного самоуправления"}]
 * }
 */
export type Ref = string | { line: number } | { text: string };

export interface Corrections {
  operative?: { start?: Ref; end?: Ref };
  drop?: Ref[];
  merge?: Ref[][];
  split?: { item: Ref; at: string[] }[];
  addressee?: { item?: Ref; items?: Ref[]; from?: Ref; to?: Ref; addressee: string | null; addressee_raw?: string | null }[];
  add?: { text: string; addressee?: string | null }[];
}

/** A parsed sidecar with what is needed to point at its lines in error messages. */
export interface CorrectionsFile {
  file: string;
  content: string;
  corrections: Corrections;
}

const KEYS = ['operative', 'drop', 'merge', 'split', 'addressee', 'add', 'comment', 'note'];

/** 1-based line of the first occurrence of `needle` in the sidecar (or of the field's key), for messages. */
function lineOf(content: string, needle: string, key?: string): number {
  let at = content.indexOf(needle);
  if (at < 0 && key) at = content.indexOf(`"${key}"`);
  if (at < 0) return 1;
  return content.slice(0, at).split('\n').length;
}

function fail(cf: { file: string; content: string }, field: string, message: string, needle?: unknown): never {
  const line = lineOf(cf.content, needle === undefined ? `"${field.split(/[.[]/)[0]}"` : JSON.stringify(needle), field.split(/[.[]/)[0]);
  throw new ConfrecError(`line ${line}, "${field}": ${message}`, {
    file: cf.file,
    hint: 'fix the segment corrections sidecar (items are named by a quoted text or {"line": N}; see README "Correcting the segmentation")',
  });
}

function checkRef(cf: { file: string; content: string }, field: string, v: unknown): Ref {
  if (typeof v === 'string' && v.trim()) return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 1 && Object.keys(o).length === 1) return { line: o.line };
    if (typeof o.text === 'string' && o.text.trim() && Object.keys(o).length === 1) return { text: o.text };
  }
  return fail(cf, field, `expected a quoted text or {"line": N}, got ${JSON.stringify(v)}`, v);
}

function checkArray(cf: { file: string; content: string }, field: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(cf, field, `expected a list, got ${JSON.stringify(v)}`);
  return v as unknown[];
}

/** Parses and checks a sidecar's structure. Throws ConfrecError naming the file, the line and the field. */
export function parseCorrections(content: string, file: string): CorrectionsFile {
  const cf = { file, content };
  let raw: unknown;
  try {
    raw = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = /line (\d+)/.exec(msg)?.[1] ?? String(pos ? content.slice(0, Number(pos[1])).split('\n').length : content.trimEnd().split('\n').length);
    throw new ConfrecError(`line ${line}: malformed JSON (${msg})`, { file, hint: 'the segment corrections sidecar must be one JSON object' });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfrecError('line 1: expected a JSON object', { file, hint: 'e.g. {"drop": ["Провести конференцию в 2026 году"]}' });
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) fail(cf, k, `unknown field (fields: ${KEYS.slice(0, 6).join(', ')})`);
  const c: Corrections = {};
  if (o.operative !== undefined) {
    const op = o.operative as Record<string, unknown>;
    if (!op || typeof op !== 'object' || Array.isArray(op)) fail(cf, 'operative', 'expected {"start": …, "end": …}');
    for (const k of Object.keys(op)) if (k !== 'start' && k !== 'end') fail(cf, `operative.${k}`, 'unknown field (start, end)');
    c.operative = {};
    if (op.start !== undefined) c.operative.start = checkRef(cf, 'operative.start', op.start);
    if (op.end !== undefined) c.operative.end = checkRef(cf, 'operative.end', op.end);
  }
  if (o.drop !== undefined) c.drop = checkArray(cf, 'drop', o.drop).map((v, k) => checkRef(cf, `drop[${k}]`, v));
  if (o.merge !== undefined) {
    c.merge = checkArray(cf, 'merge', o.merge).map((group, k) => {
      const refs = checkArray(cf, `merge[${k}]`, group).map((v, j) => checkRef(cf, `merge[${k}][${j}]`, v));
      if (refs.length < 2) fail(cf, `merge[${k}]`, 'name at least two items to merge', group);
      return refs;
    });
  }
  if (o.split !== undefined) {
    c.split = checkArray(cf, 'split', o.split).map((v, k) => {
      const s = v as Record<string, unknown>;
      if (!s || typeof s !== 'object') fail(cf, `split[${k}]`, 'expected {"item": …, "at": ["…"]}', v);
      const at = checkArray(cf, `split[${k}].at`, s.at);
      if (!at.length || at.some((x) => typeof x !== 'string' || !x.trim())) fail(cf, `split[${k}].at`, 'expected a list of quoted texts where new items start', s.at);
      return { item: checkRef(cf, `split[${k}].item`, s.item), at: at as string[] };
    });
  }
  if (o.addressee !== undefined) {
    c.addressee = checkArray(cf, 'addressee', o.addressee).map((v, k) => {
      const a = v as Record<string, unknown>;
      if (!a || typeof a !== 'object') fail(cf, `addressee[${k}]`, 'expected {"item": …, "addressee": "…"}', v);
      if (!(typeof a.addressee === 'string' || a.addressee === null)) fail(cf, `addressee[${k}].addressee`, 'expected the addressee in the nominative (or null)', a.addressee ?? v);
      const has = ['item', 'items', 'from'].filter((f) => a[f] !== undefined);
      if (has.length !== 1) fail(cf, `addressee[${k}]`, 'name the items by one of "item", "items" or "from"/"to"', v);
      return {
        item: a.item === undefined ? undefined : checkRef(cf, `addressee[${k}].item`, a.item),
        items: a.items === undefined ? undefined : checkArray(cf, `addressee[${k}].items`, a.items).map((x, j) => checkRef(cf, `addressee[${k}].items[${j}]`, x)),
        from: a.from === undefined ? undefined : checkRef(cf, `addressee[${k}].from`, a.from),
        to: a.to === undefined ? undefined : checkRef(cf, `addressee[${k}].to`, a.to),
        addressee: a.addressee as string | null,
        addressee_raw: typeof a.addressee_raw === 'string' ? a.addressee_raw : undefined,
      };
    });
  }
  if (o.add !== undefined) {
    c.add = checkArray(cf, 'add', o.add).map((v, k) => {
      const a = (typeof v === 'string' ? { text: v } : v) as Record<string, unknown>;
      if (!a || typeof a.text !== 'string' || !a.text.trim()) fail(cf, `add[${k}]`, 'expected {"text": "…the item as written…"}', v);
      if (a.addressee !== undefined && a.addressee !== null && typeof a.addressee !== 'string') fail(cf, `add[${k}].addressee`, 'expected text or null', a.addressee);
      return { text: a.text as string, addressee: a.addressee as string | null | undefined };
    });
  }
  return { file, content, corrections: c };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Offsets of a quoted text in the document: words in order, any whitespace between, case and ё ignored. */
function findQuote(text: string, quote: string, from = 0): { start: number; end: number } | null {
  const words = collapse(quote).split(' ').map((w) => escape(w).replace(/[её]/gi, '[её]'));
  const re = new RegExp(words.join('\\s+'), 'giu');
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Applies corrections to a document: re-segments with hand-set bounds, then drops, merges, splits,
 * adds and re-addresses items. Items that differ from the uncorrected segmentation are marked
 * `corrected`. Throws ConfrecError (file, line, field) when a correction names text or lines the
 * document does not have, so that a stale correction is never silently ignored.
 */
export function segmentWithCorrections(text: string, morph: Morph, cf: CorrectionsFile): Segmentation {
  const c = cf.corrections;
  const starts = lineStarts(text);
  const lineSpan = (field: string, n: number): Span => {
    if (n > starts.length) fail(cf, field, `the document has ${starts.length} lines, not ${n}`, { line: n });
    const s = starts[n - 1];
    const e = n < starts.length ? starts[n] - 1 : text.length;
    return { start: s, end: e };
  };
  const place = (field: string, ref: Ref): Span => {
    if (typeof ref === 'object' && 'line' in ref) return lineSpan(field, ref.line);
    const q = typeof ref === 'string' ? ref : ref.text;
    const hit = findQuote(text, q);
    if (!hit) fail(cf, field, `text not found in the document: ${JSON.stringify(q)}`, ref);
    return hit;
  };

  const base = segmentResolution(text, morph);
  let seg = base;
  if (c.operative && (c.operative.start || c.operative.end)) {
    const bounds: { start?: number; end?: number } = {};
    if (c.operative.start) bounds.start = place('operative.start', c.operative.start).start;
    if (c.operative.end) bounds.end = place('operative.end', c.operative.end).end;
    if (bounds.start !== undefined && bounds.end !== undefined && bounds.end <= bounds.start) fail(cf, 'operative.end', 'the end is before the start', c.operative.end);
    seg = segmentResolution(text, morph, { bounds });
  }
  let recs: SegmentedRecommendation[] = seg.recommendations.map((r) => ({ ...r }));
  const baseSpans = new Set(base.recommendations.map((r) => `${r.charStart}:${r.charEnd}:${r.addressee ?? ''}`));

  const findItems = (field: string, ref: Ref): SegmentedRecommendation[] => {
    if (typeof ref === 'object' && 'line' in ref) {
      const l = lineSpan(field, ref.line);
      const hit = recs.filter((r) => r.charStart <= l.end && r.charEnd >= l.start);
      if (!hit.length) fail(cf, field, `no recommendation on line ${ref.line}`, ref);
      return hit.slice(0, 1);
    }
    const q = collapse(typeof ref === 'string' ? ref : ref.text).toLowerCase().replace(/ё/g, 'е');
    const hit = recs.filter((r) => r.text.toLowerCase().replace(/ё/g, 'е').includes(q));
    if (!hit.length) fail(cf, field, `no recommendation contains ${JSON.stringify(typeof ref === 'string' ? ref : ref.text)}`, ref);
    return hit.slice(0, 1);
  };

  const rebuild = (start: number, end: number, like: SegmentedRecommendation | null): SegmentedRecommendation => {
    let e = end;
    while (e > start && /[\s;.,:]/.test(text[e - 1])) e--;
    let s = start;
    while (s < e && /\s/.test(text[s])) s++;
    const body = collapse(text.slice(s, e));
    const a = analyseItem(body, morph);
    const form = itemForm(a, body);
    const meta = itemMeta(body);
    return {
      seq: 0,
      text: body,
      proposal: proposalOf(body, morph),
      charStart: s,
      charEnd: e,
      addresseeRaw: like?.addresseeRaw ?? null,
      addressee: like?.addressee ?? null,
      addresseeType: like?.addresseeType ?? 'none',
      verb: form === 'nominal' ? null : a.verb,
      form,
      responsible: meta.responsible,
      deadline: meta.deadline,
      deadlineText: meta.deadlineText,
      rule: CORRECTION_EDIT.id,
      corrected: true,
    };
  };

  (c.drop ?? []).forEach((ref, k) => {
    const [r] = findItems(`drop[${k}]`, ref);
    recs = recs.filter((x) => x !== r);
  });
  (c.merge ?? []).forEach((refs, k) => {
    const items = refs.map((ref, j) => findItems(`merge[${k}][${j}]`, ref)[0]);
    const first = items.reduce((a, b) => (a.charStart <= b.charStart ? a : b));
    const start = Math.min(...items.map((r) => r.charStart));
    const end = Math.max(...items.map((r) => r.charEnd));
    const merged = rebuild(start, end, first);
    recs = [...recs.filter((x) => !items.includes(x)), merged];
  });
  (c.split ?? []).forEach((sp, k) => {
    const [r] = findItems(`split[${k}].item`, sp.item);
    const cuts = sp.at.map((q, j) => {
      const hit = findQuote(text, q, r.charStart);
      if (!hit || hit.start >= r.charEnd || hit.start <= r.charStart) fail(cf, `split[${k}].at[${j}]`, `not inside the item ${JSON.stringify(r.text.slice(0, 60))}`, q);
      return hit.start;
    });
    const edges = [r.charStart, ...cuts.sort((a, b) => a - b), r.charEnd];
    const parts: SegmentedRecommendation[] = [];
    for (let j = 0; j + 1 < edges.length; j++) parts.push(rebuild(edges[j], edges[j + 1], r));
    recs = [...recs.filter((x) => x !== r), ...parts];
  });
  (c.add ?? []).forEach((a, k) => {
    const hit = findQuote(text, a.text);
    if (!hit) fail(cf, `add[${k}].text`, `text not found in the document: ${JSON.stringify(a.text)}`, a.text);
    const r = rebuild(hit.start, hit.end, null);
    if (a.addressee !== undefined) {
      r.addressee = a.addressee;
      r.addresseeRaw = a.addressee;
      r.addresseeType = classifyAddressee(a.addressee);
    }
    recs.push(r);
  });
  (c.addressee ?? []).forEach((a, k) => {
    let targets: SegmentedRecommendation[];
    if (a.item) targets = findItems(`addressee[${k}].item`, a.item);
    else if (a.items) targets = a.items.flatMap((ref, j) => findItems(`addressee[${k}].items[${j}]`, ref));
    else {
      const from = place(`addressee[${k}].from`, a.from!).start;
      const to = a.to ? place(`addressee[${k}].to`, a.to).end : text.length;
      targets = recs.filter((r) => r.charStart >= from && r.charStart < to);
      if (!targets.length) fail(cf, `addressee[${k}]`, 'no recommendation between "from" and "to"', a.from);
    }
    for (const r of targets) {
      r.addressee = a.addressee;
      r.addresseeRaw = a.addressee_raw ?? a.addressee;
      r.addresseeType = classifyAddressee(a.addressee);
      r.corrected = true;
    }
  });

  recs.sort((a, b) => a.charStart - b.charStart);
  recs.forEach((r, k) => {
    r.seq = k + 1;
    if (!baseSpans.has(`${r.charStart}:${r.charEnd}:${r.addressee ?? ''}`)) r.corrected = true;
  });
  const trace = [...seg.trace, { start: 0, end: 0, role: 'preamble' as const, rule: c.operative ? CORRECTION_BOUNDS.id : CORRECTION_EDIT.id, detail: `corrected by ${cf.file}` }];
  return {
    ...seg,
    recommendations: recs,
    // A researcher has looked at the document: it is no longer "to review".
    verdict: recs.length ? 'ok' : 'none',
    reviewReasons: recs.length ? [] : ['no recommendation left after corrections'],
    reason: recs.length ? null : 'no recommendation left after corrections',
    trace,
  };
}

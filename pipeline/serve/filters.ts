/**
 * The filters every page shares, read from and written to the query string, so a page with its
 * filters is a link a methodologist can send. Several values of one facet are alternatives (OR);
 * different facets narrow together (AND). A map selection (bbox) is one more filter, which is how
 * selecting a region of the map narrows search, trends and groups (cross-filtering).
 */
import type { Corpus } from './corpus.js';
import { HttpProblem } from './problem.js';

/** The query-string value standing for "not stated" (a null level, region, addressee, year…). */
export const NONE = '~';

export interface Filters {
  yearFrom: number | null;
  yearTo: number | null;
  level: string[];
  region: string[];
  addresseeType: string[];
  addressee: string[];
  theme: string[];
  cluster: string[];
  doc: string[];
  /** Map selection: x0, y0, x1, y1 in map coordinates. */
  bbox: [number, number, number, number] | null;
}

export const FACET_PARAMS = {
  level: 'level',
  region: 'region',
  addresseeType: 'addressee_type',
  addressee: 'addressee',
  theme: 'theme',
  cluster: 'cluster',
  doc: 'doc',
} as const;
export type FacetKey = keyof typeof FACET_PARAMS;
export const FACET_KEYS = Object.keys(FACET_PARAMS) as FacetKey[];

export function emptyFilters(): Filters {
  return { yearFrom: null, yearTo: null, level: [], region: [], addresseeType: [], addressee: [], theme: [], cluster: [], doc: [], bbox: null };
}

function year(v: string | null, name: string): number | null {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1900 || n > 2100) {
    throw new HttpProblem(400, 'Неверный год', `Параметр ${name} должен быть годом от 1900 до 2100, а не «${v.slice(0, 40)}».`);
  }
  return n;
}

/** Filters from a query string; a malformed year or map selection is a 400 with a Russian message. */
export function parseFilters(params: URLSearchParams): Filters {
  const f = emptyFilters();
  f.yearFrom = year(params.get('year_from'), 'year_from');
  f.yearTo = year(params.get('year_to'), 'year_to');
  for (const key of FACET_KEYS) {
    (f[key] as string[]) = [...new Set(params.getAll(FACET_PARAMS[key]).filter((v) => v !== '').map((v) => v.slice(0, 500)))];
  }
  const bbox = params.get('bbox');
  if (bbox) {
    const parts = bbox.split(',').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
      throw new HttpProblem(400, 'Неверное выделение на карте', 'Параметр bbox — четыре числа через запятую: x0,y0,x1,y1.');
    }
    const [x0, y0, x1, y1] = parts;
    f.bbox = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
  }
  return f;
}

/** The filters as query-string pairs, in a fixed order (stable URLs). */
export function filterParams(f: Filters): [string, string][] {
  const out: [string, string][] = [];
  if (f.yearFrom !== null) out.push(['year_from', String(f.yearFrom)]);
  if (f.yearTo !== null) out.push(['year_to', String(f.yearTo)]);
  for (const key of FACET_KEYS) for (const v of f[key] as string[]) out.push([FACET_PARAMS[key], v]);
  if (f.bbox) out.push(['bbox', f.bbox.map((v) => Number(v.toFixed(4))).join(',')]);
  return out;
}

export function hasFilters(f: Filters): boolean {
  return filterParams(f).length > 0;
}

/** Builds "path?query" from pairs, dropping empty values. */
export function href(path: string, pairs: [string, string | number | null | undefined][]): string {
  const qs = new URLSearchParams();
  for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== '') qs.append(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The value of a facet for recommendation i, as it appears in the query string. */
export function facetValue(corpus: Corpus, key: FacetKey, i: number): string | string[] {
  const d = corpus.docs[corpus.doc[i]];
  switch (key) {
    case 'level':
      return d?.level ?? NONE;
    case 'region':
      return d?.region ?? NONE;
    case 'addresseeType':
      return corpus.addresseeType[i] ?? 'none';
    case 'addressee':
      return addresseeKey(corpus, i);
    case 'theme':
      return corpus.recThemes[i].length ? corpus.recThemes[i] : NONE;
    case 'cluster':
      return corpus.cluster[i] >= 0 ? String(corpus.cluster[i]) : NONE;
    case 'doc':
      return d?.doc_id ?? NONE;
  }
}

/**
 * The addressees a recommendation is grouped under: its addressee entities when the database has
 * them (the addressees stage), otherwise the segmenter's nominative addressee string.
 */
export function addresseeKey(corpus: Corpus, i: number): string | string[] {
  if (corpus.addresseeIds) return corpus.addresseeIds[i].length ? corpus.addresseeIds[i] : NONE;
  return corpus.addressee[i] ?? NONE;
}

/**
 * Every facet as integer codes per recommendation (built once per snapshot): filtering and counting
 * then compare integers instead of building strings — 7 facets over 75,000 recommendations in a few
 * milliseconds. A recommendation's themes are a bit mask (code k = bit k), so it can count under several.
 */
export interface FacetCodes {
  /** Distinct values of the facet, code = index. */
  values: string[];
  /** Code of each recommendation (its first value where it has several). */
  code?: Int32Array;
  /** Further codes of the few recommendations with several values (addressee entities). */
  more?: Map<number, number[]>;
  /** Bit mask of codes of each recommendation (themes). */
  bits?: Uint32Array;
}

const codesCache = new WeakMap<Corpus, Record<FacetKey, FacetCodes>>();

export function facetCodes(corpus: Corpus): Record<FacetKey, FacetCodes> {
  let out = codesCache.get(corpus);
  if (out) return out;
  out = {} as Record<FacetKey, FacetCodes>;
  for (const key of FACET_KEYS) {
    const index = new Map<string, number>();
    const values: string[] = [];
    const codeOf = (v: string) => {
      let c = index.get(v);
      if (c === undefined) {
        index.set(v, (c = values.length));
        values.push(v);
      }
      return c;
    };
    if (key === 'theme') {
      // Themes are few (data/themes.json); past 31 the rest share the last bit's slot by name lookup.
      const bits = new Uint32Array(corpus.n);
      for (let i = 0; i < corpus.n; i++) {
        const v = facetValue(corpus, key, i) as string | string[];
        for (const t of Array.isArray(v) ? v : [v]) bits[i] |= 1 << Math.min(31, codeOf(t));
      }
      out[key] = { values, bits };
    } else {
      const code = new Int32Array(corpus.n);
      const more = new Map<number, number[]>();
      for (let i = 0; i < corpus.n; i++) {
        const v = facetValue(corpus, key, i);
        if (Array.isArray(v)) {
          code[i] = codeOf(v[0]);
          if (v.length > 1) more.set(i, v.slice(1).map(codeOf));
        } else code[i] = codeOf(v);
      }
      out[key] = { values, code, ...(more.size ? { more } : {}) };
    }
  }
  codesCache.set(corpus, out);
  return out;
}

/** 1 where recommendation i passes every filter (optionally ignoring one facet). */
export function filterMask(corpus: Corpus, f: Filters, ignore?: FacetKey | 'year'): Uint8Array {
  const mask = new Uint8Array(corpus.n).fill(1);
  const yf = ignore === 'year' ? null : f.yearFrom;
  const yt = ignore === 'year' ? null : f.yearTo;
  if (yf !== null || yt !== null) {
    for (let i = 0; i < corpus.n; i++) {
      const y = corpus.year[i];
      if (y === 0 || (yf !== null && y < yf) || (yt !== null && y > yt)) mask[i] = 0;
    }
  }
  const codes = facetCodes(corpus);
  for (const key of FACET_KEYS) {
    if (key === ignore) continue;
    const wanted = f[key] as string[];
    if (wanted.length === 0) continue;
    const fc = codes[key];
    const ok = new Uint8Array(fc.values.length + 1);
    let wantedBits = 0;
    for (const v of wanted) {
      const c = fc.values.indexOf(v);
      if (c < 0) continue;
      ok[c] = 1;
      wantedBits |= 1 << Math.min(31, c);
    }
    if (fc.bits) {
      for (let i = 0; i < corpus.n; i++) if (mask[i] && !(fc.bits[i] & wantedBits)) mask[i] = 0;
    } else {
      const code = fc.code!;
      for (let i = 0; i < corpus.n; i++) if (mask[i] && !ok[code[i]] && !fc.more?.get(i)?.some((c) => ok[c])) mask[i] = 0;
    }
  }
  if (f.bbox) {
    const [x0, y0, x1, y1] = f.bbox;
    for (let i = 0; i < corpus.n; i++) {
      const x = corpus.x[i];
      const y = corpus.y[i];
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) mask[i] = 0;
    }
  }
  return mask;
}

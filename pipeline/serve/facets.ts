/**
 * Facet counts over a set of recommendations. A facet with values selected is counted as if its own
 * selection were not there (its other values stay visible with their counts, so a second one can be
 * added); every other filter applies.
 */
import { addresseeLabel, shortThemeLabel } from '../report/labels.js';
import type { Corpus } from './corpus.js';
import { FACET_KEYS, facetCodes, filterMask, NONE, type FacetKey, type Filters } from './filters.js';

export interface FacetValue {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

export interface Facet {
  key: FacetKey;
  title: string;
  values: FacetValue[];
  /** Distinct values with a count (values holds the first `limit`, plus every selected one). */
  distinct: number;
}

export interface YearBar {
  year: number;
  count: number;
}

export const FACET_TITLES: Record<FacetKey, string> = {
  level: 'Уровень конференции',
  region: 'Регион',
  addresseeType: 'Тип адресата',
  addressee: 'Адресат',
  theme: 'Тема',
  cluster: 'Кластер (выявленная тема)',
  doc: 'Документ',
};

/** The label people see for a facet value. */
export function facetLabel(corpus: Corpus, key: FacetKey, value: string): string {
  if (value === NONE) {
    return { level: 'уровень не указан', region: 'регион не указан', addresseeType: 'адресат не указан', addressee: 'адресат не указан', theme: 'ни одной из тем', cluster: 'вне кластеров', doc: '—' }[key];
  }
  switch (key) {
    case 'addresseeType':
      return addresseeLabel(value);
    case 'addressee':
      return corpus.addresseeNames.get(value) ?? value;
    case 'theme': {
      const t = corpus.themes.find((x) => x.id === value);
      return t ? shortThemeLabel(t.label, 40) : value;
    }
    case 'cluster': {
      const c = corpus.clusters.get(Number(value));
      return c ? `№${c.id}: ${c.label}` : `№${value}`;
    }
    case 'doc': {
      const k = corpus.docIndex.get(value);
      const d = k === undefined ? undefined : corpus.docs[k];
      return d ? `${d.title ?? d.source_file}${d.year ? `, ${d.year}` : ''}` : value;
    }
    default:
      return value;
  }
}

/**
 * Counts per facet over the recommendations where `relevant` is 1 (all of them when null) and the
 * filters pass. `limit` values per facet, most frequent first.
 */
export function countFacets(corpus: Corpus, f: Filters, relevant: Uint8Array | null, limit = 12): { facets: Facet[]; years: YearBar[]; mask: Uint8Array } {
  const full = filterMask(corpus, f);
  const codes = facetCodes(corpus);
  // The recommendations counted at all: relevant ones (or every one), as a list to scan once per facet.
  const pool: number[] = [];
  for (let i = 0; i < corpus.n; i++) if (!relevant || relevant[i]) pool.push(i);
  const facets: Facet[] = [];
  for (const key of FACET_KEYS) {
    const selected = new Set(f[key] as string[]);
    const mask = selected.size ? filterMask(corpus, f, key) : full;
    const fc = codes[key];
    const counts = new Int32Array(fc.values.length);
    if (fc.bits) {
      for (const i of pool) {
        if (!mask[i]) continue;
        let b = fc.bits[i];
        for (let c = 0; b !== 0; c++, b >>>= 1) if (b & 1) counts[c]++;
      }
    } else {
      const code = fc.code!;
      for (const i of pool) if (mask[i]) counts[code[i]]++;
      if (fc.more) for (const [i, extra] of fc.more) if (mask[i] && (!relevant || relevant[i])) for (const c of extra) counts[c]++;
    }
    const entries: [string, number][] = [];
    counts.forEach((n, c) => {
      if (n > 0 || selected.has(fc.values[c])) entries.push([fc.values[c], n]);
    });
    for (const s of selected) if (!fc.values.includes(s)) entries.push([s, 0]);
    const sorted = entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = sorted.filter(([v], k) => k < limit || selected.has(v));
    facets.push({
      key,
      title: FACET_TITLES[key],
      distinct: sorted.filter(([, c]) => c > 0).length,
      values: shown.map(([value, count]) => ({ value, label: facetLabel(corpus, key, value), count, selected: selected.has(value) })),
    });
  }
  const yearMask = f.yearFrom !== null || f.yearTo !== null ? filterMask(corpus, f, 'year') : full;
  const byYear = new Map<number, number>();
  for (const i of pool) {
    if (!yearMask[i] || corpus.year[i] === 0) continue;
    byYear.set(corpus.year[i], (byYear.get(corpus.year[i]) ?? 0) + 1);
  }
  const years = [...byYear].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count }));
  return { facets, years, mask: full };
}

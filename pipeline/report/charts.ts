/**
 * The report's charts: Observable Plot specs rendered on the server into SVG strings with linkedom's
 * document, so the page needs no JavaScript and no network to show them. Every chart is aggregated
 * (≤ a few dozen marks whatever the corpus size), carries a <title>, Russian axis labels, and a
 * legend drawn as HTML next to it (Plot's swatch legends would add untitled SVGs).
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { ClusterRow, ClusterYearRow, GroupThemeRow, Theme, VerbProfileRow, YearLevelRow, YearThemeRow } from './data.js';
import { ADDRESSEE_ORDER, LEVEL_ORDER, addresseeLabel, levelLabel, orderIndex, truncate, wrapLabel } from './labels.js';
import { formatInt, formatPercent, NBSP } from './russian.js';
import { MIN_DOCS_PER_YEAR, MIN_GROUP_RECS, yearTotals } from './takeaways.js';
import { VERB_CLASS_LABELS, VERB_CLASS_ORDER, type VerbClassId } from './verb-classes.js';

export interface LegendItem { label: string; color: string; hollow?: boolean }

export interface Chart {
  id: string;
  title: string;
  /** How to read the chart, one or two sentences under it. */
  note: string;
  svg: string;
  legend: LegendItem[];
}

/** Printable width of A4 with the report's margins at 96 dpi: charts print at their natural size. */
export const CHART_WIDTH = 680;
const FONT_SIZE = '12px';

/** Colour-blind-safe, print-friendly (Okabe–Ito), in the order themes are ranked. */
export const THEME_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const NO_THEME_COLOR = '#b8b8b8';
/** One colour per level in LEVEL_ORDER, distinct enough to tell apart in print. */
const LEVEL_COLORS = ['#4B2991', '#0072B2', '#56B4E9', '#009E73', '#E69F00', '#F0E442'];
const OTHER_LEVEL_COLOR = '#8c6d5a';
const MISSING_COLOR = '#d9d9d9';

export const VERB_CLASS_COLORS: Record<VerbClassId, string> = {
  continuation: '#0072B2',
  initiative: '#D55E00',
  provision: '#009E73',
  dissemination: '#CC79A7',
  review: '#E69F00',
  other: '#d0d0d0',
};

const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');

/** Plot → SVG markup with a <title> first, so every chart names itself to readers and screen readers. */
export function render(title: string, options: Plot.PlotOptions): string {
  const el = Plot.plot({
    width: CHART_WIDTH,
    ...options,
    style: { fontSize: FONT_SIZE, fontFamily: 'inherit', background: 'white' },
    ariaLabel: title,
    document: document as unknown as Document,
  }) as unknown as Element;
  const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector('svg')!;
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  t.textContent = title;
  svg.insertBefore(t as unknown as Node, svg.firstChild);
  svg.setAttribute('role', 'img');
  return el.outerHTML;
}

export function themeColors(themes: readonly Theme[]): Map<string, string> {
  return new Map(themes.map((t, i) => [t.theme_id, THEME_COLORS[i % THEME_COLORS.length]]));
}

type Labels = ReadonlyMap<string, string>;

export function conferencesByYearChart(rows: readonly YearLevelRow[]): Chart | null {
  if (rows.length === 0) return null;
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => orderIndex(LEVEL_ORDER, a) - orderIndex(LEVEL_ORDER, b));
  const labels = levels.map(levelLabel);
  const colors = levels.map((l) => (l === null ? MISSING_COLOR : (LEVEL_COLORS[LEVEL_ORDER.indexOf(l)] ?? OTHER_LEVEL_COLOR)));
  const totals = [...rows.reduce((m, r) => m.set(r.year, (m.get(r.year) ?? 0) + r.docs), new Map<number, number>())];
  const years = totals.map(([y]) => y).sort((a, b) => a - b);
  const allYears = Array.from({ length: years[years.length - 1] - years[0] + 1 }, (_, i) => years[0] + i);
  const title = 'Число резолюций по годам и уровню конференций';
  const data = rows.map((r) => ({ ...r, levelLabel: levelLabel(r.level) }));
  const maxTotal = Math.max(...totals.map(([, n]) => n));
  const svg = render(title, {
    height: 300,
    marginTop: 28,
    marginLeft: 50,
    marginBottom: 44,
    x: { type: 'band', domain: allYears, label: 'Год проведения', labelAnchor: 'center', labelOffset: 38, tickFormat: (d: number) => String(d) },
    y: { label: 'Число резолюций', grid: true, nice: true, ticks: Math.min(maxTotal, 6), tickFormat: (d: number) => (Number.isInteger(d) ? formatInt(d) : '') },
    color: { type: 'ordinal', domain: labels, range: colors },
    marks: [
      Plot.barY(data, { x: 'year', y: 'docs', fill: 'levelLabel', order: labels, inset: 2 }),
      Plot.text(totals, { x: (d: [number, number]) => d[0], y: (d: [number, number]) => d[1], text: (d: [number, number]) => formatInt(d[1]), dy: -8, fontWeight: 'bold' }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: 'chart-conferences-by-year',
    title,
    note: 'Высота столбца — число резолюций за год (число над столбцом), цвет — уровень конференции.',
    svg,
    legend: labels.map((label, i) => ({ label, color: colors[i] })),
  };
}

export function themeSharesChart(themes: readonly Theme[], labels: Labels, withTheme: number, total: number): Chart | null {
  if (themes.length === 0 || total === 0) return null;
  const colors = themeColors(themes);
  const data = [
    ...themes.map((t) => ({ label: labels.get(t.theme_id) ?? t.theme_id, share: t.n / total, n: t.n, color: colors.get(t.theme_id)! })),
    { label: 'ни одной из тем', share: (total - withTheme) / total, n: total - withTheme, color: NO_THEME_COLOR },
  ];
  const title = 'Доля рекомендаций по темам, все годы';
  const svg = render(title, {
    height: 40 + 36 * data.length,
    marginLeft: 210,
    marginRight: 110,
    marginBottom: 44,
    x: { label: 'Доля всех рекомендаций, %', labelAnchor: 'center', labelOffset: 38, percent: true, grid: true, domain: [0, Math.max(...data.map((d) => d.share)) * 105] },
    y: { label: null, domain: data.map((d) => d.label), tickFormat: (d: string) => wrapLabel(d, 28, 2) },
    marks: [
      Plot.barX(data, { x: 'share', y: 'label', fill: 'color', insetTop: 4, insetBottom: 4 }),
      Plot.text(data, { x: 'share', y: 'label', text: (d: (typeof data)[number]) => `${formatPercent(d.share)} (${formatInt(d.n)})`, textAnchor: 'start', dx: 6 }),
      Plot.ruleX([0]),
    ],
  });
  return {
    id: 'chart-theme-shares',
    title,
    note: 'Длина полосы — доля рекомендаций, относящихся к теме; в скобках — их число. Одна рекомендация может относиться к нескольким темам.',
    svg,
    legend: [],
  };
}

export function themeTrendChart(rows: readonly YearThemeRow[], themes: readonly Theme[], labels: Labels): Chart | null {
  const years = yearTotals(rows);
  if (years.length === 0) return null;
  const colors = themeColors(themes);
  const docsOf = new Map(years.map((y) => [y.year, y.docs]));
  const thin = years.filter((y) => y.docs < MIN_DOCS_PER_YEAR || y.recs === 0).map((y) => y.year);
  // A line never bridges a year with no data: 2017 → 2023 drawn straight would invent five years.
  const segmentOf = new Map<number, number>();
  years.forEach((y, i) => segmentOf.set(y.year, i === 0 || y.year - years[i - 1].year > 1 || y.recs === 0 ? i : segmentOf.get(years[i - 1].year)!));
  const data = rows
    .filter((r) => r.recs > 0)
    .map((r) => {
      const label = labels.get(r.theme_id) ?? r.theme_id;
      return { year: r.year, share: r.n / r.recs, label, thin: thin.includes(r.year), series: `${label}|${segmentOf.get(r.year)}` };
    });
  const maxShare = Math.max(0.05, ...data.map((d) => d.share));
  const order = themes.map((t) => labels.get(t.theme_id) ?? t.theme_id);
  const first = years[0].year;
  const last = years[years.length - 1].year;
  const title = 'Доля рекомендаций по темам по годам';
  const svg = render(title, {
    height: 340,
    marginTop: 24,
    marginLeft: 50,
    marginBottom: 56,
    x: {
      type: 'linear',
      domain: [first - 0.5, last + 0.5],
      ticks: years.map((y) => y.year),
      tickFormat: (y: number) => `${y}\nn${NBSP}=${NBSP}${docsOf.get(y) ?? 0}`,
      label: 'Год (n — число резолюций за год)',
      labelAnchor: 'center',
      labelOffset: 46,
    },
    // Headroom above the highest point keeps the «мало данных» labels clear of the lines.
    y: { label: 'Доля рекомендаций года, %', percent: true, grid: true, domain: [0, maxShare * 125], nice: true },
    color: { type: 'ordinal', domain: order, range: themes.map((t) => colors.get(t.theme_id)!) },
    marks: [
      Plot.rect(thin, { x1: (y: number) => y - 0.5, x2: (y: number) => y + 0.5, fill: '#efefef' }),
      Plot.text(thin, { x: (y: number) => y, frameAnchor: 'top', dy: 12, text: () => `мало\nданных`, fill: '#555', fontSize: 10, lineHeight: 1.1 }),
      Plot.ruleY([0]),
      Plot.line(data, { x: 'year', y: 'share', stroke: 'label', strokeWidth: 2.5, z: 'series' }),
      Plot.dot(data.filter((d) => !d.thin), { x: 'year', y: 'share', fill: 'label', r: 4 }),
      Plot.dot(data.filter((d) => d.thin), { x: 'year', y: 'share', stroke: 'label', fill: 'white', strokeWidth: 2, r: 4 }),
    ],
  });
  const thinNote = thin.length
    ? ` Серым выделены годы, за которые меньше ${MIN_DOCS_PER_YEAR} резолюций: их точки пустые, доли там могут зависеть от одной конференции.`
    : '';
  return {
    id: 'chart-theme-trend',
    title,
    note: `Каждая линия — доля рекомендаций года, относящихся к теме.${thinNote}`,
    svg,
    legend: [...themes.map((t) => ({ label: labels.get(t.theme_id) ?? t.theme_id, color: colors.get(t.theme_id)! })), ...(thin.length ? [{ label: 'год с малым числом резолюций', color: '#888', hollow: true }] : [])],
  };
}

interface HeatmapOptions {
  id: string;
  title: string;
  note: string;
  groupLabel: (grp: string | null) => string;
  groupOrder: (grp: string | null) => number;
}

const ABOVE = '#2166ac';
const BELOW = '#d6604d';
const NEUTRAL = '#ffffff';
const THIN = '#eeeeee';

function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return `#${[0, 1, 2].map((i) => Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t).toString(16).padStart(2, '0')).join('')}`;
}

/** White at the theme's average, blue above it, red below; full colour at twice or half the average. */
export function liftColor(ratio: number): string {
  const t = Math.max(-1, Math.min(1, Math.log2(Math.max(ratio, 1e-6))));
  return t >= 0 ? mix(NEUTRAL, ABOVE, t) : mix(NEUTRAL, BELOW, -t);
}

/**
 * Group × theme cells. The text is the share of the group's recommendations in the theme; the colour
 * compares it with the theme's share over all recommendations, because raw shares of the four themes
 * differ by theme and would paint whole columns rather than show who differs from whom.
 */
export function themeHeatmap(rows: readonly GroupThemeRow[], themes: readonly Theme[], labels: Labels, opts: HeatmapOptions): Chart | null {
  if (rows.length === 0 || themes.length === 0) return null;
  const groups = [...new Map(rows.map((r) => [r.grp, r])).values()].sort((a, b) => opts.groupOrder(a.grp) - opts.groupOrder(b.grp) || b.recs - a.recs);
  const rowLabel = (g: { grp: string | null; recs: number }) => `${opts.groupLabel(g.grp)} (${formatInt(g.recs)}${g.recs < MIN_GROUP_RECS ? '*' : ''})`;
  const labelOf = new Map(groups.map((g) => [g.grp, rowLabel(g)]));
  const themeOrder = themes.map((t) => labels.get(t.theme_id) ?? t.theme_id);
  const overall = new Map(themes.map((t) => [t.theme_id, t.total ? t.n / t.total : 0]));
  const data = rows.map((r) => {
    const share = r.recs ? r.n / r.recs : 0;
    const base = overall.get(r.theme_id) ?? 0;
    const ratio = base ? share / base : 1;
    const thin = r.recs < MIN_GROUP_RECS;
    return {
      theme: labels.get(r.theme_id) ?? r.theme_id,
      group: labelOf.get(r.grp)!,
      share,
      n: r.n,
      color: thin ? THIN : liftColor(ratio),
      strong: !thin && Math.abs(Math.log2(Math.max(ratio, 1e-6))) > 0.75,
    };
  });
  const svg = render(opts.title, {
    height: 62 + 34 * groups.length,
    marginLeft: 250,
    marginTop: 54,
    marginBottom: 6,
    x: { axis: null, domain: themeOrder },
    y: { label: null, domain: groups.map((g) => labelOf.get(g.grp)!), tickSize: 0 },
    color: { type: 'identity' },
    marks: [
      Plot.axisX({ anchor: 'top', label: null, tickSize: 0, tickFormat: (d: string) => wrapLabel(d, 15, 3), lineHeight: 1.15, textAnchor: 'middle' }),
      Plot.cell(data, { x: 'theme', y: 'group', fill: 'color', inset: 1, stroke: '#dddddd', strokeWidth: 0.5 }),
      Plot.text(data, {
        x: 'theme',
        y: 'group',
        text: (d: (typeof data)[number]) => (d.n ? `${formatPercent(d.share)} · ${formatInt(d.n)}` : '—'),
        fill: (d: (typeof data)[number]) => (d.strong ? 'white' : '#222'),
      }),
    ],
  });
  return {
    id: opts.id,
    title: opts.title,
    note: opts.note,
    svg,
    legend: [
      { label: 'вдвое реже среднего по теме', color: BELOW },
      { label: 'как в среднем', color: NEUTRAL },
      { label: 'вдвое чаще среднего', color: ABOVE },
      { label: `мало данных (< ${MIN_GROUP_RECS} рекомендаций)`, color: THIN },
    ],
  };
}

export function addresseeHeatmap(rows: readonly GroupThemeRow[], themes: readonly Theme[], labels: Labels): Chart | null {
  return themeHeatmap(rows, themes, labels, {
    id: 'chart-themes-by-addressee',
    title: 'Кому что предлагают: доля тем в рекомендациях каждого адресата',
    note:
      `Строка — адресат рекомендаций (в скобках — сколько рекомендаций ему адресовано), столбец — тема. ` +
      `В клетке — доля рекомендаций адресата по этой теме и их число. Цвет сравнивает долю со средней по теме: синий — адресату эту тему предлагают чаще, красный — реже. * — меньше ${MIN_GROUP_RECS} рекомендаций, доли ненадёжны.`,
    groupLabel: (g) => truncate(addresseeLabel(g), 46),
    // Entities (names) first, by size; the codes of what is left («другие», «адресат не указан») last.
    groupOrder: (g) => (g !== null && !ADDRESSEE_ORDER.includes(g) ? -1 : orderIndex(ADDRESSEE_ORDER, g)),
  });
}

export function levelHeatmap(rows: readonly GroupThemeRow[], themes: readonly Theme[], labels: Labels): Chart | null {
  return themeHeatmap(rows, themes, labels, {
    id: 'chart-themes-by-level',
    title: 'Темы по уровню конференций: доля рекомендаций',
    note: `Строка — уровень конференции (в скобках — число рекомендаций), в клетке — доля рекомендаций этого уровня по теме и их число. Синий — тема на конференциях этого уровня встречается чаще средней, красный — реже. * — меньше ${MIN_GROUP_RECS} рекомендаций.`,
    groupLabel: levelLabel,
    groupOrder: (g) => orderIndex(LEVEL_ORDER, g),
  });
}

export function clusterLabel(c: Pick<ClusterRow, 'cluster_id' | 'label'>): string {
  return `№${c.cluster_id} ${c.label}`;
}

export function clusterTimelineChart(clusters: readonly ClusterRow[], years: readonly ClusterYearRow[]): Chart | null {
  if (clusters.length === 0 || years.length === 0) return null;
  // Labels are phrases of up to four words: wrapped on two lines rather than cut, since the last word often carries the meaning.
  const labelOf = new Map(clusters.map((c) => [c.cluster_id, wrapLabel(truncate(clusterLabel(c), 64), 34, 2)]));
  const data = years.map((y) => ({ ...y, label: labelOf.get(y.cluster_id)! }));
  const all = data.map((d) => d.year);
  const first = Math.min(...all);
  const last = Math.max(...all);
  const maxN = Math.max(...data.map((d) => d.n));
  const title = 'Повторяющиеся темы по годам';
  const svg = render(title, {
    height: 76 + 40 * clusters.length,
    marginLeft: 240,
    marginRight: 20,
    marginTop: 16,
    marginBottom: 44,
    x: {
      type: 'linear',
      domain: [first - 0.5, last + 0.5],
      ticks: Array.from({ length: last - first + 1 }, (_, i) => first + i),
      tickFormat: (d: number) => String(d),
      label: 'Год',
      labelAnchor: 'center',
      labelOffset: 38,
      grid: true,
    },
    y: { label: null, domain: clusters.map((c) => labelOf.get(c.cluster_id)!), tickSize: 0 },
    r: { range: [3, 15], domain: [0, maxN] },
    marks: [
      Plot.ruleY(clusters.map((c) => labelOf.get(c.cluster_id)!), { stroke: '#e3e3e3' }),
      Plot.dot(data, { x: 'year', y: 'label', r: 'n', fill: '#0072B2', fillOpacity: 0.75, stroke: 'white' }),
    ],
  });
  return {
    id: 'chart-cluster-timeline',
    title,
    note: `Строка — повторяющаяся тема (её самое характерное словосочетание), кружок — год, в котором она встречается; площадь кружка — число рекомендаций (самый большой — ${formatInt(maxN)}).`,
    svg,
    legend: [],
  };
}

export function verbProfileChart(rows: readonly VerbProfileRow[]): Chart | null {
  if (rows.length === 0) return null;
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.addressee_type, (totals.get(r.addressee_type) ?? 0) + r.n);
  // Entities (names) first, largest first; type codes in their order after them.
  const rank = (t: string) => (ADDRESSEE_ORDER.includes(t) ? orderIndex(ADDRESSEE_ORDER, t) : -1);
  const types = [...totals.keys()].sort((a, b) => rank(a) - rank(b) || totals.get(b)! - totals.get(a)! || (a < b ? -1 : 1));
  const yLabel = (t: string) => `${truncate(addresseeLabel(t), 46)} (${formatInt(totals.get(t)!)}${totals.get(t)! < MIN_GROUP_RECS ? '*' : ''})`;
  const classLabels = VERB_CLASS_ORDER.map((c) => VERB_CLASS_LABELS[c]);
  const data = rows.map((r) => ({ y: yLabel(r.addressee_type), cls: VERB_CLASS_LABELS[r.cls], clsId: r.cls, n: r.n, share: r.n / totals.get(r.addressee_type)! }));
  const title = 'Что просят сделать: классы глаголов по адресатам';
  const stack = { x: 'n', y: 'y', z: 'cls', order: classLabels, offset: 'normalize' as const };
  const svg = render(title, {
    height: 56 + 34 * types.length,
    marginLeft: 250,
    marginRight: 16,
    marginTop: 8,
    marginBottom: 44,
    x: { label: 'Доля рекомендаций адресата, %', labelAnchor: 'center', labelOffset: 38, percent: true, grid: false },
    y: { label: null, domain: types.map(yLabel), tickSize: 0 },
    color: { type: 'ordinal', domain: classLabels, range: VERB_CLASS_ORDER.map((c) => VERB_CLASS_COLORS[c]) },
    marks: [
      Plot.barX(data, Plot.stackX({ ...stack, fill: 'cls', insetTop: 3, insetBottom: 3 })),
      Plot.text(
        data,
        Plot.stackX({
          ...stack,
          text: (d: (typeof data)[number]) => (d.share >= 0.08 ? formatPercent(d.share) : ''),
          fill: (d: (typeof data)[number]) => (d.clsId === 'other' || d.clsId === 'review' ? '#222' : 'white'),
        }),
      ),
    ],
  });
  return {
    id: 'chart-verb-profile',
    title,
    note: `Строка — адресат (в скобках — число рекомендаций), отрезок — доля рекомендаций с глаголом данного класса. Классы глаголов — в таблице ниже. * — меньше ${MIN_GROUP_RECS} рекомендаций.`,
    svg,
    legend: VERB_CLASS_ORDER.map((c) => ({ label: VERB_CLASS_LABELS[c], color: VERB_CLASS_COLORS[c] })),
  };
}

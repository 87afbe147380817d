/**
 * The page shell and the HTML building blocks the sections share. One self-contained file: CSS
 * inline, charts as inline SVG, links only to anchors inside the page, so it opens offline, needs
 * no JavaScript and prints on A4 with one section per page.
 */
import type { Chart } from './charts.js';
import type { CitedRec } from './data.js';
import { MISSING } from './labels.js';
import { GENERATOR } from '../store/outputs.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A value, or «не указано» styled as missing: empty metadata must look deliberate, not broken. */
export function orMissing(value: unknown, fallback = MISSING): string {
  return value === null || value === undefined || value === '' ? `<span class="missing">${esc(fallback)}</span>` : esc(value);
}

/** Anchors are ids the page defines itself; ids are hex and digits but are escaped all the same. */
export function recHref(recId: string): string {
  return `#rec-${esc(recId)}`;
}

export function docHref(docId: string): string {
  return `#doc-${esc(docId)}`;
}

/** The doc_ids the links of `html` point to (docHref's anchors, unescaped). */
export function linkedDocIds(html: string): string[] {
  const unescape = Object.fromEntries(Object.entries(ESCAPES).map(([c, e]) => [e, c]));
  return [...html.matchAll(/href="#doc-([^"]*)"/g)].map((m) => m[1].replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => unescape[e]));
}

/** A link to a cited recommendation in «Источники», labelled with its source file and line. */
export function recRef(rec: CitedRec | undefined, recId: string): string {
  const where = rec ? `${rec.source_file}:${rec.line_start}` : recId;
  return `<a class="ref" href="${recHref(recId)}" title="${esc(recId)}">${esc(where)}</a>`;
}

export function figure(chart: Chart | null, emptyText: string): string {
  if (!chart) return `<p class="empty">${esc(emptyText)}</p>`;
  const legend = chart.legend.length
    ? `<div class="legend">${chart.legend
        .map((l) => `<span class="key"><span class="swatch${l.hollow ? ' hollow' : ''}" style="${l.hollow ? `border-color:${esc(l.color)}` : `background:${esc(l.color)}`}"></span>${esc(l.label)}</span>`)
        .join('')}</div>`
    : '';
  return (
    `<figure class="chart" id="${esc(chart.id)}">` +
    `<figcaption class="chart-title">${esc(chart.title)}</figcaption>${legend}${chart.svg}` +
    `<p class="chart-note">${esc(chart.note)}</p></figure>`
  );
}

export interface Column<T> {
  head: string;
  cell: (row: T) => string;
  num?: boolean;
  width?: string;
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[], opts: { cls?: string; id?: string; rowId?: (row: T) => string } = {}): string {
  const cls = opts.cls ? ` class="${esc(opts.cls)}"` : '';
  const id = opts.id ? ` id="${esc(opts.id)}"` : '';
  const head = columns
    .map((c) => `<th${c.num ? ' class="num"' : ''}${c.width ? ` style="width:${esc(c.width)}"` : ''}>${esc(c.head)}</th>`)
    .join('');
  const body = rows
    .map((r) => `<tr${opts.rowId ? ` id="${esc(opts.rowId(r))}"` : ''}>${columns.map((c) => `<td${c.num ? ' class="num"' : ''}>${c.cell(r)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table${id}${cls}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** «и ещё N …» under a top-N list: what was left out is said, never silently dropped. */
export function more(text: string | null): string {
  return text ? `<p class="more">${esc(text)}</p>` : '';
}

export interface SectionHtml {
  id: string;
  title: string;
  body: string;
  appendix?: boolean;
}

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d5dbe1; --accent: #0b4f8a; --soft: #f1f5f9; }
* { box-sizing: border-box; }
html { font-family: "PT Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink); font-size: 10.5pt; line-height: 1.45; background: #fff; }
body { max-width: 190mm; margin: 0 auto; padding: 10mm 6mm 16mm; }
a { color: var(--accent); }
h1 { font-size: 21pt; line-height: 1.2; margin: 0 0 6pt; color: var(--accent); }
h2 { font-size: 15pt; margin: 0 0 8pt; padding-bottom: 3pt; color: var(--accent); border-bottom: 2px solid var(--accent); break-after: avoid; }
h3 { font-size: 11.5pt; margin: 14pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; }
.subtitle { color: var(--muted); margin-bottom: 10pt; }
nav.toc ul { margin: 4pt 0 0; padding: 0; list-style: none; columns: 2; }
nav.toc { border: 1px solid var(--rule); padding: 6pt 10pt; margin-bottom: 14pt; }
section.section { margin-top: 22pt; }
section.section + section.section { break-before: page; }
.takeaway { background: var(--soft); border-left: 4px solid var(--accent); padding: 7pt 10pt; margin: 6pt 0 10pt; }
ul.findings { margin: 4pt 0 10pt; padding-left: 18pt; }
ul.findings li { margin-bottom: 4pt; }
.kpis { display: flex; gap: 8pt; margin: 8pt 0 12pt; }
.kpi { flex: 1; border: 1px solid var(--rule); padding: 6pt 8pt; break-inside: avoid; }
.kpi b { display: block; font-size: 17pt; color: var(--accent); line-height: 1.15; }
.kpi span { color: var(--muted); font-size: 9pt; }
figure.chart { margin: 10pt 0 14pt; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; max-width: 680px; height: auto; }
.chart-title { font-weight: bold; font-size: 11pt; margin-bottom: 3pt; }
.chart-note { color: var(--muted); font-size: 9pt; margin-top: 3pt; }
.legend { display: flex; flex-wrap: wrap; gap: 3pt 12pt; font-size: 9pt; margin: 2pt 0 4pt; }
.legend .key { display: inline-flex; align-items: center; gap: 4pt; }
.swatch { display: inline-block; width: 10pt; height: 10pt; border-radius: 2pt; border: 0.5pt solid #bbb; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.swatch.hollow { background: #fff; border: 2px solid; border-radius: 50%; }
table { border-collapse: collapse; width: 100%; font-size: 8.8pt; line-height: 1.3; margin: 4pt 0 8pt; }
th { text-align: left; font-weight: bold; border-bottom: 1.5px solid var(--ink); padding: 3pt 4pt; vertical-align: bottom; }
td { border-bottom: 1px solid var(--rule); padding: 3pt 4pt; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.fixed { table-layout: fixed; }
table.fixed td, table.fixed th { overflow-wrap: break-word; }
.file { overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.missing { color: var(--muted); font-style: italic; }
.flag { color: #9a3412; font-size: 8.5pt; }
.more, .empty { color: var(--muted); font-style: italic; }
.ref { white-space: nowrap; font-size: 8.5pt; }
.quote { font-style: normal; }
.themes-list { color: var(--muted); }
.dup-group { break-inside: avoid; margin: 10pt 0 12pt; }
.dup-group h3 { margin-top: 6pt; }
.source { border-bottom: 1px solid var(--rule); padding: 4pt 0; break-inside: avoid; font-size: 9pt; }
.source .meta { color: var(--muted); font-size: 8.5pt; }
.source p { margin: 2pt 0 0; }
.muted { color: var(--muted); }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
pre { background: var(--soft); padding: 6pt 8pt; white-space: pre-wrap; break-inside: avoid; }
dl.params { display: grid; grid-template-columns: 42mm 1fr; gap: 2pt 8pt; font-size: 9.5pt; }
dl.params dt { color: var(--muted); }
dl.params dd { margin: 0; }
table.register { font-size: 8pt; }
table.compact { font-size: 7.5pt; line-height: 1.25; }
table.compact td { padding: 1.5pt 3pt; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.compact th { padding: 2pt 3pt; }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  a.ref { color: var(--accent); }
  section.section { margin-top: 0; }
}
`;

export interface PageMeta {
  title: string;
  subtitle: string;
}

export function page(meta: PageMeta, sections: readonly SectionHtml[]): string {
  const toc = sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('');
  const body = sections
    .map((s) => `<section class="section${s.appendix ? ' appendix' : ''}" id="${esc(s.id)}">\n<h2>${esc(s.title)}</h2>\n${s.body}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="generator" content="${GENERATOR}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(meta.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(meta.title)}</h1>
<p class="subtitle">${esc(meta.subtitle)}</p>
<nav class="toc"><b>Содержание</b><ul>${toc}</ul></nav>
</header>
${body}
</body>
</html>
`;
}

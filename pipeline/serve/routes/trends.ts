/**
 * /trends — the report's theme-by-year chart, interactive: shares of each seeded theme among the
 * recommendations of each year, for the recommendations the filters (level, region, addressee type,
 * and every other facet, the map selection included) let through. Drawn in the browser by Observable
 * Plot (served from node_modules), with a table of the same numbers beneath and a CSV.
 */
import type { Hono } from 'hono';
import { THEME_COLORS } from '../../report/charts.js';
import { shortThemeLabel } from '../../report/labels.js';
import { MIN_DOCS_PER_YEAR } from '../../report/takeaways.js';
import type { RouteKit } from '../kit.js';
import type { Corpus } from '../corpus.js';
import { countFacets } from '../facets.js';
import { filterMask, type Filters } from '../filters.js';
import { downloads, facetSidebar, fmtInt, pagePairs, plural } from '../html/components.js';
import { h, raw, type Safe } from '../html/h.js';

export interface TrendYear {
  year: number;
  docs: number;
  recs: number;
  /** theme id → recommendations with the theme. */
  counts: Record<string, number>;
}

export interface Trends {
  themes: { id: string; label: string; color: string; total: number }[];
  years: TrendYear[];
  total: number;
  undated: number;
}

export function themeTrends(c: Corpus, f: Filters): Trends {
  const mask = filterMask(c, f);
  const byYear = new Map<number, { docs: Set<number>; recs: number; counts: Record<string, number> }>();
  const totals = new Map<string, number>(c.themes.map((t) => [t.id, 0]));
  let total = 0;
  let undated = 0;
  for (let i = 0; i < c.n; i++) {
    if (!mask[i]) continue;
    total++;
    const y = c.year[i];
    if (!y) {
      undated++;
      continue;
    }
    let e = byYear.get(y);
    if (!e) byYear.set(y, (e = { docs: new Set(), recs: 0, counts: {} }));
    e.docs.add(c.doc[i]);
    e.recs++;
    for (const t of c.recThemes[i]) {
      e.counts[t] = (e.counts[t] ?? 0) + 1;
      totals.set(t, (totals.get(t) ?? 0) + 1);
    }
  }
  // Colours in the report's order (themes ranked by size over the whole corpus, not the filtered part).
  const overall = new Map<string, number>();
  for (let i = 0; i < c.n; i++) for (const t of c.recThemes[i]) overall.set(t, (overall.get(t) ?? 0) + 1);
  const ranked = [...c.themes].sort((a, b) => (overall.get(b.id) ?? 0) - (overall.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1));
  const years = [...byYear].sort((a, b) => a[0] - b[0]).map(([year, e]) => ({ year, docs: e.docs.size, recs: e.recs, counts: e.counts }));
  return {
    themes: ranked.map((t, k) => ({ id: t.id, label: shortThemeLabel(t.label, 40), color: THEME_COLORS[k % THEME_COLORS.length], total: totals.get(t.id) ?? 0 })),
    years,
    total,
    undated,
  };
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toLocaleString('ru-RU', { maximumFractionDigits: 1 })}%` : '—');

export function trendRoutes(app: Hono, kit: RouteKit): void {
  app.get('/trends', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const f = kit.filters(c);
    const t = themeTrends(corpus, f);
    return kit.respond(c, {
      filename: 'confrec-trends',
      rows: () =>
        t.years.flatMap((y) =>
          t.themes.map((th) => ({
            year: y.year,
            theme: th.id,
            theme_label: th.label,
            recommendations_with_theme: y.counts[th.id] ?? 0,
            recommendations: y.recs,
            share: y.recs ? Number(((y.counts[th.id] ?? 0) / y.recs).toFixed(4)) : null,
            documents: y.docs,
            few_documents: y.docs < MIN_DOCS_PER_YEAR,
          })),
        ),
      json: () => t,
      page: () => ({ options: { title: 'Тренды', nav: 'trends', areas: ['themes'], vendor: ['d3.js', 'plot.js'], scripts: ['trends.js'] }, body: trendsBody(corpus, t, f) }),
    });
  });
}

function trendsBody(c: Corpus, t: Trends, f: Filters): Safe {
  const pairs = pagePairs([], f);
  const { facets, years } = countFacets(c, f, null);
  // JSON inside <script type="application/json">: "<" escaped, so no "</script>" in a label can close it.
  const data = JSON.stringify({ themes: t.themes, years: t.years, minDocs: MIN_DOCS_PER_YEAR }).replace(/</g, '\\u003c');
  return h`<div class="with-facets">
${facetSidebar('/trends', [], f, facets.filter((x) => ['level', 'region', 'addresseeType', 'addressee', 'cluster'].includes(x.key)), years)}
<section>
<h1>Тренды: доли тем по годам</h1>
<p class="summary">${fmtInt(t.total)} ${plural(t.total, 'рекомендация', 'рекомендации', 'рекомендаций')}${t.undated ? `, из них ${fmtInt(t.undated)} без года (в графике не показаны)` : ''}. Доля темы — сколько рекомендаций года отнесено к теме; у одной рекомендации может быть несколько тем. Годы, где меньше ${MIN_DOCS_PER_YEAR} документов, отмечены пустыми кружками: доли там ненадёжны.</p>
${downloads('/trends', pairs)}
<figure class="chart" id="trend-chart"><figcaption>Доля рекомендаций по темам, %</figcaption><div class="chart-box" aria-live="polite"></div>
<div class="legend">${t.themes.map((th) => h`<span style="--c:${th.color}">${th.label}</span>`)}</div></figure>
<script type="application/json" id="trend-data">${raw(data)}</script>
<table class="data"><thead><tr><th>Год</th><th class="num">Документов</th><th class="num">Рекомендаций</th>${t.themes.map((th) => h`<th class="num">${th.label}</th>`)}</tr></thead><tbody>
${t.years.map((y) => h`<tr${y.docs < MIN_DOCS_PER_YEAR ? h` class="muted"` : ''}><td>${y.year}</td><td class="num">${fmtInt(y.docs)}</td><td class="num">${fmtInt(y.recs)}</td>${t.themes.map((th) => h`<td class="num" title="${fmtInt(y.counts[th.id] ?? 0)} из ${fmtInt(y.recs)}">${pct(y.counts[th.id] ?? 0, y.recs)}</td>`)}</tr>`)}
</tbody></table>
</section></div>`;
}

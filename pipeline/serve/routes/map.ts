/**
 * /map — every recommendation at the position the map stage stored, coloured by its leading theme or
 * its cluster, cluster labels at their members' median, hover for the text, click to open. Dragging
 * a rectangle selects a region: it becomes the `bbox` filter of the page's URL, and search, trends and
 * groups opened from the selection are narrowed to it (cross-filtering); the facets narrow the map.
 * Drawn on a canvas by a small script of ours (assets/map.js): see the README for why not Mosaic or
 * embedding-atlas.
 */
import type { Hono } from 'hono';
import { THEME_COLORS } from '../../report/charts.js';
import { shortThemeLabel } from '../../report/labels.js';
import type { RouteKit } from '../kit.js';
import type { Corpus } from '../corpus.js';
import { countFacets } from '../facets.js';
import { filterMask, hasFilters, type Filters } from '../filters.js';
import { HttpProblem } from '../problem.js';
import { recIndexOr404 } from './recommendation.js';
import { conferenceName, facetSidebar, fmtInt } from '../html/components.js';
import { h, type Safe } from '../html/h.js';

const NO_COLOUR = '#b8b8b8';

/** Distinct colours for many clusters: hues a golden angle apart, three lightness levels. */
export function clusterColour(k: number): string {
  return `hsl(${Math.round((k * 137.508) % 360)}, 62%, ${[42, 55, 34][k % 3]}%)`;
}

type ColourBy = 'theme' | 'cluster';

function colourBy(v: string | undefined): ColourBy {
  if (!v || v === 'theme') return 'theme';
  if (v === 'cluster') return 'cluster';
  throw new HttpProblem(400, 'Неизвестная раскраска', `colour=${v.slice(0, 20)}: можно theme или cluster.`);
}

export interface MapPoints {
  ids: string[];
  x: number[];
  y: number[];
  /** Index into legend. */
  c: number[];
  /** 1 when the point passes the filters (all 1 without filters). */
  f: number[];
  legend: { label: string; color: string; count: number }[];
  labels: { x: number; y: number; text: string; size: number }[];
  total: number;
  shown: number;
  offMap: number;
}

export function mapPoints(c: Corpus, f: Filters, by: ColourBy): MapPoints {
  // The bbox selects; it does not hide the rest of the map, so the map is filtered by everything else.
  const mask = hasFilters({ ...f, bbox: null }) ? filterMask(c, { ...f, bbox: null }) : null;
  const legend: MapPoints['legend'] = [];
  const colourOf = new Map<string, number>();
  if (by === 'theme') {
    const totals = new Map<string, number>();
    for (let i = 0; i < c.n; i++) for (const t of c.recThemes[i]) totals.set(t, (totals.get(t) ?? 0) + 1);
    [...c.themes]
      .sort((a, b) => (totals.get(b.id) ?? 0) - (totals.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1))
      .forEach((t, k) => {
        colourOf.set(t.id, legend.length);
        legend.push({ label: shortThemeLabel(t.label, 40), color: THEME_COLORS[k % THEME_COLORS.length], count: 0 });
      });
    colourOf.set('', legend.length);
    legend.push({ label: 'ни одной из тем', color: NO_COLOUR, count: 0 });
  } else {
    for (const cl of [...c.clusters.values()].sort((a, b) => a.id - b.id)) {
      colourOf.set(String(cl.id), legend.length);
      legend.push({ label: `№${cl.id}: ${cl.label}`, color: clusterColour(cl.id), count: 0 });
    }
    colourOf.set('', legend.length);
    legend.push({ label: 'вне кластеров', color: NO_COLOUR, count: 0 });
  }
  const out: MapPoints = { ids: [], x: [], y: [], c: [], f: [], legend, labels: [], total: c.n, shown: 0, offMap: 0 };
  const members = new Map<number, { xs: number[]; ys: number[] }>();
  for (let i = 0; i < c.n; i++) {
    const x = c.x[i];
    const y = c.y[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      out.offMap++;
      continue;
    }
    const key = by === 'theme' ? (c.recThemes[i][0] ?? '') : c.cluster[i] >= 0 ? String(c.cluster[i]) : '';
    const col = colourOf.get(key) ?? legend.length - 1;
    const pass = mask ? mask[i] : 1;
    out.ids.push(c.recId[i]);
    out.x.push(Math.round(x * 1e4) / 1e4);
    out.y.push(Math.round(y * 1e4) / 1e4);
    out.c.push(col);
    out.f.push(pass);
    if (pass) {
      legend[col].count++;
      out.shown++;
    }
    if (c.cluster[i] >= 0) {
      let m = members.get(c.cluster[i]);
      if (!m) members.set(c.cluster[i], (m = { xs: [], ys: [] }));
      m.xs.push(x);
      m.ys.push(y);
    }
  }
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  // Labels of the larger clusters, at their members' median (robust to a few stray points).
  out.labels = [...members]
    .sort((a, b) => b[1].xs.length - a[1].xs.length || a[0] - b[0])
    .slice(0, 30)
    .map(([id, m]) => ({ x: median(m.xs), y: median(m.ys), text: c.clusters.get(id)?.label ?? `№${id}`, size: m.xs.length }));
  return out;
}

export function mapRoutes(app: Hono, kit: RouteKit): void {
  app.get('/map', (c) => {
    const s = kit.snapshot();
    const f = kit.filters(c);
    const by = colourBy(c.req.query('colour'));
    const { facets, years } = countFacets(s.corpus, { ...f, bbox: null }, null);
    return kit.html(
      c,
      { title: 'Карта', nav: 'map', areas: ['map', 'themes', 'clusters'], scripts: ['map.js'] },
      mapBody(s.corpus, f, by, facetSidebar('/map', [['colour', by === 'theme' ? null : by]], { ...f, bbox: null }, facets, years)),
    );
  });

  app.get('/api/map/points', (c) => {
    const s = kit.snapshot();
    if (!s.corpus.embedding) {
      throw new HttpProblem(503, 'Карта пока недоступна', 'В базе ещё нет векторов и карты. Выполните `confrec run <папка>` (или `confrec embed`, затем `confrec map`).');
    }
    return c.json(mapPoints(s.corpus, kit.filters(c), colourBy(c.req.query('colour'))));
  });

  /** What the map shows on hover. */
  app.get('/api/rec/:id/brief', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const i = recIndexOr404(corpus, c.req.param('id'));
    const d = corpus.docs[corpus.doc[i]];
    return c.json({
      rec_id: corpus.recId[i],
      text: corpus.text[i].length > 400 ? corpus.text[i].slice(0, 399) + '…' : corpus.text[i],
      conference: conferenceName(d),
      year: corpus.year[i] || null,
      addressee: corpus.addressee[i],
      themes: corpus.recThemes[i].map((t) => shortThemeLabel(corpus.themes.find((x) => x.id === t)?.label ?? t, 40)),
      cluster: corpus.cluster[i] >= 0 ? (corpus.clusters.get(corpus.cluster[i])?.label ?? null) : null,
    });
  });
}

function mapBody(c: Corpus, f: Filters, by: ColourBy, sidebar: Safe): Safe {
  const noMap = c.x.every((v) => Number.isNaN(v));
  return h`<div class="with-facets">
${sidebar}
<section>
<h1>Карта рекомендаций</h1>
${noMap ? h`<p class="note note-warn">Карта ещё не построена: выполните <code>confrec map</code> (или <code>confrec run &lt;папка&gt;</code>).</p>` : ''}
<div class="toolbar">
  <label>Цвет: <select id="colour"><option value="theme"${by === 'theme' ? h` selected` : ''}>тема</option><option value="cluster"${by === 'cluster' ? h` selected` : ''}>кластер</option></select></label>
  <span class="muted small">Потяните мышью, чтобы выделить область · колесо — масштаб · Shift+перетаскивание — сдвиг · двойной щелчок — весь корпус · щелчок по точке — открыть</span>
</div>
<div class="map-wrap">
  <div class="map-canvas" id="map" data-bbox="${f.bbox ? f.bbox.join(',') : ''}"><canvas width="900" height="640" aria-label="Карта рекомендаций: точки — рекомендации, близкие по смыслу лежат рядом" role="img"></canvas><div class="map-tip" hidden></div></div>
  <div class="map-side" id="map-side" aria-live="polite">
    <h2>Выделение</h2>
    <p class="muted" id="sel-empty">Выделите область карты: здесь появятся рекомендации из неё, а ссылки откроют поиск, тренды и повторы только по ней.</p>
    <div id="sel"></div>
    <h2>Легенда</h2><div class="legend" id="legend"></div>
    <p class="muted small" id="map-count"></p>
  </div>
</div>
<p class="muted small">Положение точек рассчитано при построении карты (<code>confrec map</code>): сначала раскладывается постоянная выборка рекомендаций так, чтобы близкие по смыслу оказались рядом, остальные точки ставятся среди своих ближайших соседей из выборки; близость на карте приблизительна, точные сходства — на странице рекомендации. Всего рекомендаций: ${fmtInt(c.n)}.</p>
</section></div>`;
}

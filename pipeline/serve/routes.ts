/** Every page and API route of the explorer, in one list: the URL design in one place. */
import type { Hono } from 'hono';
import { explorerConfig } from '../config.js';
import type { RouteKit } from './kit.js';
import { HttpProblem } from './problem.js';
import { pageNumber, readJson } from './params.js';
import { search } from './search.js';
import { searchBody, searchRows } from './html/search-page.js';
import { recommendationRoutes } from './routes/recommendation.js';
import { groupRoutes } from './routes/groups.js';
import { mapRoutes } from './routes/map.js';
import { conferenceRoutes } from './routes/conferences.js';
import { trendRoutes } from './routes/trends.js';
import { checkRoutes } from './routes/check.js';

export function registerRoutes(app: Hono, kit: RouteKit): void {
  app.get('/search', async (c) => {
    const s = kit.snapshot();
    const f = kit.filters(c);
    const raw = c.req.query('q');
    const q = raw ?? '';
    const pageNo = pageNumber(c.req.query('page'));
    if (raw !== undefined && raw.trim() === '' && ![...new URL(c.req.url).searchParams.keys()].some((k) => k !== 'q' && k !== 'format')) {
      throw new HttpProblem(400, 'Пустой запрос', 'Введите слова или фразу, например «помощь семьям детей-инвалидов», или выберите фильтры слева, чтобы просмотреть рекомендации.');
    }
    const result = await search(s.corpus, s.embedder, s.morph, q, f);
    return kit.respond(c, {
      filename: 'confrec-search',
      page: () => ({ options: { title: result.q ? `«${result.q.slice(0, 60)}»` : 'Поиск', nav: 'search', areas: ['search', 'themes', 'clusters', 'duplicates'] }, body: searchBody(s, result, f, pageNo) }),
      rows: () => searchRows(s, result, kit.origin(c)),
      json: () => ({
        q: result.q,
        mode: result.mode,
        total: result.total,
        literal_hits: result.literalHits,
        floor: result.floor,
        embedder: result.embedder,
        lemmas: result.lemmas,
        expanded: result.expanded,
        facets: result.facets,
        years: result.years,
        page: pageNo,
        page_size: explorerConfig.pageSize,
        hits: searchRows(s, result, kit.origin(c)).slice((pageNo - 1) * explorerConfig.pageSize, pageNo * explorerConfig.pageSize),
      }),
    });
  });
  app.post('/api/search', async (c) => {
    const s = kit.snapshot();
    const body = await readJson(c.req.raw, explorerConfig.maxQueryChars * 4 + 4096);
    const q = typeof body.q === 'string' ? body.q : '';
    if (q.trim() === '') throw new HttpProblem(400, 'Пустой запрос', 'Поле q должно содержать слова или фразу для поиска.');
    const f = kit.filters(c);
    const result = await search(s.corpus, s.embedder, s.morph, q, f);
    const top = Math.min(Math.max(1, Number(body.top) || explorerConfig.pageSize), 1000);
    return c.json({ q: result.q, total: result.total, hits: searchRows(s, result, kit.origin(c)).slice(0, top) });
  });
  app.get('/api/status', (c) => {
    const s = kit.snapshot();
    return c.json({
      database: s.path,
      loaded_at: s.loadedAt.toISOString(),
      load_ms: s.loadMs,
      documents: s.corpus.docs.length,
      recommendations: s.corpus.n,
      embedder: s.corpus.embedding?.id ?? null,
      pending: kit.pageContext().state.pending,
      freshness: s.freshness,
    });
  });
  recommendationRoutes(app, kit);
  groupRoutes(app, kit);
  mapRoutes(app, kit);
  conferenceRoutes(app, kit);
  trendRoutes(app, kit);
  checkRoutes(app, kit);
}

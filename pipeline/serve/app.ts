/**
 * The explorer's HTTP application (hono): routes, formats (every list as HTML, CSV and JSON, chosen by
 * ?format=), static assets, and the error policy — a Russian message and the right status for every
 * failure a person can cause, never a stack trace. `createApp` takes the snapshot source, so tests
 * call `app.request()` without a socket.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { explorerConfig, ROOT } from '../config.js';
import { ConfrecError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../progress.js';
import { toCsv } from './csv.js';
import { russianRow } from './csv-ru.js';
import { parseFilters } from './filters.js';
import { HttpProblem } from './problem.js';
import type { SnapshotSource } from './source.js';
import type { Snapshot } from './snapshot.js';
import type { Safe } from './html/h.js';
import { page, problemBody, type PageContext, type PageOptions } from './html/layout.js';
import type { Format, RouteKit } from './kit.js';
import { registerRoutes } from './routes.js';
import { checkProblemPage } from './routes/check.js';
import { tooLarge } from './params.js';

export interface AppOptions {
  log?: Logger;
  /** Host names a request may address (DNS-rebinding guard); empty: any. */
  allowedHosts?: string[];
}

const ASSETS = join(ROOT, 'pipeline', 'serve', 'assets');
const require = createRequire(import.meta.url);

/** A file inside an installed package, found from the package's entry point (exports hide dist/). */
function packageFile(pkg: string, rel: string): string {
  let dir = dirname(require.resolve(pkg));
  for (let k = 0; k < 6 && !existsSync(join(dir, 'package.json')); k++) dir = dirname(dir);
  return join(dir, rel);
}

/** Browser bundles served from node_modules: no CDN, nothing fetched from the network. */
const VENDOR: Record<string, () => string> = {
  'd3.js': () => packageFile('d3', 'dist/d3.min.js'),
  'plot.js': () => packageFile('@observablehq/plot', 'dist/plot.umd.min.js'),
};
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function createApp(source: SnapshotSource, opts: AppOptions = {}): Hono {
  const log = opts.log ?? silentLogger;
  const app = new Hono();
  const pageContext = (): PageContext => {
    let snapshot: Snapshot | null = null;
    try {
      snapshot = source.current();
    } catch {
      /* no snapshot yet */
    }
    return { snapshot, state: source.state };
  };
  const html = (c: Context, o: PageOptions, body: Safe, status = 200) => {
    c.header('Content-Security-Policy', CSP);
    return c.html(page(pageContext(), o, body).html, status as 200);
  };
  const format = (c: Context): Format => {
    const f = c.req.query('format');
    if (!f || f === 'html') return 'html';
    if (f === 'csv' || f === 'json') return f;
    throw new HttpProblem(400, 'Неизвестный формат', `format=${f.slice(0, 20)} не поддерживается: используйте format=csv или format=json.`);
  };
  const kit: RouteKit = {
    snapshot: () => source.current(),
    pageContext,
    format,
    html,
    filters: (c) => parseFilters(new URL(c.req.url).searchParams),
    origin: (c) => new URL(c.req.url).origin,
    respond(c, o) {
      const fmt = format(c);
      if (fmt === 'csv') {
        const rows = o.rows?.() ?? [];
        c.header('Content-Disposition', `attachment; filename="${o.filename}.csv"`);
        const labels = new Map(source.current().corpus.themes.map((t) => [t.id, t.label] as [string, string]));
        return c.body(toCsv(rows.map((r) => russianRow(r, labels))), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      }
      if (fmt === 'json') return c.json((o.json ?? o.rows ?? (() => ({})))() as object);
      const p = o.page();
      return html(c, p.options, p.body);
    },
  };

  app.use('*', async (c, next) => {
    if (opts.allowedHosts?.length) {
      // The URL's host is the request's Host header (that is how @hono/node-server builds it).
      const host = new URL(c.req.url).hostname.replace(/^\[|\]$/g, '');
      if (!opts.allowedHosts.includes(host)) {
        throw new HttpProblem(400, 'Чужое имя сервера', `Обозреватель отвечает только по адресам ${opts.allowedHosts.join(', ')} (защита от подмены DNS).`);
      }
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  // Uploads and JSON bodies are refused past the limit while they stream in, not after.
  const limit = bodyLimit({
    maxSize: explorerConfig.maxUploadBytes + 64 * 1024,
    onError: () => {
      throw tooLarge(explorerConfig.maxUploadBytes + 64 * 1024 + 1, explorerConfig.maxUploadBytes);
    },
  });
  app.use('/check', limit);
  app.use('/api/*', limit);

  app.get('/static/:file', async (c) => {
    const file = c.req.param('file');
    const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '';
    if (!/^[a-z0-9-]+\.[a-z]+$/.test(file) || !TYPES[ext]) throw new HttpProblem(404, 'Файл не найден', `Нет файла ${file}.`);
    const body = await readFile(join(ASSETS, file)).catch(() => null);
    if (!body) throw new HttpProblem(404, 'Файл не найден', `Нет файла ${file}.`);
    return c.body(body, 200, { 'Content-Type': TYPES[ext], 'Cache-Control': 'no-cache' });
  });
  app.get('/vendor/:file', async (c) => {
    const path = VENDOR[c.req.param('file')]?.();
    if (!path) throw new HttpProblem(404, 'Файл не найден', `Нет файла ${c.req.param('file')}.`);
    return c.body(await readFile(path), 200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'max-age=86400' });
  });
  app.get('/', (c) => c.redirect('/search'));

  registerRoutes(app, kit);

  app.notFound((c) => {
    const p = new HttpProblem(404, 'Страница не найдена', `Адреса ${new URL(c.req.url).pathname} в обозревателе нет.`);
    return problemResponse(c, p);
  });
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return problemResponse(c, err);
    if (err instanceof ConfrecError) {
      log.warn(`serve: ${errorMessage(err)}`);
      return problemResponse(c, new HttpProblem(503, 'Данные недоступны', errorMessage(err)));
    }
    log.warn(`serve: ${c.req.method} ${new URL(c.req.url).pathname}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return problemResponse(c, new HttpProblem(500, 'Внутренняя ошибка', 'Обозреватель не смог ответить на этот запрос. Подробности — в окне, где запущен `confrec serve`.'));
  });

  function problemResponse(c: Context, p: HttpProblem): Response {
    const wantsJson = c.req.query('format') === 'json' || c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').startsWith('application/json');
    if (wantsJson) return c.json({ error: p.title, detail: p.detail, status: p.status }, p.status);
    if (c.req.query('format') === 'csv') return c.body(`${p.title}: ${p.detail}\n`, p.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    // A draft refused before its route ran (over the size limit while streaming in): the form again.
    if (c.req.method === 'POST' && c.req.path === '/check') return checkProblemPage({ html }, c, p);
    return html(c, { title: p.title, nav: 'none' }, problemBody(p.title, p.detail, p.status), p.status);
  }

  return app;
}


/** The page frame: navigation, notes on stale or incoming data, footer with provenance. */
import type { FreshnessNote } from '../freshness.js';
import type { SourceState } from '../source.js';
import type { Snapshot } from '../snapshot.js';
import { fmtInt, plural } from './components.js';
import { h, prose, type Safe } from './h.js';

export type NavKey = 'search' | 'map' | 'groups' | 'conferences' | 'trends' | 'check' | 'none';

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'search', href: '/search', label: 'Поиск' },
  { key: 'map', href: '/map', label: 'Карта' },
  { key: 'groups', href: '/groups', label: 'Повторы' },
  { key: 'conferences', href: '/conferences', label: 'Конференции' },
  { key: 'trends', href: '/trends', label: 'Тренды' },
  { key: 'check', href: '/check', label: 'Проверка проекта' },
];

export interface PageContext {
  snapshot: Snapshot | null;
  state: SourceState;
}

export interface PageOptions {
  title: string;
  nav: NavKey;
  /** Which freshness notes concern this page. */
  areas?: FreshnessNote['area'][];
  /** Module scripts of this page, under /static/. */
  scripts?: string[];
  /** Classic scripts (vendor UMD bundles), loaded before the modules. */
  vendor?: string[];
}

function notes(ctx: PageContext, areas: FreshnessNote['area'][]): Safe {
  const out: Safe[] = [];
  if (ctx.state.pending === 'writer') {
    out.push(h`<p class="note note-info" role="status">Сейчас в базу пишет другой процесс confrec (идёт обработка). Показаны данные, загруженные ${ctx.snapshot ? time(ctx.snapshot.loadedAt) : '—'}; новые появятся сами, перезапускать обозреватель не нужно.</p>`);
  } else if (ctx.state.pending === 'missing') {
    out.push(h`<p class="note note-warn" role="status">Файла базы больше нет (его удалили или переместили). Показаны данные, загруженные ${ctx.snapshot ? time(ctx.snapshot.loadedAt) : '—'}; когда файл появится снова, обозреватель загрузит его сам.</p>`);
  } else if (ctx.state.pending === 'failed' && ctx.state.problem) {
    // The reason (DuckDB's, in English) is in the serve output and /api/status; people read Russian.
    out.push(h`<p class="note note-warn" role="status">Файл базы заменили или изменили, но прочитать новую версию не удалось (файл повреждён или это не база confrec; подробности — в выводе <code>confrec serve</code> и в /api/status). Показаны прежние данные, загруженные ${ctx.snapshot ? time(ctx.snapshot.loadedAt) : '—'}.</p>`);
  }
  for (const n of ctx.snapshot?.freshness ?? []) {
    if (n.area !== 'all' && !areas.includes(n.area)) continue;
    out.push(h`<p class="note note-warn" role="status">${n.message} Обновить: <code>${n.command}</code>.</p>`);
  }
  return h`${out}`;
}

const time = (d: Date) => d.toLocaleString('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function page(ctx: PageContext, o: PageOptions, body: Safe): Safe {
  const s = ctx.snapshot;
  const footer = s
    ? h`База: <code>${s.path}</code> · ${fmtInt(s.corpus.docs.length)} ${plural(s.corpus.docs.length, 'документ', 'документа', 'документов')}, ${fmtInt(s.corpus.n)} ${plural(s.corpus.n, 'рекомендация', 'рекомендации', 'рекомендаций')} · загружена ${time(s.loadedAt)}${
        s.corpus.embedding ? h` · векторы: <code>${s.corpus.embedding.id}</code>` : ''
      }`
    : h`База не загружена`;
  return h`<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — confrec</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${(o.vendor ?? []).map((v) => h`<script src="/vendor/${v}" defer></script>`)}
<script type="module" src="/static/app.js"></script>
${(o.scripts ?? []).map((src) => h`<script type="module" src="/static/${src}"></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/search">confrec</a>
  <nav aria-label="Разделы">${NAV.map((n) => h`<a href="${n.href}"${n.key === o.nav ? h` aria-current="page"` : ''}>${n.label}</a>`)}</nav>
</header>
<main>
${notes(ctx, o.areas ?? [])}
${body}
</main>
<footer>${footer}</footer>
</body>
</html>`;
}

/** The body of an error page: headline, what happened, what to do. */
export function problemBody(title: string, detail: string, status: number): Safe {
  return h`<section class="problem"><h1>${title}</h1><p>${prose(detail)}</p><p class="muted">Код ответа ${status}. <a href="/search">К поиску</a></p></section>`;
}

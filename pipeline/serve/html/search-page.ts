import type { Snapshot } from '../snapshot.js';
import type { Filters } from '../filters.js';
import { filterParams, hasFilters, href } from '../filters.js';
import type { SearchResult } from '../search.js';
import { explorerConfig } from '../../config.js';
import { downloads, facetSidebar, fmtInt, pagePairs, pager, plural, recCard } from './components.js';
import { h, type Safe } from './h.js';

const EXAMPLES = ['помощь семьям детей-инвалидов', 'наставничество молодых педагогов', 'профориентация школьников'];

export function searchForm(q: string, f: Filters, autofocus = false): Safe {
  return h`<form class="search" method="get" action="/search" role="search">
  <label for="q" class="visually-hidden">Что искать</label>
  <input id="q" name="q" type="search" value="${q}" maxlength="${explorerConfig.maxQueryChars}" placeholder="Например: ${EXAMPLES[0]}"${autofocus ? h` autofocus` : ''}>
  ${filterParams(f).map(([k, v]) => h`<input type="hidden" name="${k}" value="${v}">`)}
  <button type="submit">Найти</button>
</form>`;
}

export function searchBody(s: Snapshot, r: SearchResult, f: Filters, pageNo: number): Safe {
  const size = explorerConfig.pageSize;
  const own: [string, string | number | null][] = [['q', r.q || null], ['page', pageNo > 1 ? pageNo : null]];
  const pairs = pagePairs(own, f);
  const lemmas = new Set(r.lemmas);
  const shown = r.hits.slice((pageNo - 1) * size, pageNo * size);
  const c = s.corpus;
  const summary =
    r.mode === 'browse'
      ? h`<p class="summary">${hasFilters(f) ? 'Отобрано' : 'Всего'} ${fmtInt(r.total)} ${plural(r.total, 'рекомендация', 'рекомендации', 'рекомендаций')}, сначала новые. Введите запрос, чтобы искать по смыслу и по словам.</p>`
      : h`<p class="summary">Найдено ${fmtInt(r.total)} ${plural(r.total, 'рекомендация', 'рекомендации', 'рекомендаций')}${
          r.literalHits ? h`, из них ${fmtInt(r.literalHits)} содержат все слова запроса` : ''
        }. Порядок — по близости по смыслу (косинус в пространстве <code>${r.embedder ?? '—'}</code>, порог ${r.floor?.toFixed(2)}) с надбавкой за слова запроса.${
          r.expanded.length ? h` <span class="expanded">Сокращения учтены: искали также ${r.expanded.map((e, k) => h`${k ? '; ' : ''}«${e.from}» → «${e.to}»`)}.</span>` : ''
        }${
          r.unknownWords ? h` <strong>Ни одно слово запроса не встречается в корпусе модели: найдены только буквальные совпадения.</strong>` : ''
        }</p>`;
  const list =
    shown.length === 0
      ? h`<p class="empty">Ничего не найдено${hasFilters(f) ? h` с этими фильтрами — <a href="${href('/search', [['q', r.q || null]])}">снять все фильтры</a>` : ''}.</p>`
      : h`<ol class="hits" start="${(pageNo - 1) * size + 1}">${shown.map(
          (hit) =>
            h`<li>${recCard(c, hit.i, {
              lemmas,
              morph: s.morph,
              score:
                r.mode === 'search'
                  ? h`<span title="косинус с запросом">${hit.cosine === null ? '—' : hit.cosine.toFixed(2)}</span>${hit.literal ? h` <span class="badge" title="содержит все слова запроса в любой форме">все слова</span>` : ''}`
                  : null,
            })}</li>`,
        )}</ol>`;
  return h`<div class="with-facets">
${facetSidebar('/search', own, f, r.facets, r.years)}
<section class="results">
  <h1 class="visually-hidden">Поиск</h1>
  ${searchForm(r.q, f, r.mode === 'browse')}
  ${summary}
  ${r.total ? downloads('/search', pairs) : ''}
  ${list}
  ${pager('/search', pairs, pageNo, r.total, size)}
</section>
</div>`;
}

/** Rows of the CSV/JSON download: every hit, not only the page. */
export function searchRows(s: Snapshot, r: SearchResult, base: string): Record<string, unknown>[] {
  const c = s.corpus;
  return r.hits.map((hit, k) => {
    const i = hit.i;
    const d = c.docs[c.doc[i]];
    return {
      rank: k + 1,
      rec_id: c.recId[i],
      similarity: hit.cosine === null ? null : Number(hit.cosine.toFixed(4)),
      all_query_words: hit.literal,
      text: c.text[i],
      conference: d?.title ?? null,
      date: d?.date_start ?? null,
      year: c.year[i] || null,
      level: d?.level ?? null,
      city: d?.city ?? null,
      region: d?.region ?? null,
      addressee_type: c.addresseeType[i],
      addressee: c.addressee[i],
      themes: c.recThemes[i].join(';'),
      cluster: c.cluster[i] >= 0 ? c.cluster[i] : null,
      near_duplicates_elsewhere: c.ndElsewhere[i],
      source_file: d?.source_file ?? null,
      line: c.lineStart[i],
      doc_id: d?.doc_id ?? null,
      url: `${base}/rec/${c.recId[i]}`,
    };
  });
}

/** Pieces several pages share: a recommendation's source line, theme chips, facets, pager, downloads. */
import { addresseeLabel, shortThemeLabel } from '../../report/labels.js';
import type { Corpus, DocInfo } from '../corpus.js';
import type { Facet, YearBar } from '../facets.js';
import { FACET_PARAMS, filterParams, href, type Filters } from '../filters.js';
import type { Morph } from '../../text/morph.js';
import { highlightRuns } from '../search.js';
import { h, type Safe } from './h.js';

export const fmtInt = (n: number) => n.toLocaleString('ru-RU');

/** "12.04.2019" from "2019-04-12". */
export function fmtDate(iso: string | null): string | null {
  if (!iso) return null;
  const [y, m, d] = iso.split('-');
  return d && m ? `${d}.${m}.${y}` : iso;
}

export function conferenceName(d: DocInfo | undefined): string {
  if (!d) return 'документ не найден';
  return d.title ?? d.source_file;
}

/** Conference (linked), date or year, level, region: one line. */
export function docLine(d: DocInfo | undefined): Safe {
  if (!d) return h`<span class="muted">документ не найден</span>`;
  const when = fmtDate(d.date_start) ?? (d.year ? String(d.year) : 'год не указан');
  return h`<a href="/conferences/${d.doc_id}">${conferenceName(d)}</a> <span class="muted">· ${when}${d.level ? ` · ${d.level}` : ''}${d.region ? ` · ${d.region}` : ''}</span>`;
}

export function themeChips(corpus: Corpus, ids: readonly string[]): Safe {
  if (ids.length === 0) return h``;
  return h`<span class="chips">${ids.map((id) => {
    const t = corpus.themes.find((x) => x.id === id);
    return h`<a class="chip theme-${id}" href="${href('/search', [['theme', id]])}" title="${t?.label ?? id}">${shortThemeLabel(t?.label ?? id, 32)}</a>`;
  })}</span>`;
}

export function addresseeText(corpus: Corpus, i: number): Safe {
  const type = corpus.addresseeType[i];
  const who = corpus.addressee[i];
  return h`<span class="addressee" title="${addresseeLabel(type)}">→ ${who ?? addresseeLabel(type)}</span>`;
}

/** The recommendation's text, its query lemmas highlighted. */
export function recText(text: string, lemmas: ReadonlySet<string>, morph: Morph): Safe {
  return h`${highlightRuns(text, lemmas, morph).map((r) => (r.hit ? h`<mark>${r.text}</mark>` : r.text))}`;
}

/** One recommendation as a card: text, conference, addressee, themes, near-duplicates elsewhere. */
export function recCard(corpus: Corpus, i: number, o: { lemmas?: ReadonlySet<string>; morph: Morph; score?: Safe | string | null; extra?: Safe }): Safe {
  const d = corpus.docs[corpus.doc[i]];
  const dup = corpus.ndElsewhere[i];
  return h`<article class="hit" data-rec="${corpus.recId[i]}">
  <p class="hit-text"><a href="/rec/${corpus.recId[i]}">${recText(corpus.text[i], o.lemmas ?? new Set(), o.morph)}</a></p>
  <p class="hit-meta">${o.score ? h`<span class="score">${o.score}</span> ` : ''}${docLine(d)} ${addresseeText(corpus, i)}
    <span class="muted">· <a href="/rec/${corpus.recId[i]}#source">${d?.source_file ?? ''}:${corpus.lineStart[i]}</a></span>
    ${themeChips(corpus, corpus.recThemes[i])}
    ${dup > 0 ? h`<a class="dup" href="/rec/${corpus.recId[i]}#near">${dupLabel(dup)}</a>` : ''}
  </p>
  ${o.extra ?? ''}
</article>`;
}

/** "3 похожих в других документах" with the right Russian plural. */
export function dupLabel(n: number): string {
  return `${fmtInt(n)} ${plural(n, 'похожая', 'похожих', 'похожих')} в других документах`;
}

export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/** Query-string pairs of a page: its own parameters, then the shared filters. */
export function pagePairs(own: [string, string | number | null | undefined][], f: Filters): [string, string | number | null | undefined][] {
  return [...own, ...filterParams(f)];
}

/** The facet sidebar: each value a link that adds or removes it; years as bars and a range form. */
export function facetSidebar(path: string, own: [string, string | number | null | undefined][], f: Filters, facets: Facet[], years: YearBar[]): Safe {
  const pairs = pagePairs(own, f);
  const toggle = (param: string, value: string, on: boolean) =>
    href(path, on ? pairs.filter(([k, v]) => !(k === param && v === value)) : [...pairs, [param, value]]);
  const withoutYears = pairs.filter(([k, v]) => k !== 'year_from' && k !== 'year_to' && k !== 'page' && v !== null && v !== undefined && v !== '');
  const maxYear = Math.max(1, ...years.map((y) => y.count));
  const yearBlock = h`<section class="facet" data-facet="year"><h3>Годы</h3>
    ${years.length ? h`<div class="yearbars" role="list">${years.map(
      (y) => h`<a role="listitem" href="${href(path, [...withoutYears, ['year_from', y.year], ['year_to', y.year]])}" title="${y.year}: ${fmtInt(y.count)}"><span style="height:${Math.max(2, Math.round((40 * y.count) / maxYear))}px"></span><small>${String(y.year).slice(2)}</small></a>`,
    )}</div>` : h`<p class="muted">нет данных о годах</p>`}
    <form method="get" action="${path}" class="yearform">
      ${withoutYears.map(([k, v]) => h`<input type="hidden" name="${k}" value="${String(v)}">`)}
      <label>с <input type="number" name="year_from" min="1900" max="2100" value="${f.yearFrom ?? ''}"></label>
      <label>по <input type="number" name="year_to" min="1900" max="2100" value="${f.yearTo ?? ''}"></label>
      <button type="submit">Применить</button>
    </form>
    ${f.yearFrom !== null || f.yearTo !== null ? h`<a class="clear" href="${href(path, withoutYears)}">× все годы</a>` : ''}
  </section>`;
  const blocks = facets.map((facet) => {
    const param = FACET_PARAMS[facet.key];
    if (facet.values.length === 0) return h``;
    return h`<section class="facet" data-facet="${param}"><h3>${facet.title}</h3><ul>
      ${facet.values.map(
        (v) => h`<li${v.selected ? h` class="on"` : ''}><a href="${toggle(param, v.value, v.selected)}" data-value="${v.value}">${v.selected ? '☑ ' : ''}${v.label}</a> <span class="count">${fmtInt(v.count)}</span></li>`,
      )}
    </ul>${facet.distinct > facet.values.length ? h`<p class="muted small">ещё ${fmtInt(facet.distinct - facet.values.length)}</p>` : ''}</section>`;
  });
  const bbox = f.bbox ? h`<section class="facet" data-facet="bbox"><h3>Область карты</h3><p>выделена на <a href="${href('/map', pairs)}">карте</a> · <a class="clear" href="${href(path, pairs.filter(([k]) => k !== 'bbox'))}">× снять</a></p></section>` : '';
  return h`<aside class="facets" aria-label="Фильтры">${bbox}${yearBlock}${blocks}</aside>`;
}

/** Links to the same list as CSV and JSON. */
export function downloads(path: string, pairs: [string, string | number | null | undefined][]): Safe {
  const base = pairs.filter(([k]) => k !== 'page' && k !== 'format');
  return h`<p class="downloads">Скачать: <a href="${href(path, [...base, ['format', 'csv']])}" download>CSV</a> · <a href="${href(path, [...base, ['format', 'json']])}">JSON</a></p>`;
}

export function pager(path: string, pairs: [string, string | number | null | undefined][], pageNo: number, total: number, size: number): Safe {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return h``;
  const base = pairs.filter(([k]) => k !== 'page');
  const link = (p: number, label: string) => h`<a href="${href(path, [...base, ['page', p === 1 ? null : p]])}">${label}</a>`;
  return h`<nav class="pager" aria-label="Страницы">${pageNo > 1 ? link(pageNo - 1, '← назад') : ''} <span>страница ${pageNo} из ${fmtInt(pages)}</span> ${pageNo < pages ? link(pageNo + 1, 'дальше →') : ''}</nav>`;
}

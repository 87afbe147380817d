/**
 * /groups — near-duplicate groups (the similar stage's star groups), sortable by size, span of years
 * and number of conferences, filtered like every other list (a group passes when one of its members
 * does); /groups/:id — every member with its match to the group's centre and a word diff from it.
 */
import type { Hono } from 'hono';
import type { RouteKit } from '../kit.js';
import type { Corpus } from '../corpus.js';
import { MATCH_KINDS } from '../corpus.js';
import { filterMask, hasFilters, href, type Filters } from '../filters.js';
import { timeKey } from '../history.js';
import { HttpProblem } from '../problem.js';
import { pageNumber } from '../params.js';
import { addresseeText, docLine, downloads, fmtInt, pagePairs, pager, plural, themeChips } from '../html/components.js';
import { h, type Safe } from '../html/h.js';
import { diffCounts, MATCH_LABELS, wordDiff } from './recommendation.js';
import { countFacets } from '../facets.js';
import { facetSidebar } from '../html/components.js';

export interface GroupSummary {
  g: number;
  id: string;
  size: number;
  documents: number;
  conferences: number;
  firstYear: number | null;
  lastYear: number | null;
  span: number;
  themes: string[];
}

const summaries = new WeakMap<Corpus, GroupSummary[]>();

/** Size, documents, conferences, years and themes of every group (computed once per snapshot). */
export function groupSummaries(c: Corpus): GroupSummary[] {
  let out = summaries.get(c);
  if (out) return out;
  out = c.groups.map((grp, g) => {
    const docs = new Set<number>();
    const confs = new Set<string>();
    const themes = new Map<string, number>();
    let first: number | null = null;
    let last: number | null = null;
    for (const i of grp.members) {
      docs.add(c.doc[i]);
      const d = c.docs[c.doc[i]];
      confs.add(d?.title ?? d?.doc_id ?? '');
      const y = c.year[i];
      if (y) {
        first = first === null ? y : Math.min(first, y);
        last = last === null ? y : Math.max(last, y);
      }
      for (const t of c.recThemes[i]) themes.set(t, (themes.get(t) ?? 0) + 1);
    }
    return {
      g,
      id: grp.id,
      size: grp.members.length,
      documents: docs.size,
      conferences: confs.size,
      firstYear: first,
      lastYear: last,
      span: first !== null && last !== null ? last - first : 0,
      // Themes of at least half the members: what the group is about.
      themes: [...themes].filter(([, n]) => n * 2 >= grp.members.length).map(([t]) => t).sort(),
    };
  });
  summaries.set(c, out);
  return out;
}

export const GROUP_SORTS = {
  size: { label: 'по размеру', key: (s: GroupSummary) => s.size },
  span: { label: 'по охвату лет', key: (s: GroupSummary) => s.span },
  conferences: { label: 'по числу конференций', key: (s: GroupSummary) => s.conferences },
  first: { label: 'по году первого появления', key: (s: GroupSummary) => -(s.firstYear ?? 9999) },
  last: { label: 'по году последнего появления', key: (s: GroupSummary) => s.lastYear ?? 0 },
} as const;
type SortKey = keyof typeof GROUP_SORTS;

function parseSort(v: string | undefined): SortKey {
  if (v === undefined || v === '') return 'size';
  if (v in GROUP_SORTS) return v as SortKey;
  throw new HttpProblem(400, 'Неизвестный порядок', `sort=${v.slice(0, 20)}: можно ${Object.keys(GROUP_SORTS).join(', ')}.`);
}

function parseMinDocs(v: string | undefined): number {
  if (v === undefined || v === '') return 2;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new HttpProblem(400, 'Неверный параметр', `min_docs=${v.slice(0, 20)}: целое число от 1.`);
  return n;
}

/** Groups with at least minDocs documents and a member passing the filters, sorted. */
export function listGroups(c: Corpus, f: Filters, sort: SortKey, minDocs: number): GroupSummary[] {
  const mask = hasFilters(f) ? filterMask(c, f) : null;
  const key = GROUP_SORTS[sort].key;
  return groupSummaries(c)
    .filter((s) => s.documents >= minDocs && (!mask || c.groups[s.g].members.some((i) => mask[i])))
    .sort((a, b) => key(b) - key(a) || b.size - a.size || (a.id < b.id ? -1 : 1));
}

function groupRow(c: Corpus, s: GroupSummary, base: string) {
  const m = c.groups[s.g].medoid;
  return {
    group_id: s.id,
    size: s.size,
    documents: s.documents,
    conferences: s.conferences,
    first_year: s.firstYear,
    last_year: s.lastYear,
    span_years: s.span,
    themes: s.themes.join(';'),
    centre_rec_id: c.recId[m],
    centre_text: c.text[m],
    centre_date: c.docs[c.doc[m]]?.date_start ?? null,
    centre_city: c.docs[c.doc[m]]?.city ?? null,
    centre_source_file: c.docs[c.doc[m]]?.source_file ?? null,
    centre_line: c.lineStart[m],
    url: `${base}/groups/${encodeURIComponent(s.id)}`,
  };
}

export function groupRoutes(app: Hono, kit: RouteKit): void {
  app.get('/groups', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const f = kit.filters(c);
    const sort = parseSort(c.req.query('sort'));
    const minDocs = parseMinDocs(c.req.query('min_docs'));
    const pageNo = pageNumber(c.req.query('page'));
    const list = listGroups(corpus, f, sort, minDocs);
    const base = kit.origin(c);
    return kit.respond(c, {
      filename: 'confrec-groups',
      rows: () => list.map((g) => groupRow(corpus, g, base)),
      page: () => ({ options: { title: 'Повторы', nav: 'groups', areas: ['duplicates'] }, body: groupsBody(corpus, list, f, sort, minDocs, pageNo) }),
    });
  });

  app.get('/groups/:id', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const g = corpus.groupIndex.get(c.req.param('id'));
    if (g === undefined) throw new HttpProblem(404, 'Группа не найдена', `Группы «${c.req.param('id').slice(0, 80)}» в текущей базе нет: группы пересчитываются при каждом запуске этапа similar. Откройте список повторов.`);
    const base = kit.origin(c);
    const members = groupMembers(corpus, g);
    return kit.respond(c, {
      filename: `confrec-group-${corpus.groups[g].id}`,
      rows: () =>
        members.map((m) => {
          const d = corpus.docs[corpus.doc[m.i]];
          return {
            rec_id: corpus.recId[m.i],
            is_centre: m.i === corpus.groups[g].medoid,
            match: m.match,
            similarity_to_centre: Number(m.similarity.toFixed(4)),
            year: corpus.year[m.i] || null,
            date: d?.date_start ?? null,
            conference: d?.title ?? null,
            city: d?.city ?? null,
            addressee: corpus.addressee[m.i],
            addressee_type: corpus.addresseeType[m.i],
            source_file: d?.source_file ?? null,
            line: corpus.lineStart[m.i],
            text: corpus.text[m.i],
            url: `${base}/rec/${corpus.recId[m.i]}`,
          };
        }),
      page: () => ({ options: { title: `Группа повторов ${corpus.groups[g].id}`, nav: 'groups', areas: ['duplicates'] }, body: groupBody(corpus, g, members) }),
    });
  });
}

interface Member {
  i: number;
  match: string;
  similarity: number;
}

/** Members in time order, each with how it matches the centre. */
export function groupMembers(c: Corpus, g: number): Member[] {
  const grp = c.groups[g];
  const centre = grp.medoid;
  const out = grp.members.map((i, k) => {
    let match = i === centre ? 'centre' : 'similar';
    for (let e = c.ndStart[i]; e < c.ndStart[i + 1]; e++) if (c.ndTo[e] === centre) match = MATCH_KINDS[c.ndMatch[e]];
    return { i, match, similarity: grp.similarity[k] };
  });
  return out.sort((a, b) => (timeKey(c, a.i) < timeKey(c, b.i) ? -1 : timeKey(c, a.i) > timeKey(c, b.i) ? 1 : a.i - b.i));
}

function groupsBody(c: Corpus, list: GroupSummary[], f: Filters, sort: SortKey, minDocs: number, pageNo: number): Safe {
  const size = 50;
  const own: [string, string | number | null][] = [['sort', sort === 'size' ? null : sort], ['min_docs', minDocs === 2 ? null : minDocs], ['page', pageNo > 1 ? pageNo : null]];
  const pairs = pagePairs(own, f);
  const shown = list.slice((pageNo - 1) * size, pageNo * size);
  const sortLink = (k: SortKey) =>
    k === sort ? h`<strong>${GROUP_SORTS[k].label}</strong>` : h`<a href="${href('/groups', pagePairs([['sort', k === 'size' ? null : k], ['min_docs', minDocs === 2 ? null : minDocs]], f))}">${GROUP_SORTS[k].label}</a>`;
  // Facet counts over the members of the listed groups.
  const relevant = new Uint8Array(c.n);
  for (const s of list) for (const i of c.groups[s.g].members) relevant[i] = 1;
  const { facets, years } = countFacets(c, f, relevant);
  return h`<div class="with-facets">
${facetSidebar('/groups', own.filter(([k]) => k !== 'page'), f, facets.filter((x) => ['theme', 'addresseeType', 'level', 'region', 'cluster'].includes(x.key)), years)}
<section>
<h1>Повторы: группы почти-дубликатов</h1>
<p class="summary">${fmtInt(list.length)} ${plural(list.length, 'группа', 'группы', 'групп')}${minDocs > 1 ? ` из ${minDocs} и более документов` : ''}. Группа — «звезда»: каждая рекомендация близка к центру группы (тот же текст, косинус выше порога или одна содержит другую).
 Порядок: ${(Object.keys(GROUP_SORTS) as SortKey[]).map((k, n) => h`${n ? ' · ' : ''}${sortLink(k)}`)}.
 ${minDocs > 1 ? h`<a href="${href('/groups', pagePairs([['sort', sort === 'size' ? null : sort], ['min_docs', 1]], f))}">показать и группы внутри одного документа</a>` : h`<a href="${href('/groups', pagePairs([['sort', sort === 'size' ? null : sort]], f))}">только группы из нескольких документов</a>`}</p>
${list.length ? downloads('/groups', pairs) : h`<p class="empty">Групп нет${hasFilters(f) ? ' с этими фильтрами' : ''}.</p>`}
${shown.length ? h`<table class="data groups"><thead><tr><th>Центр группы</th><th class="num">Рекомендаций</th><th class="num">Конференций</th><th>Годы</th><th>Темы</th></tr></thead><tbody>
${shown.map((s) => {
  const m = c.groups[s.g].medoid;
  return h`<tr><td><a href="/groups/${encodeURIComponent(s.id)}">${c.text[m].length > 180 ? c.text[m].slice(0, 179) + '…' : c.text[m]}</a></td>
  <td class="num">${fmtInt(s.size)}</td><td class="num">${fmtInt(s.conferences)}</td>
  <td>${s.firstYear ?? '—'}${s.lastYear !== s.firstYear ? `–${s.lastYear}` : ''}${s.span ? h` <span class="muted">(${s.span} ${plural(s.span, 'год', 'года', 'лет')})</span>` : ''}</td>
  <td>${themeChips(c, s.themes)}</td></tr>`;
})}
</tbody></table>` : ''}
${pager('/groups', pairs, pageNo, list.length, size)}
</section></div>`;
}

function groupBody(c: Corpus, g: number, members: Member[]): Safe {
  const grp = c.groups[g];
  const centre = grp.medoid;
  const s = groupSummaries(c)[g];
  return h`<article>
<p class="crumbs"><a href="/groups">Повторы</a> › группа ${grp.id}</p>
<h1>Группа из ${fmtInt(grp.members.length)} ${plural(grp.members.length, 'рекомендации', 'рекомендаций', 'рекомендаций')}: ${fmtInt(s.conferences)} ${plural(s.conferences, 'конференция', 'конференции', 'конференций')}${s.firstYear ? `, ${s.firstYear}${s.lastYear !== s.firstYear ? `–${s.lastYear}` : ''}` : ''}</h1>
<p>Центр группы (рекомендация, ближайшая ко всем остальным):</p>
<blockquote class="rec-text"><a href="/rec/${c.recId[centre]}">${c.text[centre]}</a></blockquote>
<p class="rec-sub">${docLine(c.docs[c.doc[centre]])} ${addresseeText(c, centre)} ${themeChips(c, c.recThemes[centre])}</p>
${downloads(`/groups/${encodeURIComponent(grp.id)}`, [])}
<p class="muted small">Члены группы по времени; различия с центром пословно: <del>нет в этой рекомендации</del>, <ins>добавлено в ней</ins>.</p>
<ol class="near">${members.map((m) => {
  const n = diffCounts(c.text[centre], c.text[m.i]);
  return h`<li class="near-item" data-rec="${c.recId[m.i]}"><p>${m.i === centre ? h`<span class="badge badge-self">центр</span>` : h`<span class="badge badge-${m.match}">${MATCH_LABELS[m.match] ?? m.match}</span> <span class="muted">${m.similarity.toFixed(3)}</span>`}
  ${docLine(c.docs[c.doc[m.i]])} ${addresseeText(c, m.i)} · <a href="/rec/${c.recId[m.i]}">открыть</a>${m.i === centre ? '' : h` <span class="muted small">(+${n.added} / −${n.dropped} слов)</span>`}</p>
  <p class="diff">${m.i === centre ? c.text[m.i] : wordDiff(c.text[centre], c.text[m.i])}</p></li>`;
})}</ol>
</article>`;
}

/**
 * /conferences — the register (filterable, sortable); /conferences/:id — a conference's metadata, its
 * recommendations by addressee, each marked new or repeated from an earlier conference;
 * /conferences/:id/text — the whole resolution with its recommendations marked; /compare?a=&b= — what
 * two conferences share (near-duplicates), what is similar (cosine ≥ the related floor) and what is
 * unique to each.
 */
import type { Hono } from 'hono';
import type { RouteKit } from '../kit.js';
import type { Corpus, DocInfo } from '../corpus.js';
import { MATCH_KINDS, vectorOf } from '../corpus.js';
import { href } from '../filters.js';
import { relatedFloor, timeKey } from '../history.js';
import { HttpProblem } from '../problem.js';
import * as Q from '../queries.js';
import { pageNumber } from '../params.js';
import { addresseeLabel } from '../../report/labels.js';
import { addresseeText, conferenceName, docLine, downloads, fmtDate, fmtInt, pager, plural, themeChips } from '../html/components.js';
import { h, type Safe } from '../html/h.js';
import { MATCH_LABELS, sourceView, wordDiff } from './recommendation.js';
import { segmentReasonRu } from '../../segment/segment.js';

/** For each recommendation, the earliest near-duplicate in a conference held before it (or -1). */
const repeatedCache = new WeakMap<Corpus, Int32Array>();
export function repeatedFrom(c: Corpus): Int32Array {
  let out = repeatedCache.get(c);
  if (out) return out;
  out = new Int32Array(c.n).fill(-1);
  const keys = Array.from({ length: c.n }, (_, i) => timeKey(c, i));
  for (let i = 0; i < c.n; i++) {
    let best = -1;
    for (let e = c.ndStart[i]; e < c.ndStart[i + 1]; e++) {
      const j = c.ndTo[e];
      if (c.doc[j] === c.doc[i] || !(keys[j] < keys[i]) || keys[j].startsWith('9999')) continue;
      if (best < 0 || keys[j] < keys[best] || (keys[j] === keys[best] && j < best)) best = j;
    }
    out[i] = best;
  }
  repeatedCache.set(c, out);
  return out;
}

interface DocStats {
  recs: number;
  repeated: number;
}

const statsCache = new WeakMap<Corpus, DocStats[]>();
function docStats(c: Corpus): DocStats[] {
  let out = statsCache.get(c);
  if (out) return out;
  const rep = repeatedFrom(c);
  out = c.docs.map(() => ({ recs: 0, repeated: 0 }));
  for (let i = 0; i < c.n; i++) {
    out[c.doc[i]].recs++;
    if (rep[i] >= 0) out[c.doc[i]].repeated++;
  }
  statsCache.set(c, out);
  return out;
}

const SORTS = {
  date: 'по дате',
  title: 'по названию',
  recs: 'по числу рекомендаций',
  repeated: 'по доле повторов',
} as const;
type SortKey = keyof typeof SORTS;

function parseSort(v: string | undefined): SortKey {
  if (!v) return 'date';
  if (v in SORTS) return v as SortKey;
  throw new HttpProblem(400, 'Неизвестный порядок', `sort=${v.slice(0, 20)}: можно ${Object.keys(SORTS).join(', ')}.`);
}

/** A document named by doc_id, doc_id prefix, file name or title; 404 with the closest names, 409 when ambiguous. */
export function resolveDoc(c: Corpus, name: string): number {
  const key = name.trim();
  if (key === '') throw new HttpProblem(400, 'Не указан документ', 'Укажите документ: его идентификатор, имя файла или название конференции.');
  const exact = c.docIndex.get(key);
  if (exact !== undefined) return exact;
  const lower = key.toLowerCase();
  const byName = c.docs.map((d, k) => [d, k] as const).filter(([d]) => d.source_file.toLowerCase() === lower || d.doc_id.startsWith(lower) || (d.title ?? '').toLowerCase() === lower);
  if (byName.length === 1) return byName[0][1];
  const list = byName.length ? byName : c.docs.map((d, k) => [d, k] as const).filter(([d]) => (d.title ?? '').toLowerCase().includes(lower) || d.source_file.toLowerCase().includes(lower));
  if (list.length === 1) return list[0][1];
  const names = list.slice(0, 8).map(([d]) => `${d.source_file} (${d.doc_id}${d.title ? `, ${d.title}` : ''})`).join('; ');
  if (list.length > 1) throw new HttpProblem(409, 'Документ указан неоднозначно', `«${key.slice(0, 80)}» подходит к ${fmtInt(list.length)} ${plural(list.length, 'документу', 'документам', 'документам')}: ${names}${list.length > 8 ? '…' : ''}. Укажите идентификатор.`);
  throw new HttpProblem(404, 'Документ не найден', `В текущей базе нет документа «${key.slice(0, 80)}». Откройте реестр конференций и выберите документ там.`);
}

function docRow(d: DocInfo, st: DocStats, base: string) {
  return {
    doc_id: d.doc_id,
    title: d.title,
    kind: d.kind,
    level: d.level,
    date_start: d.date_start,
    year: d.year,
    city: d.city,
    region: d.region,
    participants: d.participants,
    format: d.format,
    organizer: d.organizer,
    recommendations: st.recs,
    repeated_from_earlier: st.repeated,
    source_file: d.source_file,
    url: `${base}/conferences/${d.doc_id}`,
  };
}

export function conferenceRoutes(app: Hono, kit: RouteKit): void {
  app.get('/conferences', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const f = kit.filters(c);
    const sort = parseSort(c.req.query('sort'));
    const q = (c.req.query('q') ?? '').trim().toLowerCase().slice(0, 200);
    const pageNo = pageNumber(c.req.query('page'));
    const stats = docStats(corpus);
    const levels = new Set(f.level);
    const regions = new Set(f.region);
    // A file saved twice (the same bytes at another path: copy_of, README «Versions») is one resolution:
    // listed once, under the first path, with the number of its copies.
    const copies = copiesOf(corpus);
    const ks = corpus.docs
      .map((_, k) => k)
      .filter((k) => {
        const d = corpus.docs[k];
        if (d.copy_of !== null) return false;
        if (f.yearFrom !== null && (d.year === null || d.year < f.yearFrom)) return false;
        if (f.yearTo !== null && (d.year === null || d.year > f.yearTo)) return false;
        if (levels.size && !levels.has(d.level ?? '~')) return false;
        if (regions.size && !regions.has(d.region ?? '~')) return false;
        if (q && !`${d.title ?? ''} ${d.source_file} ${d.city ?? ''} ${d.organizer ?? ''}`.toLowerCase().includes(q)) return false;
        return true;
      });
    const date = (k: number) => corpus.docs[k].date_start ?? (corpus.docs[k].year ? `${corpus.docs[k].year}` : '');
    const share = (k: number) => (stats[k].recs ? stats[k].repeated / stats[k].recs : 0);
    ks.sort((a, b) => {
      const da = corpus.docs[a];
      const db = corpus.docs[b];
      switch (sort) {
        case 'title':
          return (da.title ?? da.source_file).localeCompare(db.title ?? db.source_file, 'ru') || a - b;
        case 'recs':
          return stats[b].recs - stats[a].recs || a - b;
        case 'repeated':
          return share(b) - share(a) || a - b;
        default:
          return date(b).localeCompare(date(a)) || a - b;
      }
    });
    const base = kit.origin(c);
    return kit.respond(c, {
      filename: 'confrec-conferences',
      rows: () => ks.map((k) => ({ ...docRow(corpus.docs[k], stats[k], base), copies: copies.get(corpus.docs[k].doc_id) ?? 0 })),
      page: () => ({ options: { title: 'Конференции', nav: 'conferences', areas: ['duplicates'] }, body: registerBody(corpus, ks, stats, sort, c.req.query('q') ?? '', pageNo, f, copies) }),
    });
  });

  app.get('/conferences/:id', async (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const k = corpus.docIndex.get(c.req.param('id'));
    if (k === undefined) throw new HttpProblem(404, 'Конференция не найдена', `Документа «${c.req.param('id').slice(0, 80)}» в текущей базе нет. Откройте реестр конференций.`);
    const recs = recsOf(corpus, k);
    const rep = repeatedFrom(corpus);
    const status = await s.sql((st) => st.one<{ flagged: boolean; reason: string | null }>(Q.SEGMENT_STATUS, [corpus.docs[k].doc_id]));
    const base = kit.origin(c);
    return kit.respond(c, {
      filename: `confrec-${corpus.docs[k].doc_id}`,
      rows: () =>
        recs.map((i) => {
          const from = rep[i];
          const df = from >= 0 ? corpus.docs[corpus.doc[from]] : null;
          return {
            seq: corpus.seq[i],
            rec_id: corpus.recId[i],
            addressee_type: corpus.addresseeType[i],
            addressee: corpus.addressee[i],
            text: corpus.text[i],
            themes: corpus.recThemes[i].join(';'),
            status: from >= 0 ? 'repeated' : 'new',
            first_seen_rec_id: from >= 0 ? corpus.recId[from] : null,
            first_seen_conference: df?.title ?? null,
            first_seen_date: df?.date_start ?? (from >= 0 ? corpus.year[from] || null : null),
            date: corpus.docs[k].date_start,
            city: corpus.docs[k].city,
            source_file: corpus.docs[k].source_file,
            line: corpus.lineStart[i],
            url: `${base}/rec/${corpus.recId[i]}`,
          };
        }),
      json: () => ({ document: corpus.docs[k], flagged: status?.flagged ?? false, reason: status?.reason ?? null, recommendations: recs.length }),
      page: () => ({ options: { title: conferenceName(corpus.docs[k]), nav: 'conferences', areas: ['duplicates'] }, body: conferenceBody(corpus, k, recs, status ?? null) }),
    });
  });

  app.get('/conferences/:id/text', async (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const k = corpus.docIndex.get(c.req.param('id'));
    if (k === undefined) throw new HttpProblem(404, 'Конференция не найдена', `Документа «${c.req.param('id').slice(0, 80)}» в текущей базе нет.`);
    const text = (await s.sql((st) => st.scalar<string | null>(Q.DOCUMENT_TEXT, [corpus.docs[k].doc_id]))) ?? '';
    const d = corpus.docs[k];
    return kit.html(c, { title: `Текст: ${conferenceName(d)}`, nav: 'conferences' }, h`<p class="crumbs"><a href="/conferences">Конференции</a> › <a href="/conferences/${d.doc_id}">${conferenceName(d)}</a> › текст</p>
<h1>${d.source_file}</h1><p class="muted">${d.source_path} · рекомендации подчёркнуты и ведут на свои страницы</p>${sourceView(corpus, -1, text, k)}`);
  });

  app.get('/compare', (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const a = resolveDoc(corpus, c.req.query('a') ?? '');
    const b = resolveDoc(corpus, c.req.query('b') ?? '');
    const cmp = compareConferences(corpus, a, b);
    const base = kit.origin(c);
    // Where each side's recommendation comes from: file and line, date and city of its conference.
    const side = (p: 'a' | 'b', recId: string | null) => {
      const i = recId === null ? undefined : corpus.recIndex.get(recId);
      const d = i === undefined ? undefined : corpus.docs[corpus.doc[i]];
      return { [`${p}_source_file`]: d?.source_file ?? null, [`${p}_line`]: i === undefined ? null : corpus.lineStart[i], [`${p}_date`]: d?.date_start ?? null, [`${p}_city`]: d?.city ?? null };
    };
    return kit.respond(c, {
      filename: `confrec-compare-${corpus.docs[a].doc_id}-${corpus.docs[b].doc_id}`,
      rows: () => [
        ...cmp.pairs.map((p) => ({ relation: p.kind === 'related' ? 'similar' : 'shared', match: p.kind, similarity: Number(p.similarity.toFixed(4)), a_rec_id: corpus.recId[p.a], a_text: corpus.text[p.a], b_rec_id: corpus.recId[p.b], b_text: corpus.text[p.b] })),
        ...cmp.onlyA.map((i) => ({ relation: 'only_a', match: null, similarity: null, a_rec_id: corpus.recId[i], a_text: corpus.text[i], b_rec_id: null, b_text: null })),
        ...cmp.onlyB.map((i) => ({ relation: 'only_b', match: null, similarity: null, a_rec_id: null, a_text: null, b_rec_id: corpus.recId[i], b_text: corpus.text[i] })),
      ]
        .map((r) => ({ ...r, ...side('a', r.a_rec_id), ...side('b', r.b_rec_id) }))
        .map((r) => ({ ...r, url: `${base}/compare?a=${corpus.docs[a].doc_id}&b=${corpus.docs[b].doc_id}` })),
      page: () => ({ options: { title: 'Сравнение конференций', nav: 'conferences', areas: ['duplicates'] }, body: compareBody(corpus, a, b, cmp) }),
    });
  });
}

function recsOf(c: Corpus, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.n; i++) if (c.doc[i] === k) out.push(i);
  return out.sort((x, y) => c.seq[x] - c.seq[y]);
}

export interface ConferenceComparison {
  /** One-to-one pairs: near-duplicates (shared) first, then related ones (similar). */
  pairs: { a: number; b: number; kind: string; similarity: number }[];
  onlyA: number[];
  onlyB: number[];
  floor: number;
}

/** Shared (near-duplicate pairs of the similar stage), similar (cosine ≥ related floor), unique; matched one to one, best first. */
export function compareConferences(c: Corpus, a: number, b: number): ConferenceComparison {
  const ra = recsOf(c, a);
  const rb = recsOf(c, b);
  const inB = new Set(rb);
  const floor = relatedFloor(c.embedding?.id ?? null);
  const candidates: { a: number; b: number; kind: string; similarity: number; tier: number }[] = [];
  for (const i of ra) {
    const near = new Set<number>();
    for (let e = c.ndStart[i]; e < c.ndStart[i + 1]; e++) {
      const j = c.ndTo[e];
      if (!inB.has(j)) continue;
      near.add(j);
      candidates.push({ a: i, b: j, kind: MATCH_KINDS[c.ndMatch[e]], similarity: c.ndSimilarity[e], tier: 0 });
    }
    const vi = vectorOf(c, i);
    if (!vi) continue;
    for (const j of rb) {
      if (near.has(j)) continue;
      const vj = vectorOf(c, j);
      if (!vj) continue;
      let s = 0;
      for (let d = 0; d < c.dim; d++) s += vi[d] * vj[d];
      if (s >= floor) candidates.push({ a: i, b: j, kind: 'related', similarity: s, tier: 1 });
    }
  }
  candidates.sort((x, y) => x.tier - y.tier || y.similarity - x.similarity || c.seq[x.a] - c.seq[y.a] || c.seq[x.b] - c.seq[y.b]);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: ConferenceComparison['pairs'] = [];
  for (const p of candidates) {
    if (usedA.has(p.a) || usedB.has(p.b)) continue;
    usedA.add(p.a);
    usedB.add(p.b);
    pairs.push({ a: p.a, b: p.b, kind: p.kind, similarity: p.similarity });
  }
  pairs.sort((x, y) => (x.kind === 'related' ? 1 : 0) - (y.kind === 'related' ? 1 : 0) || c.seq[x.a] - c.seq[y.a]);
  return { pairs, onlyA: ra.filter((i) => !usedA.has(i)), onlyB: rb.filter((i) => !usedB.has(i)), floor };
}

/** Copies (documents with copy_of) of each first document, by its doc_id. */
function copiesOf(c: Corpus): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of c.docs) if (d.copy_of !== null) out.set(d.copy_of, (out.get(d.copy_of) ?? 0) + 1);
  return out;
}

function registerBody(c: Corpus, ks: number[], stats: DocStats[], sort: SortKey, rawQ: string, pageNo: number, f: ReturnType<RouteKit['filters']>, copies: Map<string, number>): Safe {
  const size = 100;
  const own: [string, string | number | null][] = [['q', rawQ || null], ['sort', sort === 'date' ? null : sort], ['page', pageNo > 1 ? pageNo : null]];
  const filterPairs: [string, string | number | null][] = [
    ['year_from', f.yearFrom],
    ['year_to', f.yearTo],
    ...f.level.map((l): [string, string] => ['level', l]),
    ...f.region.map((r): [string, string] => ['region', r]),
  ];
  const pairs = [...own, ...filterPairs];
  const shown = ks.slice((pageNo - 1) * size, pageNo * size);
  const levels = [...new Set(c.docs.map((d) => d.level).filter((x): x is string => !!x))].sort();
  return h`<h1>Конференции</h1>
<form class="toolbar" method="get" action="/conferences">
  <label>Название, файл, город: <input type="search" name="q" value="${rawQ}"></label>
  <label>Уровень: <select name="level"><option value="">все</option>${levels.map((l) => h`<option${f.level.includes(l) ? h` selected` : ''}>${l}</option>`)}</select></label>
  <label>Годы: <input type="number" name="year_from" min="1900" max="2100" value="${f.yearFrom ?? ''}" style="width:80px"> – <input type="number" name="year_to" min="1900" max="2100" value="${f.yearTo ?? ''}" style="width:80px"></label>
  <input type="hidden" name="sort" value="${sort}">
  <button type="submit">Показать</button>
</form>
<p class="summary">${fmtInt(ks.length)} ${plural(ks.length, 'документ', 'документа', 'документов')}${copies.size ? ' (файл, сохранённый в базе дважды, показан один раз)' : ''}. «Повторы» — рекомендации, у которых есть почти-дубликат на более ранней конференции. Порядок: ${(Object.keys(SORTS) as SortKey[]).map(
    (k, n) => h`${n ? ' · ' : ''}${k === sort ? h`<strong>${SORTS[k]}</strong>` : h`<a href="${href('/conferences', [['q', rawQ || null], ['sort', k === 'date' ? null : k], ...filterPairs])}">${SORTS[k]}</a>`}`,
  )}</p>
${downloads('/conferences', pairs)}
<table class="data"><thead><tr><th>Конференция</th><th>Дата</th><th>Уровень</th><th>Регион</th><th class="num">Рекомендаций</th><th class="num">Повторов</th><th>Файл</th></tr></thead><tbody>
${shown.map((k) => {
  const d = c.docs[k];
  const st = stats[k];
  return h`<tr><td><a href="/conferences/${d.doc_id}">${conferenceName(d)}</a></td><td>${fmtDate(d.date_start) ?? d.year ?? '—'}</td><td>${d.level ?? '—'}</td><td>${d.region ?? '—'}</td>
  <td class="num">${fmtInt(st.recs)}</td><td class="num">${st.recs ? `${fmtInt(st.repeated)} (${Math.round((100 * st.repeated) / st.recs)}%)` : '—'}</td><td class="muted">${d.source_file}${copies.get(d.doc_id) ? h` <span class="small">(+${fmtInt(copies.get(d.doc_id)!)} ${plural(copies.get(d.doc_id)!, 'копия', 'копии', 'копий')})</span>` : ''}</td></tr>`;
})}
</tbody></table>
${pager('/conferences', pairs, pageNo, ks.length, size)}`;
}

function conferenceBody(c: Corpus, k: number, recs: number[], status: { flagged: boolean; reason: string | null } | null): Safe {
  const d = c.docs[k];
  const rep = repeatedFrom(c);
  const repeated = recs.filter((i) => rep[i] >= 0).length;
  const byAddressee = new Map<string, number[]>();
  for (const i of recs) {
    const key = c.addressee[i] ?? addresseeLabel(c.addresseeType[i]);
    (byAddressee.get(key) ?? byAddressee.set(key, []).get(key)!).push(i);
  }
  const field = (label: string, v: string | number | null) => (v === null || v === '' ? '' : h`<dt>${label}</dt><dd>${v}</dd>`);
  return h`<article>
<p class="crumbs"><a href="/conferences">Конференции</a> › ${d.source_file}</p>
<h1>${conferenceName(d)}</h1>
<dl class="meta">
${field('Вид', d.kind)}${field('Уровень', d.level)}${field('Дата', [fmtDate(d.date_start), fmtDate(d.date_end)].filter(Boolean).join(' – ') || (d.year ? String(d.year) : null))}
${field('Место', [d.city, d.region].filter(Boolean).join(', '))}${field('Участников', d.participants)}${field('Формат', d.format)}${field('Организатор', d.organizer)}
<dt>Файл</dt><dd>${d.source_file} <span class="muted">(${d.source_path})</span> · <a href="/conferences/${d.doc_id}/text">полный текст</a></dd>
<dt>Идентификатор</dt><dd><code>${d.doc_id}</code></dd>
${d.copy_of ? h`<dt>Копия</dt><dd>тот же файл, что <a href="/conferences/${d.copy_of}">${c.docs[c.docIndex.get(d.copy_of) ?? -1]?.source_path ?? d.copy_of}</a>: его рекомендации повторяют рекомендации того документа</dd>` : ''}
</dl>
${status?.flagged ? h`<p class="note note-warn">В документе не найдено ни одной рекомендации${status.reason ? `: ${segmentReasonRu(status.reason)}` : ''}.</p>` : ''}
<p class="summary">${fmtInt(recs.length)} ${plural(recs.length, 'рекомендация', 'рекомендации', 'рекомендаций')}: <span class="badge badge-repeated">повторы</span> ${fmtInt(repeated)} — уже предлагались на более ранних конференциях, <span class="badge badge-new">новые</span> ${fmtInt(recs.length - repeated)}.</p>
<form class="toolbar" method="get" action="/compare"><input type="hidden" name="a" value="${d.doc_id}">
  <label>Сравнить с другой конференцией: <input name="b" placeholder="идентификатор, имя файла или название" size="40" required></label><button type="submit">Сравнить</button></form>
${downloads(`/conferences/${d.doc_id}`, [])}
${[...byAddressee].map(
  ([who, list]) => h`<section><h2>${who} <span class="muted small">(${fmtInt(list.length)})</span></h2><ol class="hits">${list.map((i) => {
    const from = rep[i];
    return h`<li value="${c.seq[i]}"><p class="hit-text"><a href="/rec/${c.recId[i]}">${c.text[i]}</a></p><p class="hit-meta">${
      from >= 0
        ? h`<span class="badge badge-repeated">повтор</span> впервые: <a href="/rec/${c.recId[from]}">${conferenceName(c.docs[c.doc[from]])}${c.year[from] ? `, ${c.year[from]}` : ''}</a>`
        : h`<span class="badge badge-new">новое</span>`
    } ${themeChips(c, c.recThemes[i])}</p></li>`;
  })}</ol></section>`,
)}
</article>`;
}

function compareBody(c: Corpus, a: number, b: number, cmp: ConferenceComparison): Safe {
  const shared = cmp.pairs.filter((p) => p.kind !== 'related');
  const similar = cmp.pairs.filter((p) => p.kind === 'related');
  const da = c.docs[a];
  const db = c.docs[b];
  const pairList = (list: typeof cmp.pairs) =>
    h`<ol class="near">${list.map(
      (p) => h`<li class="near-item"><p><span class="badge badge-${p.kind}">${MATCH_LABELS[p.kind]}</span> <span class="muted">${p.similarity.toFixed(3)}</span> A: <a href="/rec/${c.recId[p.a]}">№${c.seq[p.a]}</a> ${addresseeText(c, p.a)} ↔ B: <a href="/rec/${c.recId[p.b]}">№${c.seq[p.b]}</a> ${addresseeText(c, p.b)}</p><p class="diff">${wordDiff(c.text[p.a], c.text[p.b])}</p></li>`,
    )}</ol>`;
  const only = (list: number[]) => h`<ol class="hits">${list.map((i) => h`<li value="${c.seq[i]}"><a href="/rec/${c.recId[i]}">${c.text[i]}</a> <span class="muted small">${c.addressee[i] ?? ''}</span></li>`)}</ol>`;
  return h`<article>
<p class="crumbs"><a href="/conferences">Конференции</a> › сравнение</p>
<h1>Сравнение конференций</h1>
<dl class="meta"><dt>A</dt><dd>${docLine(da)}</dd><dt>B</dt><dd>${docLine(db)}</dd></dl>
<div class="verdicts"><div>общие: <strong>${fmtInt(shared.length)}</strong></div><div>похожие: <strong>${fmtInt(similar.length)}</strong></div><div>только в A: <strong>${fmtInt(cmp.onlyA.length)}</strong></div><div>только в B: <strong>${fmtInt(cmp.onlyB.length)}</strong></div></div>
${downloads('/compare', [['a', da.doc_id], ['b', db.doc_id]])}
<section><h2>Общие (почти-дубликаты)</h2>${shared.length ? pairList(shared) : h`<p class="muted">нет</p>`}<p class="muted small">Различия: <del>только в A</del>, <ins>только в B</ins>.</p></section>
<section><h2>Похожие по смыслу (косинус ≥ ${cmp.floor.toFixed(2)})</h2>${similar.length ? pairList(similar) : h`<p class="muted">нет</p>`}</section>
<div class="compare-cols"><section><h2>Только в A</h2>${cmp.onlyA.length ? only(cmp.onlyA) : h`<p class="muted">нет</p>`}</section><section><h2>Только в B</h2>${cmp.onlyB.length ? only(cmp.onlyB) : h`<p class="muted">нет</p>`}</section></div>
</article>`;
}


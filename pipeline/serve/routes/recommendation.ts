/**
 * /rec/:id — a recommendation in its source document (scrolled to and highlighted), its metadata,
 * theme scores and cluster, its near-duplicates with a word-level diff against each, and its history
 * on a timeline.
 */
import { diffWords } from 'diff';
import type { Hono } from 'hono';
import { addresseeLabel, shortThemeLabel } from '../../report/labels.js';
import type { RouteKit } from '../kit.js';
import type { Corpus } from '../corpus.js';
import { elsewhere } from '../corpus.js';
import { historyOf, nearDuplicatesOf, type History, type HistoryEntry } from '../history.js';
import { HttpProblem } from '../problem.js';
import { offsetConverter } from '../../text/offsets.js';
import * as Q from '../queries.js';
import type { Snapshot } from '../snapshot.js';
import { addresseeText, conferenceName, docLine, downloads, fmtDate, fmtInt, plural, themeChips } from '../html/components.js';
import { h, type Safe } from '../html/h.js';

export const MATCH_LABELS: Record<string, string> = {
  identical: 'тот же текст',
  similar: 'близкая формулировка',
  contained: 'одна содержит другую',
  related: 'близко по смыслу',
  self: 'эта рекомендация',
};

/** Near-duplicates shown with a word diff on the recommendation page (the rest with their text). */
export const MAX_DIFFS = 25;

export function recIndexOr404(corpus: Corpus, id: string): number {
  const i = corpus.recIndex.get(id);
  if (i === undefined) {
    throw new HttpProblem(
      404,
      'Рекомендация не найдена',
      `В текущей базе нет рекомендации с идентификатором «${id.slice(0, 80)}». Возможно, документ изменился и был разобран заново: найдите её через поиск.`,
    );
  }
  return i;
}

/** Word-level differences of b against a: what was dropped (del), added (ins); a deletion next to an insertion is a rewording. */
export function wordDiff(a: string, b: string): Safe {
  const parts = diffWords(a, b);
  return h`${parts.map((p) => (p.added ? h`<ins>${p.value}</ins>` : p.removed ? h`<del>${p.value}</del>` : p.value))}`;
}

export function diffCounts(a: string, b: string): { added: number; dropped: number } {
  let added = 0;
  let dropped = 0;
  for (const p of diffWords(a, b)) {
    const words = p.value.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w)).length;
    if (p.added) added += words;
    else if (p.removed) dropped += words;
  }
  return { added, dropped };
}

function yearOf(corpus: Corpus, i: number): string {
  return corpus.year[i] ? String(corpus.year[i]) : 'год не указан';
}

export function historySentence(corpus: Corpus, i: number, hist: History): string {
  if (hist.repeats === 0) {
    return hist.related
      ? `Почти-дубликатов в других документах нет; близких по смыслу рекомендаций — ${fmtInt(hist.related)}.`
      : 'Почти-дубликатов и близких по смыслу рекомендаций в других документах нет.';
  }
  const who = (j: number) => {
    const d = corpus.docs[corpus.doc[j]];
    const addr = corpus.addressee[j] ?? addresseeLabel(corpus.addresseeType[j]);
    return `«${conferenceName(d)}», адресат: ${addr}`;
  };
  const first = hist.first!.i;
  const last = hist.last!.i;
  const times = `${fmtInt(hist.repeats)} ${plural(hist.repeats, 'раз', 'раза', 'раз')}`;
  return (
    `Впервые предложено в ${yearOf(corpus, first)}${corpus.year[first] ? ' году' : ''} (${who(first)}), ` +
    `повторено ${times} в других документах, последний раз — в ${yearOf(corpus, last)}${corpus.year[last] ? ' году' : ''} (${who(last)}).` +
    (hist.related ? ` Ещё ${fmtInt(hist.related)} — близкие по смыслу.` : '')
  );
}

function timeline(corpus: Corpus, hist: History): Safe {
  const byYear = new Map<string, HistoryEntry[]>();
  for (const e of hist.entries) {
    const y = yearOf(corpus, e.i);
    (byYear.get(y) ?? byYear.set(y, []).get(y)!).push(e);
  }
  return h`<ol class="timeline">${[...byYear].map(
    ([year, list]) => h`<li><span class="tl-year">${year}</span><ul>${list.map((e) => {
      const d = corpus.docs[corpus.doc[e.i]];
      return h`<li class="tl-${e.kind}"><span class="badge badge-${e.kind}">${MATCH_LABELS[e.kind]}</span>${e.kind === 'self' ? '' : h` <span class="muted">${e.similarity.toFixed(2)}</span>`}
        <a href="/rec/${corpus.recId[e.i]}">${corpus.text[e.i].length > 140 ? corpus.text[e.i].slice(0, 139) + '…' : corpus.text[e.i]}</a>
        <br><span class="muted">${conferenceName(d)}${d?.date_start ? ` · ${fmtDate(d.date_start)}` : ''}</span> ${addresseeText(corpus, e.i)}</li>`;
    })}</ul></li>`,
  )}</ol>`;
}

/** The document text with every recommendation of it marked, this one highlighted. */
export function sourceView(corpus: Corpus, i: number, text: string, docK = corpus.doc[i]): Safe {
  const units = offsetConverter(text);
  const unit = (cp: number) => Math.max(0, Math.min(text.length, units.toUtf16(cp)));
  const recs: number[] = [];
  for (let j = 0; j < corpus.n; j++) if (corpus.doc[j] === docK) recs.push(j);
  recs.sort((a, b) => corpus.charStart[a] - corpus.charStart[b]);
  const parts: Safe[] = [];
  let at = 0;
  for (const j of recs) {
    const s = unit(corpus.charStart[j]);
    const e = unit(corpus.charEnd[j]);
    if (s < at || e <= s) continue;
    parts.push(h`${text.slice(at, s)}`);
    parts.push(
      j === i
        ? h`<mark id="hl" class="current" tabindex="-1">${text.slice(s, e)}</mark>`
        : h`<a class="other-rec" href="/rec/${corpus.recId[j]}#source" title="рекомендация №${corpus.seq[j]}">${text.slice(s, e)}</a>`,
    );
    at = e;
  }
  parts.push(h`${text.slice(at)}`);
  return h`<pre class="doc-text" id="doc-text">${parts}</pre>`;
}

interface ThemeScoreRow {
  theme_id: string;
  label_ru: string;
  score: number;
  lexical: number;
  similarity: number | null;
  matched: string | null;
  assigned: boolean;
}

async function recData(s: Snapshot, i: number) {
  const c = s.corpus;
  const d = c.docs[c.doc[i]];
  const [text, scores, cluster] = await s.sql(async (st) => [
    await st.scalar<string | null>(Q.DOCUMENT_TEXT, [d.doc_id]),
    await st.all<ThemeScoreRow>(Q.REC_THEME_SCORES, [c.recId[i]]),
    c.cluster[i] >= 0 ? await st.one<{ cluster_id: number; label: string; size: number }>(Q.CLUSTER_DETAIL, [c.cluster[i]]) : undefined,
  ] as const);
  // Near-duplicates in the same document stay; a copy (copy_of) of a document is not listed again.
  const near = nearDuplicatesOf(c, i).filter((e) => c.doc[e.i] === c.doc[i] || elsewhere(c, i, e.i));
  const hist = historyOf(c, i);
  return { d, text: text ?? '', scores, cluster, near, hist };
}

function entryRow(c: Corpus, e: HistoryEntry, base: string) {
  const d = c.docs[c.doc[e.i]];
  return {
    kind: e.kind,
    similarity: Number(e.similarity.toFixed(4)),
    rec_id: c.recId[e.i],
    year: c.year[e.i] || null,
    date: d?.date_start ?? null,
    conference: d?.title ?? null,
    city: d?.city ?? null,
    addressee_type: c.addresseeType[e.i],
    addressee: c.addressee[e.i],
    source_file: d?.source_file ?? null,
    line: c.lineStart[e.i],
    text: c.text[e.i],
    url: `${base}/rec/${c.recId[e.i]}`,
  };
}

export function recommendationRoutes(app: Hono, kit: RouteKit): void {
  app.get('/rec/:id', async (c) => {
    const s = kit.snapshot();
    const corpus = s.corpus;
    const i = recIndexOr404(corpus, c.req.param('id'));
    const data = await recData(s, i);
    const base = kit.origin(c);
    return kit.respond(c, {
      filename: `confrec-${corpus.recId[i]}-history`,
      rows: () => data.hist.entries.map((e) => entryRow(corpus, e, base)),
      json: () => ({
        rec_id: corpus.recId[i],
        text: corpus.text[i],
        doc_id: data.d.doc_id,
        conference: data.d.title,
        date: data.d.date_start,
        year: corpus.year[i] || null,
        level: data.d.level,
        region: data.d.region,
        addressee: corpus.addressee[i],
        addressee_type: corpus.addresseeType[i],
        verb: corpus.verb[i],
        source_file: data.d.source_file,
        line_start: corpus.lineStart[i],
        line_end: corpus.lineEnd[i],
        char_start: corpus.charStart[i],
        char_end: corpus.charEnd[i],
        themes: corpus.recThemes[i],
        theme_scores: data.scores,
        cluster: data.cluster ?? null,
        near_duplicates: data.near.map((e) => entryRow(corpus, e, base)),
        history: {
          summary: historySentence(corpus, i, data.hist),
          repeats: data.hist.repeats,
          related: data.hist.related,
          related_floor: data.hist.relatedFloor,
          entries: data.hist.entries.map((e) => entryRow(corpus, e, base)),
        },
      }),
      page: () => ({ options: { title: `Рекомендация ${corpus.recId[i]}`, nav: 'search', areas: ['themes', 'clusters', 'duplicates'], scripts: ['rec.js'] }, body: recBody(s, i, data) }),
    });
  });
}

function recBody(s: Snapshot, i: number, data: Awaited<ReturnType<typeof recData>>): Safe {
  const c = s.corpus;
  const d = data.d;
  const maxScore = Math.max(0.01, ...data.scores.map((x) => x.score));
  const near = data.near;
  return h`<article class="rec-page"><div class="rec-grid"><div class="rec-main">
<p class="crumbs"><a href="/search">Поиск</a> › <a href="/conferences/${d.doc_id}">${conferenceName(d)}</a> › рекомендация №${c.seq[i]}</p>
<h1 class="rec-title">Рекомендация №${c.seq[i]} · ${conferenceName(d)}${c.year[i] ? `, ${c.year[i]}` : ''}</h1>
<blockquote class="rec-text">${c.text[i]}</blockquote>
<p class="rec-sub">${docLine(d)} ${addresseeText(c, i)} ${themeChips(c, c.recThemes[i])}</p>
<dl class="meta">
  <dt>Адресат</dt><dd>${c.addressee[i] ?? '—'} <span class="muted">(${addresseeLabel(c.addresseeType[i])})</span></dd>
  <dt>Глагол</dt><dd>${c.verb[i] ?? '—'}</dd>
  <dt>Источник</dt><dd><a href="#source">${d.source_file}</a>, строки ${c.lineStart[i]}–${c.lineEnd[i]}, символы ${c.charStart[i]}–${c.charEnd[i]} <span class="muted">(${d.source_path})</span></dd>
  <dt>Кластер</dt><dd>${data.cluster ? h`<a href="/search?cluster=${data.cluster.cluster_id}">№${data.cluster.cluster_id}: ${data.cluster.label}</a> <span class="muted">(${fmtInt(data.cluster.size)} ${plural(data.cluster.size, 'рекомендация', 'рекомендации', 'рекомендаций')})</span>` : '—'}</dd>
  <dt>Идентификатор</dt><dd><code>${c.recId[i]}</code></dd>
</dl>

<section id="themes"><h2>Темы</h2>
${data.scores.length === 0 ? h`<p class="muted">Темы ещё не посчитаны (<code>confrec themes</code>).</p>` : h`<table class="scores"><thead><tr><th>Тема</th><th>Оценка</th><th>Слова темы в тексте</th></tr></thead><tbody>
${data.scores.map((t) => h`<tr${t.assigned ? h` class="assigned"` : ''}><td>${t.assigned ? '✓ ' : ''}${shortThemeLabel(t.label_ru, 48)}</td><td><span class="bar" style="width:${Math.round((80 * t.score) / maxScore)}px"></span> ${t.score.toFixed(2)}</td><td class="muted">${t.matched ?? ''}</td></tr>`)}
</tbody></table><p class="muted small">✓ — тема присвоена (оценка выше порога, откалиброванного для модели).</p>`}
</section>

<section id="near"><h2>Почти-дубликаты: ${fmtInt(near.length)}</h2>
${near.length === 0 ? h`<p class="muted">Почти-дубликатов нет: ни одна рекомендация не совпадает с этой по тексту, не близка к ней по смыслу (косинус ≥ ${s.nearDuplicateThreshold.toFixed(3)}) и не содержит её (или не содержится в ней).</p>` : h`<p class="muted small">Различия пословно: <del>выпало</del>, <ins>добавлено</ins> (выпавшее рядом с добавленным — переформулировка) — относительно этой рекомендации.</p>
<ol class="near">${near.map((e, k) => {
  // Word diffs cost about a millisecond each; a stock phrase can have hundreds of near-duplicates.
  const n = k < MAX_DIFFS ? diffCounts(c.text[i], c.text[e.i]) : null;
  return h`<li class="near-item" data-rec="${c.recId[e.i]}"><p><span class="badge badge-${e.kind}">${MATCH_LABELS[e.kind]}</span> <span class="muted">${e.similarity.toFixed(3)}</span> ${docLine(c.docs[c.doc[e.i]])} ${addresseeText(c, e.i)} · <a href="/rec/${c.recId[e.i]}">открыть</a>${n ? h` <span class="muted small">(+${n.added} / −${n.dropped} слов)</span>` : ''}</p>
  <p class="diff">${n ? wordDiff(c.text[i], c.text[e.i]) : c.text[e.i]}</p></li>`;
})}</ol>${near.length > MAX_DIFFS ? h`<p class="muted small">Пословные различия показаны для первых ${MAX_DIFFS}.</p>` : ''}`}
</section>

<section id="history"><h2>История предложения</h2>
<p class="history-summary">${historySentence(c, i, data.hist)}</p>
${downloads(`/rec/${c.recId[i]}`, [])}
${timeline(c, data.hist)}
<p class="muted small">В историю входят почти-дубликаты из других документов и рекомендации, близкие по смыслу (косинус ≥ ${data.hist.relatedFloor.toFixed(2)}), не больше 100.</p>
</section>

</div>
<aside class="rec-source"><section id="source"><h2>В тексте документа</h2>
<p class="muted small">${d.source_file}: выделена эта рекомендация (строки ${c.lineStart[i]}–${c.lineEnd[i]}); остальные рекомендации документа подчёркнуты и ведут на свои страницы. <a href="#hl">К выделенному</a> · <a href="/conferences/${d.doc_id}/text">весь текст</a></p>
${sourceView(c, i, data.text)}
</section></aside></div>
</article>`;
}

/**
 * «Что предлагают снова и снова»: recurring proposals (pipeline/recurring) — the same proposal in at
 * least three conferences over at least three years — as timeline strips, a computed takeaway, a
 * table with addressees, and per conference how much of it repeats earlier conferences. Pure.
 */
import * as Plot from '@observablehq/plot';
import { render, CHART_WIDTH, type Chart } from './charts.js';
import { LIMITS, type CitedRec, type RecurringRow, type NoveltyYear, type ReportData } from './data.js';
import { docHref, esc, figure, more, recRef, table, type SectionHtml } from './html.js';
import { truncate, wrapLabel } from './labels.js';
import { WORDS, count, formatInt, formatPercent, plural, sentence, yearSpan } from './russian.js';
import { MIN_DOCS_PER_YEAR } from './takeaways.js';

/** The shown formulation of a proposal: its medoid's text, short. */
function proposalText(p: RecurringRow, cited: ReadonlyMap<string, CitedRec>, max = 70): string {
  return truncate(cited.get(p.medoid_rec_id)?.text ?? p.proposal_id, max);
}

/** One strip per proposal: a rule from its first to its last year, a dot in each year sized by how often. */
export function recurringTimelineChart(rows: readonly RecurringRow[], cited: ReadonlyMap<string, CitedRec>): Chart | null {
  if (rows.length === 0) return null;
  const labelOf = new Map(rows.map((p, i) => [p.proposal_id, wrapLabel(`${i + 1}. ${proposalText(p, cited, 64)}`, 38, 2)]));
  const dots = rows.flatMap((p) => Object.entries(p.per_year).map(([y, n]) => ({ year: Number(y), n, label: labelOf.get(p.proposal_id)! })));
  const spans = rows.map((p) => ({ x1: p.first_year, x2: p.last_year, label: labelOf.get(p.proposal_id)! }));
  const first = Math.min(...dots.map((d) => d.year));
  const last = Math.max(...dots.map((d) => d.year));
  const maxN = Math.max(...dots.map((d) => d.n));
  const title = 'Повторяющиеся предложения по годам';
  const svg = render(title, {
    width: CHART_WIDTH,
    height: 70 + 42 * rows.length,
    marginLeft: 260,
    marginRight: 16,
    marginTop: 14,
    marginBottom: 42,
    x: {
      type: 'linear',
      domain: [first - 0.5, last + 0.5],
      ticks: Array.from({ length: last - first + 1 }, (_, i) => first + i),
      tickFormat: (d: number) => String(d),
      label: 'Год',
      labelAnchor: 'center',
      labelOffset: 36,
      grid: true,
    },
    y: { label: null, domain: rows.map((p) => labelOf.get(p.proposal_id)!), tickSize: 0 },
    r: { range: [2.5, 11], domain: [0, maxN] },
    marks: [
      Plot.ruleY(rows.map((p) => labelOf.get(p.proposal_id)!), { stroke: '#eeeeee' }),
      Plot.link(spans, { x1: 'x1', x2: 'x2', y1: 'label', y2: 'label', stroke: '#D55E00', strokeWidth: 2, strokeOpacity: 0.6 }),
      Plot.dot(dots, { x: 'year', y: 'label', r: 'n', fill: '#D55E00', fillOpacity: 0.85, stroke: 'white' }),
    ],
  });
  return {
    id: 'chart-recurring-proposals',
    title,
    note: `Строка — предложение (его типичная формулировка), линия — от первого года до последнего, кружок — год, в котором его вносили; площадь кружка — число рекомендаций в этом году (самый большой — ${formatInt(maxN)}).`,
    svg,
    legend: [],
  };
}

/** Share of each year's recommendations that repeat an earlier conference. */
export function noveltyChart(rows: readonly NoveltyYear[]): Chart | null {
  const data = rows.filter((r) => r.recs > 0).map((r) => ({ ...r, share: r.repeats / r.recs, thin: r.docs < MIN_DOCS_PER_YEAR }));
  if (data.length < 2) return null;
  const title = 'Доля рекомендаций, повторяющих прежние конференции, по годам';
  const svg = render(title, {
    width: CHART_WIDTH,
    height: 260,
    marginLeft: 50,
    marginBottom: 44,
    x: { type: 'band', domain: data.map((d) => d.year), label: 'Год', labelAnchor: 'center', labelOffset: 36, tickFormat: (d: number) => String(d) },
    y: { label: 'Повторяют прежние, %', percent: true, grid: true, domain: [0, 100] },
    marks: [
      Plot.barY(data, { x: 'year', y: 'share', fill: (d: (typeof data)[number]) => (d.thin ? '#cccccc' : '#0072B2'), inset: 3 }),
      Plot.text(data, { x: 'year', y: 'share', text: (d: (typeof data)[number]) => formatPercent(d.share), dy: -8 }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: 'chart-novelty',
    title,
    note: `Столбец — доля рекомендаций года, почти дословно повторяющих рекомендации более ранних конференций; остальное — новые. Серые столбцы — годы, за которые меньше ${MIN_DOCS_PER_YEAR} резолюций.`,
    svg,
    legend: [],
  };
}

export function recurringProposalsTakeaway(d: ReportData, cited: ReadonlyMap<string, CitedRec>): string {
  const r = d.recurring;
  if (!r) return 'Повторяющиеся предложения ещё не рассчитаны: этап recurring на этой базе не выполнялся (confrec recurring или confrec run).';
  const t = r.totals;
  const parts: string[] = [];
  if (t.proposals === 0) {
    parts.push('Ни одно предложение не повторяется хотя бы в трёх конференциях за три разных года.');
  } else {
    parts.push(
      `${count(t.proposals, ['предложение вносится', 'предложения вносятся', 'предложений вносятся'])} снова и снова — не менее чем в трёх конференциях и в три разных года (всего ${count(t.recommendations, WORDS.recommendation)}).`,
    );
    const p = r.top[0];
    if (p) {
      parts.push(
        sentence(
          `Шире всего повторяется «${proposalText(p, cited, 110)}»: ${count(p.n_documents, WORDS.conferenceIn)} за ${yearSpan(p.first_year, p.last_year)} (${count(p.n_years, WORDS.year)} с предложением)` +
            (p.addressees.length ? `, чаще всего — адресату «${p.addressees[0]}»` : ''),
        ),
      );
    }
    if (t.last_year !== null) {
      const closed = t.proposals - t.still_open;
      parts.push(
        `${formatInt(t.still_open)} из ${formatInt(t.proposals)} ${plural(t.still_open, ['звучит', 'звучат', 'звучат'])} и в последнем году (${t.last_year}): это либо устойчивые приоритеты, либо задачи, которые годами не решаются — по ним стоит спросить, что сделано.` +
          (closed > 0 ? ` Ещё ${formatInt(closed)} больше не повторяются — возможно, решены или утратили актуальность.` : ''),
      );
    }
  }
  if (t.dated_recs > 0) {
    parts.push(
      `В среднем ${formatPercent(t.repeats_earlier / t.dated_recs)} рекомендаций конференции почти дословно повторяют рекомендации более ранних конференций; остальные новые (по ${count(t.dated_conferences, WORDS.resolutionOf)} с указанным годом).`,
    );
  }
  return parts.join(' ');
}

export function recurringProposalsSection(ctx: { data: ReportData; cited: ReadonlyMap<string, CitedRec> }, title: string): SectionHtml {
  const d = ctx.data;
  const r = d.recurring;
  const body = [`<p class="takeaway">${esc(recurringProposalsTakeaway(d, ctx.cited))}</p>`];
  if (r) {
    body.push(figure(recurringTimelineChart(r.top, ctx.cited), 'Повторяющихся предложений нет (или у конференций не указан год).'));
    if (r.top.length) {
      body.push(
        table(r.top, [
          { head: '№', num: true, cell: (p) => String(r.top.indexOf(p) + 1) },
          { head: 'Предложение (типичная формулировка)', width: '44%', cell: (p) => `<span class="quote">«${esc(proposalText(p, ctx.cited, 240))}»</span> ${recRef(ctx.cited.get(p.medoid_rec_id), p.medoid_rec_id)}` },
          { head: 'Годы', cell: (p) => `<span class="nowrap">${esc(yearSpan(p.first_year, p.last_year))}</span><br><span class="muted">${esc(count(p.n_years, WORDS.year))}</span>` },
          { head: 'Конфе\u00adренций', num: true, cell: (p) => formatInt(p.n_documents) },
          {
            head: 'Кому',
            width: '24%',
            cell: (p) =>
              p.addressees.length
                ? esc(p.addressees.slice(0, 3).map((a) => truncate(a, 60)).join('; ')) + (p.addressees.length > 3 ? `<span class="muted">${esc(` и ещё ${p.addressees.length - 3}`)}</span>` : '')
                : '<span class="muted">адресат не указан</span>',
          },
        ]),
      );
    }
    const hidden = r.totals.proposals - r.top.length;
    body.push(more(hidden > 0 ? `и ещё ${count(hidden, ['предложение', 'предложения', 'предложений'])} — в таблице recurring_proposals (confrec export recurring).` : null));
    body.push('<h3>Новое и повторённое по конференциям</h3>');
    body.push(figure(noveltyChart(r.byYear), 'Годы конференций не указаны — порядок конференций неизвестен.'));
    if (r.conferences.length) {
      body.push(
        `<p class="muted">${esc(`Конференции, где доля повторов прежних рекомендаций самая высокая (среди резолюций, где не меньше ${count(LIMITS.noveltyMinRecs, WORDS.recommendationOf)}):`)}</p>`,
      );
      body.push(
        table(r.conferences, [
          { head: 'Конференция', width: '46%', cell: (c) => `<a href="${docHref(c.doc_id)}">${esc(c.title ? truncate(c.title, 110) : 'название не указано')}</a>${c.year !== null ? `, ${c.year}` : ''}` },
          { head: 'Рекомендаций', num: true, cell: (c) => formatInt(c.n_recommendations) },
          { head: 'Повторяют прежние', num: true, cell: (c) => `${formatInt(c.n_repeats_earlier)} (${formatPercent(c.n_repeats_earlier / Math.max(1, c.n_recommendations))})` },
          { head: 'Новые', num: true, cell: (c) => formatInt(c.n_new) },
          { head: 'Подхвачены позже', num: true, cell: (c) => formatInt(c.n_repeated_later) },
        ]),
      );
    }
  }
  return { id: 'proposals', title, body: body.join('\n') };
}

/**
 * «Кому адресованы рекомендации»: addressees as entities (pipeline/addressees) — one body or one
 * kind of bodies however resolutions spell it. Chart, takeaway and section; pure given the data.
 */
import * as Plot from '@observablehq/plot';
import { render, CHART_WIDTH, type Chart } from './charts.js';
import type { AddresseeRow, ReportData } from './data.js';
import { esc, figure, more, table, type SectionHtml } from './html.js';
import { truncate, wrapLabel } from './labels.js';
import { WORDS, count, formatInt, formatPercent, sentence, yearSpan } from './russian.js';

/** Government level → Russian, in the order a director reads them. */
export const LEVEL_LABELS: Record<string, string> = {
  federal: 'федеральный уровень',
  regional: 'региональный уровень',
  municipal: 'муниципальный уровень',
  organisation: 'организации',
  people: 'люди и сообщества',
};
const LEVEL_COLORS: Record<string, string> = {
  federal: '#4B2991',
  regional: '#0072B2',
  municipal: '#56B4E9',
  organisation: '#009E73',
  people: '#E69F00',
};
const UNKNOWN_LEVEL = 'уровень не указан';

export function levelText(level: string | null): string {
  return level ? (LEVEL_LABELS[level] ?? level) : UNKNOWN_LEVEL;
}

/** «региональный уровень, Вологодская область»; a kind of bodies says so. */
export function whereText(a: Pick<AddresseeRow, 'level' | 'region' | 'generic'>): string {
  return [levelText(a.level), a.region, a.generic ? 'вид адресатов' : null].filter(Boolean).join(', ');
}

export function addresseesChart(rows: readonly AddresseeRow[]): Chart | null {
  if (rows.length === 0) return null;
  const data = rows.map((r, i) => ({ ...r, label: wrapLabel(`${i + 1}. ${truncate(r.canonical_name, 60)}`, 36, 2), levelLabel: levelText(r.level) }));
  const levels = [...new Set(rows.map((r) => r.level ?? ''))];
  const title = 'Кому чаще всего адресуют рекомендации';
  const svg = render(title, {
    width: CHART_WIDTH,
    height: 40 + 34 * data.length,
    marginLeft: 250,
    marginRight: 120,
    marginBottom: 40,
    x: { label: 'Рекомендаций', labelAnchor: 'center', labelOffset: 34, grid: true },
    y: { label: null, domain: data.map((d) => d.label), tickSize: 0 },
    color: { type: 'ordinal', domain: levels.map(levelText), range: levels.map((l) => LEVEL_COLORS[l] ?? '#999999') },
    marks: [
      Plot.barX(data, { x: 'n', y: 'label', fill: 'levelLabel', insetTop: 4, insetBottom: 4 }),
      Plot.text(data, { x: 'n', y: 'label', text: (d: (typeof data)[number]) => `${formatInt(d.n)} · ${formatInt(d.docs)} конф.`, textAnchor: 'start', dx: 5 }),
      Plot.ruleX([0]),
    ],
  });
  return {
    id: 'chart-addressees',
    title,
    note: 'Полоса — число рекомендаций, адресованных органу или виду адресатов (разные написания одного адресата сведены вместе); после точки — в скольких конференциях. Цвет — уровень.',
    svg,
    legend: levels.map((l) => ({ label: levelText(l || null), color: LEVEL_COLORS[l] ?? '#999999' })),
  };
}

export function addresseesTakeaway(d: ReportData, themeLabel: (id: string) => string): string {
  const a = d.addressees;
  if (!a) return 'Адресаты ещё не сведены в сущности: этап addressees на этой базе не выполнялся (confrec addressees или confrec run).';
  const t = a.totals;
  if (t.entities === 0) return 'Ни в одной рекомендации адресат не указан.';
  const bodies = t.entities - t.kinds;
  const parts = [
    `${count(t.forms, ['написание адресата', 'написания адресатов', 'написаний адресатов'])} сведены к ${count(t.entities, ['адресату', 'адресатам', 'адресатам'])}: ` +
      `${count(bodies, ['конкретный орган или организация', 'конкретных органа или организации', 'конкретных органов и организаций'])} и ${count(t.kinds, ['вид адресатов', 'вида адресатов', 'видов адресатов'])} (например, «образовательные организации» без указания какие).`,
  ];
  const top = a.top[0];
  if (top) {
    parts.push(
      sentence(
        `Чаще всего рекомендации адресуют адресату «${top.canonical_name}»: ${count(top.n, WORDS.recommendation)} из ${count(top.docs, WORDS.conferenceOf)}` +
          `${top.first_year !== null ? `, ${yearSpan(top.first_year, top.last_year)}` : ''}${top.top_theme ? `; чаще всего по теме «${themeLabel(top.top_theme)}»` : ''}`,
      ),
    );
    const named = a.top.find((x) => !x.generic);
    if (named && named !== top) parts.push(sentence(`Из конкретных органов и организаций — «${named.canonical_name}» (${count(named.n, WORDS.recommendation)})`));
  }
  const without = t.recommendations - t.with_entity;
  if (without > 0) parts.push(`У ${formatPercent(without / Math.max(1, t.recommendations))} рекомендаций адресат не указан.`);
  if (t.to_review > 0) {
    parts.push(
      `${count(t.to_review, ['адресат требует', 'адресата требуют', 'адресатов требуют'])} проверки: сокращения, которые нигде не расшифрованы, и похожие названия не объединяются наугад — список выводит confrec addressees --review, расшифровку можно добавить в data/addressee-aliases.json.`,
    );
  }
  return parts.join(' ');
}

export function addresseesSection(ctx: { data: ReportData; labels: ReadonlyMap<string, string> }, title: string): SectionHtml {
  const d = ctx.data;
  const label = (id: string) => ctx.labels.get(id) ?? id;
  const body: string[] = [`<p class="takeaway">${esc(addresseesTakeaway(d, label))}</p>`];
  if (d.addressees) {
    body.push(figure(addresseesChart(d.addressees.top.slice(0, 12)), 'Адресаты не указаны.'));
    body.push(
      table(d.addressees.top, [
        { head: 'Адресат', width: '30%', cell: (r) => `<b>${esc(r.canonical_name)}</b><br><span class="muted">${esc(whereText(r))}</span>` },
        { head: 'Реко\u00adмен\u00adдаций', num: true, cell: (r) => formatInt(r.n) },
        { head: 'Конфе\u00adренций', num: true, cell: (r) => formatInt(r.docs) },
        { head: 'Годы', cell: (r) => esc(r.first_year === null ? '—' : yearSpan(r.first_year, r.last_year)) },
        { head: 'Главная тема', cell: (r) => (r.top_theme ? esc(label(r.top_theme)) : '<span class="muted">—</span>') },
        {
          head: 'Как написано в резолюциях',
          width: '30%',
          cell: (r) =>
            `<span class="muted">${esc(r.forms.slice(0, 3).map((f) => `«${truncate(f, 70)}»`).join('; '))}${r.forms.length > 3 ? esc(` и ещё ${r.forms.length - 3}`) : ''}</span>`,
        },
      ]),
    );
    const hidden = d.addressees.totals.entities - d.addressees.top.length;
    body.push(more(hidden > 0 ? `и ещё ${count(hidden, ['адресат', 'адресата', 'адресатов'])} — в таблице addressees базы данных (confrec export addressees).` : null));
    body.push(
      `<p class="muted">${esc(
        'Разные написания одного органа («Министерство просвещения Российской Федерации», «Минпросвещения России») сведены в одного адресата по правилам (pipeline/addressees), расшифровкам сокращений в самих резолюциях («(далее – ВИРО)») и файлу data/addressee-aliases.json; как решено для каждого написания — в таблице addressee_forms.',
      )}</p>`,
    );
  }
  return { id: 'addressees', title, body: body.join('\n') };
}


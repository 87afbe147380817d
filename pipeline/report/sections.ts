/**
 * The seven sections of the report and its appendices, as HTML. Each section opens with its
 * takeaway (computed, see takeaways.ts), then the charts and tables that back it; every quoted
 * recommendation links to «Источники», every conference to its row in the register.
 */
import {
  addresseeHeatmap,
  clusterLabel,
  clusterTimelineChart,
  conferencesByYearChart,
  levelHeatmap,
  themeSharesChart,
  themeTrendChart,
  verbProfileChart,
} from './charts.js';
import { ingestReasonRu } from '../ingest/reasons-ru.js';
import { segmentReasonRu } from '../segment/segment.js';
import { LIMITS, type CitedRec, type DocumentRow, type ReportData, type RunRow } from './data.js';
import { docHref, esc, figure, more, orMissing, recRef, table, type Column, type SectionHtml } from './html.js';
import { LEVEL_ORDER, MISSING, addresseeLabel, levelLabel, orderIndex, reviewReasonLabel, truncate } from './labels.js';
import { WORDS, count, formatInt, formatPercent, yearSpan } from './russian.js';
import {
  MIN_DOCS_PER_YEAR,
  MIN_GROUP_RECS,
  STABLE_POINTS,
  actionsTakeaway,
  conferencesTakeaway,
  duplicatesTakeaway,
  keyFindings,
  methodologyTakeaway,
  recurringTakeaway,
  summaryParagraph,
  themesTakeaway,
  yearTotals,
} from './takeaways.js';
import { OTHER_CLASS, VERB_CLASSES, verbClassOf, VERB_CLASS_LABELS } from './verb-classes.js';

export interface ReportMeta {
  reportRunId: number;
  generatedAt: string;
  codeVersion: string;
  dbPath: string;
  outDir: string;
  /** The entry of data/theme-calibration.json for the embedder family the themes run used. */
  themeCalibration: Record<string, unknown> | null;
  calibrationFile: string;
}

export interface ReportContext {
  data: ReportData;
  cited: ReadonlyMap<string, CitedRec>;
  /** Theme id → short label for charts and sentences; fullLabels → the label from data/themes.json. */
  labels: ReadonlyMap<string, string>;
  fullLabels: ReadonlyMap<string, string>;
  meta: ReportMeta;
}

const takeaway = (text: string) => `<p class="takeaway">${esc(text)}</p>`;

/** Above LIMITS.conferencesInline documents the register moves to an appendix and section 2 shows the largest. */
export function registerInline(d: ReportData): boolean {
  return d.documents.length <= LIMITS.conferencesInline;
}

function quote(ctx: ReportContext, recId: string, max = 260): string {
  const rec = ctx.cited.get(recId);
  const text = rec ? truncate(rec.text, max) : '';
  return `<span class="quote">«${esc(text)}»</span> ${recRef(rec, recId)}`;
}

function conferenceLink(doc: { doc_id: string; title: string | null; year: number | null }, max = 90): string {
  const title = doc.title ? truncate(doc.title, max) : 'название не указано';
  return `<a href="${docHref(doc.doc_id)}">${esc(title)}</a>${doc.year !== null ? `, ${doc.year}` : ''}`;
}

// 1 ------------------------------------------------------------------------------------------------

export function summarySection(ctx: ReportContext): SectionHtml {
  const o = ctx.data.overview;
  const kpi = (value: string, label: string) => `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  const findings = keyFindings(ctx.data, ctx.labels);
  const body = [
    takeaway(summaryParagraph(ctx.data)),
    `<div class="kpis">${[
      kpi(formatInt(o.documents), 'резолюций конференций'),
      kpi(formatInt(o.recommendations), 'рекомендаций'),
      kpi(o.first_year === null ? '—' : o.first_year === o.last_year ? String(o.first_year) : `${o.first_year}–${o.last_year}`, `годы (${count(o.years, WORDS.year)})`),
      kpi(formatInt(o.regions), 'регионов'),
    ].join('')}</div>`,
    '<h3>Главное</h3>',
    findings.length ? `<ul class="findings">${findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : '<p class="empty">Данных для выводов пока нет.</p>',
    `<p class="muted">Как читать: разделы 2–6 подробно раскрывают каждый вывод; все приведённые формулировки можно найти в исходных файлах (приложение «Источники»: файл и номер строки).</p>`,
  ];
  return { id: 'summary', title: '1. Сводка', body: body.join('\n') };
}

// 2 ------------------------------------------------------------------------------------------------

/** "Москва, Москва" says nothing twice: a city that names its region is shown once. */
function place(city: string | null, region: string | null): string | null {
  if (city && region && (city === region || region.startsWith(`г. ${city}`))) return city;
  return [city, region].filter(Boolean).join(', ') || null;
}

function conferenceColumns(ctx: ReportContext, withAnchor: boolean): Column<DocumentRow>[] {
  return [
    {
      head: 'Конференция',
      width: '29%',
      cell: (r) => {
        const title = r.title ? esc(truncate(r.title, 160)) : '<span class="missing">название не указано</span>';
        const kind = [r.kind, r.format ? `формат: ${r.format}` : null].filter(Boolean).join(', ');
        const sub = [esc(kind), `<span class="file">${esc(r.source_file)}</span>`].filter(Boolean).join(' · ');
        return `${withAnchor ? `<b>${title}</b>` : `<a href="${docHref(r.doc_id)}">${title}</a>`}<br><span class="muted">${sub}</span>`;
      },
    },
    { head: 'Дата', width: '11%', cell: (r) => `<span class="nowrap">${orMissing(r.date_start ?? (r.year !== null ? `${r.year} г.` : null))}</span>` },
    { head: 'Уровень', width: '15.5%', cell: (r) => (r.level ? esc(r.level).replace(/^(между|меж)/, '$1\u00ad') : orMissing(null)) },
    { head: 'Город, регион', width: '14%', cell: (r) => orMissing(place(r.city, r.region)) },
    { head: 'Участ\u00adников', width: '7%', num: true, cell: (r) => orMissing(r.participants === null ? null : formatInt(r.participants)) },
    { head: 'Реко\u00adмен\u00adдаций', width: '8%', num: true, cell: (r) => (r.n_recs ? formatInt(r.n_recs) : '<span class="flag">0 — не найдено</span>') },
    { head: 'Ведущие темы', width: '14.5%', cell: (r) => (r.themes.length ? esc(r.themes.map((t) => ctx.labels.get(t) ?? t).join(', ')) : '<span class="missing">нет</span>') },
  ];
}

export function registerTable(ctx: ReportContext): string {
  return table(ctx.data.documents, conferenceColumns(ctx, true), { cls: 'conferences register fixed', rowId: (r) => `doc-${r.doc_id}` });
}

/**
 * The register of a large corpus: the same fields, one line per conference (long values are cut
 * with an ellipsis, the full title is in the tooltip), so 10,000 conferences print on ~130 pages
 * rather than ~800. It is an index to look things up in, not a text to read.
 */
function compactRegisterTable(ctx: ReportContext, rows: readonly DocumentRow[]): string {
  const cell = (text: string | null) => (text === null || text === '' ? `<span class="missing">${esc(MISSING)}</span>` : esc(text));
  // Only the columns long enough to be cut carry their full text as a tooltip.
  const withTooltip = (text: string | null) => (text ? `<span title="${esc(text)}">${esc(text)}</span>` : cell(null));
  const columns: Column<DocumentRow>[] = [
    { head: 'Конференция', width: '28%', cell: (r) => (r.title ? `<b title="${esc(r.title)}">${esc(r.title)}</b>` : '<span class="missing">название не указано</span>') },
    { head: 'Файл', width: '13.5%', cell: (r) => `<span class="muted">${esc(r.source_file)}</span>` },
    { head: 'Дата', width: '8.5%', cell: (r) => cell(r.date_start ?? (r.year !== null ? `${r.year} г.` : null)) },
    { head: 'Уровень', width: '12%', cell: (r) => cell(r.level) },
    { head: 'Город, регион', width: '12.5%', cell: (r) => withTooltip(place(r.city, r.region)) },
    { head: 'Участ.', width: '6%', num: true, cell: (r) => cell(r.participants === null ? null : formatInt(r.participants)) },
    { head: 'Рек.', width: '5%', num: true, cell: (r) => (r.n_recs ? formatInt(r.n_recs) : '<span class="flag">0</span>') },
    { head: 'Ведущие темы', width: '14.5%', cell: (r) => (r.themes.length ? withTooltip(r.themes.map((t) => ctx.labels.get(t) ?? t).join(', ')) : '<span class="missing">нет</span>') },
  ];
  return table(rows, columns, { cls: 'conferences register fixed compact', rowId: (r) => `doc-${r.doc_id}` });
}

export function conferencesSection(ctx: ReportContext): SectionHtml {
  const d = ctx.data;
  const byLevel = [...d.docsByLevel].sort((a, b) => orderIndex(LEVEL_ORDER, a.level) - orderIndex(LEVEL_ORDER, b.level) || b.docs - a.docs);
  const levels = table(byLevel, [
    { head: 'Уровень конференции', cell: (r) => (r.level ? esc(r.level) : `<span class="missing">${esc(levelLabel(null))}</span>`) },
    { head: 'Резолюций', num: true, cell: (r) => formatInt(r.docs) },
    { head: 'Рекомендаций', num: true, cell: (r) => formatInt(r.recs) },
    { head: 'Участников (медиана)', num: true, cell: (r) => orMissing(r.median_participants === null ? null : formatInt(r.median_participants)) },
  ]);
  const parts = [
    takeaway(conferencesTakeaway(d)),
    figure(conferencesByYearChart(d.docsByYearLevel), 'Год проведения не указан ни в одной резолюции — график по годам не построен.'),
    '<h3>Уровни конференций</h3>',
    levels,
  ];
  if (registerInline(d)) {
    parts.push('<h3>Список конференций</h3>', registerTable(ctx));
  } else {
    // Size by participants: what a director means by "the largest"; recommendation counts cluster at the cap.
    const top = [...d.documents]
      .sort((a, b) => (b.participants ?? -1) - (a.participants ?? -1) || b.n_recs - a.n_recs || a.doc_id.localeCompare(b.doc_id))
      .slice(0, LIMITS.topConferences);
    parts.push(
      `<h3>${esc(`${count(top.length, ['крупнейшая конференция', 'крупнейшие конференции', 'крупнейших конференций'])} (по числу участников)`)}</h3>`,
      table(top, conferenceColumns(ctx, false), { cls: 'conferences top fixed' }),
      more(`и ещё ${count(d.documents.length - top.length, WORDS.conference)} — полный реестр с метаданными в приложении «Реестр конференций».`),
    );
  }
  return { id: 'conferences', title: '2. Конференции', body: parts.join('\n') };
}

// 3 ------------------------------------------------------------------------------------------------

export function themesSection(ctx: ReportContext): SectionHtml {
  const d = ctx.data;
  const o = d.overview;
  const themeTable = table(d.themes, [
    { head: 'Тема', width: '30%', cell: (t) => esc(ctx.fullLabels.get(t.theme_id) ?? t.theme_id) },
    { head: 'Рекомендаций', num: true, cell: (t) => formatInt(t.n) },
    { head: 'Доля', num: true, cell: (t) => formatPercent(t.total ? t.n / t.total : 0) },
    { head: 'Пример (самая уверенная оценка)', cell: (t) => (t.example_rec_id ? quote(ctx, t.example_rec_id, 200) : '<span class="missing">нет</span>') },
  ]);
  const years = yearTotals(d.themesByYear);
  const shareOf = (year: number, theme: string) => {
    const r = d.themesByYear.find((x) => x.year === year && x.theme_id === theme);
    return r && r.recs ? formatPercent(r.n / r.recs) : '—';
  };
  const yearTable = years.length
    ? table(years, [
        { head: 'Год', cell: (y) => `${y.year}${y.docs < MIN_DOCS_PER_YEAR ? ' <span class="flag">мало данных</span>' : ''}` },
        { head: 'Резолюций', num: true, cell: (y) => formatInt(y.docs) },
        { head: 'Рекомендаций', num: true, cell: (y) => formatInt(y.recs) },
        ...d.themes.map((t) => ({ head: ctx.labels.get(t.theme_id) ?? t.theme_id, num: true, cell: (y: (typeof years)[number]) => shareOf(y.year, t.theme_id) })),
      ])
    : '';
  const body = [
    takeaway(themesTakeaway(d, ctx.labels)),
    figure(themeSharesChart(d.themes, ctx.labels, o.with_theme, o.recommendations), 'Темы не рассчитаны.'),
    themeTable,
    figure(themeTrendChart(d.themesByYear, d.themes, ctx.labels), 'Год проведения не указан ни в одной резолюции — динамику показать нельзя.'),
    yearTable,
    figure(levelHeatmap(d.themesByLevel, d.themes, ctx.labels), 'Нет данных.'),
    figure(addresseeHeatmap(d.themesByAddressee, d.themes, ctx.labels), 'Нет данных.'),
  ];
  return { id: 'themes', title: '3. Темы', body: body.join('\n') };
}

// 4 ------------------------------------------------------------------------------------------------

export function recurringSection(ctx: ReportContext): SectionHtml {
  const d = ctx.data;
  const rows = table(d.clusters, [
    {
      head: 'Повторяющаяся тема',
      width: '26%',
      cell: (c) =>
        `<b>${esc(clusterLabel(c))}</b><br><span class="muted">${esc(count(c.size, WORDS.recommendation))}, ${esc(count(c.n_documents, WORDS.conference))}${c.first_year !== null ? `, ${esc(yearSpan(c.first_year, c.last_year))}` : ''}</span>`,
    },
    { head: 'Типичная рекомендация (ближайшая к центру группы)', width: '42%', cell: (c) => quote(ctx, c.medoid_rec_id, 240) },
    {
      head: 'Где встречается (в скобках — рекомендаций)',
      cell: (c) =>
        c.documents.map((doc) => `${conferenceLink(doc, 70)} <span class="muted">(${formatInt(doc.n)})</span>`).join('<br>') +
        (c.more_documents ? `<br><span class="more">и ещё ${esc(count(c.more_documents, WORDS.conference))}</span>` : ''),
    },
  ]);
  const hidden = d.clusterTotals.recurring - d.clusters.length;
  const body = [
    takeaway(recurringTakeaway(d)),
    figure(clusterTimelineChart(d.clusters, d.clusterYears), 'Нет тем, повторяющихся больше чем в одной конференции (или годы не указаны).'),
    d.clusters.length ? rows : '',
    more(hidden > 0 ? `и ещё ${count(hidden, ['повторяющаяся тема', 'повторяющиеся темы', 'повторяющихся тем'])} поменьше — в таблице clusters базы данных.` : null),
  ];
  return { id: 'recurring', title: '4. Повторяющиеся темы', body: body.join('\n') };
}

// 5 ------------------------------------------------------------------------------------------------

export function duplicatesSection(ctx: ReportContext): SectionHtml {
  const dup = ctx.data.duplicates;
  const parts = [takeaway(duplicatesTakeaway(ctx.data))];
  if (!dup) {
    parts.push(
      '<p class="empty">Не рассчитано (not computed yet). После того как в базе появятся результаты этапа similar (таблицы near_duplicates и near_duplicate_groups), постройте отчёт заново.</p>',
    );
  } else {
    dup.groups.forEach((g, i) => {
      const members = table(g.members, [
        {
          head: 'Формулировка',
          width: '58%',
          cell: (m) => `${m.is_medoid ? '<b>Образец группы.</b> ' : ''}${esc(ctx.cited.get(m.rec_id)?.text ?? m.rec_id)}`,
        },
        {
          head: 'Источник',
          cell: (m) => {
            const rec = ctx.cited.get(m.rec_id);
            const conf = rec ? conferenceLink({ doc_id: rec.doc_id, title: rec.title, year: rec.year }, 80) : '';
            const sim = m.is_medoid ? '' : `<br><span class="muted">сходство с образцом ${esc(formatPercent(m.similarity_to_medoid))}</span>`;
            return `${conf}<br>${recRef(rec, m.rec_id)}${sim}`;
          },
        },
      ]);
      const head = `Группа ${i + 1}: ${count(g.size, WORDS.recommendation)} из ${count(g.n_docs, WORDS.conferenceOf)}${g.first_year !== null ? `, ${yearSpan(g.first_year, g.last_year)}` : ''}`;
      const hidden = g.size - g.members.length;
      parts.push(
        `<div class="dup-group"><h3>${esc(head)}</h3>${members}${more(hidden > 0 ? `и ещё ${count(hidden, WORDS.recommendation)} этой группы` : null)}</div>`,
      );
    });
    const hiddenGroups = dup.totals.cross_document_groups - dup.groups.length;
    parts.push(more(hiddenGroups > 0 ? `и ещё ${count(hiddenGroups, WORDS.group)} поменьше — в таблице near_duplicate_groups базы данных.` : null));
  }
  return { id: 'duplicates', title: '5. Почти дубликаты', body: parts.join('\n') };
}

// 6 ------------------------------------------------------------------------------------------------

export function actionsSection(ctx: ReportContext): SectionHtml {
  const d = ctx.data;
  const classes = table([...VERB_CLASSES, { ...OTHER_CLASS, verbs: [] as readonly string[] }], [
    { head: 'Класс', width: '24%', cell: (c) => `<b>${esc(c.label)}</b>` },
    { head: 'Что означает', width: '28%', cell: (c) => esc(c.meaning) },
    { head: 'Глаголы', cell: (c) => (c.verbs.length ? esc(c.verbs.join(', ')) : '<span class="muted">все остальные</span>') },
  ]);
  const verbs = table(d.topVerbs, [
    { head: 'Глагол', cell: (v) => `<b>${esc(v.verb)}</b>` },
    { head: 'Класс', cell: (v) => esc(VERB_CLASS_LABELS[verbClassOf(v.verb)]) },
    { head: 'Рекомендаций', num: true, cell: (v) => formatInt(v.n) },
    { head: 'Конференций', num: true, cell: (v) => formatInt(v.docs) },
    { head: 'Пример', width: '45%', cell: (v) => quote(ctx, v.example_rec_id, 140) },
  ]);
  const body = [
    takeaway(actionsTakeaway(d)),
    figure(verbProfileChart(d.verbProfile), 'Рекомендаций нет.'),
    `<h3>${esc(`Самые частые глаголы (${d.topVerbs.length})`)}</h3>`,
    d.topVerbs.length ? verbs : '<p class="empty">Глаголы не распознаны.</p>',
    '<h3>Классы глаголов</h3>',
    '<p class="muted">Класс определяется по глаголу, с которого начинается рекомендация; список задан в коде отчёта (pipeline/report/verb-classes.ts).</p>',
    classes,
  ];
  return { id: 'actions', title: '8. Действия', body: body.join('\n') };
}

// 7 ------------------------------------------------------------------------------------------------

const STAGE_LABELS: Record<string, string> = {
  ingest: 'чтение файлов',
  segment: 'выделение рекомендаций',
  embed: 'векторизация текстов',
  themes: 'отнесение к темам',
  clusters: 'поиск повторяющихся тем',
  similar: 'поиск почти дубликатов',
  addressees: 'сведение адресатов',
  recurring: 'повторяющиеся предложения',
};

/** The counts a reader can check against the report, in Russian; the rest stays in `runs.counts`. */
const COUNT_LABELS: [string, string][] = [
  ['files', 'файлов'],
  ['added', 'добавлено'],
  ['skipped', 'пропущено'],
  ['documents', 'документов'],
  ['recommendations', 'рекомендаций'],
  ['flagged', 'без рекомендаций'],
  ['texts', 'текстов'],
  ['with_theme', 'с темой'],
  ['clusters', 'групп'],
  ['recurring', 'повторяющихся'],
  ['pairs', 'пар'],
  ['groups', 'групп дубликатов'],
  ['entities', 'адресатов'],
  ['proposals', 'повторяющихся предложений'],
];

function runSummary(r: RunRow): string {
  const c = r.counts;
  return COUNT_LABELS.filter(([k]) => typeof c[k] === 'number')
    .map(([k, label]) => `${label}: ${formatInt(c[k] as number)}`)
    .join(', ');
}

function param(r: RunRow | undefined, key: string): unknown {
  return r?.params[key];
}

function fmt(v: unknown, digits = 3): string {
  if (v === undefined || v === null) return 'не указано';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Formats of the documents and, when there are any, how many were recognised by OCR and how surely. */
function textSourcesParagraph(d: ReportContext['data']): string {
  const rows = d.textSources ?? [];
  if (rows.length === 0) return '<p>Документов нет.</p>';
  const formats = rows.map((r) => `${r.file_type} — ${formatInt(Number(r.documents))}`).join(', ');
  const ocr = rows.reduce((n, r) => n + Number(r.ocr), 0);
  const ocrRows = rows.filter((r) => Number(r.ocr) > 0);
  const mean = ocr ? ocrRows.reduce((a, r) => a + Number(r.ocr_confidence) * Number(r.ocr), 0) / ocr : null;
  const min = ocr ? Math.min(...ocrRows.map((r) => Number(r.ocr_min_confidence))) : null;
  const ocrText = ocr
    ? `У ${count(ocr, WORDS.resolutionOf)} текст распознан со сканов или изображений (OCR, tesseract): средняя уверенность распознавания ${mean!.toFixed(1)} из 100, наименьшая ${min!.toFixed(1)}; в таких текстах возможны ошибки в отдельных буквах и номерах пунктов (столбцы reader и ocr_confidence таблицы documents).`
    : 'Распознавание сканов (OCR) не понадобилось: у всех документов есть текстовый слой.';
  return `<p>${esc(`Форматы файлов: ${formats}. ${ocrText}`)}</p>`;
}

export function methodologySection(ctx: ReportContext): SectionHtml {
  const d = ctx.data;
  const run = (stage: string) => d.runs.find((r) => r.stage === stage);
  const embed = run('embed');
  const themes = run('themes');
  const clusters = run('clusters');
  const similar = run('similar');
  const ingest = run('ingest');
  const cal = ctx.meta.themeCalibration;
  const silhouette = clusters?.counts.silhouette as Record<string, number> | undefined;
  const k = clusters?.counts.k;
  const dl = (items: [string, string][]) => `<dl class="params">${items.map(([t, v]) => `<dt>${esc(t)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const runs = table(d.runs, [
    { head: 'Прогон', cell: (r) => `№${r.run_id}` },
    { head: 'Этап', cell: (r) => `${esc(STAGE_LABELS[r.stage] ?? r.stage)} <span class="muted">(${esc(r.stage)})</span>` },
    { head: 'Начат', cell: (r) => `<span class="nowrap">${esc(r.started_at)}</span>` },
    { head: 'Длительность', num: true, cell: (r) => (r.duration_ms === null ? '—' : `${(r.duration_ms / 1000).toFixed(1)} с`) },
    { head: 'Версия кода', cell: (r) => esc(r.code_version ?? '—') },
    { head: 'Итоги', cell: (r) => `<span class="muted">${esc(runSummary(r))}</span>` },
  ]);
  const models = dl([
    ['Эмбеддер', esc(fmt(param(embed, 'embedder'))) + (param(embed, 'backend') ? ` <span class="muted">(${esc(fmt(param(embed, 'backend')))})</span>` : '')],
    ['Модель', esc(param(embed, 'model') ? fmt(param(embed, 'model')) : param(embed, 'backend') === 'lexical' ? 'лексическая: TF-IDF по леммам и символьным n-граммам + SVD, без внешней модели' : fmt(param(embed, 'model')))],
    [
      'Темы',
      esc(
        `порог ${fmt(param(themes, 'threshold'))}, вес сходства ${fmt(param(themes, 'simWeight'))}, вес определённых терминов ${fmt(param(themes, 'contextWeight'))}; ` +
          (param(themes, 'calibrated') ? `откалибровано для ${fmt(param(themes, 'family'))}` : 'без калибровки: только совпадение терминов'),
      ),
    ],
    [
      'Калибровка тем',
      cal
        ? esc(`${ctx.meta.calibrationFile}: micro-F1 ${fmt(cal.microF1)} на ${fmt(cal.items)} размеченных рекомендациях (${fmt(cal.gold)}), дата ${fmt(cal.calibratedAt)}`)
        : `<span class="missing">${esc(`нет записи для этого эмбеддера в ${ctx.meta.calibrationFile}`)}</span>`,
    ],
    ['Повторяющиеся темы', esc(clusters ? `k-means, k = ${fmt(k)} (по силуэту${silhouette && k !== undefined ? ` ${fmt(silhouette[String(k)])}` : ''}), seed ${fmt(param(clusters, 'seed'))}, группы меньше ${fmt(param(clusters, 'minClusterSize'))} распускаются` : 'не рассчитаны')],
    [
      'Почти дубликаты',
      esc(similar ? `косинусное сходство не ниже ${fmt(param(similar, 'threshold'))} (${fmt(param(similar, 'threshold_source'))}), метод ${fmt(param(similar, 'method'))}` : 'не рассчитаны (not computed yet)'),
    ],
    [
      'Адресаты',
      esc(
        run('addressees')
          ? `написания адресатов сведены к органам и видам органов правилами pipeline/addressees (известные федеральные органы, виды органов одного уровня, расшифровки «(далее – …)» в самих резолюциях, инициалы полных названий, файл ${fmt(param(run('addressees'), 'aliases_file'))}); нерасшифрованные сокращения и похожие названия не объединяются наугад, а выводятся на проверку (confrec addressees --review)`
          : 'не сведены (этап addressees не выполнялся)',
      ),
    ],
    [
      'Повторяющиеся предложения',
      esc(
        run('recurring')
          ? `группы почти дубликатов (объединённые, если их типичные формулировки — почти дубликаты друг друга), встречающиеся не менее чем в ${fmt(param(run('recurring'), 'minConferences'))} конференциях и в ${fmt(param(run('recurring'), 'minYears'))} разных годах; «повторяет прежние» — у рекомендации есть почти дубликат в резолюции более раннего года (или более ранней даты того же года)`
          : 'не рассчитаны (этап recurring не выполнялся)',
      ),
    ],
    [
      'Правила отчёта',
      esc(
        `годы с числом резолюций меньше ${MIN_DOCS_PER_YEAR} не участвуют в оценке динамики; изменение доли меньше ${STABLE_POINTS * 100} п. п. считается отсутствием изменений; ` +
          `доли по группам сравниваются при ${MIN_GROUP_RECS} и более рекомендациях; «повторяющаяся тема» — группа, встречающаяся в двух и более конференциях.`,
      ),
    ],
  ]);
  const e = d.exclusions;
  const issues = e.issues.length
    ? `<h3>Не прочитанные файлы (${formatInt(e.issuesTotal)})</h3>` +
      table(e.issues, [
        { head: 'Файл', cell: (i) => esc(i.source_file) },
        { head: 'Причина', cell: (i) => esc(ingestReasonRu(i.reason)) },
      ]) +
      more(e.issuesTotal > e.issues.length ? `и ещё ${count(e.issuesTotal - e.issues.length, WORDS.file)} — см. confrec status` : null)
    : '<p>Все файлы прочитаны.</p>';
  const flagged = e.flagged.length
    ? `<h3>Резолюции без рекомендаций (${formatInt(e.flaggedTotal)})</h3>` +
      table(e.flagged, [
        { head: 'Файл', cell: (f) => `<a href="${docHref(f.doc_id)}">${esc(f.source_file)}</a>` },
        { head: 'Причина', cell: (f) => orMissing(f.reason === null ? null : segmentReasonRu(f.reason)) },
      ]) +
      more(e.flaggedTotal > e.flagged.length ? `и ещё ${count(e.flaggedTotal - e.flagged.length, WORDS.resolution)} — см. confrec status` : null)
    : '<p>Во всех резолюциях найдены рекомендации.</p>';
  const review = e.review.length
    ? `<h3>Резолюции, сегментацию которых стоит проверить (${formatInt(e.reviewTotal)})</h3>` +
      table(e.review, [
        { head: 'Файл', cell: (f) => `<a href="${docHref(f.doc_id)}">${esc(f.source_file)}</a>` },
        { head: 'Почему', cell: (f) => esc(f.reasons.map(reviewReasonLabel).join('; ')) },
      ]) +
      more(e.reviewTotal > e.review.length ? `и ещё ${count(e.reviewTotal - e.review.length, WORDS.resolution)} — см. confrec status` : null) +
      `<p class="muted">${esc('Разбор по строкам: confrec segment --explain <файл>; исправить без программирования — файл <имя>.segments.json рядом с документом.')}</p>`
    : '';
  const dir = typeof ingest?.params.dir === 'string' ? ingest.params.dir : '<папка с резолюциями>';
  const commands = [
    `confrec run ${dir} --db ${ctx.meta.dbPath}`,
    `confrec report --db ${ctx.meta.dbPath} --out ${ctx.meta.outDir} --pdf`,
    `# любое число отчёта можно пересчитать из выгрузки (темы и кластер у каждой рекомендации):`,
    `confrec export recommendations --db ${ctx.meta.dbPath} --format csv --out recommendations.csv`,
  ].join('\n');
  const body = [
    takeaway(methodologyTakeaway(d, ctx.meta.reportRunId)),
    '<h3>Прогоны, по которым построен отчёт</h3>',
    runs,
    `<p class="muted">${esc(`Отчёт: прогон №${ctx.meta.reportRunId}, построен ${ctx.meta.generatedAt}, версия кода ${ctx.meta.codeVersion}, база ${ctx.meta.dbPath}.`)}</p>`,
    '<h3>Модели и пороги</h3>',
    models,
    '<h3>Откуда взят текст</h3>',
    textSourcesParagraph(d),
    '<h3>Что исключено и почему</h3>',
    `<p>${esc(
      `Анализ идёт только по текущим версиям файлов${d.overview.superseded ? `: ${count(d.overview.superseded, WORDS.version)} изменённых позже файлов хранятся в базе для истории, но не учитываются` : ''}. ` +
        'Списки целей, задач и оценочные пункты («отметить», «одобрить») рекомендациями не считаются.',
    )}</p>`,
    issues,
    flagged,
    review,
    '<h3>Как воспроизвести</h3>',
    `<pre>${esc(commands)}</pre>`,
  ];
  return { id: 'methodology', title: '9. Методология', body: body.join('\n') };
}

// appendices ---------------------------------------------------------------------------------------

export function sourcesSection(ctx: ReportContext): SectionHtml {
  const recs = [...ctx.cited.values()];
  const items = recs.map(
    (r) =>
      `<div class="source" id="rec-${esc(r.rec_id)}"><div class="meta"><b>${esc(r.source_file)}:${r.line_start}${r.line_end !== r.line_start ? `–${r.line_end}` : ''}</b> · ` +
      `${conferenceLink(r, 90)} · адресат: ${esc(r.addressee ?? addresseeLabel(r.addressee_type))} · глагол: ${orMissing(r.verb)} · <span class="muted">id ${esc(r.rec_id)}</span></div>` +
      `<p>${esc(r.text)}</p></div>`,
  );
  const body = [
    `<p class="muted">${esc(`Все ${count(recs.length, WORDS.recommendation)}, процитированные в отчёте, полностью, с файлом и строкой исходного документа. Упорядочены по дате конференции.`)}</p>`,
    items.join('\n'),
  ];
  return { id: 'sources', title: 'Приложение А. Источники', body: body.join('\n'), appendix: true };
}

/**
 * The appendix register: every conference, or above LIMITS.registerRows those the other sections
 * link to (`linked`: their doc_ids), so every link of the report still lands on its row.
 */
export function registerSection(ctx: ReportContext, linked: ReadonlySet<string>): SectionHtml {
  const all = ctx.data.documents;
  const whole = all.length <= LIMITS.registerRows;
  const rows = whole ? all : all.filter((d) => linked.has(d.doc_id));
  const note = whole
    ? `Все ${count(all.length, WORDS.resolution)} в хронологическом порядке, по строке на конференцию; длинные значения сокращены (полностью — во всплывающей подсказке и в базе: confrec export documents).`
    : `${count(rows.length, WORDS.conference)} из ${formatInt(all.length)}, на которые ссылается отчёт, в хронологическом порядке. ` +
      `Реестр всех ${count(all.length, WORDS.resolution)} занял бы при печати около ${formatInt(Math.round(all.length / 77))} страниц; ` +
      `он — в базе (таблица documents) и в выгрузке: confrec export documents --format csv --out конференции.csv.`;
  return {
    id: 'register',
    title: 'Приложение Б. Реестр конференций',
    body: `<p class="muted">${esc(note)}</p>\n` + compactRegisterTable(ctx, rows),
    appendix: true,
  };
}

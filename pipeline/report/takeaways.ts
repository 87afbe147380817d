/**
 * The plain-language sentences of the report, computed from query results. Pure functions: no
 * database, no HTML (the page escapes what they return), so every wording rule is tested on tables.
 */
import type { GroupThemeRow, ReportData, Theme, VerbProfileRow, YearThemeRow } from './data.js';
import { addresseeLabel } from './labels.js';
import { WORDS, count, formatInt, formatPercent, formatPoints, formatRatio, plural, sentence, yearSpan } from './russian.js';
import { VERB_CLASS_ORDER, type VerbClassId } from './verb-classes.js';

export { plural, count, formatPercent, formatPoints, sentence, yearSpan, WORDS } from './russian.js';

/** A year with fewer conferences than this is shown but not used for trends: one resolution can swing a share. */
export const MIN_DOCS_PER_YEAR = 3;
/** Changes of a share below this (2 percentage points) are reported as no change. */
export const STABLE_POINTS = 0.02;
/** A group (level, addressee type) needs this many recommendations before its shares are compared. */
export const MIN_GROUP_RECS = 10;

export type Change = 'strong_up' | 'up' | 'stable' | 'down' | 'strong_down';

/** Growth or decline of a share; "strong" when the share changes by half of itself or more. */
export function classifyChange(from: number, to: number): Change {
  const delta = to - from;
  if (Math.abs(delta) < STABLE_POINTS) return 'stable';
  const relative = from > 0 ? Math.abs(delta) / from : Infinity;
  if (delta > 0) return relative >= 0.5 ? 'strong_up' : 'up';
  return relative >= 0.5 ? 'strong_down' : 'down';
}

/** The verb for «доля …» (feminine) that describes the change. */
export function changeVerb(change: Change): string {
  return {
    strong_up: 'заметно выросла',
    up: 'выросла',
    stable: 'почти не изменилась',
    down: 'снизилась',
    strong_down: 'заметно снизилась',
  }[change];
}

export interface YearTotals { year: number; docs: number; recs: number }

export function yearTotals(rows: readonly YearThemeRow[]): YearTotals[] {
  const byYear = new Map<number, YearTotals>();
  for (const r of rows) if (!byYear.has(r.year)) byYear.set(r.year, { year: r.year, docs: r.docs, recs: r.recs });
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** Years with enough conferences (and at least one recommendation) to carry a share. */
export function reliableYears(years: readonly YearTotals[], minDocs = MIN_DOCS_PER_YEAR): number[] {
  return years.filter((y) => y.docs >= minDocs && y.recs > 0).map((y) => y.year);
}

export interface ThemeTrend {
  theme_id: string;
  from: number;
  to: number;
  early: [number, number];
  late: [number, number];
  change: Change;
}

/**
 * Share of each theme in the earliest reliable years against the latest ones (up to three years
 * pooled on each side, so one unusual year does not make a trend). Empty with fewer than two
 * reliable years: there is nothing honest to compare.
 */
export function themeTrends(rows: readonly YearThemeRow[], minDocs = MIN_DOCS_PER_YEAR): ThemeTrend[] {
  const reliable = reliableYears(yearTotals(rows), minDocs);
  if (reliable.length < 2) return [];
  const w = Math.min(3, Math.floor(reliable.length / 2));
  const early = reliable.slice(0, w);
  const late = reliable.slice(-w);
  const themes = [...new Set(rows.map((r) => r.theme_id))];
  const pooled = (theme: string, years: number[]) => {
    const sel = rows.filter((r) => r.theme_id === theme && years.includes(r.year));
    const recs = sel.reduce((s, r) => s + r.recs, 0);
    return recs ? sel.reduce((s, r) => s + r.n, 0) / recs : 0;
  };
  return themes.map((theme_id) => {
    const from = pooled(theme_id, early);
    const to = pooled(theme_id, late);
    return { theme_id, from, to, early: [early[0], early[early.length - 1]], late: [late[0], late[late.length - 1]], change: classifyChange(from, to) };
  });
}

export function trendSentence(label: string, t: ThemeTrend): string {
  const a = `${formatPercent(t.from)} (${yearSpan(...t.early)})`;
  const b = `${formatPercent(t.to)} (${yearSpan(...t.late)})`;
  if (t.change === 'stable') return `Доля темы «${label}» почти не изменилась: ${a} и ${b}.`;
  return sentence(`Доля темы «${label}» ${changeVerb(t.change)} с ${a} до ${b}, ${formatPoints(t.to - t.from)}`);
}

export interface Lift { grp: string | null; theme_id: string; share: number; overall: number; ratio: number; n: number; recs: number }

/** Groups that are leftovers, not a kind of addressee: a finding about them tells a director nothing. */
export const UNINFORMATIVE_GROUPS = new Set(['other', 'none']);

/** The group × theme where a theme is most over-represented compared with all recommendations. */
export function strongestLift(rows: readonly GroupThemeRow[], themes: readonly Theme[], minRecs = MIN_GROUP_RECS): Lift | null {
  const overall = new Map(themes.map((t) => [t.theme_id, t.total ? t.n / t.total : 0]));
  let best: Lift | null = null;
  for (const r of rows) {
    const base = overall.get(r.theme_id) ?? 0;
    if (r.recs < minRecs || base === 0 || r.n < 3 || (r.grp !== null && UNINFORMATIVE_GROUPS.has(r.grp))) continue;
    const share = r.n / r.recs;
    const ratio = share / base;
    if (ratio >= 1.3 && (!best || ratio > best.ratio)) best = { grp: r.grp, theme_id: r.theme_id, share, overall: base, ratio, n: r.n, recs: r.recs };
  }
  return best;
}

export interface ClassShares { total: number; shares: Record<VerbClassId, number> }

/** Share of each verb class, over all recommendations or one addressee type. */
export function verbClassShares(rows: readonly VerbProfileRow[], addresseeType?: string): ClassShares {
  const sel = addresseeType === undefined ? rows : rows.filter((r) => r.addressee_type === addresseeType);
  const total = sel.reduce((s, r) => s + r.n, 0);
  const shares = Object.fromEntries(VERB_CLASS_ORDER.map((c) => [c, 0])) as Record<VerbClassId, number>;
  for (const r of sel) shares[r.cls] += total ? r.n / total : 0;
  return { total, shares };
}

type Labels = ReadonlyMap<string, string>;
const themeName = (labels: Labels, id: string) => labels.get(id) ?? id;

// --- section paragraphs ----------------------------------------------------------------------------

export function summaryParagraph(d: ReportData): string {
  const o = d.overview;
  if (o.documents === 0) return 'В базе пока нет ни одной резолюции: запустите `confrec run <папка>`, затем постройте отчёт снова.';
  const parts = [
    o.first_year === null
      ? `В базе ${count(o.documents, WORDS.resolution)} конференций; год проведения не указан ни в одной из них.`
      : `В базе ${count(o.documents, WORDS.resolution)} конференций ${yearSpan(o.first_year, o.last_year)} (данные есть за ${count(o.years, WORDS.year)}).`,
  ];
  parts.push(
    o.regions > 0
      ? `Конференции прошли в ${formatInt(o.regions)} ${plural(o.regions, ['регионе', 'регионах', 'регионах'])}${o.docs_without_region ? ` (у ${count(o.docs_without_region, WORDS.resolutionOf)} регион не указан)` : ''}.`
      : 'Регион не указан ни в одной резолюции.',
  );
  const perDoc = o.documents ? o.recommendations / o.documents : 0;
  parts.push(
    `Из резолюций ${plural(o.recommendations, ['выделена', 'выделены', 'выделено'])} ${formatInt(o.recommendations)} ${plural(o.recommendations, WORDS.recommendation)} — в среднем ${formatRatio(perDoc)} на резолюцию; ` +
      `${formatPercent(o.recommendations ? o.with_theme / o.recommendations : 0)} из них относятся хотя бы к одной из отслеживаемых тем.`,
  );
  if (o.docs_without_year) parts.push(`У ${count(o.docs_without_year, WORDS.resolutionOf)} год не указан: они учтены в итогах, но не на графиках по годам.`);
  return parts.join(' ');
}

/** 3–5 findings a director should remember, most important first. */
export function keyFindings(d: ReportData, labels: Labels): string[] {
  const out: string[] = [];
  const themes = d.themes.filter((t) => t.n > 0);
  if (themes.length) {
    const [a, b] = themes;
    out.push(
      `Самая частая тема — «${themeName(labels, a.theme_id)}»: ${count(a.n, WORDS.recommendation)} (${formatPercent(a.n / a.total)} всех)` +
        (b ? `; за ней «${themeName(labels, b.theme_id)}» (${formatPercent(b.n / b.total)}).` : '.'),
    );
  }
  const trends = themeTrends(d.themesByYear);
  const moving = trends.filter((t) => t.change !== 'stable').sort((x, y) => Math.abs(y.to - y.from) - Math.abs(x.to - x.from));
  if (trends.length === 0) {
    out.push(`Рост или спад тем оценить нельзя: меньше двух лет, за которые есть хотя бы ${MIN_DOCS_PER_YEAR} резолюции.`);
  } else if (moving.length === 0) {
    out.push(`Доли тем от начала к концу периода почти не изменились (меньше чем на ${formatPoints(STABLE_POINTS).replace('+', '')}).`);
  } else {
    const up = moving.find((t) => t.to > t.from);
    const down = moving.find((t) => t.to < t.from);
    for (const t of [up, down]) if (t) out.push(trendSentence(themeName(labels, t.theme_id), t));
  }
  const c = d.clusters[0];
  if (c) {
    out.push(
      sentence(
        `Чаще всего от конференции к конференции повторяется тема «${c.label}»: ${count(c.size, WORDS.recommendation)} в ${count(c.n_documents, WORDS.conferenceIn)}` +
          `${c.first_year !== null ? ` за ${yearSpan(c.first_year, c.last_year)}` : ''}`,
      ),
    );
  }
  const dup = d.duplicates?.groups[0];
  if (dup) {
    out.push(
      `Почти дословно одни и те же рекомендации переходят из резолюции в резолюцию: ${count(d.duplicates!.totals.cross_document_groups, WORDS.group)} таких формулировок, ` +
        `самая частая — в ${count(dup.n_docs, WORDS.conferenceIn)}${dup.first_year !== null ? ` (${yearSpan(dup.first_year, dup.last_year)})` : ''}.`,
    );
  }
  const rp = d.recurring;
  if (rp && rp.totals.proposals > 0) {
    out.push(
      `${count(rp.totals.proposals, ['предложение вносится', 'предложения вносятся', 'предложений вносятся'])} снова и снова — не менее чем в трёх конференциях за три разных года` +
        (rp.totals.last_year !== null ? `; ${formatInt(rp.totals.still_open)} из них ${plural(rp.totals.still_open, ['звучит', 'звучат', 'звучат'])} и в ${rp.totals.last_year}${'\u00a0'}г.` : '.'),
    );
  }
  const v = verbClassShares(d.verbProfile);
  if (v.total > 0 && out.length < 5) out.push(continuationSentence(v));
  return out.slice(0, 5);
}

function continuationSentence(v: ClassShares): string {
  const cont = v.shares.continuation;
  const init = v.shares.initiative;
  const lead =
    Math.abs(cont - init) < STABLE_POINTS
      ? 'Продолжать начатое и начинать новое резолюции предлагают одинаково часто'
      : cont > init
        ? 'Резолюции чаще предлагают продолжать начатое, чем начинать новое'
        : 'Резолюции чаще предлагают начинать новое, чем продолжать начатое';
  return `${lead}: ${formatPercent(cont)} рекомендаций против ${formatPercent(init)}.`;
}

export function conferencesTakeaway(d: ReportData): string {
  const o = d.overview;
  if (o.documents === 0) return 'Конференций в базе нет.';
  const parts: string[] = [];
  const levels = d.docsByLevel.filter((l) => l.level !== null);
  if (levels.length === 1 || (levels.length > 1 && levels[0].docs > levels[1].docs)) {
    const top = levels[0];
    parts.push(`Больше всего резолюций у конференций уровня «${top.level}» — ${formatInt(top.docs)} из ${formatInt(o.documents)} (${formatPercent(top.docs / o.documents)}).`);
  } else if (levels.length > 1) {
    // A tie at the top: naming one level "the most frequent" would be an artefact of sort order.
    const shown = levels.slice(0, 5).map((l) => `«${l.level}» — ${formatInt(l.docs)}`);
    parts.push(`Явно преобладающего уровня нет: ${shown.join(', ')}${levels.length > 5 ? ' и другие' : ''}.`);
  }
  const years = new Map<number, number>();
  for (const r of d.docsByYearLevel) years.set(r.year, (years.get(r.year) ?? 0) + r.docs);
  if (years.size > 1) {
    const ranked = [...years].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const [peakYear, peak] = ranked[0];
    const thin = [...years].filter(([, n]) => n < MIN_DOCS_PER_YEAR).map(([y]) => y);
    if (peak > ranked[1][1]) parts.push(`Больше всего резолюций пришлось на ${peakYear}${'\u00a0'}г. (${formatInt(peak)}).`);
    if (thin.length) {
      parts.push(
        `За ${thin.length === 1 ? `${thin[0]} г.` : `${count(thin.length, WORDS.year)} (${thin.join(', ')})`} в базе меньше ${MIN_DOCS_PER_YEAR} резолюций — выводы по ним ненадёжны.`,
      );
    }
  }
  const missing = [
    ['уровень', d.documents.filter((r) => r.level === null).length],
    ['дата', d.documents.filter((r) => r.date_start === null).length],
    ['число участников', d.documents.filter((r) => r.participants === null).length],
  ] as const;
  const gaps = missing.filter(([, n]) => n > 0).map(([what, n]) => `${what} — у ${formatInt(n)}`);
  parts.push(gaps.length ? `Метаданные неполны: не указаны ${gaps.join(', ')}; в таблице такие поля помечены «не указано».` : 'Метаданные (уровень, дата, участники) указаны у всех резолюций.');
  if (o.docs_without_recs) parts.push(`В ${count(o.docs_without_recs, ['резолюции', 'резолюциях', 'резолюциях'])} рекомендации не найдены (см. «Методология»).`);
  return parts.join(' ');
}

export function themesTakeaway(d: ReportData, labels: Labels): string {
  const o = d.overview;
  const themes = d.themes;
  if (o.recommendations === 0 || themes.length === 0) return 'Темы не рассчитаны: нет рекомендаций или не выполнен этап themes.';
  const parts = [
    `Хотя бы к одной из ${count(themes.length, WORDS.themeOf)} относится ${formatPercent(o.with_theme / o.recommendations)} рекомендаций; одна рекомендация может касаться нескольких тем, поэтому доли не складываются в 100${'\u00a0'}%.`,
  ];
  const sorted = [...themes].sort((a, b) => b.n - a.n);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (sorted.length > 1 && first.n > 0) {
    parts.push(`Чаще всего встречается «${themeName(labels, first.theme_id)}» (${formatPercent(first.n / first.total)}), реже всего — «${themeName(labels, last.theme_id)}» (${formatPercent(last.n / last.total)}).`);
  }
  const trends = themeTrends(d.themesByYear);
  const reliable = reliableYears(yearTotals(d.themesByYear));
  if (trends.length === 0) {
    parts.push(`Динамику по годам оценить нельзя: лет, за которые есть хотя бы ${MIN_DOCS_PER_YEAR} резолюции, меньше двух; график по годам показывает данные как есть.`);
  } else {
    const moving = trends.filter((t) => t.change !== 'stable').sort((x, y) => Math.abs(y.to - y.from) - Math.abs(x.to - x.from));
    if (moving.length) parts.push(...moving.slice(0, 2).map((t) => trendSentence(themeName(labels, t.theme_id), t)));
    else parts.push('Доли тем от начала к концу периода почти не изменились.');
    const thin = yearTotals(d.themesByYear).filter((y) => !reliable.includes(y.year)).length;
    if (thin) parts.push(`${count(thin, WORDS.year)} с менее чем ${MIN_DOCS_PER_YEAR} резолюциями в сравнении не ${plural(thin, ['участвует', 'участвуют', 'участвуют'])}.`);
  }
  const byAddressee = strongestLift(d.themesByAddressee, themes);
  if (byAddressee) {
    parts.push(
      `Сильнее всего адресаты различаются по теме «${themeName(labels, byAddressee.theme_id)}»: у адресата «${addresseeLabel(byAddressee.grp)}» она встречается в ${formatRatio(byAddressee.ratio)} раза чаще среднего (${formatPercent(byAddressee.share)} против ${formatPercent(byAddressee.overall)}).`,
    );
  }
  const byLevel = strongestLift(d.themesByLevel.filter((r) => r.grp !== null), themes);
  if (byLevel) {
    parts.push(
      `По уровню конференций выделяется «${byLevel.grp}»: тема «${themeName(labels, byLevel.theme_id)}» там занимает ${formatPercent(byLevel.share)} рекомендаций при ${formatPercent(byLevel.overall)} в среднем.`,
    );
  }
  return parts.join(' ');
}

/** The shown recurring themes' shares of each year's recommendations, early against late years (as for seeded themes). */
export function clusterTrends(d: ReportData): ThemeTrend[] {
  const years = yearTotals(d.themesByYear);
  const rows: YearThemeRow[] = [];
  for (const c of d.clusters) {
    for (const y of years) {
      const n = d.clusterYears.find((r) => r.cluster_id === c.cluster_id && r.year === y.year)?.n ?? 0;
      rows.push({ year: y.year, docs: y.docs, recs: y.recs, theme_id: String(c.cluster_id), n });
    }
  }
  return themeTrends(rows);
}

export function recurringTakeaway(d: ReportData): string {
  const t = d.clusterTotals;
  if (t.clusters === 0) return 'Повторяющиеся темы не выделены: этап clusters не выполнен или рекомендаций слишком мало.';
  const o = d.overview;
  const parts = [
    `Автоматическая группировка нашла ${count(t.clusters, WORDS.groupAcc)} близких по смыслу рекомендаций; ${formatInt(t.recurring)} из них ${plural(t.recurring, ['встречается', 'встречаются', 'встречаются'])} в двух и более конференциях и ${plural(t.recurring, ['охватывает', 'охватывают', 'охватывают'])} ${formatPercent(o.recommendations ? t.in_recurring / o.recommendations : 0)} всех рекомендаций.`,
  ];
  const c = d.clusters[0];
  if (c) {
    parts.push(sentence(`Шире всего повторяется «${c.label}» — ${count(c.n_documents, WORDS.conference)}${c.first_year !== null ? `, ${yearSpan(c.first_year, c.last_year)}` : ''}`));
    const growing = clusterTrends(d)
      .filter((x) => x.change === 'strong_up' || x.change === 'up')
      .sort((a, b) => b.to - b.from - (a.to - a.from))[0];
    if (growing) {
      const label = d.clusters.find((x) => String(x.cluster_id) === growing.theme_id)!.label;
      parts.push(
        `Быстрее других растёт «${label}»: её доля среди рекомендаций года ${changeVerb(growing.change)} с ${formatPercent(growing.from)} (${yearSpan(...growing.early)}) до ${formatPercent(growing.to)} (${yearSpan(...growing.late)}).`,
      );
    }
    const long = d.clusters.filter((x) => x.first_year !== null && x.last_year !== null && x.last_year - x.first_year >= 5).length;
    if (long) parts.push(`${long === d.clusters.length && long > 1 ? 'Все показанные темы' : `${formatInt(long)} из ${formatInt(d.clusters.length)} показанных тем`} ${long === d.clusters.length && long > 1 ? 'держатся' : plural(long, ['держится', 'держатся', 'держатся'])} на повестке шесть лет и дольше: это устойчивые запросы, а не разовые идеи.`);
  } else parts.push('Ни одна из них не повторяется больше чем в одной конференции.');
  if (t.unclustered) parts.push(`${count(t.unclustered, WORDS.recommendation)} не ${plural(t.unclustered, ['вошла', 'вошли', 'вошли'])} ни в одну группу и ${plural(t.unclustered, ['учтена', 'учтены', 'учтены'])} отдельно.`);
  return parts.join(' ');
}

export function duplicatesTakeaway(d: ReportData): string {
  const dup = d.duplicates;
  if (!dup) return 'Почти дубликаты ещё не рассчитаны (not computed yet): этап поиска похожих рекомендаций (similar) на этой базе не выполнялся. Раздел заполнится после его запуска.';
  const t = dup.totals;
  if (t.cross_document_groups === 0) {
    return `Почти одинаковых рекомендаций в разных конференциях не найдено${t.pairs ? ` (внутри одной резолюции — ${count(t.pairs, WORDS.pair)})` : ''}: каждая резолюция формулирует предложения по-своему.`;
  }
  const g = dup.groups[0];
  return (
    `Почти одинаковые формулировки из разных конференций образуют ${count(t.cross_document_groups, WORDS.groupAcc)} (${count(t.cross_document_members, WORDS.recommendation)}). ` +
    `${sentence(`Самая большая группа объединяет формулировки из ${count(g.n_docs, WORDS.conferenceOf)}${g.first_year !== null ? ` ${yearSpan(g.first_year, g.last_year)}` : ''}`)} ` +
    'Повтор не обязательно плох — он показывает нерешённую задачу, к которой конференции возвращаются; стоит проверить, что было сделано по прошлым решениям.'
  );
}

export function actionsTakeaway(d: ReportData): string {
  const v = verbClassShares(d.verbProfile);
  if (v.total === 0) return 'Рекомендаций нет — профиль действий не построен.';
  const parts = [continuationSentence(v)];
  const types = [...new Set(d.verbProfile.map((r) => r.addressee_type))]
    .map((t) => ({ t, ...verbClassShares(d.verbProfile, t) }))
    .filter((x) => x.total >= MIN_GROUP_RECS && !UNINFORMATIVE_GROUPS.has(x.t));
  if (types.length > 1) {
    const init = [...types].sort((a, b) => b.shares.initiative - a.shares.initiative);
    const cont = [...types].sort((a, b) => b.shares.continuation - a.shares.continuation);
    const spread = Math.max(
      init[0].shares.initiative - init[init.length - 1].shares.initiative,
      cont[0].shares.continuation - cont[cont.length - 1].shares.continuation,
    );
    if (spread < 2 * STABLE_POINTS + 0.01) {
      parts.push(`Профиль почти одинаков у всех адресатов (различия не больше ${formatPoints(spread).replace('+', '')}): кому бы ни были адресованы рекомендации, соотношение «продолжить / начать» то же.`);
    } else {
      parts.push(`Больше всего новых инициатив ждут от адресата «${addresseeLabel(init[0].t)}» (${formatPercent(init[0].shares.initiative)} его рекомендаций),`);
      parts.push(`больше всего продолжения — от адресата «${addresseeLabel(cont[0].t)}» (${formatPercent(cont[0].shares.continuation)}).`);
    }
  }
  const top = d.topVerbs[0];
  if (top) parts.push(`Самый частый глагол — «${top.verb}»: ${count(top.n, WORDS.time)} в ${count(top.docs, WORDS.conferenceIn)}.`);
  const noVerb = v.shares.other;
  if (noVerb > 0.25) parts.push(`У ${formatPercent(noVerb)} рекомендаций глагол не попал ни в один класс — их стоит просмотреть вручную.`);
  return parts.join(' ');
}

export function methodologyTakeaway(d: ReportData, reportRunId: number): string {
  const ids = d.runs.map((r) => `№${r.run_id} (${r.stage})`).join(', ');
  const e = d.exclusions;
  const excluded: string[] = [];
  if (e.issuesTotal) excluded.push(`${count(e.issuesTotal, WORDS.file)} не удалось прочитать`);
  if (e.flaggedTotal) excluded.push(`в ${count(e.flaggedTotal, ['резолюции', 'резолюциях', 'резолюциях'])} не найдено ни одной рекомендации`);
  if (d.overview.superseded) excluded.push(`${count(d.overview.superseded, WORDS.version)} заменённых файлов ${plural(d.overview.superseded, ['хранится', 'хранятся', 'хранятся'])} только для истории`);
  return (
    `Отчёт №${reportRunId} построен по последним успешным прогонам этапов: ${ids || 'прогонов нет'}. ` +
    (excluded.length ? `Из анализа исключено: ${excluded.join('; ')}.` : 'Ни один файл не исключён из анализа.') +
    ' Все числа пересчитываются из базы DuckDB командами ниже.'
  );
}

import type { CitedRec, ReportData } from './data.js';
import { linkedDocIds, page, type SectionHtml } from './html.js';
import { addresseesSection } from './addressees.js';
import { recurringProposalsSection } from './recurring.js';
import { shortThemeLabel } from './labels.js';
import {
  actionsSection,
  conferencesSection,
  duplicatesSection,
  methodologySection,
  recurringSection,
  registerInline,
  registerSection,
  sourcesSection,
  summarySection,
  themesSection,
  type ReportContext,
  type ReportMeta,
} from './sections.js';

export const REPORT_TITLE = 'Рекомендации конференций: темы, тренды, повторы';

/** The nine sections every report has, in order (the appendices follow them). */
export const SECTION_IDS = ['summary', 'conferences', 'themes', 'recurring', 'duplicates', 'proposals', 'addressees', 'actions', 'methodology'] as const;

/** The whole report as one HTML string; pure given the data, so tests need no browser or database. */
export function renderReport(data: ReportData, cited: readonly CitedRec[], meta: ReportMeta): { html: string; sections: SectionHtml[] } {
  const ctx: ReportContext = {
    data,
    cited: new Map(cited.map((r) => [r.rec_id, r])),
    labels: new Map(data.themes.map((t) => [t.theme_id, shortThemeLabel(t.label_ru)])),
    fullLabels: new Map(data.themes.map((t) => [t.theme_id, t.label_ru])),
    meta,
  };
  const sections = [
    summarySection(ctx),
    conferencesSection(ctx),
    themesSection(ctx),
    recurringSection(ctx),
    duplicatesSection(ctx),
    recurringProposalsSection(ctx, '6. Повторяющиеся предложения'),
    addresseesSection(ctx, '7. Адресаты'),
    actionsSection(ctx),
    methodologySection(ctx),
    sourcesSection(ctx),
  ];
  if (!registerInline(data)) {
    // The conferences the sections link to: their rows must be in the register whatever its size.
    const linked = new Set<string>();
    for (const s of sections) for (const id of linkedDocIds(s.body)) linked.add(id);
    sections.push(registerSection(ctx, linked));
  }
  const runs = data.runs.map((r) => `№${r.run_id}`).join(', ');
  const subtitle =
    `Аналитическая справка для руководства · построена ${meta.generatedAt} · отчёт №${meta.reportRunId} по прогонам ${runs || '—'} · ` +
    `версия кода ${meta.codeVersion}`;
  return { html: page({ title: REPORT_TITLE, subtitle }, sections), sections };
}

import { DEADLINE_LINE_RE, RESPONSIBLE_LINE_RE } from '../deadline.js';
import { defineRule } from './registry.js';

export const PROTOCOL_DECIDED = defineRule({
  id: 'protocol.decided',
  family: 'protocol',
  role: 'lead-in',
  summary: 'A protocol\'s "РЕШИЛИ:", "ПОСТАНОВИЛИ:", "Педагогический совет решил:" opens the decisions of an agenda item; what follows on the line or below is operative.',
  example: 'РЕШИЛИ:',
});

export const PROTOCOL_HEARD = defineRule({
  id: 'protocol.heard',
  family: 'protocol',
  role: 'trap',
  summary: '"СЛУШАЛИ:", "ВЫСТУПИЛИ:" and the agenda report what was said; their proposals are speech, not decisions, until the next "РЕШИЛИ:".',
  example: '1. СЛУШАЛИ: заместителя директора по УВР …',
});

export const PROTOCOL_RESPONSIBLE = defineRule({
  id: 'protocol.responsible-line',
  family: 'protocol',
  role: 'continuation',
  summary: 'A line "Ответственный: …" (or "Исполнитель: …") right after a decision belongs to it: the item\'s text runs on to include it and `responsible` takes its value.',
  example: 'Ответственный: заместитель директора по УВР Киреева Н.А.',
});

export const PROTOCOL_DEADLINE = defineRule({
  id: 'protocol.deadline-line',
  family: 'protocol',
  role: 'continuation',
  summary: 'A line "Срок: …" right after a decision belongs to it; `deadline` is its ISO date when a day is given ("до 01.09.2025"), the wording is kept in `deadline_text`.',
  example: 'Срок: до 01.09.2025.',
});

/** "РЕШИЛИ:", "Постановили:", "Педагогический совет решил:", "Решение:" — possibly numbered, possibly with text after the colon. */
export const DECIDED_RE = /^(?:[\p{L} ]{0,40}\s)?(?:решили|решил[аио]?|постановили|постановил[аио]?|постановляет|решение|решения)\s*[:–—-]/iu;

/** "СЛУШАЛИ:", "ВЫСТУПИЛИ:", "Выступили:", "ПОВЕСТКА ДНЯ" (possibly after the agenda number). */
export const HEARD_RE = /^(?:слушали|выступили|выступил[аи]?|докладчик|повестка(?:\s+дня)?|информация)\s*[:–—-]?/iu;

export function isMetaLine(s: string): boolean {
  return RESPONSIBLE_LINE_RE.test(s) || DEADLINE_LINE_RE.test(s);
}

export function metaRule(s: string): string {
  return RESPONSIBLE_LINE_RE.test(s) ? PROTOCOL_RESPONSIBLE.id : PROTOCOL_DEADLINE.id;
}

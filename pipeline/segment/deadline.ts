import { findDates } from '../ingest/metadata/dates.js';

/**
 * "Ответственный: …" and "Срок: …" — in a protocol's decisions these stand on lines of their own
 * under the item (or inside it); tables give them as cells. The responsible party is kept as written;
 * the deadline is an ISO date only when the text gives a day ("до 01.09.2025", "не позднее 1 сентября
 * 2025 г."; of a range, its end), otherwise null with the wording kept ("постоянно", "апрель 2024 г.").
 */
export const RESPONSIBLE_LINE_RE = /^(?:ответственн\p{L}*(?:\s+за\s+исполнение)?|отв\.|исполнител\p{L}*)\s*[:–—-]\s*/iu;
export const DEADLINE_LINE_RE = /^(?:срок\p{L}*(?:\s+(?:исполнения|выполнения|реализации))?|дата\s+исполнения)\s*[:–—-]\s*/iu;

const RESPONSIBLE_IN_TEXT = /(?:^|[\s.;,(])(?:ответственн\p{L}*(?:\s+за\s+исполнение)?|отв\.|исполнител\p{L}*)\s*[:–—-]\s*(.+?)(?=[.;,]?\s*(?:срок\p{L}*(?:\s+(?:исполнения|выполнения|реализации))?|дата\s+исполнения)\s*[:–—-]|[;)]|$)/iu;
const DEADLINE_IN_TEXT = /(?:^|[\s.;,(])(?:срок\p{L}*(?:\s+(?:исполнения|выполнения|реализации))?|дата\s+исполнения)\s*[:–—-]\s*(.+?)(?=[.;,]?\s*(?:ответственн\p{L}*|отв\.|исполнител\p{L}*)\s*[:–—-]|[;)]|$)/iu;

/** A cheap test before the two long patterns: most items state neither. */
const META_CUE = /срок|ответствен|отв\.|исполнител|дата\s+исполн/iu;

function tidy(s: string): string {
  let t = s.replace(/\s+/g, ' ').trim().replace(/[;,]+$/, '');
  // a final period goes unless it closes an initial ("Иванова Н.А.")
  if (/\.$/.test(t) && !/(?:^|[\s.])\p{Lu}\.$/u.test(t)) t = t.slice(0, -1);
  return t.trim();
}

/** The deadline as an ISO date, when the wording gives a day; the last date of a range. */
export function deadlineDate(wording: string): string | null {
  const dates = findDates(wording, () => ({ start: 0, end: wording.length }));
  const last = dates[dates.length - 1];
  if (!last || last.yearInferred) return null;
  return last.to;
}

export interface ItemMeta {
  responsible: string | null;
  deadline: string | null;
  deadlineText: string | null;
}

/** Responsible party and deadline stated in an item's text (its own lines included). */
export function itemMeta(text: string): ItemMeta {
  if (!META_CUE.test(text)) return { responsible: null, deadline: null, deadlineText: null };
  const r = RESPONSIBLE_IN_TEXT.exec(text);
  const d = DEADLINE_IN_TEXT.exec(text);
  const deadlineText = d ? tidy(d[1]) : null;
  let responsible = r ? tidy(r[1]) || null : null;
  // "… Киреева Н.А. Срок: …": the separator before "Срок" took the initial's period
  if (responsible && /(?:^|[\s.])\p{Lu}\.\p{Lu}$/u.test(responsible)) responsible += '.';
  return {
    responsible,
    deadline: deadlineText ? deadlineDate(deadlineText) : null,
    deadlineText: deadlineText || null,
  };
}

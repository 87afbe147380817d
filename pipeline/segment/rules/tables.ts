import type { Block, Cell } from '../blocks.js';
import { defineRule } from './registry.js';

export const TABLE_PLAN = defineRule({
  id: 'table.plan',
  family: 'tables',
  role: 'item',
  summary: 'A table whose header names a content column («Содержание», «Мероприятие», «Предложение», «Рекомендация») and an executor («Исполнитель», «Ответственный», «Адресат») or a deadline («Срок») column holds one recommendation per row: text = the content cell, addressee = the executor cell in the nominative, deadline = the «Срок» cell.',
  example: '№ | Содержание мероприятия | Исполнитель | Срок',
});

export const TABLE_OPERATIVE = defineRule({
  id: 'table.operative',
  family: 'tables',
  role: 'item',
  summary: 'A table without a recognisable header inside the operative part: the longest text cell of each row is the recommendation.',
  example: '1 | Провести семинар для тьюторов | ИРО | март 2025',
});

export const TABLE_PROGRAMME = defineRule({
  id: 'table.programme',
  family: 'tables',
  role: 'trap',
  summary: 'A table with «Время», «Спикер», «Докладчик», «Модератор» columns is a programme, and a table in a trap or appendix part is not read.',
  example: 'Время | Мероприятие | Спикер',
});

export const TABLE_HEADER = defineRule({
  id: 'table.header',
  family: 'tables',
  role: 'table-header',
  summary: 'The first row of a table names its columns.',
  example: '№ п/п | Мероприятие | Ответственный | Срок исполнения',
});

export const TABLE_GROUP_ROW = defineRule({
  id: 'table.group-row',
  family: 'tables',
  role: 'addressee',
  summary: 'A row with one filled cell (a number cell aside) inside a decision table without an executor column groups the rows below it under an addressee ("Органам местного самоуправления"); a cell that goes on to a verb ("Управлению образования провести …") is a row of its own.',
  example: '1. Органам местного самоуправления |  | ',
});

export interface TableColumns {
  kind: 'plan' | 'programme' | 'unknown';
  content: number | null;
  executor: number | null;
  deadline: number | null;
  number: number | null;
  /** The header row counts as a header (its cells name columns). */
  hasHeader: boolean;
}

const NUMBER_HEAD = /^(?:№|n|no\.?|п\/п|№\s*п\/п|#)$/iu;
const CONTENT_HEAD = /содержани|мероприяти|наименовани|предложени|рекомендаци|^меры?(?!\p{L})|действи|решени|поручени|что\s+сделать/iu;
const EXECUTOR_HEAD = /исполнител|ответственн|адресат|кому(?!\p{L})|субъект/iu;
const DEADLINE_HEAD = /срок|дата(?!\p{L})|период|когда/iu;
const PROGRAMME_HEAD = /время|спикер|докладчик|модератор|выступающ|тема\s+(?:доклада|выступления)|ведущ/iu;

/** Column roles from a table's first row. */
export function readHeader(header: readonly Cell[]): TableColumns {
  const find = (re: RegExp) => {
    const k = header.findIndex((c) => re.test(c.text));
    return k >= 0 ? k : null;
  };
  const number = find(NUMBER_HEAD);
  const executor = find(EXECUTOR_HEAD);
  const deadline = find(DEADLINE_HEAD);
  let content = header.findIndex((c, k) => k !== executor && k !== deadline && CONTENT_HEAD.test(c.text));
  const programme = header.some((c) => PROGRAMME_HEAD.test(c.text));
  const hasHeader = number !== null || executor !== null || deadline !== null || content >= 0 || programme;
  if (programme) return { kind: 'programme', content: content >= 0 ? content : null, executor, deadline, number, hasHeader };
  if (content < 0 && (executor !== null || deadline !== null)) {
    // "№ | Предлагаемая мера | Исполнитель": the content column is the other text column
    content = header.findIndex((_, k) => k !== executor && k !== deadline && k !== number);
  }
  if (content >= 0 && (executor !== null || deadline !== null)) return { kind: 'plan', content, executor, deadline, number, hasHeader };
  return { kind: 'unknown', content: content >= 0 ? content : null, executor, deadline, number, hasHeader };
}

/** The cell that holds the text of a row in a table without a known content column: the longest with letters. */
export function longestTextCell(row: Block): Cell | null {
  let best: Cell | null = null;
  for (const c of row.cells ?? []) if (/\p{L}{3,}/u.test(c.text) && (!best || c.text.length > best.text.length)) best = c;
  return best;
}

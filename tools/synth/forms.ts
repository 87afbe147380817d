/**
 * Just enough Russian inflection for the generator, written out by hand rather than computed by the
 * morphology the segmenter uses: the gold must not inherit the analyser's mistakes.
 */

/** The grammatical cases phrase banks are written in. */
export type Case = 'nom' | 'acc' | 'gen' | 'dat';

/**
 * A phrase with its case endings inline: "психолого-педагогическ{ое|ого|ому} сопровождени{е|я|ю}".
 * Alternatives are listed in the order of `order` (an empty alternative is allowed: "программ{ы||ам}").
 */
export function inflect(template: string, c: Case, order: readonly Case[]): string {
  const k = order.indexOf(c);
  if (k < 0) throw new Error(`case ${c} not in [${order.join(',')}] for "${template}"`);
  return template.replace(/\{([^{}]*)\}/g, (_, alts: string) => {
    const parts = alts.split('|');
    if (parts.length !== order.length) throw new Error(`"${template}": ${parts.length} forms, expected ${order.length}`);
    return parts[k];
  });
}

/** Object phrases are written acc|gen|dat: the cases verbs govern. */
export const OBJECT_CASES: readonly Case[] = ['acc', 'gen', 'dat'];
/** Titles are written nom|gen|dat: "Актуальные вопросы …", "Подходы к …". */
export const TITLE_CASES: readonly Case[] = ['nom', 'gen', 'dat'];

export type Gender = 'f' | 'm' | 'n' | 'pl';

/** An adjective's nominative and genitive in each gender, from its feminine nominative. */
export interface AdjForms {
  nom: Record<Gender, string>;
  gen: Record<Gender, string>;
}

/** "межрегиональная" → межрегиональный/-ое/-ые, "всероссийская" → всероссийский/-ие (velar stems). */
export function adjective(feminine: string): AdjForms {
  if (!feminine.endsWith('ая')) throw new Error(`not a feminine adjective: ${feminine}`);
  const stem = feminine.slice(0, -2);
  const soft = /[кгхжшчщ]$/.test(stem);
  return {
    nom: { f: `${stem}ая`, m: `${stem}${soft ? 'ий' : 'ый'}`, n: `${stem}ое`, pl: `${stem}${soft ? 'ие' : 'ые'}` },
    gen: { f: `${stem}ой`, m: `${stem}ого`, n: `${stem}ого`, pl: `${stem}${soft ? 'их' : 'ых'}` },
  };
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const ROMAN: [number, string][] = [
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

export function roman(n: number): string {
  let out = '';
  for (const [v, s] of ROMAN) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** Russian list letters skip ё, й, ъ, ы, ь. */
export const LIST_LETTERS = 'абвгдежзиклмнопрстуфхцчшщэюя';

/** Genitive plural is the only form after numbers ending in 0, 5–9 and 11–14; others need more forms. */
export function takesGenitivePlural(n: number): boolean {
  const last = n % 10;
  const lastTwo = n % 100;
  return (lastTwo >= 11 && lastTwo <= 14) || last === 0 || last >= 5;
}

export const MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

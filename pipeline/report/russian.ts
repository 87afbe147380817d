/** Russian number agreement and number formatting for the report's sentences. */

export const NBSP = '\u00a0';

/** Three forms of a noun: after 1 (21, 31…), after 2–4 (22–24…), after 5–20 and 0 (25–30…). */
export type Forms = readonly [one: string, few: string, many: string];

/** The form of a noun that agrees with n: 1 конференция, 2 конференции, 5 конференций, 11 конференций, 21 конференция. */
export function plural(n: number, forms: Forms): string {
  const abs = Math.abs(Math.trunc(n));
  const d10 = abs % 10;
  const d100 = abs % 100;
  if (d10 === 1 && d100 !== 11) return forms[0];
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return forms[1];
  return forms[2];
}

/** 1234567 → "1 234 567" (non-breaking spaces; four-digit numbers too, so columns of figures align). */
export function formatInt(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return n < 0 ? `−${grouped}` : grouped;
}

/** "5 конференций": the number and the agreeing noun, never split across lines. */
export function count(n: number, forms: Forms): string {
  return `${formatInt(n)}${NBSP}${plural(n, forms)}`;
}

/** A share 0..1 as "12 %" (one decimal below 10 %, where whole percents would hide differences). */
export function formatPercent(share: number): string {
  const p = share * 100;
  const text = p !== 0 && Math.abs(p) < 9.95 ? p.toFixed(1).replace('.', ',').replace(/,0$/, '') : String(Math.round(p));
  return `${text}${NBSP}%`;
}

/** A difference of shares in percentage points: "+8 п. п.". */
export function formatPoints(delta: number): string {
  const p = Math.round(delta * 1000) / 10;
  const text = Math.abs(p) < 10 ? Math.abs(p).toFixed(1).replace('.', ',').replace(/,0$/, '') : String(Math.round(Math.abs(p)));
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${text}${NBSP}п.${NBSP}п.`;
}

/** A ratio like 2.1 → "2,1". */
export function formatRatio(r: number): string {
  return r.toFixed(1).replace('.', ',');
}

/** "2017 г." or "2015–2017 гг."; "" when no year is known. */
export function yearSpan(first: number | null, last: number | null): string {
  if (first === null && last === null) return '';
  const a = first ?? last!;
  const b = last ?? first!;
  return a === b ? `${a}${NBSP}г.` : `${a}–${b}${NBSP}гг.`;
}

/** The nouns the report counts, in the cases its sentences need. */
export const WORDS = {
  conference: ['конференция', 'конференции', 'конференций'],
  /** "в 3 конференциях" (prepositional). */
  conferenceIn: ['конференции', 'конференциях', 'конференциях'],
  /** "из 3 конференций" (genitive). */
  conferenceOf: ['конференции', 'конференций', 'конференций'],
  resolution: ['резолюция', 'резолюции', 'резолюций'],
  /** "у 3 резолюций" (genitive). */
  resolutionOf: ['резолюции', 'резолюций', 'резолюций'],
  recommendation: ['рекомендация', 'рекомендации', 'рекомендаций'],
  /** "не меньше 5 рекомендаций" (genitive). */
  recommendationOf: ['рекомендации', 'рекомендаций', 'рекомендаций'],
  /** "выделила 3 рекомендации" (accusative). */
  recommendationAcc: ['рекомендацию', 'рекомендации', 'рекомендаций'],
  year: ['год', 'года', 'лет'],
  regionOf: ['региона', 'регионов', 'регионов'],
  groupAcc: ['группу', 'группы', 'групп'],
  group: ['группа', 'группы', 'групп'],
  themeOf: ['темы', 'тем', 'тем'],
  file: ['файл', 'файла', 'файлов'],
  time: ['раз', 'раза', 'раз'],
  version: ['версия', 'версии', 'версий'],
  pair: ['пара', 'пары', 'пар'],
} as const satisfies Record<string, Forms>;

/** Closes a sentence with one full stop: "… 2015–2017 гг." must not become "гг..". */
export function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

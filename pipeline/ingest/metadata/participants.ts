import type { Morph } from '../../text/morph.js';
import type { Layout } from './layout.js';
import { sliceOf } from './layout.js';
import { WB } from './text.js';

/** Nouns for people; a number counts participants only when it counts one of these. */
const PERSON_LEMMAS = new Set([
  'участник', 'человек', 'педагог', 'специалист', 'слушатель', 'гость', 'делегат', 'представитель',
  'руководитель', 'работник', 'учитель', 'воспитатель', 'психолог', 'педагог-психолог', 'студент',
  'школьник', 'ученик', 'обучающийся', 'эксперт', 'ученый', 'родитель', 'директор', 'заместитель',
  'методист', 'преподаватель', 'сотрудник', 'дефектолог', 'логопед', 'управленец', 'член', 'волонтер',
  'учащийся', 'студентка', 'участница', 'старшеклассник', 'выпускник', 'наставник', 'тьютор', 'советник', 'вожатый',
  'библиотекарь', 'инструктор', 'тренер',
]);

/** Numerals written in words, every case («трёхсот», «двухсот пятидесяти», «около тысячи»), ё as е. */
const NUMERAL_WORDS: [number, string][] = [
  [1, 'один|одного|одному|одним|одном|одна|одной'], [2, 'два|две|двух|двум|двумя'], [3, 'три|трех|трем|тремя'],
  [4, 'четыре|четырех|четырем|четырьмя'], [5, 'пять|пяти|пятью'], [6, 'шесть|шести|шестью'], [7, 'семь|семи|семью'],
  [8, 'восемь|восьми|восемью'], [9, 'девять|девяти|девятью'], [10, 'десять|десяти'], [11, 'одиннадцать|одиннадцати'],
  [12, 'двенадцать|двенадцати'], [13, 'тринадцать|тринадцати'], [14, 'четырнадцать|четырнадцати'], [15, 'пятнадцать|пятнадцати'],
  [16, 'шестнадцать|шестнадцати'], [17, 'семнадцать|семнадцати'], [18, 'восемнадцать|восемнадцати'], [19, 'девятнадцать|девятнадцати'],
  [20, 'двадцать|двадцати'], [30, 'тридцать|тридцати'], [40, 'сорок|сорока'], [50, 'пятьдесят|пятидесяти'], [60, 'шестьдесят|шестидесяти'],
  [70, 'семьдесят|семидесяти'], [80, 'восемьдесят|восьмидесяти'], [90, 'девяносто|девяноста'], [100, 'сто|ста|сотни|сотню'],
  [200, 'двести|двухсот|двумстам'], [300, 'триста|трехсот|тремстам'], [400, 'четыреста|четырехсот'], [500, 'пятьсот|пятисот'],
  [600, 'шестьсот|шестисот'], [700, 'семьсот|семисот'], [800, 'восемьсот|восьмисот'], [900, 'девятьсот|девятисот'],
  [1.5, 'полтора|полутора'], [1000, 'тысяча|тысячи|тысяч|тысячу|тысячей'],
];
const NUMERAL_VALUE = new Map(NUMERAL_WORDS.flatMap(([v, forms]) => forms.split('|').map((f) => [f, v] as const)));
const NUMERAL_ALT = [...NUMERAL_VALUE.keys()].sort((a, b) => b.length - a.length).join('|');
const NUMERAL_RUN_RE = new RegExp(`(?<!\\p{L})((?:(?:${NUMERAL_ALT})\\s+){0,3}(?:${NUMERAL_ALT}))(?!\\p{L})`, 'giu');

/** «двухсот пятидесяти» → 250, «около тысячи» → 1000, «полутора тысяч» → 1500. */
export function numeralValue(words: string): number | null {
  let total = 0;
  let group = 0;
  for (const w of words.toLowerCase().replace(/ё/g, 'е').split(/\s+/)) {
    const v = NUMERAL_VALUE.get(w);
    if (v === undefined) return null;
    if (v === 1000) {
      total += (group || 1) * 1000;
      group = 0;
    } else group += v;
  }
  const n = Math.round(total + group);
  return n >= 2 ? n : null;
}

/** The sentence must be about taking part ("приняли участие", "участников", "собрала"). */
const PARTICIPATION_RE = /участ|собрал|присутствова|зарегистрирова|объединил|подключил|делегат/iu;

// 1 200 and 1 200 are thousands separated by a (narrow) space; "тыс." multiplies
const NUMBER_RE = new RegExp(
  `${WB}(\\d{1,3}(?:[ \\u00A0\\u202F]\\d{3})+|\\d+(?:,\\d+)?)(\\s*(?:тыс\\.|тысяч\\p{L}*))?(?=\\s)`,
  'gu',
);

function toNumber(digits: string, thousands: boolean): number {
  const n = Number(digits.replace(/[ \u00A0\u202F]/g, '').replace(',', '.'));
  return Math.round(thousands ? n * 1000 : n);
}

/** Does a person noun follow, possibly after up to two adjectives ("70 педагогических работников")? */
function countsPeople(after: string, morph: Morph): boolean {
  // "740 педагогических и руководящих работников": coordinated adjectives before the noun
  const words = after.match(/^(?:\s+[\p{L}-]+){1,5}/u)?.[0].trim().split(/\s+/) ?? [];
  for (const w of words) {
    if (/^(?:и|или)$/iu.test(w)) continue;
    const parses = morph.parse(w);
    if (parses.some((p) => (p.pos === 'NOUN' || p.pos === 'ADJF') && PERSON_LEMMAS.has(p.lemma))) return true;
    // "учителей-логопедов", "педагогов-психологов": the first part names the person
    if (w.includes('-') && morph.parse(w.split('-')[0]).some((p) => p.pos === 'NOUN' && PERSON_LEMMAS.has(p.lemma))) return true;
    if (!parses.some((p) => p.pos === 'ADJF' || p.pos === 'PRTF')) return false;
  }
  return false;
}

const COUNT_PHRASE_RE = /(?:количеств|числ)\p{L}*\s+участник\p{L}*[^.\d]{0,40}?(\d{1,3}(?:[ \u00A0]\d{3})+|\d+)/iu;

/**
 * Taking part in something else than the event: "в конкурсе приняли участие 300 школьников",
 * "к проекту присоединились 96 школ", "обучение прошли 412 педагогов". Unless the sentence also names
 * the event, its numbers do not count the event's participants.
 */
const OTHER_ACTIVITY_RE = /(?:участ\p{L}*\s+в|^\s*в|(?<!\p{L})к)\s+(?:[\p{L}-]+\s+){0,3}?(?:конкурс|проект|олимпиад|акци|программ|курс|обучени|мониторинг|исследовани|опрос|анкетировани|движени|чемпионат|фестивал)/iu;
const EVENT_NAMED_RE = /конференц|форум|семинар|вебинар|совещани|кругл\p{L}*\s+стол|съезд|чтени|педсовет|заседани|собрани|мероприяти|его\s+работе|её\s+работе|работе\s+(?:секций|площадок)/iu;

export function extractParticipants(layout: Layout, morph: Morph): number | null {
  const { text } = layout;
  for (const s of [layout.head, ...layout.sentences]) {
    const sentence = sliceOf(text, s);
    if (!PARTICIPATION_RE.test(sentence)) continue;
    if (OTHER_ACTIVITY_RE.test(sentence) && !EVENT_NAMED_RE.test(sentence.replace(OTHER_ACTIVITY_RE, ''))) continue;
    // (a count of nobody — a stray «0» over «Участники …» — counts nothing)
    const phrase = COUNT_PHRASE_RE.exec(sentence);
    if (phrase && toNumber(phrase[1], false) > 0) return toNumber(phrase[1], false);
    const counts: { at: number; n: number }[] = [];
    for (const m of sentence.matchAll(NUMBER_RE)) {
      const before = sentence.slice(Math.max(0, m.index - 6), m.index);
      if (/(?:^|\s)(?:из|от|№)\s*$/iu.test(before)) continue; // "из 13 школ", "из 65 регионов"
      const after = sentence.slice(m.index + m[0].length, m.index + m[0].length + 60);
      if (toNumber(m[1], Boolean(m[2])) > 0 && countsPeople(after, morph)) counts.push({ at: m.index, n: toNumber(m[1], Boolean(m[2])) });
    }
    // «около трёхсот педагогов», «более пятисот педагогических и руководящих работников»
    for (const m of sentence.replace(/ё/g, 'е').matchAll(NUMERAL_RUN_RE)) {
      const before = sentence.slice(Math.max(0, m.index - 6), m.index);
      if (/(?:^|\s)(?:из|от)\s*$/iu.test(before)) continue;
      const n = numeralValue(m[1]);
      const after = sentence.slice(m.index + m[0].length, m.index + m[0].length + 60);
      if (n !== null && countsPeople(after, morph)) counts.push({ at: m.index, n });
    }
    if (counts.length) return counts.sort((a, b) => a.at - b.at)[0].n;
  }
  return null;
}

import type { Morph } from '../../text/morph.js';
import { wordTokens } from '../../text/tokenize.js';
import { dativeIsAmbiguous, isAbbreviation, startsWithCase, startsWithDative, toNominative } from '../addressee.js';
import { ACCUSATIVE_FRAMING, ADDRESSEE_HEAD_LEMMAS, FRAMING_LEMMAS, NECESSITY_LEMMAS, PLAN_LEMMAS, TRAP_KINDS, TRIGGER_LEMMAS, type TrapKind } from '../lexicon.js';
import { defineRule } from './registry.js';
import { memoByMorph } from '../memo.js';
import { collapse, lemmasOf, type Word } from './words.js';

/** An addressee as written and in the nominative. */
export interface Addressee {
  raw: string;
  nominative: string;
}

export const HEADING_SIZE = defineRule({
  id: 'heading.size',
  family: 'headings',
  role: 'addressee',
  summary: 'A heading (a line ending with ":" or a short line over a list) has at most this many words; longer lines are sentences.',
  example: 'Органам местного самоуправления, осуществляющим управление в сфере образования:',
  thresholds: {
    words: { value: 30, origin: 'seg-1: the longest addressee heading in the samples (resolution-04 #2) has 9 words, the synthetic generator’s longest 17; 30 leaves room for names of institutes' },
  },
});
export const HEADING_WORDS = 30;

export const ADDRESSEE_DATIVE = defineRule({
  id: 'heading.addressee-dative',
  family: 'headings',
  role: 'addressee',
  summary: 'A heading whose first word can only be a dative names the addressee of the items under it; a first word that could also be a nominative ("Администрации") needs no trap or trigger word in the heading.',
  example: 'Образовательным организациям:',
});

export const ADDRESSEE_ABBREVIATION = defineRule({
  id: 'heading.addressee-abbreviation',
  family: 'headings',
  role: 'addressee',
  summary: 'An organisation named by its abbreviation opens an addressee heading (abbreviations do not decline).',
  example: 'ГАУ ДПО СОИРО:',
});

export const ADDRESSEE_NOUN = defineRule({
  id: 'heading.addressee-noun',
  family: 'headings',
  role: 'addressee',
  summary: 'Inside the operative part, a short heading in the nominative whose first noun names a body or a group of people ("Образовательные организации:") is an addressee; any other colon line is not ("Срок:", "Модератор:").',
  example: 'Органы местного самоуправления:',
});

export const RECOMMEND_TO = defineRule({
  id: 'heading.recommend-to',
  family: 'headings',
  role: 'addressee',
  summary: 'A trigger verb followed by a dative (or, after "призываем/просим", an accusative) names the addressee of the list under it. After a trigger noun ("Рекомендации …", "Решение …") a word that can be a genitive is read as one (p7d: "Решение секции 3 «…»" is the section\'s decision, not one addressed to a section).',
  example: 'Рекомендовать органам местного самоуправления:',
});

export const APPEAL_LEAD_IN = defineRule({
  id: 'appeal.lead-in',
  family: 'appeals',
  role: 'addressee',
  summary: 'An appeal names its addressee in the lead-in: "обращаемся к X с просьбой:" (dative after "к"), "призываем X:", "просим X:" (accusative). The items under it are requests to X.',
  example: 'Обращаемся к Министерству образования Ярославской области с просьбой:',
});

export const TRIGGER = defineRule({
  id: 'heading.trigger',
  family: 'headings',
  role: 'lead-in',
  summary: 'A lead-in with a trigger word ("рекомендовать", "предложения", "решили", "считать необходимым") opens the operative part.',
  example: 'По итогам работы участники конференции рекомендуют:',
});

export const COMMITMENT = defineRule({
  id: 'heading.commitment',
  family: 'appeals',
  role: 'lead-in',
  summary: 'The participants\' own commitments («Мы, со своей стороны, обязуемся:», «Участники форума обязуются:») are recommendations without an addressee: the lead-in ends the scope of the addressee before it, a vocative («Уважаемые родители!») too.',
  example: 'Мы, со своей стороны, обязуемся: — проводить открытые родительские лектории;',
});

export const TRAP_HEADING = defineRule({
  id: 'trap.heading',
  family: 'traps',
  role: 'trap',
  summary: 'A lead-in naming goals, tasks, programme, sections, problems, observations, participants, speakers, results, links or topics introduces a list that is not recommendations.',
  example: 'Задачи конференции:',
});

export const SOURCE_HEADING = defineRule({
  id: 'heading.source',
  family: 'colons',
  role: 'narrative',
  summary: 'A colon line that says where the following proposals come from ("по итогам работы секции …:", "по результатам круглого стола …:"), or the name of one section ("Секция 1. «Семья и школа»"), groups them under the current addressee; it is not a list of sections, whatever it names.',
  example: 'по итогам работы секции «Семья и здоровье ребёнка»:',
});

/** "по итогам (работы) …", "по результатам (работы|обсуждения) …" at the start of a heading. */
const SOURCE_HEADING_RE = /^по\s+(?:итогам|результатам)\s/iu;

/**
 * "Секция 1. «Инклюзивная практика»", "Площадка № 2", "Секция «Семья и школа»": the name of one
 * section over the proposals it made, not a lead-in listing the sections ("Секции конференции:").
 */
const SECTION_NAME_RE = /^(?:тематическая\s+)?(?:секция|подсекция|площадка)\s*(?:№\s*)?(?:\d+|[IVXLC]+(?![\p{L}\d])|[«"“])/iu;

export const TRAP_PLANS = defineRule({
  id: 'trap.plans',
  family: 'traps',
  role: 'trap',
  summary: 'Planned measures ("планируется", "запланировано", "предстоит") are never recommendations, even in a lead-in that also has a trigger word.',
  example: 'В рамках проекта планируется:',
});

export const ADOPTED_PLAN = defineRule({
  id: 'heading.adopted-plan',
  family: 'tables',
  role: 'lead-in',
  summary: 'A plan of measures adopted by the event ("принят план мероприятий", "план мероприятий по реализации резолюции") is its operative part, although "план" alone introduces a trap.',
  example: 'По итогам совещания принят план мероприятий:',
});

export const OTHER_HEADING = defineRule({
  id: 'heading.other',
  family: 'colons',
  role: 'narrative',
  summary: 'A colon line that is neither addressee, trigger nor trap ("Дата проведения:", "Секция 2: инклюзия: …") is read as narrative: it names nobody.',
  example: 'Модератор: Кузнецова Ирина Владимировна',
});

export interface HeadingInfo {
  role: 'trigger' | 'addressee' | 'trap' | 'other';
  addressee: Addressee | null;
  rule: string;
  trapKind?: TrapKind;
}

/** Prepositions and conjunctions of a name in capitals ("КОМИТЕТ ПО ОБРАЗОВАНИЮ", "ОТДЕЛ ОБРАЗОВАНИЯ И …"): never abbreviations. */
const CAPS_FUNCTION_WORDS = new Set(['И', 'В', 'ВО', 'С', 'СО', 'ПО', 'НА', 'О', 'ОБ', 'К', 'КО', 'У', 'ЗА', 'ДЛЯ', 'ПРИ', 'ОТ', 'ДО', 'ИЗ', 'ИЛИ']);

/** Sentence case for headings typed in capitals ("ОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ"); abbreviations kept. */
export function decapitalise(phrase: string, morph: Morph): string {
  const letters = phrase.replace(/[^\p{L}]/gu, '');
  if (letters !== letters.toUpperCase()) return phrase;
  const isWord = (w: string) => w.length >= 3 && morph.parse(w).some((p) => p.known);
  if (!(phrase.match(/\p{L}+/gu) ?? []).some((w) => w.length >= 5 && isWord(w))) return phrase;
  const lowered = phrase.replace(/\p{L}+(?:-\p{L}+)*/gu, (token) => {
    const parts = token.split('-');
    // "ПСИХОЛОГО-ПЕДАГОГИЧЕСКОЙ": the first half of a compound is no word of its own
    if (parts.length > 1 && parts.some((w) => w.length >= 5 && isWord(w))) return parts.map((w) => (w.length >= 4 || isWord(w) ? w.toLowerCase() : w)).join('-');
    return parts.map((w) => (isWord(w) || CAPS_FUNCTION_WORDS.has(w) ? w.toLowerCase() : w)).join('-');
  });
  // Place adjectives stay proper names: "СТАВРОПОЛЬСКОГО КРАЯ" → "Ставропольского края".
  return lowered.replace(
    /(?<!\p{L})(\p{Ll}+(?:ской|ского|ская|ский|кой|кого|ая|ой|ого))(?=\s+(?:области|край|края|округа|республики|района|городского|муниципального)(?!\p{L}))/gu,
    (w) => w.charAt(0).toUpperCase() + w.slice(1),
  );
}

/** An addressee from a heading phrase in `fromCase` (dative by default). */
export function addresseeFrom(rawHeading: string, phrase: string, morph: Morph, fromCase: 'datv' | 'accs' | 'gent' | 'nomn' = 'datv'): Addressee {
  const clean = collapse(phrase).replace(/[\s:,.;!–—-]+$/, '');
  const sentence = decapitalise(clean, morph);
  const nominative = fromCase === 'nomn' ? sentence.charAt(0).toUpperCase() + sentence.slice(1) : toNominative(sentence, morph, fromCase);
  return { raw: collapse(rawHeading), nominative };
}

export function startsWithAbbreviation(phrase: string, morph: Morph): boolean {
  const first = wordTokens(phrase, 1)[0];
  return Boolean(first && isAbbreviation(first.text, morph));
}

/**
 * Kinds that say who spoke or that something was said, not what the list holds: «Участники
 * отметили следующие проблемы:» holds problems, «Участники отметили:» observations, «Участники
 * конференции:» participants. The first kind of the heading that is none of these wins, then the
 * reporting verb's, then the people's.
 */
const WEAK_TRAP_KINDS: readonly TrapKind[] = ['participants', 'observations'];

export function trapKindOf(words: readonly Word[]): TrapKind | null {
  let best: TrapKind | null = null;
  for (const w of words) {
    const k = TRAP_KINDS.get(w.lemma) ?? (w.verbLemma ? TRAP_KINDS.get(w.verbLemma) : undefined);
    if (!k) continue;
    if (!WEAK_TRAP_KINDS.includes(k)) return k;
    if (best === null || WEAK_TRAP_KINDS.indexOf(k) > WEAK_TRAP_KINDS.indexOf(best)) best = k;
  }
  return best;
}

export function isPlan(words: readonly Word[]): boolean {
  return words.some((w) => PLAN_LEMMAS.has(w.lemma) || (w.verbLemma !== null && PLAN_LEMMAS.has(w.verbLemma)));
}

function isFramingWord(w: Word): boolean {
  return FRAMING_LEMMAS.has(w.lemma) || (w.verbLemma !== null && FRAMING_LEMMAS.has(w.verbLemma));
}

/**
 * "Приоритетными направлениями … определить:", "Определить приоритетными …", "Считать приоритетными …":
 * naming priorities is a decision, its list items are the decided directions.
 */
export function priorityLeadIn(words: readonly Word[]): boolean {
  return words.some((w) => w.lemma === 'приоритетный' || w.lemma === 'первоочередной') && words.some((w) => /^(?:определить|считать|признать|обозначить|выделить|установить|назвать)$/.test(w.lemma));
}

/** Index of the trigger word, or -1. "считать/признать" count only with "необходимым/целесообразным". */
export function triggerAt(words: readonly Word[]): number {
  for (let k = 0; k < words.length; k++) {
    // "рекомендовано", "предложено", "решено": the participle's verb is the cue
    const lemma = words[k].verbLemma && TRIGGER_LEMMAS.has(words[k].verbLemma!) ? words[k].verbLemma! : words[k].lemma;
    if (!TRIGGER_LEMMAS.has(lemma)) continue;
    if (lemma === 'считать' || lemma === 'признать') {
      if (words[k + 1] && NECESSITY_LEMMAS.has(words[k + 1].lemma)) return k;
      continue;
    }
    return k;
  }
  return -1;
}

const ADOPTED_PLAN_RE = /(?:принят\p{L}*|утвержд[её]н\p{L}*|утвердил\p{L}*)\s+(?:следующ\p{L}+\s+)?план|план\p{L}*\s+мероприятий\s+по\s+(?:реализации|выполнению|исполнению)\s+(?:решени|резолюци|рекомендаци)/iu;

/** The object of an appeal verb: "к X с просьбой" (dative), "X" (accusative after призываем/просим). */
function appealObject(head: string, words: readonly Word[], k: number, morph: Morph): Addressee | null {
  const after = head.slice(words[k].token.end).replace(/^[\s,]+/, '');
  const m = /^(?:к|ко)\s+(.+?)(?:\s+с\s+(?:просьб|призыв|предложени|обращени|инициатив)\p{L}*.*)?$/iu.exec(after);
  // "обращаемся к вам": the addressee is whoever was addressed before (a vocative), not "Вы"
  if (m && /^(?:вам|вас|тебе)(?!\p{L})/iu.test(m[1])) return null;
  if (m && startsWithDative(m[1], morph)) return addresseeFrom(m[1], m[1], morph, 'datv');
  if (!ACCUSATIVE_FRAMING.has(words[k].lemma)) return null;
  const obj = after.replace(/\s+(?:с\s+(?:просьб|призыв|предложени)\p{L}*|принять|обратить).*$/iu, '');
  if (!obj || /^(?:вас|всех|вы)(?!\p{L})/iu.test(obj) || !startsWithCase(obj, morph, 'accs')) return null;
  return addresseeFrom(obj, obj, morph, 'accs');
}

/**
 * What a heading (a line ending with ":" or a short line over a list) does: opens the operative part,
 * names an addressee, introduces a list that is not recommendations, or none of these.
 */
export function classifyHeading(head: string, rawHeading: string, morph: Morph, operative: boolean): HeadingInfo {
  return classifyCached(`${operative ? 1 : 0}\u0000${head}\u0000${rawHeading}`, morph);
}

const classifyCached = memoByMorph(20_000, (key, morph) => {
  const [op, head, raw] = key.split('\u0000');
  return classifyHeadingUncached(head, raw, morph, op === '1');
});

function classifyHeadingUncached(head: string, rawHeading: string, morph: Morph, operative: boolean): HeadingInfo {
  const words = lemmasOf(head, morph);
  if (words.length === 0) return { role: 'other', addressee: null, rule: OTHER_HEADING.id };
  const trapKind = trapKindOf(words);
  if (isPlan(words)) return { role: 'trap', addressee: null, rule: TRAP_PLANS.id, trapKind: 'plans' };
  if (trapKind === 'plans' && ADOPTED_PLAN_RE.test(head)) return { role: 'trigger', addressee: null, rule: ADOPTED_PLAN.id };
  if (priorityLeadIn(words)) return { role: 'trigger', addressee: null, rule: TRIGGER.id };
  const dative = startsWithDative(head, morph);
  const trig = triggerAt(words);
  if (dative && (!dativeIsAmbiguous(head, morph) || (!trapKind && trig < 0))) {
    // "Министерству просвещения рекомендовать:" — cut the trailing framing verb off the addressee.
    // "Школам района важно:", "Педагогам необходимо:" — a predicate of necessity ends the addressee too.
    const pred = words.findIndex((w, k) => k > 0 && (NECESSITY_LEMMAS.has(w.lemma) || w.lemma === 'следовать' || w.pos === 'PRED'));
    const cutAt = [trig > 0 && isFramingWord(words[trig]) ? trig : -1, pred].filter((k) => k > 0).sort((a, b) => a - b)[0];
    let phrase = cutAt !== undefined ? head.slice(0, words[cutAt].token.start) : head;
    // "Министерству образования края съезд рекомендует:" — the subject before the verb is not the addressee
    // (nominative forms only: "Участникам конференции считать …" keeps its genitive)
    if (cutAt !== undefined) phrase = phrase.replace(/\s+(?:(?:участники|делегаты)(?:\s+\p{L}+)?|съезд|конференция|форум|семинар|совещание|круглый\s+стол|собрание|педсовет)\s*$/iu, '');
    return { role: 'addressee', addressee: addresseeFrom(rawHeading, phrase, morph), rule: ADDRESSEE_DATIVE.id };
  }
  if (trig >= 0) {
    // "Рекомендовать органам местного самоуправления:" — the addressee follows the trigger.
    let k = trig + 1;
    if (words[k] && NECESSITY_LEMMAS.has(words[k].lemma)) k++;
    const after = words[k] ? head.slice(words[k].token.start) : '';
    // "Рекомендации образовательным организациям:" names an addressee; "Решение секции 3 …",
    // "Рекомендации администрации района" is a genitive after a trigger noun: whose decision, not to whom.
    const genitiveOfNoun = words[trig].pos === 'NOUN' && words[k] !== undefined && morph.parse(words[k].token.text).some((p) => p.grammemes.has('gent'));
    if (after && !genitiveOfNoun && (startsWithDative(after, morph) || startsWithAbbreviation(after, morph)) && !/^(?:к|ко)\s/iu.test(after)) {
      return { role: 'addressee', addressee: addresseeFrom(after, after, morph), rule: RECOMMEND_TO.id };
    }
    if (words[trig].lemma === 'обязываться' || words[trig].lemma === 'обязаться') return { role: 'trigger', addressee: null, rule: COMMITMENT.id };
    const appeal = appealObject(head, words, trig, morph);
    if (appeal) return { role: 'addressee', addressee: { raw: collapse(rawHeading), nominative: appeal.nominative }, rule: APPEAL_LEAD_IN.id };
    return { role: 'trigger', addressee: null, rule: TRIGGER.id };
  }
  if (SOURCE_HEADING_RE.test(head) || SECTION_NAME_RE.test(head)) return { role: 'other', addressee: null, rule: SOURCE_HEADING.id };
  if (trapKind) return { role: 'trap', addressee: null, rule: TRAP_HEADING.id, trapKind };
  // "ГАУ ДПО «Институт развития образования …»:" — an organisation named by its abbreviation.
  if (startsWithAbbreviation(head, morph) && words.length <= HEADING_WORDS) {
    return { role: 'addressee', addressee: addresseeFrom(rawHeading, head, morph), rule: ADDRESSEE_ABBREVIATION.id };
  }
  if (operative && words.length <= HEADING_WORDS && !words.some((w) => w.pos === 'INFN' || w.pos === 'VERB')) {
    const firstNoun = words.find((w) => w.pos === 'NOUN');
    // (a compound names its kind first: "педагоги-психологи", "учителя-логопеды")
    if (dative || (firstNoun && (ADDRESSEE_HEAD_LEMMAS.has(firstNoun.lemma) || ADDRESSEE_HEAD_LEMMAS.has(firstNoun.lemma.split('-')[0])))) {
      return { role: 'addressee', addressee: addresseeFrom(rawHeading, head, morph, dative ? 'datv' : 'nomn'), rule: ADDRESSEE_NOUN.id };
    }
  }
  return { role: 'other', addressee: null, rule: OTHER_HEADING.id };
}

export const ADDRESSEE_TRAILING = defineRule({
  id: 'heading.addressee-trailing',
  family: 'headings',
  role: 'addressee',
  summary: 'An item without an addressee heading or an addressee of its own that ends with a bracket naming bodies or people in the nominative ("… на 2025/2026 учебный год (руководители общеобразовательных организаций);") is addressed to them: the executor column of a plan written as a list.',
  example: '• проводить родительские собрания по вопросам профилактики (классные руководители);',
  thresholds: { words: { value: 12, origin: 'p7d: the executors named in brackets in the fixtures have 2–8 words; a longer bracket is an aside' } },
});

const ORGANISATION_ABBREVIATION_RE = /^(?:\p{Lu}{0,5}(?:ОУ|АУ|БУ|КУ)|ДПО|ИРО|ЦНППМ\p{Lu}*)(?:\s+\p{Lu}{2,8})*(?:\s+(?:«[^»]+»|№\s*\d+))*$/u;

/** "(руководители общеобразовательных организаций, советники директора по воспитанию)" at the end of an item. */
export function trailingAddressee(item: string, morph: Morph): Addressee | null {
  const m = /\(([^()]{3,200})\)\s*[.;,]?\s*$/u.exec(item);
  if (!m) return null;
  // "(Министерство образования …, срок — до 1 июня 2025 г.)": the executor column with its deadline beside it
  const inner = collapse(m[1]).replace(/,\s*срок\p{L}*(?:\s+исполнения)?\s*[:–—-].*$/iu, '');
  // "(ответственный – заместитель директора …, срок – …)" names who answers for it: the responsible, not an addressee
  if (/^(?:ответствен|отв\.|исполнител|срок|в\s+том\s+числе|по\s+согласованию)/iu.test(inner) || /[:–—]/u.test(inner)) return null;
  const words = lemmasOf(inner, morph);
  if (words.length === 0 || words.length > 12) return null;
  // "(ТОГОАУ ДПО «ИПКРО»)", "(МБОУ СОШ № 5)": an organisation by the abbreviation of its legal form
  // (…ОУ, …АУ, …БУ, …КУ, ДПО), not an abbreviation explained in brackets ("(ОВЗ)", "(ФГОС)")
  if (ORGANISATION_ABBREVIATION_RE.test(inner) && words.length <= 8) return { raw: inner, nominative: inner };
  const nominative = (w: string, pos: readonly string[]) => morph.parse(w).some((p) => p.pos !== undefined && pos.includes(p.pos) && p.grammemes.has('nomn'));
  if (!nominative(words[0].token.text, ['NOUN', 'ADJF'])) return null;
  const firstNoun = words.find((w) => w.pos === 'NOUN');
  if (!firstNoun || !ADDRESSEE_HEAD_LEMMAS.has(firstNoun.lemma)) return null;
  // the noun heads the phrase in the nominative too ("представители", not "(законных представителей)")
  if (!nominative(firstNoun.token.text, ['NOUN'])) return null;
  return { raw: inner, nominative: inner.charAt(0).toUpperCase() + inner.slice(1) };
}

export const ADDRESSEE_FOR = defineRule({
  id: 'heading.addressee-for',
  family: 'headings',
  role: 'addressee',
  summary: 'A colon heading over a list "Для X:" whose X names bodies or people in the genitive ("Для образовательных организаций:", "Для педагогов:", "Для родителей:") names the addressee of the items under it (in the nominative).',
  example: 'Для образовательных организаций:\n1) создавать ресурсные классы …',
  thresholds: { words: { value: 10, origin: 'p7d: "Для X:" headings name one group in 1–6 words; a longer line is a sentence' } },
});

/** "Для образовательных организаций" → the addressee "Образовательные организации", or null. */
export function forAddressee(head: string, morph: Morph): Addressee | null {
  const m = /^для\s+(.+)$/iu.exec(head.trim());
  if (!m) return null;
  const words = lemmasOf(m[1], morph);
  if (words.length === 0 || words.length > 10) return null;
  if (!morph.parse(words[0].token.text).some((p) => p.grammemes.has('gent'))) return null;
  const firstNoun = words.find((w) => w.pos === 'NOUN');
  if (!firstNoun || !ADDRESSEE_HEAD_LEMMAS.has(firstNoun.lemma) || words.some((w) => w.pos === 'INFN' || w.pos === 'VERB')) return null;
  return addresseeFrom(head, m[1], morph, 'gent');
}

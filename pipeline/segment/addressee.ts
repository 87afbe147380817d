import type { Morph, WordParse } from '../text/morph.js';
import { tokenize, wordTokens, type Token } from '../text/tokenize.js';
import type { AddresseeType } from '../store/types.js';

/**
 * Abbreviations (ГБУ, ДПО, ЧИППКРО, РФ) are never inflected. A word in capitals that the dictionary
 * knows ("ОРГАНИЗАЦИЯМ" in a heading typed in capitals) is a word, not an abbreviation.
 */
export function isAbbreviation(word: string, morph: Morph): boolean {
  if (word.length < 2 || word !== word.toUpperCase() || !/\p{Lu}/u.test(word)) return false;
  if (/^[IVXLC]+$/.test(word)) return false; // a roman numeral ("XI Межрегиональные чтения")
  return word.length <= 3 || !morph.parse(word).some((p) => p.known);
}

const AGREEING_POS = new Set(['NOUN', 'ADJF', 'PRTF', 'NPRO', 'NUMR']);

export type AddresseeCase = 'datv' | 'accs' | 'gent' | 'ablt';

function caseParse(morph: Morph, word: string, c: AddresseeCase = 'datv'): WordParse | undefined {
  return morph.parse(word).find((p) => p.grammemes.has(c) && p.pos !== undefined && AGREEING_POS.has(p.pos));
}
const dativeParse = (morph: Morph, word: string) => caseParse(morph, word, 'datv');

/**
 * Is the first word only readable as a dative ("организациям", "Министерству"), or could it be a
 * nominative too ("Цели", "Администрации")? The second kind needs more evidence to be an addressee.
 */
export function dativeIsAmbiguous(phrase: string, morph: Morph): boolean {
  const first = wordTokens(phrase, 1)[0];
  return !first || morph.parse(first.text).some((p) => p.grammemes.has('nomn'));
}

/** Does the phrase start like a dative addressee ("Образовательным организациям", "ГБУ ДПО …")? */
export function startsWithDative(phrase: string, morph: Morph): boolean {
  return startsWithCase(phrase, morph, 'datv');
}

/** Does the phrase start with a noun phrase in case `c` (not a preposition, adverb or verb)? */
export function startsWithCase(phrase: string, morph: Morph, c: AddresseeCase): boolean {
  const first = wordTokens(phrase, 1)[0];
  if (!first) return false;
  if (isAbbreviation(first.text, morph)) return c === 'accs';
  const p = caseParse(morph, first.text, c);
  if (!p) return false;
  // "по", "к" and friends are prepositions, not addressees; a word whose best reading is an adverb or
  // an infinitive is not one either.
  const best = morph.parse(first.text)[0];
  return best?.pos !== 'PREP' && best?.pos !== 'INFN' && best?.pos !== 'ADVB' && best?.pos !== 'CONJ';
}

/** The dictionary's plural where official usage has another ("учители" → "учителя", "ректора" → "ректоры"). */
const PLURAL_FIXES: Record<string, string> = {
  'учители': 'учителя', 'директоры': 'директора', 'профессоры': 'профессора',
  'ректора': 'ректоры', 'инспектора': 'инспекторы', 'редактора': 'редакторы', 'инструктора': 'инструкторы',
};
const PLURAL_FIX_RE = new RegExp(`(?<![\\p{L}])(?:${Object.keys(PLURAL_FIXES).join('|')})(?![\\p{L}])`, 'gu');

function matchCase(template: string, word: string): string {
  if (template === template.toUpperCase() && template.length > 1) return word.toUpperCase();
  if (/^\p{Lu}/u.test(template)) return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}

/**
 * Puts a dative addressee phrase into the nominative: "органам местного самоуправления,
 * осуществляющим управление в сфере образования" → "Органы местного самоуправления, осуществляющие
 * управление в сфере образования". Only the words that agree with the head are inflected: the leading
 * dative chain (adjectives, participles, nouns joined by "и", dashes and guillemets) and participles
 * after a comma; genitive complements and prepositional phrases are left as written.
 */
export function toNominative(phrase: string, morph: Morph, fromCase: AddresseeCase = 'datv'): string {
  const tokens = tokenize(phrase);
  const words = tokens.filter((t) => t.kind === 'word');
  let mode: 'head' | 'prep' | 'tail' = 'head';
  let headSeen = false;
  // How the previous word is joined to this one: coordination ("и", dash) continues the head phrase
  // up to its next noun; a comma may introduce a coordinated noun or a participle clause.
  let link: 'none' | 'coord' | 'comma' = 'none';
  let coordOpen = false;
  let lastInflected = false;
  // "по образованию и науке": a noun coordinated with a governed noun is governed too.
  let lastNounGoverned = false;
  const replacements: { token: Token; text: string }[] = [];

  /** Gender of the noun an adjective agrees with: the next dative noun. */
  const genderAhead = (from: Token): string | undefined => {
    for (const w of words) {
      if (w.start <= from.start) continue;
      const noun = morph.parse(w.text).find((p) => p.pos === 'NOUN' && p.grammemes.has(fromCase));
      if (noun) return ['masc', 'femn', 'neut'].find((g) => noun.grammemes.has(g));
    }
    return undefined;
  };

  /** The index of the first word from `k` on whose first reading is a noun, or -1. */
  const nounFrom = (k: number): number => {
    for (; k < words.length; k++) if (morph.parse(words[k].text)[0]?.pos === 'NOUN') return k;
    return -1;
  };

  /**
   * "… и педагогическим работникам": adjectives that can agree in the dative ("педагогическим" is
   * also an instrumental) up to a noun that can only be a dative — a second head, adjectives first.
   */
  const datvNounAhead = (from: Token): boolean => {
    const at = words.indexOf(from);
    const n = nounFrom(at);
    return (
      n > at &&
      words.slice(at, n).every((w) => morph.parse(w.text).some((p) => (p.pos === 'ADJF' || p.pos === 'PRTF') && p.grammemes.has(fromCase))) &&
      morph.parse(words[n].text).every((p) => p.grammemes.has(fromCase))
    );
  };

  let abbreviationHead = false;
  let quoteDepth = 0;
  for (const t of tokens) {
    if (t.kind !== 'word') {
      if (t.text === '«' || t.text === '“') quoteDepth++;
      else if ((t.text === '»' || t.text === '”') && quoteDepth > 0) quoteDepth--;
      if (t.text === ',') link = 'comma';
      else if (/^[–—-]$/.test(t.text)) link = 'coord';
      // "Родителям (законным представителям)": a bracketed apposition agrees with the head
      else if (t.text === '(' && lastInflected) link = 'coord';
      continue;
    }
    const joined = link;
    link = 'none';
    // Coordination continues the head phrase only when the word before it was part of that phrase:
    // "руководителям и педагогам", but not "…медицинской и социальной помощи" (a genitive complement).
    if (joined === 'coord' && lastInflected) coordOpen = true;
    if (isAbbreviation(t.text, morph)) {
      if (t === words[0]) abbreviationHead = true;
      continue;
    }
    // "г.", "с.", "пгт.": a contraction, never inflected ("г." is no form of «год» here)
    if (t.text.length <= 3 && phrase[t.end] === '.' && /^\p{Ll}+$/u.test(t.text)) continue;
    // "ИРО Тверской области", "ГБУ ДПО «ИРО» Тверской области": an organisation named by its
    // abbreviation is an indeclinable head; the words after it outside its quoted name
    // ("АОУ ВО ДПО «Вологодскому институту …»" agrees) are its complement
    if (abbreviationHead && quoteDepth === 0) {
      lastInflected = false;
      continue;
    }
    const parses = morph.parse(t.text);
    const best = parses[0];
    if (best?.pos === 'PREP') {
      mode = 'prep';
      coordOpen = false;
      continue;
    }
    if (best?.pos === 'CONJ') {
      if (/^(?:и|или)$/i.test(t.text)) link = 'coord';
      continue;
    }
    // "Институтам развития образования и центрам …": after "и", a noun that can only be a dative
    // (not the genitive of a complement) is a second head.
    const onlyCase = parses.length > 0 && parses.every((p) => p.grammemes.has(fromCase));
    if (joined === 'coord' && headSeen && fromCase === 'datv' && ((onlyCase && parses[0]?.pos === 'NOUN') || datvNounAhead(t))) {
      coordOpen = true;
      mode = 'head';
      lastNounGoverned = false;
    }
    if (joined === 'coord' && lastNounGoverned) mode = 'prep';
    if (mode === 'prep') {
      // The preposition governs everything up to and including its noun.
      if (parses.some((p) => p.pos === 'NOUN')) {
        mode = headSeen ? 'tail' : 'head';
        lastNounGoverned = true;
        coordOpen = false;
      }
      continue;
    }
    const isNoun = parses.some((p) => p.pos === 'NOUN');
    if (isNoun) lastNounGoverned = false;
    let dat = caseParse(morph, t.text, fromCase);
    // "Молодым педагогам": «молодым» is also the noun «молодые»; before a noun in the same case it
    // is the adjective that agrees with it, and the noun is the head.
    if (dat?.pos === 'NOUN' && !headSeen) {
      const next = words[words.indexOf(t) + 1];
      const adjective = parses.find((p) => (p.pos === 'ADJF' || p.pos === 'PRTF') && p.grammemes.has(fromCase));
      const number = (p: { grammemes: ReadonlySet<string> }) => (p.grammemes.has('plur') ? 'plur' : 'sing');
      const noun = next && morph.parse(next.text).find((p) => p.pos === 'NOUN' && p.grammemes.has(fromCase) && (!adjective || number(p) === number(adjective)));
      if (adjective && noun) dat = adjective;
    }
    let inflect = false;
    // «Тверской областной институт»: an adjective agrees with the noun after it, which is not a dative
    const agreesAhead = () => {
      const n = nounFrom(words.indexOf(t) + 1);
      return n < 0 || morph.parse(words[n].text).some((p) => p.grammemes.has(fromCase));
    };
    if (dat && dat.pos === 'ADJF' && !headSeen && !agreesAhead()) dat = undefined;
    if (dat) {
      if (!headSeen && mode === 'head') inflect = true;
      else if (coordOpen) inflect = true;
      // After a comma: a participle clause on the head ("…, осуществляющим управление"), or another
      // unambiguous dative noun ("…, управлениям образования").
      else if (joined === 'comma') inflect = dat.pos === 'PRTF' || (dat.pos === 'NOUN' && best === dat) || (dat.pos === 'ADJF' && lastInflected);
    }
    if (!dat || !inflect) {
      if (headSeen || !dat) mode = 'tail';
      if (isNoun) coordOpen = false;
      lastInflected = false;
      continue;
    }
    lastInflected = true;
    const number = dat.grammemes.has('plur') ? 'plur' : 'sing';
    let parse = dat;
    let gender: string | undefined;
    if (number === 'sing' && dat.pos !== 'NOUN') {
      // Adjective forms of masculine and neuter datives coincide ("автономному"): agree with the noun.
      gender = genderAhead(t) ?? ['masc', 'femn', 'neut'].find((g) => dat.grammemes.has(g));
      parse = parses.find((p) => p.grammemes.has(fromCase) && p.pos === dat.pos && (!gender || p.grammemes.has(gender))) ?? dat;
    }
    // a participle keeps its tense and voice: "реализующим" → "реализующие", not "реализовавшие"
    const keep = parse.pos === 'PRTF' ? ['pres', 'past', 'actv', 'pssv'].filter((g) => parse.grammemes.has(g)) : [];
    const nominative =
      (gender ? parse.inflect(['nomn', number, gender, ...keep]) : null) ?? parse.inflect(['nomn', number, ...keep]) ??
      (gender ? parse.inflect(['nomn', number, gender]) : null) ?? parse.inflect(['nomn', number]) ?? parse.inflect(['nomn']);
    if (nominative) replacements.push({ token: t, text: matchCase(t.text, nominative.replace(PLURAL_FIX_RE, (w) => PLURAL_FIXES[w])) });
    mode = 'head';
    if (dat.pos === 'NOUN') {
      headSeen = true;
      coordOpen = false;
    } else if (dat.pos === 'PRTF' && headSeen) {
      // a participle clause after the head: its own objects follow
      mode = 'tail';
    }
  }
  let out = '';
  let pos = 0;
  for (const r of replacements) {
    out += phrase.slice(pos, r.token.start) + r.text;
    pos = r.token.end;
  }
  out += phrase.slice(pos);
  out = out.replace(/\s+/g, ' ').trim();
  // (each alternative matches the surname alone: the initials are in lookarounds)
  if (fromCase === 'datv') out = out.replace(SURNAME_BY_INITIALS_RE, (surname: string) => surnameNominative(surname));
  return out.charAt(0).toUpperCase() + out.slice(1);
}

/** A surname next to initials: "Ивановой Т.С.", "Т.С. Ивановой". */
const SURNAME_BY_INITIALS_RE = /(?<!\p{L})(\p{Lu}\p{Ll}+)(?=\s+\p{Lu}\.\s?\p{Lu}(?:\.|$))|(?<=\p{Lu}\.\s?\p{Lu}\.\s?)(\p{Lu}\p{Ll}+)(?!\p{L})/gu;

/**
 * The nominative of a Russian surname in the dative, by its ending (the dictionary knows no
 * surnames): "Ивановой" → "Иванова", "Петрову" → "Петров", "Вишневской" → "Вишневская",
 * "Высоцкому" → "Высоцкий". Others ("Петренко", "Кравец", "Седых") are left as written.
 */
export function surnameNominative(word: string): string {
  const m = /^(.+?(?:ов|ев|ёв|ин|ын))(ой|у)$/u.exec(word);
  if (m) return m[2] === 'ой' ? `${m[1]}а` : m[1];
  const a = /^(.+?(?:ск|цк))(ой|ому)$/u.exec(word);
  if (a) return a[2] === 'ой' ? `${a[1]}ая` : `${a[1]}ий`;
  return word;
}

/**
 * Sorts an addressee (nominative) into the closed set reports compare across conferences. Order
 * matters: an institute "…Смоленской области" is an institute, a ministry "…Челябинской области" is
 * regional, a ministry "…Российской Федерации" federal.
 */
const TYPE_RULES: [AddresseeType, RegExp][] = [
  ['regional', /органы? (?:исполнительной|государственной) власти субъект|субъектов российской федерации/u],
  ['institute', /институт|университет|академи|(?<!\p{L})иро(?!\p{L})|(?<!\p{L})дпо(?!\p{L})|(?<!\p{L})ипк|повышени[а-яё]* квалификации|переподготовк|дополнительного профессионального|(?<!\p{L})вуз|центр[а-яё]* непрерывного|цнппм|методическ[а-яё]* (?:служб|центр)|ресурсн[а-яё]* центр|(?<!\p{L})виро(?!\p{L})|(?<!\p{L})соиро(?!\p{L})/u],
  ['federal', /российской федерации|(?<!\p{L})рф(?!\p{L})|росси[ийя](?!\p{L})|федеральн|минпросвещения|минобрнауки|рособрнадзор|государственн[а-яё]* дум|совет[а-яё]* федерации/u],
  ['municipal', /местного самоуправления|муниципальн|управлени[а-яё]* образовани|отдел[а-яё]* образовани|администраци|городск|районн|комитет[а-яё]* по образованию города/u],
  ['regional', /област|кра[яйе](?!\p{L})|краев|республик|округ|региональн|департамент|министерств|комитет|правительств/u],
  ['educational_org', /образовательн|школ|гимнази|лице[йя]|детск[а-яё]* сад|дошкольн|(?<!\p{L})доу(?!\p{L})|(?<!\p{L})сош(?!\p{L})|учреждени|колледж|техникум|организаци/u],
  ['participants', /участник|педагог|учител|руководител|специалист|воспитател|сообществ|родител|выступивш|психолог|логопед|дефектолог|студент|молод/u],
];

export function classifyAddressee(addressee: string | null): AddresseeType {
  if (!addressee) return 'none';
  const s = addressee.toLowerCase().replace(/ё/g, 'е');
  for (const [type, re] of TYPE_RULES) if (re.test(s)) return type;
  return 'other';
}

import type { Morph } from '../text/morph.js';
import { wordTokens, type Token } from '../text/tokenize.js';
import { isAbbreviation, startsWithCase, startsWithDative, type AddresseeCase } from './addressee.js';
import { ACCUSATIVE_FRAMING, ADDRESSEE_HEAD_LEMMAS, EVALUATIVE_LEMMAS, FRAMING_LEMMAS, NECESSITY_LEMMAS } from './lexicon.js';

/** What the first words of an item say about it. */
export interface ItemAnalysis {
  /** Infinitive lemma of the operative verb ("совместно с … открыть" → "открыть"), or null. */
  verb: string | null;
  /** Offset of the verb inside the text, or -1. */
  verbAt: number;
  /** Starts with a framing verb: "Рекомендовать …", "Предложить …". */
  framing: boolean;
  /** The operative verb comes first (after adverbs or a framing verb and its addressee). */
  infinitiveLed: boolean;
  /** Praises or records rather than recommends ("отметить", "одобрить", "принять к сведению"). */
  evaluative: boolean;
  /** An addressee named inside the sentence (dative, or accusative after "просим/призываем"), with offsets into the text. */
  inlineAddressee: { raw: string; start: number; end: number; case: AddresseeCase } | null;
  /** The operative verb is an imperative ("Обеспечьте …"); `verb` is its infinitive. */
  imperative: boolean;
  /** The item opens with a finite verb or has one before its operative verb ("Участники рекомендуют …", "Школам следует …"). */
  finiteLead: boolean;
  /**
   * Offset where the proposal itself starts: after a framing verb (with its "необходимым") and an
   * inline addressee, so "Рекомендовать органам управления активно развивать …" → "активно развивать …";
   * 0 when the item has neither.
   */
  contentAt: number;
  /** "Считать необходимым развитие …": a frame of necessity over a noun, no action verb (form nominal). */
  nominalFrame?: boolean;
}

const LEADING_WORDS = 14;
/** Characters enough for 2 × LEADING_WORDS words of Russian with the frame (about 9 characters each with spaces). */
const HEAD_CHARS = 320;

function isInfinitive(morph: Morph, word: string): boolean {
  const parses = morph.parse(word);
  const inf = parses.find((p) => p.pos === 'INFN');
  return Boolean(inf && (parses[0] === inf || inf.score >= 0.3));
}

/** A finite verb form. Capitalised words inside a sentence are names ("Тюмени", not "тюменить"). */
function isFinite(morph: Morph, word: string, first = false): boolean {
  if (!first && /^\p{Lu}/u.test(word)) return false;
  const best = morph.parse(word)[0];
  return best?.pos === 'VERB' && !best.grammemes.has('impr');
}

/** The words up to the first infinitive are all abbreviations ("ГАУ ДПО СО ИРО разработать"). */
function abbreviationsThenVerb(words: readonly Token[], morph: Morph, text = ''): boolean {
  for (let k = 0; k < Math.min(words.length, 8); k++) {
    if (isAbbreviation(words[k].text, morph)) continue;
    if (k > 0 && text) {
      // "МБУ ДПО «Старооскольский центр развития образования» создать …": the name in quotes after
      // the abbreviations belongs to them.
      const q = quotedNameEnd(text, words[k - 1].end);
      if (q > 0) {
        const after = words.findIndex((w) => w.start >= q);
        return after > 0 && after - k <= LEADING_WORDS && isInfinitive(morph, words[after].text);
      }
    }
    return k > 0 && isInfinitive(morph, words[k].text);
  }
  return false;
}

/** The end of a «…» name that opens right after `from` (spaces only between), or -1. */
function quotedNameEnd(text: string, from: number): number {
  const m = /^\s*«/u.exec(text.slice(from));
  if (!m) return -1;
  let depth = 0;
  for (let j = from + m[0].length - 1; j < text.length && j < from + 200; j++) {
    if (text[j] === '«') depth++;
    else if (text[j] === '»' && --depth === 0) return j + 1;
  }
  return -1;
}

/** An imperative form ("обеспечьте", "создайте"); never a capitalised name. */
function isImperative(morph: Morph, word: string): boolean {
  if (/^(?:давайте|пусть)$/iu.test(word)) return false;
  const parses = morph.parse(word);
  if (parses[0]?.pos === 'VERB' && parses[0].grammemes.has('impr')) return true;
  // "установите", "договоритесь" are also a future indicative; at the head of an item the imperative
  // is meant (a plural "-ите/-йте" form with an imperative reading)
  return /(?:ите|йте|ьте)(?:сь)?$/iu.test(word) && parses.some((p) => p.pos === 'VERB' && p.grammemes.has('impr'));
}

/** Words that may stand before the verb without making the item nominal: adverbs, particles, conjunctions. */
function isLightWord(morph: Morph, word: string): boolean {
  const pos = morph.parse(word)[0]?.pos;
  return pos === 'ADVB' || pos === 'PRCL' || pos === 'CONJ' || pos === 'INTJ' || pos === 'PRED';
}

/** Modal words between a dative addressee and its infinitive ("Школам необходимо/следует/рекомендуется …"). */
// (also the appeal's own first person: "Управлению образования предлагаем учредить …")
const MODAL_RE = /^(?:необходимо|нужно|надо|следует|надлежит|целесообразно|важно|желательно|стоит|рекомендуется|рекомендовано|предлагается|поручается|поручено|предлагаем|рекомендуем|советуем|поручаем)$/iu;

/** Prepositional phrases that modify the action, not the addressee. */
// "в 2025 году", "к 1 сентября", "до 01.09" are times; "в 9 и 11 классах" is not.
const ADJUNCT_RE = /^(?:в\s+течение|в\s+пределах|в\s+рамках|в\s+срок|в\s+целях|в\s+ходе|в\s+период|по\s+мере|по\s+возможности|с\s+учетом|с\s+учётом|на\s+основе|на\s+регулярной|на\s+постоянной|при\s+|до\s+|(?:в|к|до|с|на)\s+(?:\d{4}|\d{1,2}(?:\.\d{1,2}|\s+(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр))))/iu;

/** Offset where a verb adjunct starts among the words between an addressee and its verb, or null. */
function adjunctStart(text: string, between: readonly Token[], morph: Morph): number | null {
  for (const w of between) {
    if (isAbbreviation(w.text, morph)) continue;
    const best = morph.parse(w.text)[0];
    // "чаще", "активнее": a comparative is an adverb here, whatever else the word could be ("чаща")
    if (best?.pos === 'ADVB' || morph.parse(w.text).some((p) => p.pos === 'COMP')) return w.start;
    if (best?.pos === 'PREP' && ADJUNCT_RE.test(text.slice(w.start))) return w.start;
  }
  return null;
}

/** Past the closing quotes and brackets of a name at `end`: «Институт развития образования». */
function closeName(text: string, end: number): number {
  while (/^[»”")\]]/.test(text.charAt(end))) end++;
  return end;
}

/**
 * Verbs that name their addressee after a preposition: "ходатайствовать перед Министерством … о …",
 * "обратиться к Губернатору … с предложением …", "обратиться в Министерство … с просьбой …".
 */
const PREPOSITIONAL_ADDRESSEE: ReadonlyMap<string, readonly [string, AddresseeCase][]> = new Map([
  ['ходатайствовать', [['перед', 'ablt']]],
  ['обратиться', [['к', 'datv'], ['в', 'accs']]],
  ['обращаться', [['к', 'datv'], ['в', 'accs']]],
] as [string, [string, AddresseeCase][]][]);
/** Where such an addressee ends: the preposition of what is asked ("о включении", "с просьбой", "по вопросу"). */
const ASKED_PREP = /^(?:о|об|обо|с|со|по|относительно|насчёт|насчет)$/iu;

/**
 * Whether words[from, to) after the verb's preposition name someone to turn to: a name
 * («к Губернатору», «в Государственную Думу», «в ИРО») or a first noun in the case `c` that is a
 * person («к коллегам», «к родителям») or a body («в управление образования»). «Обратиться к
 * опыту коллег», «к материалам сайта» name what to use, not an addressee.
 */
function namesSomeone(words: readonly Token[], from: number, to: number, morph: Morph, c: AddresseeCase): boolean {
  if (/^\p{Lu}/u.test(words[from].text) || isAbbreviation(words[from].text, morph)) return true;
  for (let k = from; k < to; k++) {
    const noun = morph.parse(words[k].text).find((p) => p.pos === 'NOUN' && p.grammemes.has(c));
    if (noun) return noun.grammemes.has('anim') || ADDRESSEE_HEAD_LEMMAS.has(noun.lemma);
  }
  return false;
}

/** The addressee after the verb's preposition (words[0] is the verb), or null. */
/** Initials and a surname, in either order, between a role and its verb (or the initials alone, after a surname the dictionary took into the role). */
const PERSON_NAME_AFTER_RE = /^\s*(?:\p{Lu}\.\s?\p{Lu}\.|\p{Lu}\.\s?\p{Lu}\.\s?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?|\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\s+\p{Lu}\.\s?\p{Lu}\.)(?=\s*,?\s*$)/u;

function prepositionalAddressee(words: readonly Token[], text: string, morph: Morph): ItemAnalysis['inlineAddressee'] {
  const lemma = morph.lemma(words[0].text);
  const preps = PREPOSITIONAL_ADDRESSEE.get(lemma);
  const prep = words[1]?.text.toLowerCase();
  const c = preps?.find(([p]) => p === prep)?.[1];
  if (!c || !words[2] || !startsWithCase(words[2].text, morph, c)) return null;
  for (let j = 3; j < Math.min(words.length, 3 + LEADING_WORDS); j++) {
    if (ASKED_PREP.test(words[j].text) || isInfinitive(morph, words[j].text)) {
      if (!namesSomeone(words, 2, j, morph, c)) return null;
      const start = words[2].start;
      const end = closeName(text, start + text.slice(start, words[j - 1].end).replace(/[\s,]+$/, '').length);
      return { raw: text.slice(start, end), start, end, case: c };
    }
  }
  return null;
}

/**
 * An object put before its infinitive, as decisions do: «Следующий форум провести в 2026 году»,
 * «Информацию принять к сведению». Two or three words, each a noun or an adjective that can be
 * accusative, no finite verb: the item is led by its verb all the same (a nominal subject with a
 * finite verb, «Развитие … позволит обеспечить», is not).
 */
function fronted(before: readonly Token[], morph: Morph): boolean {
  if (before.length < 2 || before.length > 3) return false;
  return before.every((w) => {
    const parses = morph.parse(w.text);
    return !isFinite(morph, w.text) && parses.some((p) => (p.pos === 'NOUN' || p.pos === 'ADJF' || p.pos === 'PRTF') && p.grammemes.has('accs'));
  });
}

/** Nominal items ("Развитие …", "Широкое внедрение …") open with a noun or adjective in the nominative. */
function opensNominal(morph: Morph, word: string): boolean {
  const best = morph.parse(word)[0];
  return Boolean(best && (best.pos === 'NOUN' || best.pos === 'ADJF') && best.grammemes.has('nomn'));
}

/**
 * What the first words of an item say about it. Not memoised across documents: item texts rarely
 * recur, and a cache of 50,000 analyses cost more in garbage collection than it saved (measured on
 * 4,000 synthetic resolutions, one pass: 6–10 % slower); segmentResolution memoises per document.
 */
export function analyseItem(text: string, morph: Morph): ItemAnalysis {
  // Only the opening words decide (the addressee and the verb come within LEADING_WORDS words of the
  // frame); tokenising a 2,000-character item whole cost a fifth of the segmenter's time.
  const words: Token[] = wordTokens(text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text);
  const result: ItemAnalysis = {
    verb: null,
    verbAt: -1,
    framing: false,
    infinitiveLed: false,
    evaluative: false,
    inlineAddressee: null,
    imperative: false,
    finiteLead: false,
    contentAt: 0,
  };
  if (words.length === 0) return result;

  let i = 0;
  const firstLemma = morph.lemma(words[0].text);
  const firstPos = morph.parse(words[0].text)[0]?.pos;
  if (FRAMING_LEMMAS.has(firstLemma) && (firstPos === 'INFN' || firstPos === 'VERB')) {
    const needsComplement = firstLemma === 'считать' || firstLemma === 'признать';
    const complement = words[1] && NECESSITY_LEMMAS.has(morph.lemma(words[1].text));
    if (!needsComplement || complement) {
      result.framing = true;
      i = complement ? 2 : 1;
      // "считают необходимым предложить департаменту провести …": a frame inside the frame
      if (complement && words[i] && words[i + 1] && FRAMING_LEMMAS.has(morph.lemma(words[i].text)) && morph.parse(words[i].text)[0]?.pos === 'INFN') i++;
      result.contentAt = words[i]?.start ?? text.length;
    }
  }

  // A dative addressee right after the framing verb, or opening the sentence: up to the first infinitive.
  // An organisation named by its abbreviation ("ГАУ ДПО СОИРО") counts after a framing verb.
  let modalFinite = false;
  const rest = words.slice(i);
  const accusative =
    result.framing && ACCUSATIVE_FRAMING.has(firstLemma) && rest.length > 1 && !/^(?:вас|всех|вы|нас)$/iu.test(rest[0].text) && startsWithCase(rest[0].text, morph, 'accs');
  // "ГАУ ДПО СО ИРО разработать …": an organisation named by abbreviations only, then the verb.
  const abbreviated = isAbbreviation(rest[0]?.text ?? '', morph) && (result.framing || abbreviationsThenVerb(rest, morph, text));
  const addresseeStart = rest.length > 1 && (accusative || startsWithDative(rest[0].text, morph) || abbreviated);
  if (addresseeStart) {
    // A quoted name after the abbreviations is part of the addressee, whatever words it holds.
    const firstFull = abbreviated ? rest.findIndex((w) => !isAbbreviation(w.text, morph)) : -1;
    const quoteEnd = firstFull > 0 ? quotedNameEnd(text, rest[firstFull - 1].end) : -1;
    const verbIdx = rest.findIndex((w, k) => k > 0 && w.start >= quoteEnd && isInfinitive(morph, w.text));
    // "Органам … следует предусмотреть …", "Педагогам рекомендуется привлекать …": a modal word
    // between the addressee and its verb ends the addressee; it is not a finite verb of a sentence
    const modalIdx = verbIdx > 0 ? rest.findIndex((w, k) => k > 0 && k < verbIdx && MODAL_RE.test(w.text)) : -1;
    const finiteBefore = verbIdx > 0 && rest.slice(0, verbIdx).some((w, k) => k !== modalIdx && isFinite(morph, w.text));
    if (verbIdx > 0 && verbIdx <= LEADING_WORDS && !finiteBefore) {
      const start = rest[0].start;
      // The addressee ends where the verb's adjuncts begin: "… активно", "… в течение 2020 года".
      const cut = adjunctStart(text, rest.slice(1, modalIdx > 0 ? modalIdx : verbIdx).filter((w) => w.start >= quoteEnd), morph);
      let end = cut ?? rest[(modalIdx > 0 ? modalIdx : verbIdx) - 1].end;
      // Keep the closing quote or bracket of a name: «Институт развития образования».
      if (cut === null) end = closeName(text, end);
      // A person's name after the role is part of the addressee: "Педагогу-психологу Т.С. Ивановой",
      // "Заместителю директора по УВР Петренко Н.А.".
      const named = PERSON_NAME_AFTER_RE.exec(text.slice(end, rest[verbIdx].start));
      if (named) end += named[0].length;
      // … and the period of its last initial: "Петрову А.И."
      else if (text[end] === '.' && /(?<!\p{L})\p{Lu}\.\s?\p{Lu}$/u.test(text.slice(Math.max(0, end - 6), end))) end += 1;
      // (an adjunct after a dash leaves the dash: «Родителям … — активнее участвовать …»)
      result.inlineAddressee = { raw: text.slice(start, end).replace(/[\s,—–-]+$/, ''), start, end, case: accusative ? 'accs' : 'datv' };
      // the proposal starts after the modal word: "предусмотреть финансирование …"
      result.contentAt = modalIdx > 0 && cut === null ? rest[modalIdx + 1].start : end;
      // "Школам следует …", "Педагогам рекомендуется …": a finite modal makes the item a sentence
      // (form sentence); "Школам необходимо …" (a predicative) does not
      if (modalIdx > 0 && isFinite(morph, rest[modalIdx].text)) modalFinite = true;
      i += verbIdx;
    }
  }

  // "Ходатайствовать перед Министерством … о …", "Обратиться к Губернатору … с предложением …"
  if (!result.inlineAddressee && (i === 0 || result.framing)) {
    const own = prepositionalAddressee(words, text, morph);
    if (own) {
      result.inlineAddressee = own;
      if (result.framing) {
        // the proposal is what the addressee is asked: "с предложением рассмотреть …"
        result.contentAt = own.end;
        const after = words.findIndex((w) => w.start >= own.end);
        if (after > 0) i = after;
      }
    }
  }

  const limit = Math.min(words.length, i + LEADING_WORDS);
  for (let k = i; k < limit; k++) {
    if (words.slice(i, k).every((w) => isLightWord(morph, w.text)) && isImperative(morph, words[k].text)) {
      // "Обеспечьте участие …", "Создайте условия …": an imperative item.
      result.verb = morph.lemma(words[k].text);
      result.verbAt = words[k].start;
      result.infinitiveLed = true;
      result.imperative = true;
      break;
    }
    if (isInfinitive(morph, words[k].text)) {
      result.verb = morph.lemma(words[k].text);
      result.verbAt = words[k].start;
      // Led by its verb: only adverbs or adverbial phrases ("в 2024 году", "совместно с …") before it,
      // not a nominal subject ("Развитие … позволит обеспечить") and no finite verb.
      const before = words.slice(i, k);
      result.infinitiveLed =
        before.every((w) => isLightWord(morph, w.text)) ||
        k - i <= 1 ||
        (!opensNominal(morph, words[i].text) && !before.some((w) => isFinite(morph, w.text))) ||
        fronted(before, morph);
      break;
    }
    if (k === i && isFinite(morph, words[k].text, true)) {
      result.finiteLead = true;
      break;
    }
    if (isFinite(morph, words[k].text)) result.finiteLead = true;
  }
  if (modalFinite) result.finiteLead = true;
  // "Считать необходимым развитие сетевого взаимодействия …": the frame has no action of its own —
  // a nominal item (form nominal, verb null once finalised), like the items under "Считать целесообразным:".
  if (!result.verb && result.framing && i === 2 && (firstLemma === 'считать' || firstLemma === 'признать')) result.nominalFrame = true;
  if (!result.verb && result.framing) {
    // "Предложить кандидатуры …": the framing verb is the operative one and stays in the proposal.
    result.verb = firstLemma;
    result.verbAt = words[0].start;
    result.infinitiveLed = true;
    result.contentAt = 0;
  }
  if (result.verb) {
    result.evaluative =
      (EVALUATIVE_LEMMAS.has(result.verb) && (result.verb !== 'принять' || /принять\s+к\s+сведению/i.test(text))) ||
      // "Признать работу коллектива удовлетворительной" records a judgement; "признать необходимым" frames.
      (result.verb === 'признать' && !result.framing);
  }
  return result;
}

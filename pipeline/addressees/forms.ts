/**
 * Surface forms of addressees, made comparable: «АОУ ВО ДПО «Вологодский институт развития
 * образования»», «Вологодский институт развития образования» and «ВИРО» differ in legal form,
 * quotes and abbreviation, not in the body they name. A form is cleaned (numbering, colon, quotes,
 * dashes, ё), split into its legal-form prefix and its name (the core), and the core becomes a key:
 * its words' lemmas, with every spelling of «Российская Федерация» / «России» / «РФ» as one token.
 * Pure functions over a Morph.
 */
import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import type { NameWord } from './regions.js';

/** Numbering a heading may still carry («I.», «1)», «а)»), and its closing colon. */
const NUMBERING_RE = /^\s*(?:[IVXLC]+[.)]|\d+(?:\.\d+)*[.)]?|[а-яa-z][.)])\s*/u;

/** «…», "…", “…”, „…“ and '…' are the same quotes; inner names keep their words. */
const QUOTES_RE = /[«»"“”„‟']/g;

/** The heading as a name: numbering, trailing colon and doubled spaces gone, dashes unified. */
export function cleanForm(form: string): string {
  return form
    .replace(NUMBERING_RE, '')
    .replace(/[:;.,\s]+$/u, '')
    .replace(/[‐‑‒–—―]/g, '–')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Legal-form abbreviations open the names of state and municipal institutions («ГАУ ДПО», «АОУ ВО
 * ДПО», «МБОУ», «ФГБОУ ВО»): a head ending in «У» (учреждение) or one of a few others, followed by
 * short codes of the education level (ДПО, ВО, ДО) or of the region (ЯО, НСО, РК). Written out from
 * the naming rules of Russian institutions (Гражданский кодекс, ст. 123.21–123.22), not fitted.
 */
const LEGAL_HEAD_RE = /^(?:[А-ЯЁ]{0,6}У(?:ДПО|ДО|ВО)?|АНО|НОУ|ЧОУ|ЧУ|ПОУ|ФГБНУ|ФГАНУ|ГАУДПО|ГОУДПО)$/u;
const LEGAL_CODE_RE = /^(?:ДПО|ДПОС|ВО|ВПО|СПО|НПО|ДО|ПО|[А-ЯЁ]О|НСО|ЕАО|РК|РТ|РБ|РС|УР|ЧР|КБР|ХМАО|ЯНАО|РФ)$/u;

/** Words of a legal form written out: «государственное автономное учреждение … дополнительного профессионального образования». */
const LEGAL_WORD_LEMMAS = new Set([
  'федеральный', 'государственный', 'муниципальный', 'областной', 'краевой', 'республиканский', 'городской', 'окружной',
  'автономный', 'бюджетный', 'казенный', 'казённый', 'некоммерческий', 'негосударственный', 'частный', 'научный',
  'образовательный', 'общеобразовательный', 'профессиональный', 'дополнительный', 'высокий', 'высший', 'дошкольный',
  'учреждение', 'организация', 'образование', 'область', 'край', 'республика', 'округ', 'город',
]);

export interface SplitForm {
  /** The cleaned form. */
  form: string;
  /** «ГАУ ДПО», «автономное образовательное учреждение … образования», or null. */
  legalPrefix: string | null;
  /** The name without its legal form and outer quotes. */
  core: string;
  /** The core was a quoted name. */
  quoted: boolean;
}

/** Is this word an abbreviation (ВИРО, СОИРО, АмИРО, НИПКиПРО, СПб) rather than a word in capitals? */
export function isAcronym(word: string, morph: Morph): boolean {
  const upper = [...word].filter((c) => /\p{Lu}/u.test(c)).length;
  if (word.length < 2 || upper < 2) return false;
  if (word === word.toUpperCase()) return word.length <= 3 || !morph.parse(word).some((p) => p.known);
  // Mixed case: capitals inside the word («АмИРО», «СПб», «НИПКиПРО») make it an abbreviation.
  return /\p{Ll}\p{Lu}|\p{Lu}\p{Lu}/u.test(word);
}

/**
 * Splits the legal form off a name. Abbreviated forms: «ГАУ ДПО СОИРО» → «ГАУ ДПО» + «СОИРО». Written
 * out before a quoted name: «автономное образовательное учреждение Вологодской области … «Вологодский
 * институт развития образования»» → the quoted name. A form that is nothing but a legal form keeps
 * its last word as the name.
 */
export function splitLegalForm(raw: string, morph: Morph): SplitForm {
  const form = cleanForm(raw);
  const open = form.search(/[«"“„]/);
  if (open > 0) {
    const before = form.slice(0, open).trim();
    const words = tokenize(before).filter((t) => t.kind === 'word');
    const legal = words.length > 0 && words.every((w) => LEGAL_HEAD_RE.test(w.text) || LEGAL_CODE_RE.test(w.text) || isLegalWord(w.text, morph));
    if (legal) {
      const core = form.slice(open).replace(QUOTES_RE, '').replace(/\s+/g, ' ').trim();
      if (core) return { form, legalPrefix: before, core, quoted: true };
    }
  }
  const words = form.split(' ');
  let k = 0;
  if (words.length > 1 && LEGAL_HEAD_RE.test(words[0])) {
    k = 1;
    while (k < words.length - 1 && LEGAL_CODE_RE.test(words[k])) k++;
  }
  const core = words.slice(k).join(' ').replace(QUOTES_RE, '').replace(/\s+/g, ' ').trim();
  const quoted = open === 0 && /[»"”“]$/.test(form);
  return { form, legalPrefix: k > 0 ? words.slice(0, k).join(' ') : null, core, quoted };
}

function isLegalWord(word: string, morph: Morph): boolean {
  const lower = word.toLowerCase();
  if (lower === 'и') return true;
  const parses = morph.parse(lower);
  if (parses.some((p) => LEGAL_WORD_LEMMAS.has(p.lemma))) return true;
  // A region adjective inside a written-out legal form («… Вологодской области …»).
  return /^\p{Lu}/u.test(word) && parses.some((p) => p.pos === 'ADJF');
}

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/** The words of a name with their lemmas; abbreviations keep their letters (lower case) as lemma. */
export function nameWords(core: string, morph: Morph): NameWord[] {
  const out: NameWord[] = [];
  for (const t of tokenize(core)) {
    if (t.kind === 'punct') continue;
    const lower = fold(t.text);
    if (t.kind === 'number') {
      out.push({ text: t.text, lower, lemma: lower });
      continue;
    }
    const lemma = isAcronym(t.text, morph) ? lower : fold(morph.lemma(t.text));
    out.push({ text: t.text, lower, lemma });
  }
  return out;
}

/**
 * The identity of a name: lemmas in order, with «Российская Федерация», «Россия» and «РФ» as «рф»
 * and «№» dropped. Two forms with one key name one body (or one kind of body).
 */
export function keyOf(words: readonly NameWord[]): string {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.lemma === 'российский' && words[i + 1]?.lemma === 'федерация') {
      out.push('рф');
      i++;
      continue;
    }
    if (w.lemma === 'россия' || w.lower === 'россии' || w.lower === 'рф') {
      out.push('рф');
      continue;
    }
    if (w.lower === '№' || w.lower === 'n') continue;
    out.push(w.lemma);
  }
  return out.join(' ');
}

/** Is the head of the form plural («Институты развития образования», a kind) or singular (one body)? */
export function headIsPlural(core: string, morph: Morph): boolean {
  const first = tokenize(core).find((t) => t.kind === 'word');
  if (!first) return false;
  const p = morph.parse(first.text).find((x) => x.pos === 'NOUN' || x.pos === 'ADJF' || x.pos === 'PRTF');
  return !!p && p.grammemes.has('plur') && p.grammemes.has('nomn');
}

/**
 * A proper name (one body) rather than a kind of bodies: a capitalised word after the first
 * («Департамент Смоленской области»), a number («№ 5»), an abbreviation, or a quoted name.
 */
export function looksProper(split: SplitForm, words: readonly NameWord[], morph: Morph): boolean {
  if (split.quoted || split.legalPrefix) return true;
  return words.some((w, i) => w.lower !== 'рф' && ((i > 0 && /^\p{Lu}/u.test(w.text)) || /^\d/.test(w.text) || isAcronym(w.text, morph)));
}

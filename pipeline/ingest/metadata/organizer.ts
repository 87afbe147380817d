import type { Morph, WordParse } from '../../text/morph.js';
import { sliceOf, type Layout } from './layout.js';
import { collapse, matchCase, upperFirst, type Span } from './text.js';

/**
 * The organiser, only where the text states one: "Организатор … – X", "организована X-ом",
 * "на базе X" (the host runs the event), "Место проведения: X" (the same host, as a field), "… состоялась
 * в X-е" when X is an institution. Support
 * ("при поддержке Министерства …") is not organisation and is never read.
 */

type Case = 'nomn' | 'gent' | 'loct' | 'ablt';

const INSTITUTION_LEMMAS = new Set([
  'институт', 'университет', 'академия', 'колледж', 'техникум', 'училище', 'школа', 'гимназия', 'лицей',
  'центр', 'дворец', 'дом', 'музей', 'библиотека', 'министерство', 'департамент', 'управление', 'комитет',
  'учреждение', 'ассоциация', 'союз', 'фонд', 'палата', 'администрация', 'организация', 'общество',
  'агентство', 'служба', 'кафедра', 'факультет', 'филиал', 'сад', 'театр', 'технопарк', 'кванториум',
]);

/** Legal-form abbreviations end in У (учреждение: МОУ, ГБУ, ФГБНУ) or are АНО and the like. */
const LEGAL_FORM_RE = /^(?:\p{Lu}{0,5}У|АНО|НКО|ООО|ОАО|АО|ПАО|ЦДО|ЦРО)$/u;

/** Words that may join genitive modifiers inside a name ("переподготовки и повышения квалификации"). */
const NAME_JOINERS = new Set(['и']);

interface Tok {
  text: string;
  start: number;
  end: number;
}

const TOKEN_RE = /[\p{L}][\p{L}\p{M}]*(?:-[\p{L}\p{M}]+)*|№\s*\d+[\p{L}]?|\d+|[«"“„][^«»"“”„\n]*(?:[«"“„][^«»"“”„\n]*[»"”“][^«»"“”„\n]*)*[»"”“]|\([^()\n]{1,80}\)|[^\s]/gu;

function tokensFrom(text: string, pos: number, limit = 400): Tok[] {
  const out: Tok[] = [];
  TOKEN_RE.lastIndex = pos;
  for (let m = TOKEN_RE.exec(text); m && m.index < pos + limit; m = TOKEN_RE.exec(text)) {
    if (/\n\s*\n/.test(text.slice(out.length ? out[out.length - 1].end : pos, m.index))) break;
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const isAbbr = (w: string) => /^\p{Lu}[\p{Lu}\d]{1,9}$/u.test(w) && !/^[IVXLC]+$/.test(w);
const isQuote = (w: string) => /^[«"“„]/.test(w);
const isParen = (w: string) => w.startsWith('(');

function parsesIn(morph: Morph, w: string, c: Case, pos: string[]): WordParse[] {
  // near-zero-score parses are dictionary curiosities ("при" as an archaic noun)
  return morph.parse(w).filter((p, i) => (i === 0 || p.score >= 0.01) && p.pos !== undefined && pos.includes(p.pos) && p.grammemes.has(c));
}

/** A genitive modifier: a noun or adjective in the genitive ("образования", "Российской"). */
function isGenitive(morph: Morph, w: string): boolean {
  return parsesIn(morph, w, 'gent', ['NOUN', 'ADJF', 'PRTF']).length > 0;
}

function toNominative(p: WordParse, surface: string, agree?: WordParse): string {
  const wanted = ['nomn'];
  const number = agree?.grammemes.has('plur') ? 'plur' : p.grammemes.has('plur') ? 'plur' : 'sing';
  wanted.push(number);
  if (p.pos !== 'NOUN' && number === 'sing' && agree) {
    for (const g of ['masc', 'femn', 'neut']) if (agree.grammemes.has(g)) wanted.push(g);
  }
  const form = p.inflect(wanted) ?? p.inflect(['nomn']);
  return form ? matchCase(form, surface) : surface;
}

/** Heads of a town's own bodies: "Комитет образования города Курска", "Управление образования города Братска". */
const TOWN_BODY_LEMMAS = new Set(['комитет', 'управление', 'департамент', 'отдел', 'администрация', 'мэрия', 'дума']);

/**
 * An organisation's name starting at `pos`, in case `c`, returned in the nominative. Abbreviated
 * names ("МОУ «Гимназия №2»", "ГБУ ДПО ЧИППКРО") do not decline and are kept as written; a word name
 * declines its adjectives and head noun and keeps its genitive tail as written.
 */
export function organisationAt(text: string, pos: number, c: Case, morph: Morph): string | null {
  const toks = tokensFrom(text, pos);
  if (!toks.length) return null;
  if (isAbbr(toks[0].text)) {
    // "в РФ", "в ДНР" are places; an organisation starts with its legal form or is named in quotes
    let k = 0;
    while (k < toks.length && isAbbr(toks[k].text)) k++;
    const quoted = k < toks.length && isQuote(toks[k].text);
    if (!quoted && !LEGAL_FORM_RE.test(toks[0].text)) return null;
    if (quoted) k++;
    return collapse(text.slice(toks[0].start, toks[k - 1].end));
  }
  const pre: { p: WordParse; t: Tok }[] = [];
  let k = 0;
  let head: { p: WordParse; t: Tok } | null = null;
  for (; k < toks.length && k < 6; k++) {
    const w = toks[k].text;
    // only institutions: "в Вологодской области" is a place, not a host
    const noun = parsesIn(morph, w, c, ['NOUN']).find((p) => INSTITUTION_LEMMAS.has(p.lemma));
    if (noun) {
      head = { p: noun, t: toks[k] };
      k++;
      break;
    }
    const adj = parsesIn(morph, w, c, ['ADJF', 'PRTF'])[0];
    if (!adj) return null;
    pre.push({ p: adj, t: toks[k] });
  }
  if (!head) return null;
  let end = head.t.end;
  for (; k < toks.length; k++) {
    const w = toks[k].text;
    if (NAME_JOINERS.has(w.toLowerCase()) && k + 1 < toks.length && isGenitive(morph, toks[k + 1].text)) continue;
    // The town after a name is not part of it ("МОУ «Гимназия №2» г. Вологды"), except where the name
    // is the town's own body: "администрации города Белгорода", "мэрии города Череповца", "комитетом
    // образования города Курска" (a body headed by a town's administration noun).
    const townBody = /^(?:администраци|мэри|дум|глав|совет)\p{L}*$/iu.test(toks[k - 1]?.text ?? '') || TOWN_BODY_LEMMAS.has(head.p.lemma);
    if (/^(?:г|гор|город\p{L}*)$/iu.test(w) && !(/^город\p{L}+$/iu.test(w) && townBody)) break;
    if (isQuote(w) || /^№/.test(w) || isGenitive(morph, w) || (isParen(w) && /\p{Lu}{2,}/u.test(w))) {
      end = toks[k].end;
      continue;
    }
    break;
  }
  const declined = [...pre.map((x) => toNominative(x.p, x.t.text, head!.p)), toNominative(head.p, head.t.text)];
  const tail = text.slice(head.t.end, end);
  return upperFirst(collapse(declined.join(' ') + tail));
}

const STOP_WORDS = new Set(['и', 'в', 'во', 'по', 'для', 'с', 'со', 'на', 'при', 'о', 'об', 'к', 'от', 'имени', 'им']);

/** "Челябинский институт … образования" → "ЧИППКРО" (and, splitting hyphenated words, the variant). */
function initials(name: string): string[] {
  const words = name.replace(/[«»"“”„()]/g, ' ').split(/\s+/).filter((w) => w && !STOP_WORDS.has(w.toLowerCase()));
  const plain = words.map((w) => w[0]).join('').toUpperCase();
  const split = words.flatMap((w) => w.split('-').map((p) => p[0])).join('').toUpperCase();
  return [...new Set([plain, split])];
}

/**
 * Documents give a full name once and its abbreviation elsewhere ("… ГБУ ДПО ЧИППКРО"). When the
 * text uses an abbreviation that spells the name's initials, the name is reported with it, legal form
 * included, so it can be matched against either spelling.
 */
function withAbbreviation(text: string, name: string): string {
  if (/\(/.test(name)) return name;
  const inits = initials(name).filter((s) => s.length >= 3);
  for (const m of text.matchAll(/(?<![\p{L}])(\p{Lu}{3,12})(?![\p{L}])/gu)) {
    if (!inits.includes(m[1])) continue;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const legal = /((?:\p{Lu}{2,6}\s+)+)$/u.exec(before)?.[1].trim();
    return `${name} (${legal ? `${legal} ` : ''}${m[1]})`;
  }
  return name;
}

const EXPLICIT_RE = /(?<![\p{L}])организатор(?:ом|ами|ы)?(?:\s+(?!выступ|явля|стал)\p{L}+)?\s*(?:[–—:-]|выступил[аио]?|выступает|выступают|является|являются|стал[аио]?)\s*[:–—-]?\s*/iu;
/** Where a stated organiser list ends: next role ("…, оператор – …"), support, a sentence end. */
const EXPLICIT_END_RE = /;|\.\s|\.$|\n|,\s*\p{Ll}+\s*[–—-]|\s\(далее|\s+при\s+поддержке|\s+при\s+участии|\s+в\s+рамках/u;
// "организована управлением образования …", "совещание, организованное Департаментом …": the
// instrumental names the organiser (organisationAt accepts only an institution noun there).
// A date may stand between: "Вебинар проведён 4 декабря 2024 года Центром …".
const ORGANISED_BY_RE = /(?<![\p{L}])(?:организован[аоы]?|организованн\p{L}+|провед[её]н[аоы]?|провед[её]нн\p{L}+|подготовлен[аоы]?|проводится|проводилась|организуется)\s+(?:\d{1,2}\s+\p{L}+\s+\d{4}\s+(?:года|г\.)\s+|\d{1,2}\.\d{1,2}\.\d{4}\s+(?:г\.\s+)?)?(?:(?:в|во)\s+(?:г\.\s*|городе\s+)?\p{Lu}[\p{L}-]+\s+)?(?=\p{L})/iu;
// "Форум организовал Карельский региональный центр молодёжи", "Конференцию провело Министерство …":
// the active voice, the event named before the verb, the organisation after it in the nominative
const ORGANISED_ACTIVE_RE = /(?:форум|конференци|семинар|совещани|кругл\p{L}*\s+стол|съезд|чтени|слёт|слет|фестивал)\p{L}*\s+(?:организовал[аио]?|организовали|провел[аио]?|провёл|провели)\s+(?=\p{Lu})/iu;
const AT_BASE_RE = /(?<![\p{L}])на\s+базе\s+/giu;
const HOSTED_IN_RE = /(?<![\p{L}])(?:в|во)\s+(?=\p{Lu})/gu;
/** "Место проведения: МБОУ «СОШ № 7», г. Ржев": a venue field naming an institution is the host, as "на базе". */
const VENUE_RE = /(?<![\p{L}])(?:место|площадка|база)\s+проведения\s*[:–—-]\s*/giu;

function explicitOrganiser(text: string, s: Span): string | null {
  const sentence = sliceOf(text, s);
  const m = EXPLICIT_RE.exec(sentence);
  if (!m) return null;
  const rest = sentence.slice(m.index + m[0].length);
  const end = EXPLICIT_END_RE.exec(rest);
  const name = collapse(rest.slice(0, end ? end.index : rest.length)).replace(/[.,;:\s]+$/, '');
  return name && /\p{Lu}/u.test(name) ? name : null;
}

export function extractOrganizer(layout: Layout, morph: Morph): string | null {
  const { text } = layout;
  const scopes = [layout.head, ...layout.sentences];
  for (const s of scopes) {
    const name = explicitOrganiser(text, s);
    if (name) return name;
  }
  for (const s of scopes) {
    const m = ORGANISED_BY_RE.exec(sliceOf(layout.masked, s));
    if (!m) continue;
    const name = organisationAt(text, s.start + m.index + m[0].length, 'ablt', morph);
    if (name) return withAbbreviation(text, name);
  }
  for (const s of scopes) {
    const m = ORGANISED_ACTIVE_RE.exec(sliceOf(layout.masked, s));
    if (!m) continue;
    const name = organisationAt(text, s.start + m.index + m[0].length, 'nomn', morph);
    if (name) return withAbbreviation(text, name);
  }
  for (const s of [layout.head, ...layout.eventSentences]) {
    for (const m of sliceOf(layout.masked, s).matchAll(AT_BASE_RE)) {
      const name = organisationAt(text, s.start + m.index + m[0].length, 'gent', morph);
      if (name) return withAbbreviation(text, name);
    }
  }
  for (const s of scopes) {
    for (const m of sliceOf(layout.masked, s).matchAll(VENUE_RE)) {
      const name = organisationAt(text, s.start + m.index + m[0].length, 'nomn', morph);
      if (name) return withAbbreviation(text, name);
    }
  }
  for (const s of layout.eventSentences) {
    for (const m of sliceOf(layout.masked, s).matchAll(HOSTED_IN_RE)) {
      const pos = s.start + m.index + m[0].length;
      const name = organisationAt(text, pos, 'loct', morph);
      if (name) return withAbbreviation(text, name);
    }
  }
  return null;
}

import type { Morph, WordParse } from '../../text/morph.js';
import { sliceOf, type Layout } from './layout.js';
import { quoteInner, type QuoteSpan } from './quotes.js';
import { collapse, inSpans, joinLines, wordsWithOffsets, type Span, type WordTok } from './text.js';
import { KIND_BY_LEMMA, LEVEL_BY_LEMMA, type Level } from './vocab.js';

/** A noun naming the event ("…научно-практической конференции") at a word position. */
export interface KindMention extends Span {
  kind: string;
  /** Index of the noun in `words`. */
  at: number;
  words: WordTok[];
}

/** "онлайн-конференция", "веб-семинар", "интернет-форум": a format prefix on the event noun. */
const ONLINE_PREFIX_RE = /^(?:онлайн|интернет|веб|видео)-(?=\p{L}{4})/iu;

function kindOf(words: WordTok[], i: number, morph: Morph): string | null {
  for (const p of morph.parse(words[i].text.replace(ONLINE_PREFIX_RE, ''))) {
    if (p.pos !== 'NOUN') continue;
    const kind = KIND_BY_LEMMA[p.lemma];
    if (!kind) continue;
    // "чтения" is an event only in the plural (педагогические чтения), "стол" only when round
    if (p.lemma === 'чтение' && !p.grammemes.has('plur')) continue;
    if (p.lemma === 'стол' && !(i > 0 && morph.lemma(words[i - 1].text) === 'круглый')) continue;
    // "педагогический совет" is a педсовет; a council of any other kind is a body, not an event
    if (p.lemma === 'совет' && !(i > 0 && morph.lemma(words[i - 1].text) === 'педагогический')) continue;
    // "заседание педагогического совета": the council names the kind; "заседание" alone is a meeting
    if (p.lemma === 'заседание' && words[i + 2] && morph.lemma(words[i + 2].text) === 'совет') continue;
    // "слушания", like "чтения", are an event only in the plural
    if (p.lemma === 'слушание' && !p.grammemes.has('plur')) continue;
    // "родительское собрание", "общее собрание": a meeting; "собрание сочинений" is not
    if (p.lemma === 'собрание' && words[i + 1] && /^сочинени/iu.test(words[i + 1].text)) continue;
    return kind;
  }
  return null;
}

/** Event nouns in text[s], skipping anything inside quotes (a title may itself say "конференция"). */
export function findKinds(layout: Layout, s: Span, morph: Morph): KindMention[] {
  const words = wordsWithOffsets(layout.text, s.start, s.end);
  const out: KindMention[] = [];
  for (let i = 0; i < words.length; i++) {
    if (inSpans(words[i].start, layout.quotes)) continue;
    const kind = kindOf(words, i, morph);
    if (kind) out.push({ start: words[i].start, end: words[i].end, kind, at: i, words });
  }
  return out;
}

/** Words after which a quote names a project, programme, contest or institution, not the event. */
const OTHER_NAME_BEFORE = /(?:проект|программ|конкурс|акци|движени|центр|учреждени|школ|гимнази|лице|институт|колледж|университет|сад|рамках|посвящ\p{L}*\s+(?:\p{L}+\s+){0,3})\p{L}*\s*$/iu;
const INSTITUTION_BEFORE = /(?:учреждени|организаци|школ|гимнази|лице|институт|колледж|университет|сад|центр|библиотек|дворец|дом)\p{L}*\s*$/iu;

/** «Круглый стол», «Новости»: a word, not a name. */
function isGenericTitle(inner: string): boolean {
  return /^\s*(?:кругл\p{L}*\s+стол|семинар|конференци\p{L}*|форум|вебинар|совещани\p{L}*|педсовет|новости|резолюци\p{L}*|итоги)\s*$/iu.test(inner);
}

/** The event's name: the first quote after its kind noun, within the same sentence and near it. */
function titleAfter(layout: Layout, k: KindMention, limit: number): QuoteSpan | null {
  const { text } = layout;
  for (const q of layout.quotes) {
    if (q.start < k.end) continue;
    if (q.start - k.end > 300 || q.start >= limit) return null;
    const between = text.slice(k.end, q.start);
    // a sentence end or a paragraph break in between means the quote belongs to something else
    if (/[.!?]\s+\p{Lu}|\n\s*\n/u.test(between)) return null;
    // "на базе МОУ «Гимназия №2»": a quote right after an abbreviation names an organisation
    if (/\p{Lu}{2,}\s*$/u.test(between)) return null;
    // "семинар в рамках проекта «…»", "посвящённый Году педагога": the quote names something else
    if (OTHER_NAME_BEFORE.test(between)) continue;
    if (isGenericTitle(quoteInner(text, q))) continue;
    return q;
  }
  return null;
}

export interface EventInfo {
  title: string | null;
  kind: string | null;
  level: Level | null;
}

function levelOfParses(parses: readonly WordParse[]): Level | null {
  for (const p of parses) if (p.pos === 'ADJF' && LEVEL_BY_LEMMA[p.lemma]) return LEVEL_BY_LEMMA[p.lemma];
  return null;
}

/**
 * Level from the adjectives in front of the kind noun ("VII Международной научно-практической
 * конференции") or from "… всероссийского уровня" after it.
 */
function levelNear(k: KindMention, morph: Morph, text: string): Level | null {
  for (let j = k.at - 1; j >= 0 && j >= k.at - 5; j--) {
    const w = k.words[j];
    const gap = text.slice(w.end, k.words[j + 1].start);
    if (!/^[\s,IVXLC\d-]*$/u.test(gap)) break; // only roman numerals and spaces may interrupt the phrase
    const parses = morph.parse(w.text);
    const level = levelOfParses(parses);
    if (level) return level;
    if (!parses.some((p) => p.pos === 'ADJF' || p.pos === 'PRTF')) break;
  }
  const next = k.words.slice(k.at + 1, k.at + 3);
  if (next.length === 2 && morph.lemma(next[1].text) === 'уровень') return levelOfParses(morph.parse(next[0].text));
  return levelOfBody(k, morph, text);
}

/** Nouns naming the body or territory whose meeting the event is: "… районного методического объединения". */
const BODY_LEMMAS = new Set(['объединение', 'сообщество', 'ассоциация', 'район', 'округ', 'совет']);

/**
 * The level of the body named in the genitive right after the kind noun: "заседания районного
 * методического объединения", "совещания педагогических работников Октябрьского муниципального
 * района", "семинара педагогов Губкинского городского округа". The adjective must be genitive and
 * govern one of BODY_LEMMAS within two words; the phrase is a chain of genitives and stops at any other
 * word, punctuation or a quote, so a participant list ("для руководителей районных методических
 * объединений") is never read.
 */
function levelOfBody(k: KindMention, morph: Morph, text: string): Level | null {
  for (let j = k.at + 1; j < k.words.length && j <= k.at + 8; j++) {
    const gap = text.slice(k.words[j - 1].end, k.words[j].start);
    if (!/^[\s-]*$/u.test(gap)) return null;
    // the complement is a chain of genitives; a preposition ("для", "по") starts something else
    const genitive = morph.parse(k.words[j].text).filter((p) => p.grammemes.has('gent') && p.pos !== 'PREP');
    if (!genitive.length) return null;
    const level = levelOfParses(genitive);
    if (!level) continue;
    for (const w of k.words.slice(j + 1, j + 3)) {
      if (!/^[\s-]*$/u.test(text.slice(k.words[j].end, w.start).replace(/\p{L}+/gu, ''))) break;
      if (BODY_LEMMAS.has(morph.lemma(w.text))) return level;
    }
  }
  return null;
}

/** Macro-regions of several subjects: their names in the genitive, a federal district, its abbreviation. */
const MACRO_REGION_RE =
  /(?<![\p{L}])(?:Дальнего\s+Востока|Сибири|Урала|Поволжья|Северного\s+Кавказа|Северо-Запада|Русского\s+Севера|[\p{L}-]+\s+федерального\s+округа|ДФО|СФО|УрФО|ПФО|ЦФО|ЮФО|СЗФО|СКФО)(?![\p{L}])/u;

/** A line that opens a document's title: "РЕЗОЛЮЦИЯ", "Решение …", "ПРОТОКОЛ № 3" (not a breadcrumb). */
const TITLE_OPENING_RE = /^[ \t#*_]*(?:резолюци|решени|рекомендаци|обращени|протокол|постановлени)\p{L}*(?![\p{L}])/imu;

/** The head from its first title line on (the whole head when no line opens a title). */
function titledHead(layout: Layout): Span {
  const m = TITLE_OPENING_RE.exec(sliceOf(layout.text, layout.head));
  return m ? { start: layout.head.start + m.index, end: layout.head.end } : layout.head;
}

export function extractEvent(layout: Layout, morph: Morph): EventInfo {
  const { text } = layout;
  // The head names the event; failing that, the first sentences of the narrative do.
  // A web page's breadcrumb or menu above the title ("Главная / … / Резолюция конференции «Учитель
  // будущего»") may name the event, shortened: the head is read from the document's title line first.
  const scopes: Span[] = [titledHead(layout), layout.head, ...layout.sentences.slice(0, 3)];
  let title: string | null = null;
  let kind: string | null = null;
  let level: Level | null = null;
  for (const scope of scopes) {
    for (const k of findKinds(layout, scope, morph)) {
      kind ??= k.kind;
      level ??= levelNear(k, morph, text);
      if (!title) {
        const q = titleAfter(layout, k, Math.max(scope.end, layout.head.end));
        if (q) title = joinLines(quoteInner(text, q));
      }
    }
    if (kind && title) break;
  }
  if (!title) {
    // "Резолюция «…»" without a kind noun: the first quote in the head that is not an organisation's name
    const q = layout.quotes.find(
      (q) =>
        q.depth === 0 &&
        q.start >= layout.head.start &&
        q.end <= layout.head.end &&
        !/\p{Lu}{2,}\s*$/u.test(text.slice(Math.max(0, q.start - 12), q.start)) &&
        !INSTITUTION_BEFORE.test(text.slice(Math.max(0, q.start - 30), q.start)) &&
        !OTHER_NAME_BEFORE.test(text.slice(Math.max(0, q.start - 40), q.start)) &&
        !/(?:секци|площадк|доклад|мастер-класс)\p{L}*\s*(?:№\s*)?\d*\s*[:.]?\s*$/iu.test(text.slice(Math.max(0, q.start - 30), q.start)) &&
        !isGenericTitle(quoteInner(text, q)),
    );
    if (q) title = joinLines(quoteInner(text, q));
  }
  for (const s of layout.eventSentences) {
    if (level) break;
    for (const k of findKinds(layout, s, morph)) level ??= levelNear(k, morph, text);
  }
  // "Форум молодых педагогов Дальнего Востока", "… Приволжского федерального округа": an event of a
  // macro-region, several regions by definition (read in the title block only).
  if (!level && kind && MACRO_REGION_RE.test(sliceOf(text, layout.head))) level = 'межрегиональная';
  return { title: title ? collapse(title) || null : null, kind, level };
}

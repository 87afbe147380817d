/**
 * Abbreviations in addressees, expanded three ways, each a named rule:
 * - `builtin:<id>`: abbreviations every resolution writer uses (Минпросвещения, ОО, ДОО, ОМСУ,
 *   ППМС-центр). Written from the official names of the bodies; the list is short on purpose —
 *   local abbreviations (ВИРО, СОИРО) belong to documents and to the user's alias file.
 * - `definition`: the document defines it: «… «Вологодский институт развития образования» (далее –
 *   ВИРО)».
 * - `initials`: the document spells the name out somewhere and the abbreviation is its initials:
 *   «в Челябинском институте переподготовки и повышения квалификации работников образования» and
 *   «ГБУ ДПО ЧИППКРО».
 * Pure functions.
 */
import type { Morph } from '../text/morph.js';
import { nominativePhrase } from '../text/phrases.js';
import { tokenize, type Token } from '../text/tokenize.js';

export interface AbbreviationRule {
  id: string;
  /** Matches one token of a name. */
  pattern: RegExp;
  /** What it stands for, in the nominative (keys are lemma-based, so the case does not matter). */
  expansion: string;
  example: string;
}

/** Common abbreviations of the genre; each pattern matches a whole token. */
export const BUILTIN_ABBREVIATIONS: readonly AbbreviationRule[] = [
  { id: 'minprosv', pattern: /^минпросвещени[яеюй]$/iu, expansion: 'Министерство просвещения', example: 'Минпросвещения России' },
  { id: 'minobrnauki', pattern: /^минобрнауки$/iu, expansion: 'Министерство образования и науки', example: 'Минобрнауки Челябинской области' },
  { id: 'minobr', pattern: /^минобр(?:азования)?$/iu, expansion: 'Министерство образования', example: 'Минобразования Ростовской области' },
  { id: 'minzdrav', pattern: /^минздрав[аеу]?$/iu, expansion: 'Министерство здравоохранения', example: 'Минздрав России' },
  { id: 'mintrud', pattern: /^минтруд[аеу]?$/iu, expansion: 'Министерство труда и социальной защиты', example: 'Минтруд России' },
  { id: 'minkult', pattern: /^минкультуры$/iu, expansion: 'Министерство культуры', example: 'Минкультуры России' },
  { id: 'minsport', pattern: /^минспорт[аеу]?$/iu, expansion: 'Министерство спорта', example: 'Минспорт России' },
  { id: 'obrnadzor', pattern: /^рособрнадзор[аеу]?$/iu, expansion: 'Федеральная служба по надзору в сфере образования и науки', example: 'Рособрнадзор' },
  { id: 'rosmolodezh', pattern: /^росмолод[её]ж[ьи]?$/iu, expansion: 'Федеральное агентство по делам молодежи', example: 'Росмолодёжь' },
  { id: 'oo', pattern: /^ОО$/u, expansion: 'образовательные организации', example: 'руководители ОО' },
  { id: 'ou', pattern: /^ОУ$/u, expansion: 'образовательные учреждения', example: 'ОУ района' },
  { id: 'doo', pattern: /^ДОО$/u, expansion: 'дошкольные образовательные организации', example: 'ДОО' },
  { id: 'dou', pattern: /^ДОУ$/u, expansion: 'дошкольные образовательные учреждения', example: 'ДОУ' },
  { id: 'oo_do', pattern: /^(?:ОДО|УДО|ООДО)$/u, expansion: 'организации дополнительного образования', example: 'ОДО' },
  { id: 'poo', pattern: /^ПОО$/u, expansion: 'профессиональные образовательные организации', example: 'ПОО' },
  { id: 'omsu', pattern: /^ОМСУ$/u, expansion: 'органы местного самоуправления', example: 'ОМСУ' },
  { id: 'mouo', pattern: /^МОУО$/u, expansion: 'муниципальные органы управления образованием', example: 'МОУО' },
  { id: 'oiv', pattern: /^ОИВ$/u, expansion: 'органы исполнительной власти', example: 'ОИВ субъектов РФ' },
  { id: 'vuz', pattern: /^вуз(?:ы|ов|ам|ах)?$/iu, expansion: 'образовательные организации высшего образования', example: 'педагогические вузы' },
  { id: 'ppms', pattern: /^ППМС-центр(?:ы|ов|ам|ах)?$/iu, expansion: 'центры психолого-педагогической, медицинской и социальной помощи', example: 'ППМС-центрам' },
  { id: 'pmpk', pattern: /^[ЦТ]?ПМПК$/u, expansion: 'психолого-медико-педагогические комиссии', example: 'ПМПК' },
  { id: 'sosh', pattern: /^СОШ$/u, expansion: 'средняя общеобразовательная школа', example: 'МБОУ СОШ № 5' },
  { id: 'rmo', pattern: /^РМО$/u, expansion: 'районные методические объединения', example: 'РМО' },
  { id: 'shmo', pattern: /^ШМО$/u, expansion: 'школьные методические объединения', example: 'ШМО' },
  { id: 'obl', pattern: /^обл$/iu, expansion: 'области', example: 'Министерство образования Вологодской обл.' },
  { id: 'gorod', pattern: /^г$/u, expansion: 'города', example: 'Управление образования администрации г. Вологды' },
  { id: 'rayon', pattern: /^р-н[аеу]?$/iu, expansion: 'района', example: 'Кирилловского р-на' },
];

/** Replaces built-in abbreviations token by token; returns the new text and the rules used. */
export function expandBuiltin(core: string): { text: string; rules: AbbreviationRule[] } {
  const rules: AbbreviationRule[] = [];
  let out = '';
  let pos = 0;
  for (const t of tokenize(core)) {
    if (t.kind !== 'word') continue;
    const rule = BUILTIN_ABBREVIATIONS.find((r) => r.pattern.test(t.text));
    if (!rule) continue;
    out += core.slice(pos, t.start) + rule.expansion;
    // «г.», «обл.»: the abbreviation's dot goes with it.
    pos = core[t.end] === '.' && /^(?:obl|gorod|rayon)$/.test(rule.id) ? t.end + 1 : t.end;
    rules.push(rule);
  }
  return { text: out + core.slice(pos), rules };
}

// --- abbreviations a document defines or spells out --------------------------------------------------

export interface DefinedAbbreviation {
  /** As defined: «ВИРО», «Институт». */
  abbr: string;
  /** The full name, in the nominative. */
  expansion: string;
  how: 'definition' | 'initials';
  /** Offset in the document text where the full name stands. */
  offset: number;
}

/** Words that may be skipped or contribute one letter inside an abbreviation («НИПКиПРО»). */
const FUNCTION_WORDS = new Set(['и', 'по', 'при', 'для', 'в', 'с', 'о', 'на', 'им', 'имени']);

const letters = (abbr: string) => [...abbr.toLowerCase().replace(/ё/g, 'е')].filter((c) => /\p{L}/u.test(c));

/**
 * Are these words what the abbreviation abbreviates? Every content word gives the next 1–3 letters
 * of the abbreviation from its start («Ам»урский «И»нститут «Р»азвития «О»бразования), function
 * words give their first letter or nothing, and the abbreviation is used up exactly.
 */
export function abbreviates(abbr: string, words: readonly string[]): boolean {
  const a = letters(abbr);
  const w = words.map((x) => x.toLowerCase().replace(/ё/g, 'е'));
  if (a.length < 2 || w.length === 0) return false;
  // reach[j] = set of letter positions reachable after consuming j words.
  let reach = new Set<number>([0]);
  for (let j = 0; j < w.length; j++) {
    const next = new Set<number>();
    const word = [...w[j]];
    const fn = FUNCTION_WORDS.has(w[j]);
    for (const i of reach) {
      if (fn) next.add(i);
      for (let k = 1; k <= Math.min(fn ? 1 : 3, word.length); k++) {
        if (i + k > a.length) break;
        let ok = true;
        for (let m = 0; m < k; m++) if (a[i + m] !== word[m]) ok = false;
        if (!ok) break;
        next.add(i + k);
      }
    }
    if (next.size === 0) return false;
    reach = next;
  }
  return reach.has(a.length);
}

/** «(далее – ВИРО)», «(далее по тексту – Институт)», «(в дальнейшем — ЦНППМ)». */
const DEFINITION_RE = /\(\s*(?:далее|в\s+дальнейшем)(?:\s+по\s+тексту)?\s*(?:[-–—]\s*)?([^()\n]{1,60}?)\s*\)/giu;

/** The words before `at` up to the start of their sentence (at most `max`). */
function wordsBefore(text: string, at: number, max: number): Token[] {
  let from = Math.max(0, at - 400);
  const window = text.slice(from, at);
  const boundary = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(';'), window.search(/\.\s+\p{Lu}[^.]*$/u));
  if (boundary >= 0) from += boundary + 1;
  return tokenize(text.slice(from, at))
    .filter((t) => t.kind === 'word')
    .map((t) => ({ ...t, start: t.start + from, end: t.end + from }))
    .slice(-max);
}

/** The full name a definition stands after: a quoted name, the words the abbreviation abbreviates, or the phrase whose head it repeats. */
function definedName(text: string, at: number, abbr: string, morph: Morph): string | null {
  const before = text.slice(Math.max(0, at - 300), at).trimEnd();
  if (/[»"”]$/.test(before)) {
    const open = Math.max(before.lastIndexOf('«'), before.lastIndexOf('“'), before.lastIndexOf('"', before.length - 2));
    if (open >= 0) {
      const name = before.slice(open + 1, -1).trim();
      if (name && !/[«»]/.test(name)) return name;
    }
  }
  const words = wordsBefore(text, at, 16);
  if (isAbbreviationLike(abbr)) {
    for (let s = words.length - 1; s >= 0; s--) {
      const span = words.slice(s).map((t) => t.text);
      if (abbreviates(abbr, span)) return nominativePhrase(text.slice(words[s].start, words[words.length - 1].end), morph);
    }
    return null;
  }
  // «Вологодский институт развития образования (далее – Институт)»: the phrase from the last word with the same lemma.
  const head = morph.lemma(abbr.split(/\s+/)[0]);
  for (let s = words.length - 1; s >= 0; s--) {
    if (morph.lemma(words[s].text) !== head) continue;
    let from = s;
    while (from > 0 && morph.parse(words[from - 1].text).some((p) => p.pos === 'ADJF') && /^\p{Lu}/u.test(words[from - 1].text)) from--;
    return nominativePhrase(text.slice(words[from].start, words[words.length - 1].end), morph);
  }
  return null;
}

function isAbbreviationLike(s: string): boolean {
  return /\p{Lu}.*\p{Lu}/u.test(s) && !/\s/.test(s.trim());
}

/** Abbreviations a document defines with «(далее – …)». Multi-term definitions («Мероприятие, Услуги») are not names and are skipped. */
export function findDefinitions(text: string, morph: Morph): DefinedAbbreviation[] {
  const out: DefinedAbbreviation[] = [];
  for (const m of text.matchAll(DEFINITION_RE)) {
    const abbr = m[1].replace(/[«»"“”„]/g, '').replace(/^соответственно\s*[-–—]?\s*/iu, '').trim();
    if (!abbr || /[,;]|\sи\s/u.test(abbr) || abbr.split(/\s+/).length > 3) continue;
    const expansion = definedName(text, m.index, abbr, morph);
    if (expansion && expansion.toLowerCase() !== abbr.toLowerCase()) out.push({ abbr, expansion, how: 'definition', offset: m.index });
  }
  return out;
}

/**
 * Where the document spells out an abbreviation it uses without defining it: the first run of words,
 * starting with a capital, whose initials it is («Челябинском институте переподготовки и повышения
 * квалификации работников образования» for «ЧИППКРО»). Abbreviations under three letters are too
 * ambiguous to look for.
 */
export function findSpelledOut(text: string, abbr: string, morph: Morph): DefinedAbbreviation | null {
  const a = letters(abbr);
  if (a.length < 3) return null;
  // Runs of words not broken by punctuation other than hyphens.
  let run: Token[] = [];
  const runs: Token[][] = [run];
  for (const t of tokenize(text)) {
    if (t.kind === 'word') run.push(t);
    else if (!/^[-–«»"]$/.test(t.text)) runs.push((run = []));
  }
  for (const r of runs) {
    for (let s = 0; s < r.length; s++) {
      const first = r[s].text;
      if (!/^\p{Lu}\p{Ll}/u.test(first) || first[0].toLowerCase() !== a[0]) continue;
      for (let e = s + 1; e <= Math.min(r.length, s + a.length + 4); e++) {
        const span = r.slice(s, e).map((t) => t.text);
        if (span.length < 2) continue;
        if (abbreviates(abbr, span)) {
          return { abbr, expansion: nominativePhrase(text.slice(r[s].start, r[e - 1].end), morph), how: 'initials', offset: r[s].start };
        }
      }
    }
  }
  return null;
}

/**
 * Abbreviations in search queries: «ОВЗ» and «ограниченными возможностями здоровья» find each other.
 * A query is searched as itself and, when it holds an abbreviation of the list or the words of one's
 * expansion (in any case form: matched by lemmas), also with the other form; a recommendation is a hit
 * for the closest of those queries, and the results page says which expansion was used.
 *
 * The list reuses the addressee stage's built-in abbreviations of organisations
 * (pipeline/addressees/abbreviations.ts `BUILTIN_ABBREVIATIONS`, by id: one definition of «ДОУ»),
 * plus a few terms of the genre that are not addressees (ОВЗ, ФГОС, ДПО, ИРО, ППк) — kept here, not
 * there, because the addressee stage rewrites addressee names with its list. Short on purpose; pure.
 */
import { BUILTIN_ABBREVIATIONS } from '../addressees/abbreviations.js';
import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import { isContentLemma } from './corpus.js';

export interface QueryAbbreviation {
  abbr: string;
  expansion: string;
}

/** The built-in addressee abbreviations a query may hold, by rule id → how it is written. */
const REUSED: Record<string, string> = {
  oo: 'ОО',
  ou: 'ОУ',
  doo: 'ДОО',
  dou: 'ДОУ',
  poo: 'ПОО',
  omsu: 'ОМСУ',
  mouo: 'МОУО',
  oiv: 'ОИВ',
  pmpk: 'ПМПК',
  sosh: 'СОШ',
  rmo: 'РМО',
  shmo: 'ШМО',
};

export const SEARCH_ABBREVIATIONS: readonly QueryAbbreviation[] = [
  ...BUILTIN_ABBREVIATIONS.filter((r) => REUSED[r.id]).map((r) => ({ abbr: REUSED[r.id], expansion: r.expansion })),
  { abbr: 'ОВЗ', expansion: 'ограниченные возможности здоровья' },
  { abbr: 'ФГОС', expansion: 'федеральный государственный образовательный стандарт' },
  { abbr: 'ДПО', expansion: 'дополнительное профессиональное образование' },
  { abbr: 'ИРО', expansion: 'институт развития образования' },
  { abbr: 'ППк', expansion: 'психолого-педагогический консилиум' },
];

export interface QueryExpansion {
  /** The query first, then the query with the other form of each abbreviation found. */
  variants: string[];
  /** What was replaced, for the page: «ОВЗ → ограниченные возможности здоровья». */
  used: { from: string; to: string }[];
}

interface Word {
  start: number;
  end: number;
  text: string;
  lemma: string;
}

function contentWords(text: string, morph: Morph): Word[] {
  const out: Word[] = [];
  for (const t of tokenize(text)) {
    if (t.kind !== 'word') continue;
    const lemma = morph.lemma(t.text.toLowerCase());
    if (isContentLemma(lemma)) out.push({ start: t.start, end: t.end, text: t.text, lemma });
  }
  return out;
}

/** The query's variants: abbreviations spelt out, and spelt-out names abbreviated. */
export function expandQuery(query: string, morph: Morph): QueryExpansion {
  const used: { from: string; to: string }[] = [];
  const words = contentWords(query, morph);
  // Abbreviation → expansion (any letter case: «овз», «ППК»).
  let forward = '';
  let pos = 0;
  for (const t of tokenize(query)) {
    if (t.kind !== 'word') continue;
    const a = SEARCH_ABBREVIATIONS.find((x) => x.abbr.toLowerCase() === t.text.toLowerCase() && (t.text.length > 2 || t.text === x.abbr));
    if (!a) continue;
    forward += query.slice(pos, t.start) + a.expansion;
    pos = t.end;
    used.push({ from: t.text, to: a.expansion });
  }
  forward = pos ? forward + query.slice(pos) : '';
  // Expansion → abbreviation: its content lemmas in a row in the query, longest expansion first.
  let backward = query;
  let replaced = false;
  const byLength = SEARCH_ABBREVIATIONS.map((a) => ({ a, lemmas: contentWords(a.expansion, morph).map((w) => w.lemma) })).sort((x, y) => y.lemmas.length - x.lemmas.length);
  const taken = new Set<number>();
  const cuts: { start: number; end: number; abbr: string }[] = [];
  for (const { a, lemmas } of byLength) {
    if (lemmas.length === 0) continue;
    for (let k = 0; k + lemmas.length <= words.length; k++) {
      if (lemmas.some((l, j) => words[k + j].lemma !== l || taken.has(k + j))) continue;
      for (let j = 0; j < lemmas.length; j++) taken.add(k + j);
      cuts.push({ start: words[k].start, end: words[k + lemmas.length - 1].end, abbr: a.abbr });
      used.push({ from: query.slice(words[k].start, words[k + lemmas.length - 1].end), to: a.abbr });
      replaced = true;
      break;
    }
  }
  if (replaced) for (const c of cuts.sort((x, y) => y.start - x.start)) backward = backward.slice(0, c.start) + c.abbr + backward.slice(c.end);
  const variants = [query];
  for (const v of [forward, replaced ? backward : '']) if (v && !variants.includes(v)) variants.push(v);
  return { variants, used };
}

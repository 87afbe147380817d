import type { Morph } from '../../text/morph.js';
import { nameForms, placeKey } from './declension.js';
import { CITY_ADJECTIVES, FEDERAL_CITIES, REGIONS, REGION_ALIASES, cityRegions } from './gazetteer.js';
import { geoParses } from './geo-morph.js';
import type { Layout } from './layout.js';
import { WB, foldYo, inSpans, isCapitalised, wordsWithOffsets, type Span } from './text.js';

export interface PlaceMention extends Span {
  kind: 'city' | 'region';
  /** Canonical nominative name. */
  name: string;
}

interface PlaceIndex {
  cities: Map<string, string>;
  regions: Map<string, string>;
  cityRegion: Map<string, string>;
  maxWords: number;
  /** The first word of every key (of `cities` and `regions`): a name can only start at such a word. */
  firstWords: Set<string>;
}

let index: PlaceIndex | undefined;

function placeIndex(): PlaceIndex {
  if (index) return index;
  const cityRegion = cityRegions();
  const cities = new Map<string, string>();
  const regions = new Map<string, string>();
  let maxWords = 1;
  const add = (map: Map<string, string>, name: string, canonical: string) => {
    for (const f of nameForms(name)) {
      if (!map.has(f)) map.set(f, canonical);
      maxWords = Math.max(maxWords, f.split(' ').length);
    }
  };
  for (const c of cityRegion.keys()) add(cities, c, c);
  for (const [r] of REGIONS) add(regions, r, r);
  for (const [alias, r] of Object.entries(REGION_ALIASES)) add(regions, alias, r);
  const firstWords = new Set([...cities.keys(), ...regions.keys()].map((k) => k.split(' ')[0]));
  index = { cities, regions, cityRegion, maxWords, firstWords };
  return index;
}

/** Separators allowed inside a multi-word name: spaces, a dash, parentheses, the dot of "обл."/"респ.". */
const NAME_GAP = /^[ \t().–—-]*\n?[ \t()]*$/;

/** Gazetteer places mentioned in text[from, to), longest match first. */
export function findPlaces(text: string, from = 0, to = text.length): PlaceMention[] {
  const idx = placeIndex();
  const words = wordsWithOffsets(text, from, to);
  // Whether each word is capitalised, and whether the gap before it may lie inside a name: tested once
  // per word, not once for every candidate name that contains it (up to maxWords times as many tests).
  const capitalised = words.map((w) => isCapitalised(w.text));
  const joins = words.map((w, k) => k > 0 && NAME_GAP.test(text.slice(words[k - 1].end, w.start)));
  // The first capitalised word at or after each word: a name needs one among its words, so none
  // starts at a word with no capitalised word within maxWords (most words of a text), and such words
  // are neither lower-cased nor looked up.
  const nextCapital = new Int32Array(words.length + 1).fill(words.length);
  for (let k = words.length - 1; k >= 0; k--) nextCapital[k] = capitalised[k] ? k : nextCapital[k + 1];
  const out: PlaceMention[] = [];
  for (let i = 0; i < words.length; i++) {
    if (nextCapital[i] >= i + idx.maxWords) continue;
    // A key's first word is the text's first word as placeKey writes it (lower case, ё as е: nothing
    // else of placeKey's can occur inside a word), so no name starts at a word no key starts with.
    if (!idx.firstWords.has(foldYo(words[i].text.toLowerCase()))) continue;
    for (let n = Math.min(idx.maxWords, words.length - i); n >= 1; n--) {
      let joined = true;
      let capital = capitalised[i];
      for (let k = i + 1; k < i + n; k++) {
        if (!joins[k]) joined = false;
        if (capitalised[k]) capital = true;
      }
      if (!joined) continue;
      if (!capital) continue; // "в предметной области", "орёл" the bird
      const start = words[i].start;
      const end = words[i + n - 1].end;
      const key = placeKey(text.slice(start, end));
      const city = idx.cities.get(key);
      const region = idx.regions.get(key);
      if (!city && !region) continue;
      out.push({ start, end, kind: city ? 'city' : 'region', name: (city ?? region)! });
      i += n - 1;
      break;
    }
  }
  return out;
}

export function regionOfCity(city: string): string | null {
  return placeIndex().cityRegion.get(city) ?? null;
}

export function isFederalCity(city: string): boolean {
  return (FEDERAL_CITIES as readonly string[]).includes(city);
}

/**
 * "г.", "город", "в", "во" right before a mention: it names the place something happened — also with
 * a regional adjective between ("в подмосковных Химках", "в уральской столице Екатеринбурге").
 */
const CITY_CUE_BEFORE = new RegExp(
  `(?<!\\d[ \\t]?)${WB}(?:г\\.|гор\\.|город\\p{L}*|(?:в|во)(?:[ \\t]+\\p{Ll}+(?:их|ых|ом|ем|ой|ей)(?:[ \\t]+(?:столиц\\p{L}*|город\\p{L}*))?)?)[ \\t]*$`,
  'iu',
);

/** A head line that is only a place (and maybe a year): "г. Вологда", "Москва, 2024". */
function isPlaceLine(text: string, m: Span): boolean {
  const { before, after } = lineAround(text, m);
  return /^\s*(?:г\.|город)?\s*$/iu.test(before) && /^\s*(?:[,–—-]\s*(?:\d{4}\s*(?:г\.?|год)?)?)?\s*[.,]?\s*$/u.test(after);
}

function lineAround(text: string, m: Span): { before: string; after: string } {
  const lineStart = text.lastIndexOf('\n', m.start - 1) + 1;
  let lineEnd = text.indexOf('\n', m.end);
  if (lineEnd < 0) lineEnd = text.length;
  return { before: text.slice(lineStart, m.start), after: text.slice(m.end, lineEnd) };
}

const MONTH_WORDS = /(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|года?|гг?\.?)(?![\p{L}])/giu;

/**
 * The place-and-date line of an official paper, under its title or above its text: "г. Красноярск
 * 14–15 ноября 2024 г.", "г. Вологда, «30» марта 2023 года": "г." and the town open the line, and
 * the rest of it is a date or nothing (no other word).
 */
function isPlaceDateLine(text: string, m: Span): boolean {
  const { before, after } = lineAround(text, m);
  return /^\s*(?:г\.|город)\s*$/iu.test(before) && !/\p{L}/u.test(after.replace(MONTH_WORDS, ''));
}

/** Nominative of a town the gazetteer does not know, after "г."/"город". */
function unknownCity(word: string, locative: boolean): string {
  const geo = geoParses(word);
  if (geo.length) return geo[0].lemma;
  // Russian town names are mostly masculine consonant stems (-ск, -ов, -ин, -град), so "в г. Соколе" → Сокол
  if (locative && /[бвгдзклмнпрстфхц]е$/u.test(word)) return word.slice(0, -1);
  return word;
}

// "2024 г." is a year: a "г." right after digits is not "город"; the name must be on the same line
// also settlements: "п. Октябрьский", "пгт Шексна", "с. Майма", "в селе Майма", "станица Ленинградская";
// a two-word name only with an adjective first ("с. Верхний Услон"), not "г. Кирове Министерство"
// (?=[вгпрс]): the letters a match starts with, tested before the Unicode lookbehind at each position
const CUED_TOWN_RE = /(?=[вгпрс])(?<![\p{L}])(?:(в|во)[ \t]+)?(?<!\d[ \t]?)(?:г\.|гор\.|город\p{L}*|п\.|пос\.|пгт\.?|р\.\s?п\.|рп\.?|с\.|сел[оеа]|посёл\p{L}*|посел\p{L}*|станиц\p{L}*|ст-ц[аеы])[ \t]*(\p{Lu}\p{Ll}*(?:ий|ый|ой|ая|яя|ое|ее|ие|ые)[ \t]+\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+(?:-\p{L}\p{Ll}*)*)/gu;

/** Towns after "г."/"город" in [from, to) that the gazetteer does not know. */
function cuedTowns(text: string, s: Span, quotes: readonly Span[]): PlaceMention[] {
  const out: PlaceMention[] = [];
  CUED_TOWN_RE.lastIndex = s.start;
  for (let m = CUED_TOWN_RE.exec(text); m && m.index < s.end; m = CUED_TOWN_RE.exec(text)) {
    const start = m.index + m[0].length - m[2].length;
    if (inSpans(start, quotes)) continue;
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    const locative = Boolean(m[1]) || /\sв\s$/.test(before);
    out.push({ start, end: start + m[2].length, kind: 'city', name: unknownCity(m[2], locative) });
  }
  return out;
}

const INSTITUTION_LEMMAS = new Set([
  'институт', 'университет', 'академия', 'колледж', 'техникум', 'училище', 'школа', 'гимназия', 'лицей',
  'центр', 'дворец', 'дом', 'музей', 'библиотека',
]);

/** City named by an adjective (челябинский → Челябинск) through the gazetteer. */
export function cityFromAdjective(lemma: string): string | null {
  const l = lemma.toLowerCase().replace(/ё/g, 'е');
  if (CITY_ADJECTIVES[l]) return CITY_ADJECTIVES[l];
  const stem = l.replace(/(?:ский|цкий|ской)$/, '');
  if (stem === l) return null;
  const hits = [...placeIndex().cityRegion.keys()].filter((c) => {
    const k = c.toLowerCase().replace(/ё/g, 'е');
    return k === stem + 'ск' || k === stem || (stem.length >= 5 && k.startsWith(stem.slice(0, -2)) && k.length <= stem.length + 2);
  });
  return hits.length === 1 ? hits[0] : null;
}

/** "в Челябинском институте …", "на базе Вологодского института …": the host's name states its city. */
function hostCity(text: string, s: Span, morph: Morph): string | null {
  const words = wordsWithOffsets(text, s.start, s.end);
  for (let i = 1; i + 1 < words.length; i++) {
    const prev = text.slice(Math.max(s.start, words[i].start - 12), words[i].start);
    if (!/(?:^|\s)(?:в|во|базе|стенах|площадке)\s+$/iu.test(prev) || !isCapitalised(words[i].text)) continue;
    const adj = morph.parse(words[i].text).find((p) => p.pos === 'ADJF');
    const noun = morph.parse(words[i + 1].text).find((p) => p.pos === 'NOUN' && INSTITUTION_LEMMAS.has(p.lemma));
    if (!adj || !noun) continue;
    const city = cityFromAdjective(adj.lemma);
    if (city) return city;
  }
  return null;
}

export interface PlaceResult {
  city: string | null;
  region: string | null;
}

const AUTHORITY_BEFORE = /(?:министерств|департамент|управлени|комитет|правительств|администраци|губернатор|агентств)\p{L}*(?:\s+[\p{L}-]+){0,5}\s*$|на\s+территори\p{L}*\s*$/iu;

function cityMentions(layout: Layout, s: Span, requireCue: boolean): PlaceMention[] {
  const { text, quotes } = layout;
  const known = findPlaces(text, s.start, s.end).filter((m) => m.kind === 'city' && !inSpans(m.start, quotes));
  const cued = known.filter(
    (m) => CITY_CUE_BEFORE.test(text.slice(Math.max(0, m.start - 40), m.start)) || (!requireCue && isPlaceLine(text, m)),
  );
  const unknown = cuedTowns(text, s, quotes).filter((u) => !known.some((k) => k.start === u.start));
  const found = [...cued, ...unknown].sort((a, b) => a.start - b.start);
  // a header names its place without ceremony ("30 марта 2023 г. Вологда"); the gazetteer vouches for it
  return found.length || requireCue ? found : known;
}

export function extractPlaces(layout: Layout, morph: Morph): PlaceResult {
  const { text, quotes } = layout;
  let city: string | null = cityMentions(layout, layout.head, false)[0]?.name ?? null;
  for (const s of layout.eventSentences) {
    if (city) break;
    city = cityMentions(layout, s, true)[0]?.name ?? null;
  }
  for (const s of layout.eventSentences) {
    if (city) break;
    city = hostCity(text, s, morph);
  }
  // The place-and-date line under the title (the head ends at the title; the line is no sentence).
  city ??= cityMentions(layout, layout.intro, true).find((m) => isPlaceDateLine(text, m))?.name ?? null;

  const regionsIn = (s: Span) =>
    findPlaces(text, s.start, s.end).filter((m) => m.kind === 'region' && !inSpans(m.start, quotes));
  let region: string | null = null;
  if (city && isFederalCity(city)) region = city;
  region ??= regionsIn(layout.head)[0]?.name ?? null;
  if (!region && city) region = regionOfCity(city);
  for (const s of layout.eventSentences) {
    if (region) break;
    region = regionsIn(s)[0]?.name ?? null;
  }
  if (!region) {
    // The host region speaks through its authorities ("Департаменту Смоленской области …") and
    // "на территории …"; regions listed as where participants came from carry no such cue.
    const counts = new Map<string, number>();
    for (const m of regionsIn({ start: 0, end: text.length })) {
      if (!AUTHORITY_BEFORE.test(text.slice(Math.max(0, m.start - 80), m.start))) continue;
      counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
    }
    let best = 0;
    for (const [name, n] of counts) if (n > best) [region, best] = [name, n];
  }
  return { city, region };
}


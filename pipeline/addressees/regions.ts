/**
 * Which Russian region an addressee's name names: "Министерство образования Челябинской области",
 * "Вологодский институт развития образования", "Управление образования Администрации города Вологды",
 * "Министерство образования и науки Республики Татарстан". Reference knowledge from the ingest
 * gazetteer (every federal subject, its centre and larger cities), not fitting. Pure.
 */
import { CITY_ADJECTIVES, FEDERAL_CITIES, REGIONS, REGION_ALIASES, cityRegions } from '../ingest/metadata/gazetteer.js';
import { geoParses } from '../ingest/metadata/geo-morph.js';
import type { Morph } from '../text/morph.js';

export interface NameWord {
  /** As written. */
  text: string;
  /** Lower case, ё folded. */
  lower: string;
  lemma: string;
}

interface RegionIndex {
  /** Lemma of the adjective that names a region: "вологодский" → Вологодская область. */
  byAdjective: Map<string, string>;
  /** Lemma of the noun that names a republic: "татарстан" → Республика Татарстан. */
  byNoun: Map<string, string>;
  /** City (nominative, lower case) → region; a federal city is its own region. */
  byCity: Map<string, string>;
}

let index: RegionIndex | undefined;

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/**
 * Words of region names that name no region on their own: "Северный (Арктический) федеральный
 * университет" is not in Северная Осетия, "Народный" is not the ДНР.
 */
const COMMON_WORDS = new Set([
  'республика', 'область', 'край', 'автономный', 'округ', 'народный', 'северный', 'южный', 'западный', 'восточный',
  'центральный', 'новый', 'великий', 'нижний', 'эл',
]);

function buildIndex(morph: Morph): RegionIndex {
  const byAdjective = new Map<string, string>();
  const byNoun = new Map<string, string>();
  const add = (word: string, region: string) => {
    const w = fold(word);
    if (COMMON_WORDS.has(w)) return;
    const adjective = morph.parse(w).find((p) => p.pos === 'ADJF');
    if (adjective) {
      if (!COMMON_WORDS.has(adjective.lemma)) byAdjective.set(adjective.lemma, region);
    } else byNoun.set(w, region);
  };
  for (const [region] of REGIONS) {
    // "Вологодская область" → "вологодская"; "Республика Татарстан" → "татарстан"; "Удмуртская Республика" → "удмуртская".
    const words = region.replace(/\(.*?\)/g, ' ').split(/[\s–-]+/).filter(Boolean);
    for (const w of words) if (/^\p{Lu}/u.test(w) && !/^Республика$/.test(w)) add(w, region);
  }
  for (const [alias, region] of Object.entries(REGION_ALIASES)) {
    const words = alias.split(/\s+/);
    if (words.length === 1 && /^\p{Lu}\p{Ll}/u.test(alias)) byNoun.set(fold(alias), region);
  }
  // "Саха (Якутия)", "Марий Эл", "Ханты-Мансийский": compound names the loop above split.
  byNoun.set('якутия', 'Республика Саха (Якутия)');
  byNoun.set('саха', 'Республика Саха (Якутия)');
  byAdjective.set('ханты-мансийский', 'Ханты-Мансийский автономный округ – Югра');
  byAdjective.set('ямало-ненецкий', 'Ямало-Ненецкий автономный округ');
  byNoun.set('югра', 'Ханты-Мансийский автономный округ – Югра');
  const byCity = new Map<string, string>();
  for (const [city, region] of cityRegions()) {
    byCity.set(fold(city), region);
    // «Нижнего Новгорода» → «нижний новгород»: two-word cities by their lemmas.
    const parts = fold(city).split(/\s+/);
    if (parts.length === 2) byCity.set(parts.map((w) => morph.lemma(w)).join(' '), region);
  }
  for (const [adj, city] of Object.entries(CITY_ADJECTIVES)) {
    const region = byCity.get(fold(city));
    if (region && !byAdjective.has(adj)) byAdjective.set(adj, region);
  }
  return { byAdjective, byNoun, byCity };
}

function regionIndex(morph: Morph): RegionIndex {
  index ??= buildIndex(morph);
  return index;
}

/**
 * The region a name names, or null. Adjectives count only when capitalised ("Вологодский институт",
 * "Челябинской области"), so "областной" or "городской" never name a region. "Московский" alone is
 * the city, "Московской области" the region.
 */
export function regionOfName(words: readonly NameWord[], morph: Morph): string | null {
  const idx = regionIndex(morph);
  for (let i = 0; i < words.length; i++) {
    // A heading typed in capitals («города УЛЬЯНОВСКА») names places all the same.
    const w0 = words[i];
    const w = w0.text.length > 3 && w0.text === w0.text.toUpperCase() ? { ...w0, text: w0.text.charAt(0) + w0.text.slice(1).toLowerCase(), lemma: morph.lemma(w0.lower) } : w0;
    if (!/^\p{Lu}/u.test(w.text)) continue;
    const next = words[i + 1]?.lemma;
    if (w.lemma === 'московский') return next === 'область' ? 'Московская область' : 'Москва';
    if (w.lemma === 'ленинградский') return 'Ленинградская область';
    const adj = idx.byAdjective.get(w.lemma);
    if (adj) return adj;
    const noun = idx.byNoun.get(w.lower) ?? idx.byNoun.get(w.lemma);
    if (noun) return noun;
    // Cities are proper nouns: az knows them only capitalised ("Вологды" → Вологда).
    for (const g of geoParses(w.text)) {
      const region = idx.byCity.get(fold(g.lemma));
      if (region) return region;
    }
    const city = idx.byCity.get(w.lower) ?? (words[i + 1] ? idx.byCity.get(`${w.lemma} ${words[i + 1].lemma}`) : undefined);
    if (city) return city;
  }
  return null;
}

/** Federal cities are regions of their own (used to keep "Москва" from reading as a municipal name). */
export function isFederalCityRegion(region: string | null): boolean {
  return region !== null && (FEDERAL_CITIES as readonly string[]).includes(region);
}

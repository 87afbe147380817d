import Az from 'az';
import { matchCase } from './text.js';

/**
 * Proper-noun lookup in the OpenCorpora dictionary. `Morph.parse` lower-cases its input, and az only
 * recognises geographical names (grammeme Geox) when they are capitalised — "Вологды" lower-cased
 * parses as a non-word — so place names go to az directly with their case intact. The dictionary is
 * the one `loadMorph()` initialised; without it (a stub Morph in tests) this simply knows nothing.
 */
export interface GeoParse {
  /** Nominative, capitalised like the surface form. */
  lemma: string;
  grammemes: ReadonlySet<string>;
}

const cache = new Map<string, GeoParse[]>();

export function geoParses(word: string): GeoParse[] {
  let hit = cache.get(word);
  if (hit) return hit;
  hit = [];
  try {
    for (const p of Az.Morph(word)) {
      const tag = p.tag as unknown as Record<string, unknown>;
      if (tag.Geox !== true || tag.POS !== 'NOUN') continue;
      const grammemes = new Set(Object.keys(tag).filter((k) => tag[k] === true));
      for (const k of ['CAse', 'NMbr', 'GNdr']) if (typeof tag[k] === 'string') grammemes.add(tag[k] as string);
      hit.push({ lemma: matchCase(String(p.normalize()), word), grammemes });
    }
  } catch {
    // dictionary not initialised: no proper-noun knowledge
  }
  if (cache.size > 50_000) cache.clear();
  cache.set(word, hit);
  return hit;
}

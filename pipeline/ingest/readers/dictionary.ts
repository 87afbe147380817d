import Az from 'az';
import { loadMorph } from '../../text/morph.js';

/**
 * A yes/no dictionary lookup for dehyphenation. It needs to know whether a word is in the OpenCorpora
 * dictionary itself, which `Morph.parse` hides (az also guesses unknown words from their suffixes), so
 * after `loadMorph` has initialised the shared az dictionaries it asks az directly for exact hits.
 */
export type WordCheck = (word: string) => boolean;

const EXACT_ONLY = { parsers: ['Dictionary'], typos: 0, stutter: 0 };

let checker: Promise<WordCheck> | undefined;

function createCheck(): WordCheck {
  const cache = new Map<string, boolean>();
  return (word) => {
    const key = word.toLowerCase();
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = Az.Morph(key, EXACT_ONLY).some((p) => p.parser === 'Dictionary');
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Resolves to a checker; if the dictionaries cannot be loaded it knows no words (the fallback rule still applies). */
export function loadWordCheck(): Promise<WordCheck> {
  checker ??= loadMorph().then(createCheck, (): WordCheck => () => false);
  return checker;
}

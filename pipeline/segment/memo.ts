import type { Morph } from '../text/morph.js';

/**
 * A bounded per-morphology cache for pure text → result functions of the segmenter. Resolutions
 * repeat their headings and item openings constantly ("Образовательным организациям:" heads
 * thousands of documents), so analysing each distinct string once saves most of the work, as the
 * morphology's own memo does for words. Results are shared: callers must not mutate them.
 */
/** Keys longer than this are not cached (item openings and headings are shorter; measured: 7 % of the segmenter's time went to hashing long keys). */
const MAX_KEY = 120;

export function memoByMorph<T>(limit: number, compute: (key: string, morph: Morph) => T): (key: string, morph: Morph) => T {
  const caches = new WeakMap<Morph, Map<string, T>>();
  return (key, morph) => {
    // Long texts (whole items) rarely recur, and hashing them costs more than it saves.
    if (key.length > MAX_KEY) return compute(key, morph);
    let cache = caches.get(morph);
    if (!cache) {
      cache = new Map();
      caches.set(morph, cache);
    }
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = compute(key, morph);
      if (cache.size >= limit) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
}

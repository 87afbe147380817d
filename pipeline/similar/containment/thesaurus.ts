/**
 * Synonym groups (data/synonyms.json) as a lemma → group-name map: the containment criterion compares
 * proposals up to these words, so "развивать службу консультирования семей" and "совершенствовать
 * службу консультирования семей" have one lemma set.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfrecError } from '../../errors.js';
import type { Morph } from '../../text/morph.js';

export interface Thesaurus {
  /** Lemma → the lemma naming its group (absent: the lemma stands for itself). */
  canonical: ReadonlyMap<string, string>;
  /** Phrases of several words ("молодое поколение"), as lemma sequences, longest first. */
  phrases: readonly { lemmas: readonly string[]; canonical: string }[];
  /** Content hash: stored results computed with another thesaurus are recomputed. */
  hash: string;
}

export const EMPTY_THESAURUS: Thesaurus = { canonical: new Map(), phrases: [], hash: 'none' };

function invalid(file: string, what: string): ConfrecError {
  return new ConfrecError(`invalid synonym groups: ${what}`, { file, hint: 'expected {"groups": [["word", "synonym", …], …]} (see data/synonyms.json)' });
}

/** Groups from JSON text; every word is lemmatised, so any form may be written. */
export function parseThesaurus(json: string, morph: Morph, file = 'synonyms.json'): Thesaurus {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw invalid(file, (err as Error).message);
  }
  const groups = (data as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) throw invalid(file, '"groups" is not a list');
  const canonical = new Map<string, string>();
  const phrases: { lemmas: string[]; canonical: string }[] = [];
  groups.forEach((g, k) => {
    if (!Array.isArray(g) || g.length < 2 || !g.every((w) => typeof w === 'string' && /^\p{L}[\p{L}-]*(?:\s+\p{L}[\p{L}-]*)*$/u.test(w.trim()))) {
      throw invalid(file, `group ${k + 1} must list at least two words or phrases`);
    }
    const entries = g.map((w: string) => w.trim().toLowerCase().split(/\s+/).map((x) => morph.lemma(x)));
    const name = entries[0].join(' ');
    for (const lemmas of entries) {
      if (lemmas.length > 1) {
        phrases.push({ lemmas, canonical: name });
        continue;
      }
      const other = canonical.get(lemmas[0]);
      if (other !== undefined && other !== name) throw invalid(file, `"${lemmas[0]}" is in two groups`);
      canonical.set(lemmas[0], name);
    }
  });
  phrases.sort((a, b) => b.lemmas.length - a.lemmas.length || (a.lemmas.join(' ') < b.lemmas.join(' ') ? -1 : 1));
  const hash = createHash('sha256')
    .update(JSON.stringify({ words: [...canonical].sort(), phrases }))
    .digest('hex')
    .slice(0, 16);
  return { canonical, phrases, hash };
}

export function loadThesaurus(file: string, morph: Morph): Thesaurus {
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch {
    throw new ConfrecError('synonym groups not found', { file, hint: 'restore data/synonyms.json or set CONFREC_SYNONYMS' });
  }
  return parseThesaurus(json, morph, file);
}

/**
 * Round 7's allocation cuts in the segmenter's hottest helpers must not change a result:
 * `wordTokens` is exactly the word tokens of `tokenize` (and its first `limit` of them), and the
 * morphology's cache by the word as written gives the parses of the lower-cased word.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../pipeline/config.js';
import { tokenize, wordTokens, words } from '../../pipeline/text/tokenize.js';
import { loadMorph, type Morph } from '../../pipeline/text/morph.js';
import { SAMPLE_DIR } from '../helpers/tmp.js';

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? textFiles(join(dir, e.name)) : e.name.endsWith('.txt') ? [join(dir, e.name)] : [],
  );
}

// Letters next to digits, marks, hyphens, apostrophes, punctuation and non-Cyrillic scripts.
const EDGES = [
  '',
  '1.2.3 — 12,5 % «психолого-педагогический» ‘о’Нил’ x-',
  'a\u0301b \u0301c 3d d3 -e e- e--f e-\u0301 ё-Ё 2024г. г.Вологда',
  'Ǆemal ΣΊΣΥΦΟΣ 東京 ٣٤ \uD83D\uDE00 word’s l’école 1,2,3 .5 5.',
  'Участники конференции рекомендуют: 1) органам управления образованием — обеспечить…',
];

describe('wordTokens', () => {
  it('is tokenize filtered to words, on every fixture and on edge cases', () => {
    const texts = [...EDGES, ...[...textFiles(SAMPLE_DIR), ...textFiles(join(ROOT, 'tests', 'fixtures'))].map((f) => readFileSync(f, 'utf8'))];
    expect(texts.length).toBeGreaterThan(50);
    for (const text of texts) {
      const expected = tokenize(text).filter((t) => t.kind === 'word');
      expect(wordTokens(text)).toEqual(expected);
      for (const limit of [0, 1, 2, 8]) expect(wordTokens(text, limit)).toEqual(expected.slice(0, limit));
    }
  });

  it('finds a word right after a number or a mark (the scan does not skip letters)', () => {
    expect(wordTokens('12мая 3-го').map((t) => [t.text, t.start])).toEqual([['мая', 2], ['го', 8]]);
    expect(words('Ёлка, 2 ЁЖИКА')).toEqual(['елка', 'ежика']);
  });
});

describe('morphology cache by the word as written', () => {
  let morph: Morph;
  beforeAll(async () => {
    morph = await loadMorph();
  });

  it('gives the lower-cased word\'s parses whatever the case, on the first and on later calls', () => {
    for (const w of ['Министерству', 'МИНИСТЕРСТВУ', 'министерству', 'Рекомендовать', 'рекомендовать', 'ОУ', 'ou', '2024']) {
      const lower = morph.parse(w.toLowerCase());
      const first = morph.parse(w);
      expect(first).toBe(lower);
      expect(morph.parse(w)).toBe(first);
      expect(morph.lemma(w)).toBe(lower[0]?.lemma ?? w.toLowerCase().replace(/ё/g, 'е'));
    }
  });
});

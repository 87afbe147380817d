import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Morph } from '../../pipeline/text/morph.js';
import { parseThemes } from '../../pipeline/themes/definitions.js';
import { compileTerms, lemmatise, matchedTerms, themeLemmas, type CompiledTerms, type WordLemmas } from '../../pipeline/themes/evidence.js';
import { contextsFor, findDefinedTerms } from '../../pipeline/themes/defined-terms.js';
import { calibrate, themeF1 } from '../../pipeline/themes/score.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { testMorph } from '../helpers/morph.js';
import { SAMPLE_DIR } from '../helpers/paths.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const THEMES = parseThemes(readFileSync(join(__dirname, '..', '..', 'data', 'themes.json'), 'utf8'), 'data/themes.json');
const theme = (id: string) => THEMES.find((t) => t.id === id)!;

describe('theme terms match lemmas in any word form', () => {
  it.each([
    ['ovz', 'обеспечить обучение детей с ограниченными возможностями здоровья', ['ограниченный возможность здоровье']],
    ['ovz', 'развивать инклюзивную среду для обучающихся с особыми образовательными потребностями', ['инклюзивный', 'особый образовательный потребность']],
    ['giftedness', 'поддержать одарённых школьников и победителей олимпиад', ['одаренный', 'олимпиада']],
    ['parental_competence', 'организовать консультирование родителей (законных представителей)', ['родитель', 'законный представитель']],
    ['upbringing', 'реализовывать программы патриотического воспитания', ['воспитание', 'патриотический']],
  ])('%s: %s', (id, text, expected) => {
    const found = matchedTerms(lemmatise(text, morph), compileTerms(theme(id), morph)).map((t) => t.phrase);
    expect(found.sort()).toEqual([...expected].sort());
  });

  it('does not read pupils (воспитанники) or "воспитывающих" as upbringing', () => {
    const c = compileTerms(theme('upbringing'), morph);
    expect(matchedTerms(lemmatise('организация деятельности воспитанников с ОВЗ', morph), c)).toEqual([]);
    expect(matchedTerms(lemmatise('поддержка семей, воспитывающих детей', morph), c)).toEqual([]);
  });
});

/** matchedTerms as it was: every term checked against the set of the text's lemmas, then scanned for. */
function matchedTermsByScan(lemmas: readonly WordLemmas[], compiled: CompiledTerms): { phrase: string; weight: number }[] {
  const present = new Set(lemmas.flatMap((w) => (typeof w === 'string' ? [w] : [...w])));
  const at = (w: WordLemmas, l: string) => (typeof w === 'string' ? w === l : w.includes(l));
  const occurs = (hay: readonly WordLemmas[], needle: readonly string[]) =>
    needle.length > 0 && hay.some((_, i) => i + needle.length <= hay.length && needle.every((l, k) => at(hay[i + k], l)));
  const hits = compiled.terms.filter((t) => t.lemmas.every((l) => present.has(l)) && occurs(lemmas, t.lemmas));
  return hits
    .filter((t) => t.weight < 0 || !hits.some((o) => o !== t && o.weight > 0 && o.lemmas.length > t.lemmas.length && occurs(o.lemmas, t.lemmas)))
    .map(({ phrase, weight }) => ({ phrase, weight }));
}

describe('matchedTerms finds terms through their first lemma', () => {
  const texts = [
    'обеспечить обучение детей с ограниченными возможностями здоровья и детей-инвалидов, детей с ОВЗ',
    'возможности здоровья ограниченные; ограниченными возможностями здоровья детей с ограниченными возможностями',
    'организовать консультирование родителей (законных представителей) обучающихся с ОВЗ и родителей одарённых детей',
    'всеми обучающимися, кроме детей с ограниченными возможностями здоровья, и патриотическое воспитание',
    'поддержать одарённых школьников, победителей олимпиад, олимпиад и конкурсов; инклюзивное образование',
    'отцов и матерей, семейное воспитание, родительские собрания, родительское просвещение',
    '',
    'и, а, но',
  ];
  it('gives the same terms, in the same order, as checking every term', () => {
    let found = 0;
    for (const text of texts) {
      for (const lemmas of [lemmatise(text, morph), themeLemmas(text, morph)]) {
        for (const t of THEMES) {
          const c = compileTerms(t, morph);
          const got = matchedTerms(lemmas, c);
          expect(got).toEqual(matchedTermsByScan(lemmas, c));
          found += got.length;
        }
      }
    }
    expect(found).toBeGreaterThan(20);
  });

  it('counts a term once however often its words occur, and keeps the terms\' order', () => {
    const c: CompiledTerms = {
      themeId: 't',
      terms: [
        { phrase: 'b a', lemmas: ['b', 'a'], weight: 1 },
        { phrase: 'a', lemmas: ['a'], weight: 1 },
        { phrase: 'a b', lemmas: ['a', 'b'], weight: 2 },
        { phrase: 'none', lemmas: [], weight: 1 },
        { phrase: '-b', lemmas: ['b'], weight: -0.5 },
      ],
    };
    const lemmas: WordLemmas[] = ['a', ['x', 'b'], 'a', 'b', 'a'];
    expect(matchedTerms(lemmas, c)).toEqual(matchedTermsByScan(lemmas, c));
    expect(matchedTerms(lemmas, c).map((t) => t.phrase)).toEqual(['b a', 'a b', '-b']);
  });
});

describe('defined terms carry their definition to recommendations', () => {
  it('finds "(далее соответственно – Мероприятие, Услуги)" and the sentence behind it', () => {
    const text = normaliseText(readFileSync(join(SAMPLE_DIR, 'resolution-02.txt'), 'utf8'));
    const terms = findDefinedTerms(text);
    expect(terms.map((t) => t.term)).toEqual(expect.arrayContaining(['Конференция', 'Мероприятие', 'Услуги']));
    expect(terms.find((t) => t.term === 'Услуги')!.context).toMatch(/помощи родителям \(законным представителям\)/);
    expect(contextsFor('обеспечить новые форматы оказания Услуг', terms)).toHaveLength(1);
    expect(contextsFor('обеспечить развитие социального партнерства', terms)).toHaveLength(0);
  });
});

describe('theme definitions are validated', () => {
  it.each([
    ['{', /not JSON/],
    ['{"themes": []}', /non-empty array/],
    ['{"themes": [{"id": "Bad Id", "label_ru": "x", "terms": {"a": 1}}]}', /snake_case/],
    ['{"themes": [{"id": "a", "label_ru": "x", "terms": {"a": "heavy"}}]}', /terms/],
    ['{"themes": [{"id": "a", "label_ru": "x"}]}', /give seeds or terms/],
  ])('%s', (json, message) => {
    expect(() => parseThemes(json, 'themes.json')).toThrow(ConfrecError);
    expect(() => parseThemes(json, 'themes.json')).toThrow(message);
  });
});

describe('calibration', () => {
  it('puts the threshold in the middle of the widest interval that reaches the best F1', () => {
    const items = [0.9, 0.8, 0.7, 0.2, 0.1].map((lexical, i) => ({
      evidence: { a: { lexical, similarity: lexical } },
      gold: new Set(i < 3 ? ['a'] : []),
    }));
    const r = calibrate(items, ['a']);
    expect(r.f1.micro).toBe(1);
    expect(r.model.threshold).toBeCloseTo(0.45, 5);
    expect(themeF1(items, ['a'], { ...r.model, threshold: 0.75 }).micro).toBeLessThan(1);
  });
});

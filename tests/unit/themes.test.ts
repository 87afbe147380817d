import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Morph } from '../../pipeline/text/morph.js';
import { parseThemes } from '../../pipeline/themes/definitions.js';
import { compileTerms, lemmatise, matchedTerms } from '../../pipeline/themes/evidence.js';
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

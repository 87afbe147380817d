import { describe, expect, it } from 'vitest';
import { testMorph } from '../helpers/morph.js';
import { compileTerms, NEGATED, termEvidence, themeLemmas } from '../../pipeline/themes/evidence.js';
import { leaveOneDocumentOut } from '../../pipeline/eval/heldout.js';
import { calibrate, themeF1, type LabelledItem } from '../../pipeline/themes/score.js';
import { scoreDocument, summarise, type GoldFile } from '../../pipeline/eval/score.js';

describe('negation in theme evidence', () => {
  const ovz = { id: 'ovz', label_ru: 'ОВЗ', description: '', seeds: [], terms: { овз: 1, 'ребенок-инвалид': 1, коррекционный: 1 } };

  it('words after «кроме», «за исключением» do not count, up to the end of the clause', async () => {
    const m = await testMorph();
    const t = compileTerms(ovz, m);
    const ev = (s: string) => termEvidence(themeLemmas(s, m), t);
    expect(ev('Организовать сдачу нормативов ГТО всеми обучающимися, кроме детей с ОВЗ и детей-инвалидов, освобождённых по медицинским показаниям')).toBe(0);
    expect(ev('Разработать требования к электронным журналам для всех школ города, за исключением специальных (коррекционных) школ')).toBe(0);
    expect(ev('Обеспечить сопровождение детей с ОВЗ')).toBe(1);
    // The clause ends at the comma: what follows counts again.
    expect(ev('Провести олимпиаду для всех, кроме выпускников, и отдельно для детей с ОВЗ')).toBe(1);
  });

  it('matches a term against every reading of a word, not only the one az ranks first', async () => {
    const m = await testMorph();
    const parents = compileTerms({ id: 'p', label_ru: 'p', description: '', seeds: [], terms: { отец: 1, мать: 1 } }, m);
    // az reads «отцов» first as an adjective and «матерей» as the verb «матереть».
    expect(termEvidence(themeLemmas('психологическое просвещение отцов и матерей', m), parents)).toBe(2);
  });

  it('«кроме того» is not a negation', async () => {
    const m = await testMorph();
    const lemmas = themeLemmas('Кроме того, обеспечить условия для детей с ОВЗ', m);
    expect(lemmas.flat().some((l) => l.startsWith(NEGATED))).toBe(false);
  });
});

describe('held-out theme quality', () => {
  // Two documents whose evidence needs different thresholds: a model fitted on both scores both
  // perfectly, but each one scored by a model fitted on the other misses.
  const item = (lexical: number, gold: string[]): LabelledItem => ({ gold: new Set(gold), evidence: { t: { lexical, similarity: 0 } } });
  const byDoc = new Map<string, LabelledItem[]>([
    ['a.txt', [item(0.9, ['t']), item(0.5, []), item(0.1, [])]],
    ['b.txt', [item(0.6, ['t']), item(0.2, []), item(0.1, [])]],
  ]);

  it('scores every document with a model calibrated without it', () => {
    const all = [...byDoc.values()].flat();
    const fitted = themeF1(all, ['t'], calibrate(all, ['t']).model);
    const held = leaveOneDocumentOut(byDoc, ['t']);
    expect(fitted.micro).toBe(1);
    expect(held.micro).toBeLessThan(1);
    expect(held.perTheme.t.tp + held.perTheme.t.fn).toBe(2);
  });
});

describe('theme ids come from the data, not from code', () => {
  it('scores whatever themes it is given', () => {
    const gold: GoldFile = {
      file: 'x.txt',
      conference: { title: null, kind: null, level: null, date_start: null, date_end: null, year: null, city: null, region: null, participants: null, format: null, organizer: null },
      recommendations: [{ addressee: null, addressee_raw: null, text: 'создать школьные музеи', verb: 'создать', themes: ['museums'] }],
      not_recommendations: [],
    };
    const s = summarise([scoreDocument(gold, null, [{ text: 'создать школьные музеи', addressee: null, verb: 'создать', themes: ['museums'] }], { themeIds: ['museums', 'ovz'] })]);
    expect(Object.keys(s.themeF1!)).toEqual(['museums', 'ovz']);
    expect(s.themeF1!.museums).toBe(1);
  });
});

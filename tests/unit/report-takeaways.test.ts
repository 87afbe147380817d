import { describe, it, expect } from 'vitest';
import { shortThemeLabel, wrapLabel } from '../../pipeline/report/labels.js';
import { verbClassOf } from '../../pipeline/report/verb-classes.js';
import type { YearThemeRow, GroupThemeRow, Theme } from '../../pipeline/report/data.js';
import {
  WORDS,
  changeVerb,
  classifyChange,
  count,
  formatPercent,
  formatPoints,
  plural,
  sentence,
  strongestLift,
  themeTrends,
  trendSentence,
  yearSpan,
  type Change,
} from '../../pipeline/report/takeaways.js';

const NB = '\u00a0';

describe('report takeaways: Russian number agreement', () => {
  it.each([
    [0, 'конференций'],
    [1, 'конференция'],
    [2, 'конференции'],
    [4, 'конференции'],
    [5, 'конференций'],
    [11, 'конференций'],
    [12, 'конференций'],
    [14, 'конференций'],
    [21, 'конференция'],
    [22, 'конференции'],
    [25, 'конференций'],
    [101, 'конференция'],
    [111, 'конференций'],
    [1002, 'конференции'],
  ])('%i → %s', (n, word) => {
    expect(plural(n, WORDS.conference)).toBe(word);
  });

  it.each([
    [1, WORDS.conferenceIn, `1${NB}конференции`],
    [3, WORDS.conferenceIn, `3${NB}конференциях`],
    [1, WORDS.recommendationAcc, `1${NB}рекомендацию`],
    [5, WORDS.year, `5${NB}лет`],
    [3, WORDS.year, `3${NB}года`],
    [7302, WORDS.recommendation, `7${NB}302${NB}рекомендации`],
    [74295, WORDS.recommendation, `74${NB}295${NB}рекомендаций`],
  ] as const)('count(%i) in the right case', (n, forms, text) => {
    expect(count(n, forms)).toBe(text);
  });

  it.each([
    [0.256, `26${NB}%`],
    [0.0912, `9,1${NB}%`],
    [0.05, `5${NB}%`],
    [0, `0${NB}%`],
    [1, `100${NB}%`],
  ])('percent %f → %s', (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it('year spans and full stops', () => {
    expect(yearSpan(2015, 2017)).toBe(`2015–2017${NB}гг.`);
    expect(yearSpan(2017, 2017)).toBe(`2017${NB}г.`);
    expect(yearSpan(null, null)).toBe('');
    expect(sentence(`до 2017${NB}гг.`)).toBe(`до 2017${NB}гг.`);
    expect(sentence('выросла')).toBe('выросла.');
    expect(formatPoints(0.09)).toBe(`+9${NB}п.${NB}п.`);
    expect(formatPoints(-0.083)).toBe(`−8,3${NB}п.${NB}п.`);
  });
});

describe('report takeaways: growth and decline wording', () => {
  it.each<[number, number, Change, string]>([
    [0.1, 0.3, 'strong_up', 'заметно выросла'],
    [0.2, 0.25, 'up', 'выросла'],
    [0.2, 0.21, 'stable', 'почти не изменилась'],
    [0.21, 0.195, 'stable', 'почти не изменилась'],
    [0.21, 0.13, 'down', 'снизилась'],
    [0.3, 0.1, 'strong_down', 'заметно снизилась'],
    [0, 0.05, 'strong_up', 'заметно выросла'],
  ])('%f → %f is %s', (from, to, change, verb) => {
    expect(classifyChange(from, to)).toBe(change);
    expect(changeVerb(change)).toBe(verb);
  });

  const rows = (spec: [number, number, number, number][]): YearThemeRow[] =>
    spec.map(([year, docs, recs, n]) => ({ year, docs, recs, theme_id: 'upbringing', n }));

  it('compares the earliest and latest reliable years, pooled, and says so in one sentence', () => {
    const trends = themeTrends(
      rows([
        [2014, 1, 10, 9], // too few conferences: ignored although its share is extreme
        [2015, 5, 100, 10],
        [2016, 5, 100, 10],
        [2017, 5, 100, 10],
        [2023, 5, 100, 30],
        [2024, 5, 100, 30],
        [2025, 5, 100, 30],
      ]),
    );
    expect(trends).toHaveLength(1);
    const t = trends[0];
    expect(t).toMatchObject({ from: 0.1, to: 0.3, early: [2015, 2017], late: [2023, 2025], change: 'strong_up' });
    expect(trendSentence('Воспитание', t)).toBe(
      `Доля темы «Воспитание» заметно выросла с 10${NB}% (2015–2017${NB}гг.) до 30${NB}% (2023–2025${NB}гг.), +20${NB}п.${NB}п.`,
    );
  });

  it('states a decline and a non-change', () => {
    const down = themeTrends(rows([[2019, 4, 50, 12], [2020, 4, 50, 8]]))[0];
    expect(trendSentence('Дети с ОВЗ', down)).toBe(`Доля темы «Дети с ОВЗ» снизилась с 24${NB}% (2019${NB}г.) до 16${NB}% (2020${NB}г.), −8${NB}п.${NB}п.`);
    const flat = themeTrends(rows([[2019, 4, 100, 20], [2020, 4, 100, 21]]))[0];
    expect(trendSentence('Воспитание', flat)).toBe(`Доля темы «Воспитание» почти не изменилась: 20${NB}% (2019${NB}г.) и 21${NB}% (2020${NB}г.).`);
  });

  it('claims no trend from fewer than two years with at least three conferences', () => {
    expect(themeTrends(rows([[2017, 1, 7, 1], [2023, 2, 9, 4], [2024, 1, 11, 3]]))).toEqual([]);
  });

  it('finds the addressee most over-represented in a theme, ignoring leftover groups', () => {
    const themes: Theme[] = [{ theme_id: 'ovz', label_ru: 'ОВЗ', n: 20, total: 100, example_rec_id: null }];
    const g = (grp: string, recs: number, n: number): GroupThemeRow => ({ grp, recs, docs: 5, theme_id: 'ovz', n });
    const lift = strongestLift([g('other', 20, 15), g('municipal', 40, 16), g('regional', 40, 4)], themes);
    expect(lift).toMatchObject({ grp: 'municipal', share: 0.4, overall: 0.2, ratio: 2 });
    expect(strongestLift([g('municipal', 5, 4)], themes)).toBeNull();
  });

  it('labels: short theme names for axes, wrapped ticks, verb classes', () => {
    expect(shortThemeLabel('Дети с ОВЗ, инклюзивное и коррекционное образование')).toBe('Дети с ОВЗ');
    expect(shortThemeLabel('Родительская компетентность и поддержка семьи')).toBe('Родительская компетентность');
    expect(wrapLabel('Одарённые и талантливые дети', 15)).toBe('Одарённые и\nталантливые\nдети');
    expect(verbClassOf('продолжить')).toBe('continuation');
    expect(verbClassOf('разработать')).toBe('initiative');
    expect(verbClassOf('внедрять')).toBe('initiative');
    expect(verbClassOf(null)).toBe('other');
  });
});

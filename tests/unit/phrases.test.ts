import { describe, expect, it } from 'vitest';
import { testMorph } from '../helpers/morph.js';
import { nominativePhrase, nounPhrases } from '../../pipeline/text/phrases.js';
import { distinctLabels, phraseLabels, PHRASE_SAMPLE, type LabelPhrase } from '../../pipeline/clusters/labelers/phrases.js';

describe('noun phrases in the nominative', () => {
  it.each([
    ['Челябинском институте переподготовки и повышения квалификации работников образования', 'Челябинский институт переподготовки и повышения квалификации работников образования'],
    ['Вологодского института развития образования', 'Вологодский институт развития образования'],
    ['родительской компетентности', 'родительская компетентность'],
    ['средств массовой информации', 'средства массовой информации'],
    ['ранней помощи', 'ранняя помощь'],
    ['одарённой молодёжи', 'одарённая молодёжь'],
    ['обучающихся с нарушениями речи', 'обучающиеся с нарушениями речи'],
    ['поддержку семей детей с ОВЗ', 'поддержка семей детей с ОВЗ'],
    ['родительских собраний в интерактивных формах', 'родительские собрания в интерактивных формах'],
  ])('%s → %s', async (text, nominative) => {
    expect(nominativePhrase(text, await testMorph())).toBe(nominative);
  });

  it('finds adjective + noun, noun + genitive and one prepositional complement, never across commas', async () => {
    const m = await testMorph();
    const keys = nounPhrases('обеспечить психолого-педагогическую поддержку семей детей с ОВЗ, информирование родителей через средства массовой информации', m).map((p) => p.key);
    expect(keys).toContain('психолого-педагогический поддержка семья ребенок');
    expect(keys).toContain('ребенок с ОВЗ');
    expect(keys).toContain('информирование родитель через средство массовый информация');
    expect(keys.some((k) => k.includes('ОВЗ информирование'))).toBe(false);
    expect(keys.some((k) => k.startsWith('обеспечить'))).toBe(false);
  });

  it('marks a phrase cut inside its prepositional complement', async () => {
    const m = await testMorph();
    const cut = nounPhrases('обучение детей с расстройствами аутистического спектра', m, { maxWords: 3 }).find((p) => p.key === 'обучение ребенок с расстройство');
    expect(cut?.truncated).toBe(true);
    const whole = nounPhrases('вовлечение родительской общественности в образовательный процесс', m, { maxWords: 3 }).find((p) => p.key === 'вовлечение родительский общественность');
    expect(whole?.truncated).toBe(false);
  });
});

describe('phrase labels for clusters', () => {
  const clusters = new Map<number, string[]>([
    [1, [
      'организовать консультационные пункты для родителей детей раннего возраста',
      'расширить сеть консультационных пунктов для родителей детей раннего возраста',
      'обеспечить работу консультационных пунктов для родителей',
      'информировать родителей о работе консультационных пунктов для родителей',
      'провести мониторинг деятельности консультационных пунктов для родителей',
    ]],
    [2, [
      'обеспечить участие обучающихся во всероссийской олимпиаде школьников',
      'организовать подготовку обучающихся к всероссийской олимпиаде школьников',
      'поощрять победителей всероссийской олимпиады школьников',
      'проводить школьный этап всероссийской олимпиады школьников',
      'обеспечить работу с обучающимися в образовательных организациях',
    ]],
    [3, [
      'создать школьные музеи в образовательных организациях',
      'развивать школьные музеи в образовательных организациях',
      'обобщить опыт работы школьных музеев образовательных организаций',
      'включить экскурсии в школьные музеи в программы воспитания',
    ]],
  ]);

  it('names each cluster by its most distinctive phrase, in the nominative, no two clusters alike', async () => {
    const labels = phraseLabels(clusters, await testMorph());
    expect(labels.get(1)!.label).toBe('консультационные пункты для родителей');
    expect(labels.get(2)!.label).toBe('всероссийская олимпиада школьников');
    expect(labels.get(3)!.label).toBe('школьные музеи');
    const all = [...labels.values()].map((l) => l.label);
    expect(new Set(all).size).toBe(all.length);
    // Actors of the genre («образовательные организации») are not topics.
    for (const l of labels.values()) expect(l.phrases.map((p) => p.key)).not.toContain('образовательный организация');
  });

  it('never labels a cluster by the genre\'s usual actors, and never gives two clusters one label', async () => {
    const m = await testMorph();
    const labels = phraseLabels(
      new Map<number, string[]>([
        [1, [
          'обучить руководителей образовательных организаций работе с интерактивными досками',
          'направить руководителям образовательных организаций методические материалы',
          'провести семинар для руководителей образовательных организаций по использованию интерактивных досок',
        ]],
        [2, ['развивать школьные музеи', 'создать школьные музеи', 'обобщить опыт школьных музеев']],
        [3, ['поддержать школьные музеи', 'развивать школьные музеи и краеведческие кружки', 'открыть краеведческие кружки']],
      ]),
      m,
    );
    expect(labels.get(1)!.label).toBe('интерактивные доски');
    expect(labels.get(2)!.label).toBe('школьные музеи');
    expect(labels.get(3)!.label).toBe('краеведческие кружки');
  });

  it('gives a shared top phrase to the cluster where it weighs more; the other takes its next one', () => {
    const p = (phrase: string, weight: number): LabelPhrase => ({ phrase, key: phrase, weight, coverage: 1 });
    const labels = new Map([
      [1, { label: 'школьные музеи', phrases: [p('школьные музеи', 0.3), p('краеведческие кружки', 0.2)] }],
      [2, { label: 'школьные музеи', phrases: [p('школьные музеи', 0.5)] }],
      [3, { label: 'школьные музеи', phrases: [p('школьные музеи', 0.1)] }],
    ]);
    distinctLabels(labels);
    expect([labels.get(1)!.label, labels.get(2)!.label, labels.get(3)!.label]).toEqual(['краеведческие кружки', 'школьные музеи', 'школьные музеи']);
  });

  it('reads the first PHRASE_SAMPLE members of a cluster (a uniform sample: the stage passes them in md5 order), and the most frequent written form names the phrase', async () => {
    const head = Array.from({ length: PHRASE_SAMPLE }, (_, i) => (i % 3 === 0 ? 'развивать школьные музеи' : 'создать школьный музей'));
    const tail = Array.from({ length: PHRASE_SAMPLE }, () => 'открыть краеведческие кружки');
    const l = phraseLabels(new Map([[1, [...head, ...tail]], [2, ['провести олимпиаду школьников', 'организовать олимпиаду школьников']]]), await testMorph()).get(1)!;
    expect(l.phrases.map((p) => p.key)).not.toContain('краеведческий кружок');
    expect(l.phrases[0].key).toBe('школьный музей');
    expect(l.phrases[0].coverage).toBe(1);
    // «школьный музей» written 2 of 3 times: that form, in the nominative.
    expect(l.label).toBe('школьный музей');
  });

  it('keeps a ranked, diverse phrase list with coverage', async () => {
    const l = phraseLabels(clusters, await testMorph()).get(1)!;
    expect(l.phrases.length).toBeGreaterThan(1);
    expect(l.phrases[0].coverage).toBe(1);
    const keys = l.phrases.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

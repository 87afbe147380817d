import { describe, it, expect } from 'vitest';
import { toBlocks } from '../../pipeline/segment/blocks.js';

const items = (text: string) =>
  toBlocks(text).map((b) => ({ kind: b.kind, marker: b.marker?.text ?? null, number: b.marker?.number ?? null, text: b.text.slice(0, 24) }));

describe('letters with a dot as list markers («а.», «б.», «в.»)', () => {
  it('reads a run in alphabetical order as a lettered list', () => {
    const got = items(
      [
        'Участники договорились о следующем:',
        'а. Органам управления образованием — предусмотреть ставки тьюторов.',
        'б. Школам — создать разделы для родителей.',
        'в. Институтам развития образования — разработать программу.',
      ].join('\n'),
    );
    expect(got.map((b) => [b.kind, b.marker, b.number])).toEqual([
      ['para', null, null],
      ['item', 'а.', 1],
      ['item', 'б.', 2],
      ['item', 'в.', 3],
    ]);
    expect(got[1].text).toBe('Органам управления образ');
  });

  it('keeps a run in capitals, with wrapped lines and blank lines between the letters', () => {
    const got = items(['А. Органам власти субъектов Российской Федерации, осуществляющим', 'управление в сфере образования, — предусмотреть финансирование.', '', 'Б. Школам — создать разделы.'].join('\n'));
    expect(got.map((b) => [b.kind, b.marker])).toEqual([
      ['item', 'А.'],
      ['item', 'Б.'],
    ]);
    expect(toBlocks(['А. Органам власти, осуществляющим', 'управление в сфере образования, — предусмотреть.', '', 'Б. Школам — создать.'].join('\n'))[0].text).toBe(
      'Органам власти, осуществляющим управление в сфере образования, — предусмотреть.',
    );
  });

  it('does not take a town, a village, a clause or an initial for a letter', () => {
    for (const text of [
      'г. Тамбов, 12 марта 2025 г.\nРезолюция принята единогласно.',
      'с. Майма, 14 марта 2025 г.\nв. целях развития — текст без ряда',
      'п. 3 Положения о конференции\nп. 4 Положения о конференции',
      'А. Иванова выступила с докладом.\nВ. Петров поддержал предложение.',
      // a run must start at «а»: «б.» and «в.» alone are not one
      'б. Школам — создать разделы.\nв. Семьям — участвовать.',
    ]) {
      expect(toBlocks(text).some((b) => b.marker?.kind === 'letter'), text).toBe(false);
    }
  });

  it('takes «г.» after «в.» as the fourth letter, but not a «г. Псков» line above the run', () => {
    const got = items(['г. Псков, 22 октября 2025 г.', '', 'а. Органам — предусмотреть.', 'б. Центрам — организовать.', 'в. Институтам — разработать.', 'г. Школам — создать.'].join('\n'));
    expect(got.map((b) => b.marker)).toEqual([null, 'а.', 'б.', 'в.', 'г.']);
  });

  it('leaves out a letter out of order, and a run in the other case', () => {
    const got = items(['а. Органам — предусмотреть.', 'б. Центрам — организовать.', 'д. Ошибка — не в ряду.', 'В. Петров — выступил.'].join('\n'));
    expect(got.map((b) => b.marker)).toEqual(['а.', 'б.', null, null]);
  });
});

describe('a number followed by a dash («2. – Министерству …»)', () => {
  it('the dash belongs to the marker, not to the content', () => {
    const [b] = toBlocks('2. – Тамбовскому институту: разработать модуль.');
    expect([b.kind, b.marker?.text, b.marker?.number, b.text]).toEqual(['item', '2.', 2, 'Тамбовскому институту: разработать модуль.']);
  });

  it('a dash that is not followed by a word stays in the text', () => {
    expect(toBlocks('2. –5 °C')[0]?.marker ?? null).toBeNull();
  });
});

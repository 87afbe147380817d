import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankPageFurniture, joinBrokenWords, pageFurnitureLines } from '../../pipeline/ingest/readers/text-pages.js';
import { loadWordCheck } from '../../pipeline/ingest/readers/dictionary.js';

const DOCS = join(__dirname, '..', 'fixtures', 'layouts', 'docs', 'pages');
const lines = (s: string) => s.split('\n');
const WORDS = ['школа', 'воспитание', 'родители', 'педагоги', 'программа', 'конкурс', 'олимпиада', 'инклюзия', 'наставничество', 'музей', 'театр', 'кружок', 'проект', 'медиация', 'тьютор', 'библиотека', 'спорт', 'экскурсия'];
/** n lines of running text, no two alike even with their digits aside. */
const filler = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => `${WORDS[(i + seed) % WORDS.length]} и ${WORDS[(i * 7 + seed * 3 + 1) % WORDS.length]} в строке ${i + 1}`);

describe('page furniture in plain text (text-pages.ts)', () => {
  it('finds the page numbers and the running title of a PDF copied to text, and only those', () => {
    const src = readFileSync(join(DOCS, 'pages-01.txt'), 'utf8').split('\n');
    const found = [...pageFurnitureLines(src)].sort((a, b) => a - b).map((i) => src[i].trim());
    expect(found).toEqual(['2', 'Резолюция конференции «Инклюзивное образование», 2024', '3', 'Резолюция конференции «Инклюзивное образование», 2024']);
  });

  it('treats a page number next to a form feed as one break, and a header seen once as text', () => {
    const src = readFileSync(join(DOCS, 'pages-02.txt'), 'utf8').split('\n');
    const found = [...pageFurnitureLines(src)].map((i) => src[i].trim()).sort();
    expect(found).toEqual(['Страница 1 из 2', 'Страница 2 из 2']);
  });

  it('leaves numbers alone that do not count pages: list numbers on their own lines, a lone number, a year', () => {
    const numbered = ['Участники рекомендуют:', '', '1', 'Министерству образования:', 'обеспечить ремонт школ', '', '2', 'Родителям:', 'посещать собрания', '', '3', 'Школам:', 'открыть кружки'];
    expect(pageFurnitureLines(numbered).size).toBe(0);
    expect(pageFurnitureLines([...filler(20), '', '7', ...filler(20, 3)]).size).toBe(0);
    expect(pageFurnitureLines([...filler(15), '', '2024', ...filler(15, 4), '', '2025', ...filler(5, 9)]).size).toBe(0);
  });

  it('takes form feeds as page breaks and a footer repeated at them as furniture', () => {
    const page = (n: number) => [...filler(14, n * 5), 'Конференция «Школа будущего» — материалы'];
    const src = [...page(1), `\f${page(2)[0]}`, ...page(2).slice(1), `\f${page(3)[0]}`, ...page(3).slice(1)];
    // Every page's footer, the last one's too (the text's end stands for its break).
    const found = [...pageFurnitureLines(src)].sort((a, b) => a - b);
    expect(found).toEqual([14, 29, 44]);
    expect(found.map((i) => src[i])).toEqual(Array(3).fill('Конференция «Школа будущего» — материалы'));
  });

  it('blanks a running title seen at one break only where a sentence runs across that break', async () => {
    const page1 = [...filler(14), '3. Рекомендовать институту организовать курсы по психолого-'];
    const page2 = ['\fРешение августовской конференции – 2023', 'педагогическому сопровождению детей;', ...filler(13, 2)];
    const src = [...page1, ...page2, '\fИтоги конференции', 'Решение принято.'];
    const { text, blanked } = await blankPageFurniture(src.join('\n'), loadWordCheck);
    expect(blanked).toBe(1);
    expect(text.replace(/\s+/g, ' ')).toContain('организовать курсы по психолого-педагогическому сопровождению детей;');
    // Between two finished sentences the same kind of line is left alone: it may be a heading.
    expect(text).toContain('Итоги конференции');
  });

  it('joins words broken at a line end, keeps compounds, and never joins across a real blank line', async () => {
    const isKnownWord = await loadWordCheck();
    const text = ['включить программу формирования родительской компе-', 'тентности и консультаций;', 'курсы по психолого-', 'педагогическому сопровождению;', 'слово перед пустой строкой про-', '', 'должение абзаца'];
    const out = [...text];
    expect(joinBrokenWords(out, isKnownWord)).toBe(2);
    expect(out[0]).toBe('включить программу формирования родительской');
    expect(out[1]).toBe('компетентности и консультаций;');
    expect(out[2]).toBe('курсы по');
    expect(out[3]).toBe('психолого-педагогическому сопровождению;');
    expect(out[4]).toBe('слово перед пустой строкой про-');
    expect(out).toHaveLength(text.length);
  });

  it('joins a word broken at the foot of a page across the blanked furniture', async () => {
    const src = readFileSync(join(DOCS, 'pages-01.txt'), 'utf8');
    const { text, blanked, joined } = await blankPageFurniture(src, loadWordCheck);
    expect(blanked).toBe(4);
    expect(joined).toBe(2);
    expect(text.replace(/\s+/g, ' ')).toContain('дополнительную профессиональную программу «Технологии сопровождения обучающихся с расстройствами аутистического спектра» объёмом');
  });

  it('joins the broken words of a one-page text (no furniture) given the dictionary, and only then', async () => {
    const src = 'Рекомендовать школам включить в программы мероприятия по формированию родительской компе-\nтентности;\nразвивать психолого-\nпедагогическое консультирование.';
    expect(await blankPageFurniture(src)).toEqual({ text: src, blanked: 0, joined: 0 });
    const { text, blanked, joined } = await blankPageFurniture(src, loadWordCheck);
    expect([blanked, joined]).toEqual([0, 2]);
    expect(text.split('\n')).toEqual(['Рекомендовать школам включить в программы мероприятия по формированию родительской', 'компетентности;', 'развивать', 'психолого-педагогическое консультирование.']);
  });

  it('keeps every line (provenance) and changes nothing in a text without pages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom('', '1', '2', '12', '\f', 'Страница 3 из 9', 'Заголовок', 'обеспечить участие-'), fc.string({ maxLength: 30 })), { maxLength: 80 }), async (ls) => {
        const text = ls.join('\n');
        const out = await blankPageFurniture(text);
        expect(out.text.split('\n')).toHaveLength(text.split('\n').length);
        if (out.blanked === 0) expect(out.text).toBe(text);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});

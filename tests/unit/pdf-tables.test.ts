import { describe, expect, it } from 'vitest';
import { blocksToText } from '../../pipeline/ingest/readers/blocks.js';
import { sameBaseline, type OcrWord } from '../../pipeline/ingest/readers/ocr.js';
import { itemsToLines, type PdfTextItem } from '../../pipeline/ingest/readers/pdf-lines.js';
import { findTables, pagesToBlocks } from '../../pipeline/ingest/readers/pdf-tables.js';

/** Text runs as pdf.js gives them: [text, x, y, width], 11 pt type. */
const items = (rows: [string, number, number, number][], height = 11): PdfTextItem[] => rows.map(([str, x, y, width]) => ({ str, x, y, width, height }));
const KNOWN = new Set(['общеобразовательные', 'организации']);
const isKnownWord = (w: string) => KNOWN.has(w);

// A plan of measures as LibreOffice sets it: four columns, cells wrapping within their columns,
// a cell that breaks a long word without a hyphen, then a paragraph at the text margin.
const PLAN = items([
  ['Участники рекомендуют:', 72, 560, 160],
  ['№', 78, 521, 13], ['Рекомендация', 191, 521, 85], ['Исполнитель', 303, 521, 78], ['Срок', 416, 521, 31],
  ['1', 78, 506, 7], ['Организовать', 191, 506, 76], ['Управление', 303, 506, 66], ['до 01.09.2024', 416, 506, 75],
  ['курсы повышения', 191, 491, 101], ['образования', 303, 491, 69],
  ['квалификации', 191, 476, 90],
  ['2', 78, 461, 7], ['Создать разделы', 191, 461, 100], ['Общеобразовател', 303, 461, 99], ['постоянно', 416, 461, 58],
  ['на сайтах школ', 191, 446, 86], ['ьные организации', 303, 446, 100],
  ['Председатель оргкомитета Е. В. Смирнова', 72, 400, 237],
]);

describe('tables in a PDF', () => {
  it('rebuilds rows from columns: wrapped cells joined, a word cut at the column edge glued back', () => {
    const text = blocksToText(pagesToBlocks([itemsToLines(PLAN, 1)], { isKnownWord }));
    expect(text).toBe(
      [
        'Участники рекомендуют:',
        '',
        '№ | Рекомендация | Исполнитель | Срок',
        '1 | Организовать курсы повышения квалификации | Управление образования | до 01.09.2024',
        '2 | Создать разделы на сайтах школ | Общеобразовательные организации | постоянно',
        '',
        'Председатель оргкомитета Е. В. Смирнова',
      ].join('\n'),
    );
  });

  it('does not take list items whose marker stands apart, or a justified paragraph, for a table', () => {
    const list = items([
      ['1.', 90, 500, 10], ['Развивать наставничество в школах района;', 130, 500, 250],
      ['2.', 90, 485, 10], ['Провести конкурс наставников в 2025 году.', 130, 485, 240],
    ]);
    expect(findTables(itemsToLines(list, 1), isKnownWord)).toEqual([]);
    // A last line of justified text stretched into wide gaps is followed by lines that cross its "columns".
    const justified = items([
      ['Участники', 72, 500, 60], ['конференции', 200, 500, 70], ['рекомендуют', 330, 500, 70], ['развивать', 460, 500, 60],
      ['наставничество в школах района и проводить конкурсы наставников ежегодно', 72, 485, 450],
    ]);
    expect(findTables(itemsToLines(justified, 1), isKnownWord)).toEqual([]);
  });

  it('drops note references set above the baseline', () => {
    const lines = itemsToLines(
      [
        { str: 'Архангельской области.', x: 72, y: 656, width: 134, height: 12 },
        { str: '1', x: 207, y: 661, width: 4, height: 7 },
        { str: '1', x: 72, y: 80, width: 4, height: 7 },
        { str: 'Программа размещена на сайте школы.', x: 76, y: 75, width: 296, height: 12 },
      ],
      1,
    );
    expect(lines.map((l) => l.text)).toEqual(['Архангельской области.', 'Программа размещена на сайте школы.']);
  });
});

describe('OCR lines on one baseline', () => {
  it('are one line, even when tesseract cut them into columns', () => {
    const w = (text: string, left: number, top: number): OcrWord => ({ text, left, top, width: 100, height: 40, conf: 90 });
    const merged = sameBaseline([[w('состоялась', 300, 1000)], [w('муниципальная', 900, 1004)], [w('конференция', 300, 1060)]]);
    expect(merged.map((l) => l.map((x) => x.text))).toEqual([['состоялась', 'муниципальная'], ['конференция']]);
  });
});

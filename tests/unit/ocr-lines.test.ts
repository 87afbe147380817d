import { describe, expect, it } from 'vitest';
import { isOcrBullet, meanConfidence, ocrLine, ocrMarker, parseTsv, type OcrWord } from '../../pipeline/ingest/readers/ocr.js';
import { linesToBlocks } from '../../pipeline/ingest/readers/pdf-paragraphs.js';
import { blocksToText } from '../../pipeline/ingest/readers/blocks.js';

/** Words of one line, laid out left to right: [text, left, width] with a common top and height. */
function line(words: [string, number, number][], top = 100, height = 40): OcrWord[] {
  return words.map(([text, left, width]) => ({ text, left, width, top, height, conf: 90 }));
}

describe('OCR bullets and markers', () => {
  it('reads «®», «»», «e», «o» before a tab stop as a bullet, but not a preposition at a line start', () => {
    // A bullet glyph, a tab-wide gap (120 px at a 40 px line), then words with ordinary spaces.
    for (const glyph of ['®', '»', 'e', 'o', '•', '©']) {
      expect(isOcrBullet(line([[glyph, 300, 20], ['развивать', 440, 200], ['сеть', 655, 80], ['центров', 750, 160]]), 40), glyph).toBe(true);
    }
    // «о проведении …» wrapped to a new line: an ordinary space after «о».
    expect(isOcrBullet(line([['о', 300, 20], ['проведении', 332, 220], ['конкурса', 565, 170], ['среди', 748, 110]]), 40)).toBe(false);
    // A justified line stretches every space alike: a wide first space alone is no tab stop.
    expect(isOcrBullet(line([['о', 300, 20], ['проведении', 360, 220], ['конкурса', 620, 170], ['среди', 830, 110]]), 40)).toBe(false);
  });

  it('repairs numbered markers and Roman numerals the Russian model misreads', () => {
    const words = (first: string) => line([[first, 300, 60], ['Расширить', 460, 200], ['практику', 675, 170], ['обучения', 860, 170]]);
    expect(ocrMarker(words('1..1.'), 40, '1..1. Расширить практику обучения')).toBe('1.1.');
    expect(ocrMarker(words('l.'), 40, 'l. Расширить практику обучения')).toBe('1.');
    expect(ocrMarker(words('П.'), 40, 'П. Образовательным организациям:')).toBe('II.');
    expect(ocrMarker(words('Ш.'), 40, 'Ш. Участникам конференции:')).toBe('III.');
    // An initial in a signature line is left alone (no colon at the end).
    expect(ocrMarker(line([['П.', 300, 30], ['А.', 340, 30], ['Иванова', 380, 150]]), 40, 'П. А. Иванова')).toBeNull();
    // A number OCR could not read («Та,» for «1.2.») still marks an item, as a dash.
    expect(ocrMarker(words('Та,'), 40, 'Та, Расширить практику обучения')).toBe('-');
    // An ordinary first word is no marker.
    expect(ocrMarker(line([['Участники', 300, 200], ['конференции', 515, 230], ['рекомендуют:', 760, 240]]), 40, 'Участники конференции рекомендуют:')).toBeNull();
  });

  it('joins the lines of a hanging-indent item and starts a new one at the next marker', () => {
    const page = 3000;
    const l1 = ocrLine(line([['Та,', 530, 73], ['Создать', 753, 180], ['в', 1011, 23], ['каждом', 1112, 175], ['центр', 2048, 130]], 1035, 47), 1, page)!;
    const l2 = ocrLine(line([['наставничества', 601, 400], ['для', 1010, 80], ['учителей.', 1100, 200]], 1098, 47), 1, page)!;
    const l3 = ocrLine(line([['2.', 378, 40], ['В', 452, 32], ['сфере', 500, 130], ['работы:', 640, 170]], 1158, 47), 1, page)!;
    expect(l1.text).toBe('- Создать в каждом центр');
    expect(l1.bodyX).toBe(753);
    const text = blocksToText(linesToBlocks([l1, l2, l3], { isKnownWord: () => false }));
    expect(text).toBe('- Создать в каждом центр наставничества для учителей.\n2. В сфере работы:');
  });
});

describe('tesseract TSV', () => {
  const tsv = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t',
    '4\t1\t1\t1\t1\t0\t300\t400\t900\t40\t-1\t',
    '5\t1\t1\t1\t1\t1\t300\t400\t200\t40\t96.5\tУчастники',
    '5\t1\t1\t1\t1\t2\t520\t400\t240\t40\t91.5\tконференции',
    '5\t1\t1\t1\t1\t3\t780\t400\t10\t40\t95\t ',
    '5\t2\t1\t1\t1\t1\t300\t400\t200\t40\t80\tСтраница',
  ].join('\n');

  it('groups words by page and line, dropping empty words, and averages confidence', () => {
    const pages = parseTsv(tsv);
    expect([...pages.keys()]).toEqual([1, 2]);
    expect(pages.get(1)!.get('1.1.1')!.map((w) => w.text)).toEqual(['Участники', 'конференции']);
    expect(meanConfidence([{ lines: [], confidences: [96.5, 91.5] }, { lines: [], confidences: [80] }])).toBe(89.3);
    expect(meanConfidence([])).toBeNull();
  });
});

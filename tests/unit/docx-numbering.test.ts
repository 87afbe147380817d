import { describe, expect, it } from 'vitest';
import { WordMarkers } from '../../pipeline/ingest/readers/docx-html.js';
import { docxNumberedParagraphs, formatWordNumber } from '../../pipeline/ingest/readers/docx-numbering.js';

const lvl = (ilvl: number, fmt: string, text: string, start = 1) =>
  `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/></w:lvl>`;
const NUMBERING = `<w:numbering>
<w:abstractNum w:abstractNumId="1">${lvl(0, 'decimal', '%1.')}${lvl(1, 'decimal', '%1.%2.')}</w:abstractNum>
<w:abstractNum w:abstractNumId="2">${lvl(0, 'decimal', '%1)')}${lvl(1, 'russianLower', '%2)')}</w:abstractNum>
<w:abstractNum w:abstractNumId="3">${lvl(0, 'bullet', '')}${lvl(1, 'bullet', 'o')}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>`;
const STYLES = `<w:styles><w:style w:type="paragraph" w:styleId="ListNumber"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style></w:styles>`;
const p = (text: string, numId?: number, ilvl = 0, style?: string) =>
  `<w:p><w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${numId ? `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>` : ''}</w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;

describe('docx numbering', () => {
  it('counts as Word does: multi-level text, continued lists, restarts, numbering through a style', () => {
    const doc = [
      p('В сфере кадров:', 1),
      p('Расширить обучение.', 1, 1),
      p('Создать центры.', 1, 1),
      p('Перерыв.'),
      p('В сфере детей:', 1), // the same list goes on after a paragraph
      p('Первый;', 2),
      p('подпункт;', 2, 1),
      p('Второй &amp; последний.', 0, 0, 'ListNumber'), // numbered by its style
      p('Снова первый.', 3), // another instance of the same list with a restart
      p('', 2), // empty paragraphs are not items
      p('пункт', 4),
      p('подпункт второго уровня', 4, 1), // Word's second-level bullet «o» (Courier New) stays «o»
    ].join('');
    expect(docxNumberedParagraphs(`<w:body>${doc}</w:body>`, NUMBERING, STYLES)).toEqual([
      { text: 'В сфере кадров:', marker: '1.' },
      { text: 'Расширить обучение.', marker: '1.1.' },
      { text: 'Создать центры.', marker: '1.2.' },
      { text: 'В сфере детей:', marker: '2.' },
      { text: 'Первый;', marker: '1)' },
      { text: 'подпункт;', marker: 'а)' },
      { text: 'Второй & последний.', marker: '2)' },
      { text: 'Снова первый.', marker: '1)' },
      { text: 'пункт', marker: '-' },
      { text: 'подпункт второго уровня', marker: 'o' },
    ]);
  });

  it('a sub-list whose own num restarts every level (as pandoc writes it) does not restart the outer list', () => {
    const numbering = `<w:numbering><w:abstractNum w:abstractNumId="1">${lvl(0, 'decimal', '%1.')}${lvl(1, 'decimal', '%2)')}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>`;
    const doc = [p('Министерству:', 1), p('рассмотреть;', 2, 1), p('предусмотреть.', 2, 1), p('Институту:', 1), p('разработать.', 3, 1)].join('');
    expect(docxNumberedParagraphs(`<w:body>${doc}</w:body>`, numbering, '').map((x) => x.marker)).toEqual(['1.', '1)', '2)', '2.', '1)']);
  });

  it('formats numbers in Word number formats', () => {
    expect(['decimal', 'upperRoman', 'lowerRoman', 'upperLetter', 'lowerLetter', 'russianLower', 'russianUpper', 'decimalZero'].map((f) => formatWordNumber(4, f))).toEqual([
      '4', 'IV', 'iv', 'D', 'd', 'г', 'Г', '04',
    ]);
  });

  it('hands markers to list items only when the item is that paragraph', () => {
    const m = new WordMarkers([
      { text: 'Heading numbered', marker: '1.' },
      { text: 'Первый пункт', marker: '1)' },
    ]);
    expect(m.take('Something else entirely')).toBeNull();
    // A numbered heading mammoth rendered as a heading is skipped over.
    expect(m.take('Первый  пункт')).toBe('1)');
    expect(m.take('Первый пункт')).toBeNull();
  });
});

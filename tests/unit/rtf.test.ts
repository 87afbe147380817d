import { describe, expect, it } from 'vitest';
import { blocksToText } from '../../pipeline/ingest/readers/blocks.js';
import { markerText, rtfReader, rtfToBlocks } from '../../pipeline/ingest/readers/rtf.js';
import { readLimits } from '../../pipeline/ingest/limits.js';

const rtf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (s: string) => blocksToText(rtfToBlocks(rtf(s)));

/** The shape Word writes: font table with a Cyrillic and a Symbol font, \listtext markers, \u with \'xx fallbacks. */
const WORD = String.raw`{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\froman\fcharset204 Times New Roman;}{\f3\fbidi \froman\fcharset2 Symbol;}}
{\colortbl;\red0\green0\blue0;}{\*\generator Microsoft Word 11.0;}{\info{\title \'d0\'e5\'e7\'ee\'eb\'fe\'f6\'e8\'ff}}
\pard\plain \qc \f0\fs24 {\b \'d0\'c5\'c7\'ce\'cb\'de\'d6\'c8\'df}\par
\pard\plain \f0 \'d3\'f7\'e0\'f1\'f2\'ed\'e8\'ea\'e8 \'f0\'e5\'ea\'ee\'ec\'e5\'ed\'e4\'f3\'fe\'f2:\par
{\listtext\pard\plain \f0 1.\tab}\pard\plain \ls1\ilvl0 \f0 \u1056\'d0\u1072\'e0\u1079\'e7\u1074\'e2\u1080\'e8\u1074\'e2\u1072\'e0\u1090\'f2\u1100\'fc \'ed\'e0\'f1\'f2\'e0\'e2\'ed\'e8\'f7\'e5\'f1\'f2\'e2\'ee;\par
{\listtext\pard\plain \f0 2.\tab}\pard\plain \ls1\ilvl0 \f0 \'cf\'f0\'ee\'e2\'e5\'f1\'f2\'e8 \'ea\'ee\'ed\'ea\'f3\'f0\'f1.\par
{\listtext\pard\plain \f3 \'b7\tab}\pard\plain \ls2\ilvl0 \f0 \'ef\'f3\'ed\'ea\'f2 \'f1\'ee \'f1\'ef\'e8\'f1\'ea\'ee\'ec\par
{\pict\pngblip\picw10\pich10 89504e470d0a1a0a0000000d49484452}
\pard\plain\f0 \'c8\'f2\'ee\'e3{\super\chftn}{\footnote \pard\plain {\super\chftn} \'c2\'fb\'ed\'ee\'f1\'ea\'e0}.\par
}`;

describe('rtf', () => {
  it('reads Word output: cp1251 escapes, \\u with fallbacks, list markers from \\listtext, Symbol bullets, footnotes at the end', () => {
    expect(text(WORD)).toBe(
      ['РЕЗОЛЮЦИЯ', '', 'Участники рекомендуют:', '', '1. Развивать наставничество;', '2. Провести конкурс.', '- пункт со списком', '', 'Итог.', '', 'Выноска'].join('\n'),
    );
  });

  it('reads LibreOffice tables: \\cell ends a cell, \\row a row, paragraphs inside a cell are joined', () => {
    const doc = String.raw`{\rtf1\ansi\ansicpg1251{\fonttbl{\f0\fcharset204 Liberation Serif;}}
\pard\plain \f0 \'cf\'eb\'e0\'ed:\par
\trowd\cellx3000\cellx6000
\pard\plain\intbl \'c0\'e4\'f0\'e5\'f1\'e0\'f2\cell\pard\plain\intbl \'d1\'f0\'ee\'ea\cell\row
\trowd\cellx3000\cellx6000
\pard\plain\intbl \'d8\'ea\'ee\'eb\'fb\par\pard\plain\intbl \'e8 \'e4\'e5\'f2\'f1\'e0\'e4\'fb\cell\pard\plain\intbl 2025\cell\row
\pard\plain \f0 \'c2\'f1\'b8.\par}`;
    expect(text(doc)).toBe(['План:', '', 'Адресат | Срок', 'Школы и детсады | 2025', '', 'Всё.'].join('\n'));
  });

  it('keeps field results, drops field instructions, hidden and deleted text, and starred destinations', () => {
    const doc = String.raw`{\rtf1\ansi{\fonttbl{\f0\fcharset0 Arial;}}
\pard {\field{\*\fldinst HYPERLINK "http://x"}{\fldrslt site}} visible{\v  hidden} {\deleted gone}kept{\*\bkmkstart a} end\par}`;
    expect(text(doc)).toBe('site visible kept end');
  });

  it('honours \\uc0 (no fallback) and \\uc2 (two fallback characters)', () => {
    expect(text(String.raw`{\rtf1\ansi\uc0 \u1071\u1079  ok\par}`)).toBe('Яз ok');
    expect(text(String.raw`{\rtf1\ansi\uc2 \u1071??\u1079\'e7\'e7 ok\par}`)).toBe('Яз ok');
  });

  it('turns soft line breaks into lines and maps bullet glyphs to "-"', () => {
    expect(text(String.raw`{\rtf1\ansi first\line second\par}`)).toBe('first\nsecond');
    expect(markerText('\uF0B7\t')).toBe('-');
    expect(markerText('а)')).toBe('а)');
    expect(markerText('1.2.')).toBe('1.2.');
  });

  it('rejects a file that is not RTF, and one without words', async () => {
    const opts = { ocr: 'off' as const, limits: readLimits() };
    await expect(rtfReader.read('x.rtf', rtf('plain text'), opts)).rejects.toThrow(/not a valid \.rtf/);
    await expect(rtfReader.read('x.rtf', rtf(String.raw`{\rtf1\ansi {\pict 0011}\par}`), opts)).rejects.toThrow(/no text/);
  });
});

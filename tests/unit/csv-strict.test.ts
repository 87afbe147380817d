import { describe, it, expect } from 'vitest';
import { parseCsv } from '../../pipeline/ingest/sidecar.js';
import { ConfrecError } from '../../pipeline/errors.js';

function failure(csv: string): ConfrecError {
  try {
    parseCsv(csv, '/data/metadata.csv');
  } catch (err) {
    if (err instanceof ConfrecError) return err;
    throw err;
  }
  throw new Error('parseCsv accepted it');
}

describe('metadata.csv is parsed strictly (RFC 4180), errors name file and line', () => {
  it.each([
    // A quote inside a quoted field that was not doubled: the field closes early and text follows.
    ['a quote that closes early', 'file,title,city\nr1.txt,"Благо "Дарю"",Смоленск\n', 2, /text after the closing quote/],
    // A quote opened in row 2 and closed in row 3: the result has the right number of fields, and row r2.txt is gone.
    ['a quote left open that closes on a later line', 'file,title,city\nr1.txt,"Благо Дарю,Смоленск\nr2.txt,Другая",Вологда\n', 2, /runs over line 3, which starts like a row/],
    ['a stray quote inside an unquoted field', 'file,title\nr1.txt,Конференция "Семья"\n', 2, /a quote inside a field/],
    ['too many fields', 'file,city\nr1.txt,Вологда\nr2.txt,Череповец,лишнее\n', 3, /3 field\(s\) where the header row has 2/],
    ['too few fields', 'file,city,year\nr1.txt,Вологда\n', 2, /2 field\(s\) where the header row has 3/],
    ['a quote never closed', 'file,title\nr1.txt,ok\nr2.txt,"без конца\n', 3, /unterminated quoted field/],
  ])('%s', (_what, csv, line, message) => {
    const err = failure(csv);
    expect(err.file).toBe('/data/metadata.csv');
    expect(err.message).toMatch(new RegExp(`line ${line}\\b`));
    expect(err.message).toMatch(message);
  });

  it('still reads what RFC 4180 allows: quoted commas, doubled quotes, line breaks in quotes, CRLF, BOM, blank lines', () => {
    const csv = '\uFEFFfile,title,organizer\r\n\r\nr1.txt,"Семья, школа","ГАУ ДПО ""СОИРО"""\r\nr2.txt,"две\nстроки",\r\n';
    expect(parseCsv(csv, 'm.csv')).toEqual([
      ['file', 'title', 'organizer'],
      ['r1.txt', 'Семья, школа', 'ГАУ ДПО "СОИРО"'],
      ['r2.txt', 'две\nстроки', ''],
    ]);
  });

  it('counts lines inside quoted fields, so the line named is the file’s', () => {
    const err = failure('file,title\nr1.txt,"одна\nдве\nтри"\nr2.txt,a,b\n');
    expect(err.message).toMatch(/line 5\b/);
  });
});

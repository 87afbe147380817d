import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfrecError } from '../../pipeline/errors.js';
import { mergeMeta, parseCsv, readSidecar, type Sidecar } from '../../pipeline/ingest/sidecar.js';
import type { ConferenceMeta } from '../../pipeline/store/types.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('confrec-sidecar-');
let seq = 0;

/** A fresh folder holding one document and the given sidecar files. */
function folder(files: Record<string, string>): { dir: string; doc: string } {
  const dir = join(root, `case-${++seq}`);
  mkdirSync(dir, { recursive: true });
  const doc = join(dir, 'resolution-05.txt');
  writeFileSync(doc, 'РЕЗОЛЮЦИЯ\n');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, doc };
}

async function rejection(p: Promise<unknown>): Promise<ConfrecError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfrecError);
    return err as ConfrecError;
  }
  throw new Error('expected a ConfrecError');
}

const TEXT: ConferenceMeta = {
  title: 'Благо Дарю',
  kind: 'форум',
  level: null,
  date_start: null,
  date_end: null,
  year: null,
  city: null,
  region: 'Смоленская область',
  participants: null,
  format: null,
  organizer: null,
};

describe('readSidecar: <name>.meta.json', () => {
  it('reads a JSON object beside the document', async () => {
    const { dir, doc } = folder({ 'resolution-05.meta.json': JSON.stringify({ city: 'Смоленск', year: 2019, level: 'Региональная' }) });
    const s = await readSidecar(doc);
    expect(s).toEqual({ values: { city: 'Смоленск', year: 2019, level: 'региональная' }, source: join(dir, 'resolution-05.meta.json') });
  });

  it('returns null when there is no sidecar', async () => {
    const { doc } = folder({});
    expect(await readSidecar(doc)).toBeNull();
  });

  it('names the file on malformed JSON', async () => {
    const { doc } = folder({ 'resolution-05.meta.json': '{"city": "Смоленск",' });
    const err = await rejection(readSidecar(doc));
    expect(err.file).toMatch(/resolution-05\.meta\.json$/);
    expect(err.message).toMatch(/malformed JSON/);
  });

  it('rejects a JSON value that is not an object', async () => {
    const { doc } = folder({ 'resolution-05.meta.json': '["Смоленск"]' });
    expect((await rejection(readSidecar(doc))).message).toMatch(/expected a JSON object/);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['date not ISO', { date_start: '22.11.2024' }, /invalid date_start/],
    ['impossible date', { date_end: '2024-02-30' }, /invalid date_end/],
    ['participants not an integer', { participants: 'более 260' }, /invalid participants/],
    ['negative participants', { participants: -5 }, /invalid participants/],
    ['fractional participants', { participants: 12.5 }, /invalid participants/],
    ['unknown level', { level: 'всемирная' }, /invalid level/],
    ['unknown format', { format: 'очно' }, /invalid format/],
    ['year out of range', { year: 24 }, /invalid year/],
    ['end before start', { date_start: '2024-11-22', date_end: '2024-11-21' }, /invalid date_end/],
    ['year disagreeing with the start date', { date_start: '2024-11-22', year: 2023 }, /invalid year/],
    ['title not text', { title: 42 }, /invalid title/],
    ['unknown field', { town: 'Смоленск' }, /unknown field "town"/],
  ];
  it.each(invalid)('throws ConfrecError naming file and field: %s', async (_name, values, message) => {
    const { doc } = folder({ 'resolution-05.meta.json': JSON.stringify(values) });
    const err = await rejection(readSidecar(doc));
    expect(err.file).toMatch(/resolution-05\.meta\.json$/);
    expect(err.message).toMatch(message);
  });

  it('prefers the document’s own JSON over the folder CSV', async () => {
    const { dir, doc } = folder({
      'resolution-05.meta.json': '{"city": "Смоленск"}',
      'metadata.csv': 'file,city\nresolution-05.txt,Рославль\n',
    });
    expect((await readSidecar(doc))?.source).toBe(join(dir, 'resolution-05.meta.json'));
  });
});

describe('readSidecar: metadata.csv', () => {
  it('reads the row whose file is the document’s base name, with quoted fields', async () => {
    const csv =
      'file,title,participants,date_start,date_end,organizer\n' +
      'resolution-04.txt,Другая,10,2017-04-17,2017-04-20,\n' +
      'resolution-05.txt,"Благо Дарю",120,2019-11-28,,"ГАУ ДПО ""СОИРО"", Смоленск"\n';
    const { dir, doc } = folder({ 'metadata.csv': csv });
    expect(await readSidecar(doc)).toEqual({
      values: { title: 'Благо Дарю', participants: 120, date_start: '2019-11-28', organizer: 'ГАУ ДПО "СОИРО", Смоленск' },
      source: join(dir, 'metadata.csv'),
    });
  });

  it('accepts the name without extension, CRLF line ends and a BOM', async () => {
    const { doc } = folder({ 'metadata.csv': '\uFEFFfile,city\r\nresolution-05,Смоленск\r\n' });
    expect((await readSidecar(doc))?.values).toEqual({ city: 'Смоленск' });
  });

  it('returns null when no row names the document', async () => {
    const { doc } = folder({ 'metadata.csv': 'file,city\nresolution-01.txt,Вологда\n' });
    expect(await readSidecar(doc)).toBeNull();
  });

  const invalid: [string, string, RegExp][] = [
    ['bad date in a row', 'file,date_start\nresolution-05.txt,28 ноября 2019\n', /row for resolution-05\.txt: invalid date_start/],
    ['bad participants in a row', 'file,participants\nresolution-05.txt,около ста\n', /invalid participants/],
    ['bad level in a row', 'file,level\nresolution-05.txt,областная\n', /invalid level/],
    ['no file column', 'name,city\nresolution-05.txt,Смоленск\n', /no "file" column/],
    ['unknown column', 'file,town\nresolution-05.txt,Смоленск\n', /unknown column "town"/],
    ['two rows for one document', 'file,city\nresolution-05.txt,Смоленск\nresolution-05.txt,Рославль\n', /2 rows/],
    ['unterminated quote', 'file,title\nresolution-05.txt,"Благо Дарю\n', /unterminated/],
  ];
  it.each(invalid)('throws ConfrecError naming the CSV: %s', async (_name, csv, message) => {
    const { doc } = folder({ 'metadata.csv': csv });
    const err = await rejection(readSidecar(doc));
    expect(err.file).toMatch(/metadata\.csv$/);
    expect(err.message).toMatch(message);
  });

  it('parseCsv keeps line breaks and commas inside quotes', () => {
    expect(parseCsv('a,b\n"x, y","line1\nline2"\n', 'm.csv')).toEqual([
      ['a', 'b'],
      ['x, y', 'line1\nline2'],
    ]);
  });
});

describe('mergeMeta', () => {
  const sidecar = (values: Partial<ConferenceMeta>): Sidecar => ({ values, source: '/data/resolution-05.meta.json' });

  it('marks text values as text and leaves null fields out', () => {
    const { meta, sources } = mergeMeta(TEXT, null);
    expect(meta).toEqual(TEXT);
    expect(sources).toEqual({ title: 'text', kind: 'text', region: 'text' });
  });

  it('sidecar values win and are marked sidecar', () => {
    const { meta, sources } = mergeMeta(TEXT, sidecar({ city: 'Смоленск', region: 'Смоленская область', participants: 300 }));
    expect(meta).toMatchObject({ city: 'Смоленск', region: 'Смоленская область', participants: 300, title: 'Благо Дарю' });
    expect(sources).toEqual({ title: 'text', kind: 'text', city: 'sidecar', region: 'sidecar', participants: 'sidecar' });
  });

  it('a sidecar null clears a text value', () => {
    const { meta, sources } = mergeMeta(TEXT, sidecar({ region: null }));
    expect(meta.region).toBeNull();
    expect(sources.region).toBeUndefined();
  });

  it('a sidecar start date owns the range and the year', () => {
    const fromText = { ...TEXT, date_start: '2019-11-27', date_end: '2019-11-29', year: 2019 };
    const { meta, sources } = mergeMeta(fromText, sidecar({ date_start: '2020-02-14' }));
    expect([meta.date_start, meta.date_end, meta.year]).toEqual(['2020-02-14', '2020-02-14', 2020]);
    expect([sources.date_start, sources.date_end, sources.year]).toEqual(['sidecar', 'sidecar', 'sidecar']);
  });

  it('a sidecar year that contradicts the text dates clears them', () => {
    const fromText = { ...TEXT, date_start: '2019-11-27', date_end: '2019-11-27', year: 2019 };
    const { meta, sources } = mergeMeta(fromText, sidecar({ year: 2018 }));
    expect([meta.date_start, meta.date_end, meta.year]).toEqual([null, null, 2018]);
    expect(sources.date_start).toBeUndefined();
  });

  it('does not modify its inputs', () => {
    const before = structuredClone(TEXT);
    mergeMeta(TEXT, sidecar({ city: 'Смоленск' }));
    expect(TEXT).toEqual(before);
  });
});

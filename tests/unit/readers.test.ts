import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ConfrecError } from '../../pipeline/errors.js';
import { decodeText, repairCp1251Mojibake } from '../../pipeline/ingest/encoding.js';
import { fileTypeOf, readDocument } from '../../pipeline/ingest/readers.js';
import { dropPageFurniture, itemsToLines, type PdfLine } from '../../pipeline/ingest/readers/pdf-lines.js';
import {
  collectHyphenEvidence,
  joinWrapped,
  linesToBlocks,
  startsNewParagraph,
} from '../../pipeline/ingest/readers/pdf-paragraphs.js';
import { normaliseText } from '../../pipeline/text/normalise.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'files');
const RESOLUTIONS = join(import.meta.dirname, '..', '..', 'data', 'resolutions');

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

async function readFixture(name: string) {
  return readDocument(join(FIXTURES, name), fixture(name));
}

/** Runs the reader and returns the ConfrecError it throws (failing the test if it throws something else). */
async function readError(path: string, bytes: Uint8Array): Promise<ConfrecError> {
  try {
    await readDocument(path, bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfrecError);
    expect((err as ConfrecError).file).toBe(path);
    expect((err as ConfrecError).hint).toBeTruthy();
    return err as ConfrecError;
  }
  throw new Error(`expected ${path} to be rejected`);
}

function nonEmptyLines(text: string): string[] {
  return normaliseText(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

const SHORT_UTF8 = readFileSync(join(FIXTURES, 'short-utf8.txt'), 'utf8');

describe('fileTypeOf', () => {
  it('maps extensions case-insensitively and rejects the rest', () => {
    expect(fileTypeOf('a/b/Резолюция.TXT')).toBe('txt');
    expect(fileTypeOf('x.md')).toBe('md');
    expect(fileTypeOf('x.Docx')).toBe('docx');
    expect(fileTypeOf('x.PDF')).toBe('pdf');
    expect(fileTypeOf('x.doc')).toBe('doc');
    expect(fileTypeOf('x.zip')).toBeNull(); // archives are expanded by the stage, not read
    expect(fileTypeOf('x.xyz')).toBeNull();
    expect(fileTypeOf('README')).toBeNull();
  });
});

describe('plain text encodings', () => {
  const cases: [string, string, string][] = [
    ['short-utf8.txt', 'utf-8', SHORT_UTF8],
    ['short-utf8-bom.txt', 'utf-8-bom', SHORT_UTF8],
    ['short-cp1251.txt', 'windows-1251', SHORT_UTF8],
    // KOI8-R has no guillemets or dashes; the fixture was written with straight quotes and hyphens.
    ['short-koi8r.txt', 'koi8-r', SHORT_UTF8.replace(/[«»]/g, '"').replace(/—/g, '-')],
    ['short-utf16le.txt', 'utf-16le', SHORT_UTF8],
    ['short-cp1251.md', 'windows-1251', `# ${SHORT_UTF8}`],
  ];
  for (const [file, encoding, expected] of cases) {
    it(`${file} decodes as ${encoding}`, async () => {
      const doc = await readFixture(file);
      expect(doc.encoding).toBe(encoding);
      expect(doc.text).toBe(expected);
      expect(doc.fileType).toBe(file.endsWith('.md') ? 'md' : 'txt');
    });
  }

  const names = readdirSync(RESOLUTIONS).filter((f) => f.endsWith('.txt')).sort();

  it('finds the five sample resolutions', () => {
    expect(names).toHaveLength(5);
  });

  for (const name of names) {
    it(`${name} round-trips as UTF-8`, async () => {
      const bytes = new Uint8Array(readFileSync(join(RESOLUTIONS, name)));
      const doc = await readDocument(join(RESOLUTIONS, name), bytes);
      expect(doc).toMatchObject({ text: Buffer.from(bytes).toString('utf8'), fileType: 'txt', encoding: 'utf-8', reader: 'txt:text', ocrConfidence: null });
    });

    it(`${name} is recognised in windows-1251, koi8-r and ibm866`, () => {
      const source = readFileSync(join(RESOLUTIONS, name), 'utf8');
      for (const encoding of ['windows-1251', 'koi8-r', 'ibm866'] as const) {
        const bytes = new Uint8Array(iconv.encode(source, encoding));
        const decoded = decodeText(bytes);
        expect(decoded.encoding).toBe(encoding);
        // Characters the code page lacks became "?" on encoding; everything else must come back.
        expect(decoded.text).toBe(iconv.decode(Buffer.from(bytes), encoding));
      }
    });
  }

  it('tells cp1251 from koi8-r even for a sentence or two', () => {
    const words = readFileSync(join(RESOLUTIONS, 'resolution-02.txt'), 'utf8').match(/[А-яЁё]{3,}/g)!;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { minLength: 6, maxLength: 30 }),
        fc.constantFrom('windows-1251' as const, 'koi8-r' as const),
        (picked, encoding) => {
          const sentence = picked.join(' ');
          expect(decodeText(new Uint8Array(iconv.encode(sentence, encoding))).encoding).toBe(encoding);
        },
      ),
      { numRuns: 200, seed: 20241122 },
    );
  });
});

describe('plain text errors', () => {
  it('rejects an empty file', async () => {
    expect((await readError(join(FIXTURES, 'empty.txt'), fixture('empty.txt'))).message).toBe('empty file');
  });

  it('rejects a file of whitespace only, and one holding only a BOM', async () => {
    expect((await readError('blank.txt', new Uint8Array(Buffer.from(' \n\t\r\n  ')))).message).toBe('no text');
    expect((await readError('bom.md', new Uint8Array([0xef, 0xbb, 0xbf, 0x0a]))).message).toBe('no text');
  });

  it('rejects binary content with NUL bytes', async () => {
    const bytes = new Uint8Array([...Buffer.from('РЕЗОЛЮЦИЯ'), 0, 1, 2, 0, 0x89, 0x50]);
    expect((await readError('image.txt', bytes)).message).toBe('binary file, not text');
  });

  it('rejects an unsupported extension with the list of supported ones', async () => {
    const err = await readError('notes.xyz', new Uint8Array([1, 2, 3]));
    expect(err.message).toMatch(/^unsupported file type \.xyz; confrec reads \.txt, \.md, \.docx, \.doc, \.rtf, \.odt, \.pdf, /);
    const rar = await readError('folder.rar', new Uint8Array([1, 2, 3]));
    expect(rar.hint).toMatch(/unpack/);
  });
});

describe('docx', () => {
  it('restores Word numbering and bullets as list markers', async () => {
    const doc = await readFixture('resolution.docx');
    expect(doc.fileType).toBe('docx');
    expect(doc.encoding).toBeNull();
    expect(doc.text).toBe(
      [
        '**РЕЗОЛЮЦИЯ**',
        '',
        'Региональная конференция «Цифровая образовательная среда» состоялась 15 марта 2024 года в г. Вологде. В её работе приняли участие 180 педагогов.',
        '',
        'Участники конференции рекомендуют:',
        '',
        '**Образовательным организациям:**',
        '',
        '1. Обеспечить повышение квалификации педагогов в области цифровых технологий.',
        '2. Внедрять в практику электронные образовательные ресурсы.',
        '3. Организовать обмен опытом между школами региона.',
        '',
        '**Органам местного самоуправления:**',
        '',
        '- оказывать содействие в обновлении материально-технической базы школ;',
        '- предусмотреть финансирование программ наставничества.',
      ].join('\n'),
    );
  });

  it('is plain after normalisation: bold marks go, markers stay', async () => {
    const lines = nonEmptyLines((await readFixture('resolution.docx')).text);
    expect(lines).toContain('Образовательным организациям:');
    expect(lines).toContain('2. Внедрять в практику электронные образовательные ресурсы.');
    expect(lines).toContain('- предусмотреть финансирование программ наставничества.');
  });

  it('handles nested lists, headings, tables, images and separate lists', async () => {
    const doc = await readFixture('structures.docx');
    expect(doc.text).toBe(
      [
        'Итоги работы секций',
        '',
        'Секция 1. Дошкольное образование.',
        '',
        '1. Развивать сеть консультационных центров.',
        '2. Поддержать инновационные площадки:',
        '1) в городских округах;',
        '2) в муниципальных районах:',
        'а) сельских;',
        'б) малокомплектных.',
        '3. Провести мониторинг качества.',
        '',
        '- первый маркированный пункт;',
        '- вложенный маркированный пункт;',
        '- последний пункт.',
        '',
        'Секция 2. Общее образование.',
        '',
        '1. Обновить содержание программ.',
        '2. Усилить профориентацию.',
        '',
        'Адресат | Срок | Ответственный',
        'Школы | 2025 | Директор',
        '',
        // The footnote's reference mark is dropped from the text, its body comes last.
        'Секция работала в дистанционном формате.',
      ].join('\n'),
    );
  });

  it('rejects random bytes named .docx', async () => {
    const err = await readError(join(FIXTURES, 'bad.docx'), fixture('bad.docx'));
    expect(err.message).toBe('not a valid .docx (not a Word document, or damaged)');
  });

  it('rejects a damaged .docx and a zip without a Word document in it', async () => {
    const docx = fixture('resolution.docx');
    const cut = docx.slice(0, 600);
    expect((await readError('cut.docx', cut)).message).toMatch(/^not a valid \.docx \(damaged archive: /);
    // Renaming the main part in the zip directory (same length) leaves a valid zip that is no Word document.
    const renamed = Buffer.from(docx);
    const name = Buffer.from('word/document.xml');
    for (let i = renamed.indexOf(name); i >= 0; i = renamed.indexOf(name, i + 1)) renamed.write('word/documemt.xml', i);
    expect(renamed.equals(Buffer.from(docx))).toBe(false);
    const err = await readError('other.docx', new Uint8Array(renamed));
    expect(err.message).toBe('not a valid .docx (not a Word document, or damaged)');
  });

  it('reads a .docx without a styles part whose table names a style (written by a tool other than Word)', async () => {
    const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const p = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;
    const cell = (t: string) => `<w:tc>${p(t)}</w:tc>`;
    const document = `<?xml version="1.0" encoding="UTF-8"?><w:document ${w}><w:body>${p('Участники совещания решили:')}<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tr>${cell('1')}${cell('Провести семинар для молодых педагогов')}</w:tr></w:tbl></w:body></w:document>`;
    const enc = (x: string) => new TextEncoder().encode(x);
    const bytes = zipSync({
      '[Content_Types].xml': enc('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
      '_rels/.rels': enc('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
      'word/document.xml': enc(document),
    });
    const doc = await readDocument('plain.docx', bytes);
    expect(doc.text).toContain('Провести семинар для молодых педагогов');
  });

  it('explains an OLE file (old .doc or password-protected) renamed .docx', async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const err = await readError('protected.docx', ole);
    expect(err.message).toBe('not a valid .docx (an old binary .doc, or a password-protected document)');
    expect(err.hint).toMatch(/password/);
  });
});

describe('pdf', () => {
  it('rebuilds paragraphs, list items and hyphenated words across lines and pages', async () => {
    const doc = await readFixture('resolution.pdf');
    expect(doc.fileType).toBe('pdf');
    expect(doc.encoding).toBeNull();
    expect(doc.text).toBe(
      [
        'РЕЗОЛЮЦИЯ',
        '',
        'Конференция «Развитие службы сопровождения» состоялась 22 ноября 2024 г. в г. Вологде. В её работе приняли участие более 260 специалистов из 11 регионов России, а также представители вузов.',
        '',
        'Участники конференции рекомендуют:',
        '',
        'Образовательным организациям:',
        '',
        // "психолого-\nпедагогического": a compound, the hyphen stays.
        '1. Обеспечить реализацию программ психолого-педагогического сопровождения обучающихся с ограниченными возможностями здоровья.',
        // "педаго-\nгические": a word hyphenated at the line end, joined.
        '2. Развивать педагогические компетенции учителей в работе с детьми целевых групп.',
        '3. Создавать условия для инклюзивного образования.',
        '',
        'Органам местного самоуправления:',
        '',
        // Wrapped over four lines, across the page break and past the running header.
        '– содействовать открытию стажировочных площадок по профилактике социально-негативных явлений в образовательной среде;',
        '– предусмотреть финансирование служб сопровождения.',
        '',
        'Институтам развития образования:',
        '',
        '— включать в программы повышения квалификации педагогических работников успешные практики сопровождения детей с ОВЗ и повышения родительской компетентности;',
        '— опубликовать лучшие практики на информационных ресурсах.',
        '',
        'Резолюция принята единогласно.',
      ].join('\n'),
    );
  });

  it('gives back the paragraphs of a real resolution typeset on A4', async () => {
    const source = nonEmptyLines(readFileSync(join(RESOLUTIONS, 'resolution-01.txt'), 'utf8'));
    // The source breaks its centred title over two lines by hand; in the PDF that is one justified paragraph.
    const expected = [source[0], `${source[1]} ${source[2]}`, ...source.slice(3)];
    const got = nonEmptyLines((await readFixture('resolution-01-a4.pdf')).text);
    expect(got).toEqual(expected);
  });

  it('rejects a password-protected PDF', async () => {
    const err = await readError(join(FIXTURES, 'encrypted.pdf'), fixture('encrypted.pdf'));
    expect(err.message).toBe('password-protected PDF');
  });

  it('asks for OCR when there is no text layer', async () => {
    const path = join(FIXTURES, 'no-text.pdf');
    const err = await readDocument(path, fixture('no-text.pdf'), { ocr: 'off' }).catch((e: ConfrecError) => e);
    expect((err as ConfrecError).message).toBe('no text layer: OCR needed');
    expect((err as ConfrecError).hint).toMatch(/--ocr auto/);
  });

  it('rejects a damaged PDF and a non-PDF named .pdf', async () => {
    const cut = fixture('resolution.pdf').slice(0, 400);
    expect((await readError('cut.pdf', cut)).message).toBe('not a valid .pdf (not a PDF document, or damaged)');
    const text = new Uint8Array(Buffer.from('РЕЗОЛЮЦИЯ, сохранённая как .pdf'));
    expect((await readError('text.pdf', text)).message).toBe('not a valid .pdf (not a PDF document, or damaged)');
  });

  it('leaves the caller its bytes', async () => {
    const bytes = fixture('resolution.pdf');
    const copy = bytes.slice();
    await readDocument('x.pdf', bytes);
    expect(bytes).toEqual(copy);
  });
});

/** A line as itemsToLines would make it, for the layout rules. */
function line(text: string, y: number, opts: Partial<PdfLine> = {}): PdfLine {
  const x = opts.x ?? 50;
  return { text, x, right: opts.right ?? x + text.length * 5, y, height: 10, page: 1, ...opts };
}

const noWords = { isKnownWord: () => false };

describe('pdf layout rules', () => {
  it('merges runs on one baseline into a line, adding spaces only where there is a gap', () => {
    const lines = itemsToLines(
      [
        { str: 'Участники', x: 10, y: 700, width: 50, height: 10 },
        { str: 'конференции', x: 64, y: 700.4, width: 60, height: 10 },
        { str: '¹', x: 124.5, y: 704, width: 3, height: 6 },
        { str: 'рекомендуют:', x: 10, y: 686, width: 70, height: 10 },
      ],
      1,
    );
    expect(lines.map((l) => l.text)).toEqual(['Участники конференции¹', 'рекомендуют:']);
    expect(lines[0]).toMatchObject({ x: 10, page: 1 });
  });

  it('drops page numbers and running headers but keeps a lone year', () => {
    const page = (n: number, body: string[]): PdfLine[] => [
      line('Резолюция конференции, 2024', 800, { page: n }),
      ...body.map((t, i) => line(t, 700 - i * 12, { page: n })),
      line(`- ${n} -`, 30, { page: n }),
    ];
    const pages = dropPageFurniture([page(1, ['РЕЗОЛЮЦИЯ', 'текст']), page(2, ['продолжение', 'Вологда', '2024'])]);
    expect(pages.map((p) => p.map((l) => l.text))).toEqual([
      ['РЕЗОЛЮЦИЯ', 'текст'],
      ['продолжение', 'Вологда', '2024'],
    ]);
  });

  it('moves footnotes at a page\'s foot after the last page, so a sentence cut by the break joins; body lines stay', () => {
    const body = (n: number, texts: string[]) => texts.map((t, i) => line(t, 700 - i * 12, { page: n }));
    const note = (t: string, y: number) => line(t, y, { page: 1, height: 8 });
    const pages = dropPageFurniture([
      [...body(1, ['3. Включить модули по игровой деятельности.', '4. Пермскому университету совместно с институтами развития', 'образования субъектов Российской Федерации']), note('¹ Утверждена приказом Министерства просвещения от', 100), note('25 ноября 2022 г. № 1028.', 90)],
      body(2, ['создать сетевое сообщество педагогов.', '5. Провести форум.']),
    ]);
    expect(pages.map((p) => p.map((l) => l.text))).toEqual([
      ['3. Включить модули по игровой деятельности.', '4. Пермскому университету совместно с институтами развития', 'образования субъектов Российской Федерации'],
      ['создать сетевое сообщество педагогов.', '5. Провести форум.'],
      ['¹ Утверждена приказом Министерства просвещения от', '25 ноября 2022 г. № 1028.'],
    ]);
    // A full-size numbered item at a page's foot is no note.
    const items = dropPageFurniture([body(1, ['Участники рекомендуют:', '1 Школам провести акцию.', '2 Центрам провести семинар.', '3 Институтам издать сборник.']), body(2, ['4 Родителям участвовать.'])]);
    expect(items[0]).toHaveLength(4);
    expect(items).toHaveLength(2);
  });

  it('drops a running title seen on one page only where a sentence runs across the break, and nowhere else', () => {
    const page = (n: number, body: string[]): PdfLine[] => body.map((t, i) => line(t, 700 - i * 12, { page: n }));
    const title = 'Резолюция конференции «Инклюзивное образование», 2024';
    const cut = dropPageFurniture([
      page(1, ['2.1. разработать программу «Технологии сопровождения обучающихся с расстройствами']),
      page(2, [title, 'аутистического спектра» объёмом не менее 72 часов;', '2.2. обеспечить сопровождение.']),
    ]);
    expect(cut[1].map((l) => l.text)).toEqual(['аутистического спектра» объёмом не менее 72 часов;', '2.2. обеспечить сопровождение.']);
    // After a finished sentence the same line may be a heading: kept.
    const whole = dropPageFurniture([page(1, ['2.1. разработать программу.']), page(2, ['Министерству просвещения', 'обеспечить сопровождение.'])]);
    expect(whole[1].map((l) => l.text)).toEqual(['Министерству просвещения', 'обеспечить сопровождение.']);
    // Items without end punctuation: the heading at the next page's top (its colon, or its number) stays.
    for (const heading of ['Родителям (законным представителям):', '3. Родителям (законным представителям)', 'РОДИТЕЛЯМ']) {
      const list = dropPageFurniture([page(1, ['- создать условия для детей с ОВЗ']), page(2, [heading, 'участвовать в работе управляющих советов'])]);
      expect(list[1].map((l) => l.text)).toEqual([heading, 'участвовать в работе управляющих советов']);
    }
  });

  it('joins a wrapped line and breaks before a list marker or after a wide gap', () => {
    const layout = { lineSpacing: 12, rightEdge: 300 };
    const full = line('Образовательным организациям рекомендуется обеспечить', 700, { right: 300 });
    expect(startsNewParagraph(full, line('условия для работы', 688), layout)).toBe(false);
    expect(startsNewParagraph(full, line('1. Обеспечить', 688), layout)).toBe(true);
    expect(startsNewParagraph(full, line('★ дать советам обучающихся право голоса', 688), layout)).toBe(true);
    expect(startsNewParagraph(full, line('условия для работы', 670), layout)).toBe(true);
    // A short line the next word would have fitted on ends its paragraph.
    expect(startsNewParagraph(line('здоровья.', 700, { right: 100 }), line('Участники', 688), layout)).toBe(true);
    // A first-line indent starts a paragraph; a hanging indent inside a list item does not.
    expect(startsNewParagraph(full, line('Участники', 688, { x: 80 }), layout)).toBe(true);
    expect(startsNewParagraph(full, line('условия', 688, { x: 80 }), layout, true)).toBe(false);
    // A dash after an unfinished line is a dash in the sentence, wrapped to the line start.
    expect(startsNewParagraph(full, line('– оператор конференции', 688), layout)).toBe(false);
    expect(startsNewParagraph(line('организаций;', 700, { right: 300 }), line('– оператор', 688), layout)).toBe(true);
    // "в г." at a line end is an abbreviation, not the end of a sentence.
    expect(startsNewParagraph(line('состоялась в г.', 700, { right: 280 }), line('Вологде', 688), layout)).toBe(false);
    expect(startsNewParagraph(line('состоялась в Вологде.', 700, { right: 280 }), line('Участники', 688), layout)).toBe(true);
  });

  it('undoes end-of-line hyphenation but keeps compounds', () => {
    const dictionary = new Set(['педагогический', 'из-за', 'учителя', 'логопеды', 'своевременно', 'свое', 'временно']);
    const evidence = collectHyphenEvidence([], (w) => dictionary.has(w));
    const join = (a: string, b: string) => joinWrapped(a, b, evidence);
    expect(join('развивать педаго-', 'гический')).toBe('развивать педагогический');
    expect(join('службы психолого-', 'педагогического')).toBe('службы психолого-педагогического');
    expect(join('научно-', 'практической')).toBe('научно-практической');
    expect(join('организационно-', 'методическому')).toBe('организационно-методическому');
    expect(join('учителя-', 'логопеды')).toBe('учителя-логопеды');
    expect(join('из-', 'за')).toBe('из-за');
    expect(join('свое-', 'временно')).toBe('своевременно');
    expect(join('г. Санкт-', 'Петербург')).toBe('г. Санкт-Петербург');
    expect(join('ПЕДАГОГИ-', 'ЧЕСКИЙ')).toBe('ПЕДАГОГИЧЕСКИЙ');
    expect(join('тью-', 'торов')).toBe('тьюторов');
    expect(join('педаго\u2010', 'гический')).toBe('педагогический');
    expect(join('психолого\u2010', 'педагогического')).toBe('психолого-педагогического');
    expect(join('педаго\u00AD', 'гический')).toBe('педагогический');
    expect(join('в 2023–', '2024 гг.')).toBe('в 2023–2024 гг.');
    expect(join('https://vk.com/ikpru?', 'w=wall-1')).toBe('https://vk.com/ikpru?w=wall-1');
    expect(join('подхода/', 'медиации')).toBe('подхода/медиации');
    expect(join('слово', 'слово')).toBe('слово слово');
  });

  it('lets the document decide a hyphen the dictionary cannot', () => {
    const evidence = collectHyphenEvidence(['внедрять медико-социальные технологии', 'и стажёрские площадки'], () => false);
    expect(joinWrapped('медико-', 'социальной', evidence)).toBe('медико-социальной');
    expect(joinWrapped('стажёр-', 'ские', evidence)).toBe('стажёрские');
  });

  it('groups consecutive list items into one list block', () => {
    const blocks = linesToBlocks(
      [
        line('Образовательным организациям:', 700, { right: 200 }),
        line('1. Обеспечить', 688, { right: 300 }),
        line('условия;', 676, { right: 100 }),
        line('2. Провести.', 664, { right: 120 }),
        line('Резолюция принята.', 640, { right: 150 }),
      ],
      noWords,
    );
    expect(blocks).toEqual([
      { kind: 'paragraph', lines: ['Образовательным организациям:'] },
      { kind: 'list', lines: ['1. Обеспечить условия;', '2. Провести.'] },
      { kind: 'paragraph', lines: ['Резолюция принята.'] },
    ]);
  });

  it('repairs cp1251 text that a PDF font exposed as Latin-1', () => {
    const mojibake = Buffer.from(iconv.encode('Резолюция конференции', 'windows-1251')).toString('latin1');
    expect(repairCp1251Mojibake(mojibake)).toBe('Резолюция конференции');
    expect(repairCp1251Mojibake('www.ipk74.ru')).toBe('www.ipk74.ru');
    expect(repairCp1251Mojibake('Резолюция')).toBe('Резолюция');
  });
});

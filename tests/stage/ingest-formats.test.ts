/**
 * The ingest stage on a folder of every format: documents record the reader and (for OCR) the
 * confidence, .zip members are stored under the archive's path, a saved page's asset folder is not
 * read, and the report's methodology counts the OCR documents.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { ocrAvailable } from '../../pipeline/ingest/readers/ocr.js';
import { loadReportData } from '../../pipeline/report/data.js';
import { withStore } from '../../pipeline/store/db.js';
import type { StageContext } from '../../pipeline/stages.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'formats', 'files');
const ocr = await ocrAvailable();
if (!ocr.ok && process.env.CI) throw new Error(`OCR tests need tesseract in CI: ${ocr.reason}`);

const FILES = [
  'fmt-01-tver-inclusion.doc',
  'fmt-02-kazan-talents.rtf',
  'fmt-03-smolensk-family.odt',
  'fmt-04-cherepovets-digital.docx',
  'fmt-06-vologda-citizen.html',
  'fmt-10-kirov-health.pdf',
  'resolutions-2023.zip',
  ...(ocr.ok ? ['fmt-07-gryazovets-august.png'] : []),
];

const MEMBERS = [
  'resolutions-2023.zip/Резолюции 2023/fmt-01-tver-inclusion.doc',
  'resolutions-2023.zip/Резолюции 2023/fmt-05-yaroslavl-additional.odt',
  'resolutions-2023.zip/Резолюции 2023/fmt-08-novosibirsk-teacher.docx',
];

function ctx(warnings: string[]): StageContext {
  const log = { info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  return { log: log as unknown as StageContext['log'], quiet: true, options: { ocr: 'auto' } };
}

describe('ingest of every format', () => {
  let dir: string;
  let db: string;
  const warnings: string[] = [];
  let docs: { source_path: string; file_type: string; reader: string; ocr_confidence: number | null; text: string }[];

  beforeAll(async () => {
    const root = tempDir('confrec-formats-');
    dir = join(root, 'in');
    mkdirSync(join(dir, 'page_files'), { recursive: true });
    for (const f of FILES) copyFileSync(join(FIXTURES, f), join(dir, f));
    // A saved page with its asset folder: the folder's script and logo are the page's, not documents.
    copyFileSync(join(FIXTURES, 'fmt-09-kotlas-career.html'), join(dir, 'page.html'));
    writeFileSync(join(dir, 'page_files', 'main.js'), 'var x = 1;');
    writeFileSync(join(dir, 'page_files', 'logo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    db = join(root, 'f.duckdb');
    await withStore(db, (store) => ingestFolder(store, dir, ctx(warnings)));
    docs = await withStore(db, (s) => s.all('SELECT source_path, file_type, reader, ocr_confidence, text FROM documents ORDER BY source_path'), { readOnly: true });
  }, 600_000);

  it('reads every file and no asset of the saved page', () => {
    expect(warnings).toEqual([]);
    const stored = docs.map((d) => d.source_path.replace(`${dir}/`, ''));
    const expected = [...FILES.filter((f) => !f.endsWith('.zip')), 'page.html', ...MEMBERS.slice(1)];
    for (const p of expected) expect(stored).toContain(p);
    // The archive's copy of fmt-01's .doc has the bytes of the one beside it: stored once or twice,
    // depending on whether identity is the bytes or (path, bytes).
    for (const p of stored) expect([...expected, MEMBERS[0]]).toContain(p);
  });

  it('records the format read and the reader that read it', () => {
    const by = (name: string) => docs.find((d) => d.source_path.endsWith(name))!;
    expect(by('fmt-01-tver-inclusion.doc')).toMatchObject({ file_type: 'doc', reader: 'doc:word97', ocr_confidence: null });
    expect(by('fmt-02-kazan-talents.rtf')).toMatchObject({ file_type: 'rtf', reader: 'rtf:confrec' });
    expect(by('fmt-03-smolensk-family.odt')).toMatchObject({ file_type: 'odt', reader: 'odt:fflate' });
    expect(by('fmt-04-cherepovets-digital.docx')).toMatchObject({ file_type: 'docx', reader: 'docx:mammoth' });
    expect(by('page.html')).toMatchObject({ file_type: 'html', reader: 'html:readability' });
    expect(by('fmt-10-kirov-health.pdf')).toMatchObject({ file_type: 'pdf', reader: 'pdf:pdfjs' });
    if (ocr.ok) {
      const png = by('fmt-07-gryazovets-august.png');
      expect(png).toMatchObject({ file_type: 'image', reader: 'image:tesseract' });
      expect(png.ocr_confidence).toBeGreaterThan(60);
      expect(png.text).toContain('Методическому кабинету провести серию семинаров');
    }
  });

  it('stores archive members under the archive, as if it were unpacked there', () => {
    const members = docs.filter((d) => d.source_path.includes('resolutions-2023.zip/')).map((d) => d.source_path.replace(`${dir}/`, ''));
    expect(members.filter((m) => m !== MEMBERS[0])).toEqual(MEMBERS.slice(1));
    const odt = docs.find((d) => d.source_path.endsWith('fmt-05-yaroslavl-additional.odt'))!;
    expect(odt.text).toContain('а) рассмотреть возможность увеличения норматива');
  });

  it('counts the documents whose text came from OCR in the report data', async () => {
    const data = await withStore(db, (s) => loadReportData(s), { readOnly: true });
    const total = data.textSources.reduce((n, r) => n + Number(r.documents), 0);
    expect(total).toBe(docs.length);
    const ocrDocs = data.textSources.reduce((n, r) => n + Number(r.ocr), 0);
    expect(ocrDocs).toBe(ocr.ok ? 1 : 0);
  });
});

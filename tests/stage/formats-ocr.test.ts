/**
 * Scanned PDFs and images of the format fixtures through tesseract: segmentation F1 ≥ 0.85 where the
 * text itself segments right, agreement with the text's segmentation, confidence recorded. Needs
 * Debian's tesseract-ocr and tesseract-ocr-rus: skipped with a message on a machine without them, but
 * never in CI (CI installs them, and a missing OCR there is a failure, not a skip).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../pipeline/ingest/readers.js';
import { ocrAvailable } from '../../pipeline/ingest/readers/ocr.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { loadMorph, type Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { f1, matchLenient, type Counts } from '../fixtures/formats/score.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'formats');
const FILES = join(DIR, 'files');
const available = await ocrAvailable();
if (!available.ok && process.env.CI) throw new Error(`OCR tests need tesseract in CI: ${available.reason}`);
if (!available.ok) console.warn(`formats-ocr: skipped — ${available.reason} (sudo apt-get install tesseract-ocr tesseract-ocr-rus)`);

/** Grey and black-and-white scans, layouts with dashes, Roman numerals and 1.1. numbering, and the three images. */
const SCANS = ['fmt-01-tver-inclusion-scan.pdf', 'fmt-03-smolensk-family-scan.pdf', 'fmt-08-novosibirsk-teacher-scan.pdf', 'fmt-09-kotlas-career-scan.pdf'];
const IMAGES = readdirSync(FILES).filter((f) => /\.(?:png|jpe?g|tiff?)$/.test(f));

describe.skipIf(!available.ok)('OCR of scans and images', () => {
  let morph: Morph;
  beforeAll(async () => {
    morph = await loadMorph();
  });

  const goldOf = (file: string) =>
    (JSON.parse(readFileSync(join(DIR, 'gold', `${/^(fmt-\d\d-[a-z]+-[a-z]+)/.exec(file)![1]}.json`), 'utf8')) as { recommendations: { text: string }[] }).recommendations.map(
      (r) => r.text,
    );
  const segment = (text: string) => segmentResolution(normaliseText(text), morph).recommendations.map((r) => r.text);

  it('reads scanned PDFs and images with F1 ≥ 0.85 against the gold, agreeing with the text', { timeout: 900_000 }, async () => {
    const vsGold: Counts[] = [];
    const vsText: Counts[] = [];
    for (const file of [...SCANS, ...IMAGES]) {
      const doc = await readDocument(join(FILES, file), new Uint8Array(readFileSync(join(FILES, file))), { ocr: 'auto' });
      expect(doc.reader, file).toMatch(/tesseract/);
      expect(doc.ocrConfidence, file).toBeGreaterThan(60);
      const predicted = segment(doc.text);
      const txt = readFileSync(join(FILES, `${/^(fmt-\d\d-[a-z]+-[a-z]+)/.exec(file)![1]}.txt`), 'utf8');
      vsGold.push(matchLenient(predicted, goldOf(file)));
      vsText.push(matchLenient(predicted, segment(txt)));
    }
    const sum = (cs: Counts[]) => ({ tp: cs.reduce((a, c) => a + c.tp, 0), fp: cs.reduce((a, c) => a + c.fp, 0), fn: cs.reduce((a, c) => a + c.fn, 0) });
    expect(f1(sum(vsGold))).toBeGreaterThanOrEqual(0.85);
    expect(f1(sum(vsText))).toBeGreaterThanOrEqual(0.85);
  });

  it('reads the scanned pages of a PDF whose other pages have a text layer', async () => {
    const file = join(FILES, 'mixed-text-and-scan.pdf');
    const bytes = new Uint8Array(readFileSync(file));
    const doc = await readDocument(file, bytes, { ocr: 'auto' });
    expect(doc.reader).toBe('pdf:pdfjs+tesseract');
    expect(doc.notes).toEqual(['page(s) 2 read by OCR (no text layer)']);
    expect(doc.text).toContain('Методическому кабинету провести серию семинаров'); // page 1, text layer
    expect(doc.text).toMatch(/организовывать дни открытых дверей/); // page 2, OCR
    const off = await readDocument(file, bytes, { ocr: 'off' });
    expect(off.reader).toBe('pdf:pdfjs');
    expect(off.notes.join()).toMatch(/page\(s\) 2 have no text layer .* not read: OCR is off/);
    expect(off.text).not.toMatch(/организовывать дни открытых дверей/);
  }, 300_000);

  it('with --ocr off, a scan asks for OCR instead of being read', async () => {
    const file = SCANS[0];
    await expect(readDocument(join(FILES, file), new Uint8Array(readFileSync(join(FILES, file))), { ocr: 'off' })).rejects.toThrow('no text layer: OCR needed');
  });
});

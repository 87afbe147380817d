import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readLimits } from '../../pipeline/ingest/limits.js';
import { imageInfo } from '../../pipeline/ingest/readers/image.js';
import { oleProblem } from '../../pipeline/ingest/readers/ole-check.js';
import { ocrDpi } from '../../pipeline/ingest/readers/pdf.js';
import { inflatedSize, scanPdfStreams } from '../../pipeline/ingest/readers/pdf-budget.js';
import { oleCycle, pdfStreamBomb, pngHuge } from '../hostile/inputs.js';

const FORMATS = join(import.meta.dirname, '..', 'fixtures', 'formats', 'files');
const limits = readLimits();

describe('PDF streams before pdf.js', () => {
  it('measures inflated sizes and stops counting past the cap', () => {
    const data = zlibSync(new Uint8Array(5_000_000), { level: 9 });
    expect(inflatedSize(data, 10_000_000)).toBe(5_000_000);
    expect(inflatedSize(data, 1_000_000)).toBe(1_000_001);
  });

  it('rejects a content stream that inflates past maxPdfStreamMb, before any parsing', () => {
    const bomb = pdfStreamBomb(40);
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(() => scanPdfStreams('bomb.pdf', bomb, limits)).toThrow(/a PDF stream unpacks to more than 24 MB: not read/);
    expect(() => scanPdfStreams('bomb.pdf', bomb, { ...limits, maxPdfStreamMb: 64 })).not.toThrow();
  });

  it('passes real PDFs, and counts images without inflating them', () => {
    const text = scanPdfStreams('a.pdf', new Uint8Array(readFileSync(join(FORMATS, 'fmt-01-tver-inclusion.pdf'))), limits);
    expect(text.streams).toBeGreaterThan(3);
    expect(text.unpacked).toBeLessThan(2_000_000);
    const scan = scanPdfStreams('s.pdf', new Uint8Array(readFileSync(join(FORMATS, 'fmt-02-kazan-talents-scan.pdf'))), limits);
    // Rasterised at 200 dpi: an A4 page is about 1654 × 2339 pixels.
    expect(scan.images.length).toBeGreaterThan(0);
    expect(scan.images[0].width).toBeGreaterThan(1600);
  });

  it('rasterises huge pages at a lower resolution, and refuses those too big for any', () => {
    expect(ocrDpi(595, 842, limits)).toBe(300); // A4
    const a0 = ocrDpi(2384, 3370, limits)!; // A0
    expect(a0).toBeLessThan(300);
    expect(a0).toBeGreaterThanOrEqual(150);
    expect(ocrDpi(14400, 14400, limits)).toBeNull(); // 200 × 200 inches
  });
});

describe('image headers', () => {
  it('give the size of PNG, JPEG and TIFF pages without decoding them', () => {
    expect(imageInfo(new Uint8Array(readFileSync(join(FORMATS, 'fmt-07-gryazovets-august.png'))))).toMatchObject({ format: 'png', pages: 1 });
    const jpg = imageInfo(new Uint8Array(readFileSync(join(FORMATS, 'fmt-09-kotlas-career.jpg'))))!;
    expect(jpg.format).toBe('jpeg');
    expect(jpg.width * jpg.height).toBeGreaterThan(3_000_000);
    expect(imageInfo(new Uint8Array(readFileSync(join(FORMATS, 'fmt-03-smolensk-family.tif'))))).toMatchObject({ format: 'tiff', pages: 1 });
    expect(imageInfo(pngHuge())).toMatchObject({ width: 100_000, height: 100_000 });
    expect(imageInfo(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  });
});

describe('OLE containers before word-extractor', () => {
  it('finds a sector chain that loops, and passes real .doc files', () => {
    expect(oleProblem(oleCycle())).toBe('a sector chain loops');
    expect(oleProblem(new Uint8Array(readFileSync(join(FORMATS, 'fmt-02-kazan-talents.doc'))))).toBeNull();
    expect(oleProblem(new Uint8Array(100))).toBe('too short for an OLE file');
  });
});

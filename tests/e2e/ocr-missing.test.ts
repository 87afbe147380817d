/**
 * Without tesseract (simulated by pointing CONFREC_TESSERACT at nothing), a scan is skipped with the
 * message it always had, naming the one install line; --ocr force is refused before anything is read.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats', 'files');

function confrec(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'confrec.js'), ...args], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('OCR not installed', () => {
  const dir = join(tempDir('confrec-noocr-'), 'in');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, 'fmt-02-kazan-talents-scan.pdf'), join(dir, 'scan.pdf'));
  copyFileSync(join(FIXTURES, 'fmt-07-gryazovets-august.png'), join(dir, 'photo.png'));
  copyFileSync(join(FIXTURES, 'fmt-01-tver-inclusion.docx'), join(dir, 'good.docx'));
  const env = { CONFREC_TESSERACT: join(dir, 'no-such-tesseract') };

  it('skips scans and images with "OCR needed" and the install line, and reads the rest', () => {
    const r = confrec(['ingest', dir, '--db', join(dir, '..', 'a.duckdb')], env);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/skipped .*scan\.pdf: no text layer: OCR needed — .*tesseract is not installed: install it \(sudo apt-get install tesseract-ocr tesseract-ocr-rus poppler-utils\)/);
    expect(r.err).toMatch(/skipped .*photo\.png: image: OCR needed — tesseract is not installed/);
    expect(r.out).toMatch(/ingest: 1 new document\(s\)/);
  });

  it('refuses --ocr force before reading anything', () => {
    const r = confrec(['ingest', dir, '--db', join(dir, '..', 'b.duckdb'), '--ocr', 'force'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ocr force: tesseract is not installed/);
  });

  it('rejects an unknown --ocr mode', () => {
    const r = confrec(['ingest', dir, '--db', join(dir, '..', 'c.duckdb'), '--ocr', 'sometimes'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ocr must be auto, off or force/);
  });
});

/** Why a file was not read, in Russian for the report: the reasons ingest records, as it words them. */
import { describe, expect, it } from 'vitest';
import { ingestReasonRu } from '../../pipeline/ingest/reasons-ru.js';
import { unsupportedReason } from '../../pipeline/ingest/readers.js';

/** As ingest records an issue: the message, then « — » and the hint. */
const recorded = (r: { message: string; hint: string }) => `${r.message} — ${r.hint}`;

describe('ingest reasons in Russian', () => {
  it('puts the known reasons into Russian, with what to do', () => {
    expect(ingestReasonRu('empty file — the file has no content (0 bytes)')).toBe('пустой файл (0 байт)');
    expect(ingestReasonRu(recorded(unsupportedReason('/d/plan.xlsx')))).toBe('формат .xlsx не читается — сохраните файл как .docx, .pdf или .txt');
    expect(ingestReasonRu(recorded(unsupportedReason('/d/old.duckdb')))).toMatch(/^база данных, а не резолюция/);
    expect(ingestReasonRu(recorded(unsupportedReason('/d/README')))).toMatch(/^файл без расширения/);
    expect(ingestReasonRu('not a valid .docx (not a Word document, or damaged) — open it in Word or LibreOffice and save it again as .docx')).toBe(
      'файл .docx повреждён или в другом формате — откройте его в Word или LibreOffice и сохраните заново',
    );
    expect(ingestReasonRu('file too large (312 MB; limit 200 MB): not read — raise the limit with --max-file-mb')).toBe('файл слишком большой (312 МБ при пределе 200 МБ)');
    expect(ingestReasonRu('no text layer: OCR needed — install tesseract-ocr')).toMatch(/^скан без текстового слоя/);
  });

  it('leaves a reason it does not know as it is', () => {
    const other = 'metadata.csv: line 3, "year": not a year — fix the sidecar';
    expect(ingestReasonRu(other)).toBe(other);
  });
});

/**
 * The format fixtures (tests/fixtures/formats: ten resolutions written for them, each rendered into
 * every format by LibreOffice, Chromium and poppler) read back as the text they were made from, and
 * segment as well as that text does. OCR families are in formats-ocr.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../pipeline/ingest/readers.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import type { Morph } from '../../pipeline/text/morph.js';
import { loadMorph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { f1, matchLenient, type Counts } from '../fixtures/formats/score.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'formats');
const FILES = join(DIR, 'files');
const RESOLUTIONS = readdirSync(FILES)
  .filter((f) => /^fmt-\d\d-[a-z]+-[a-z]+\.txt$/.test(f))
  .map((f) => f.replace(/\.txt$/, ''));

function bytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FILES, file)));
}

async function text(file: string): Promise<string> {
  return normaliseText((await readDocument(join(FILES, file), bytes(file), { ocr: 'off' })).text);
}

const lines = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean);
/** A list marker at the start of a line ("1.", "1.2.", "а)", "IV.", "-"). */
// («o»: a nested <ul> item, drawn a level below the «-» items: html-blocks.ts)
const MARKER = /^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[а-я]\)|[IVX]+\.|-|o)\s/;
const unmarked = (l: string) => l.replace(MARKER, '');

describe('format fixtures read back as their text', () => {
  it('has ten resolutions, each in every format', () => {
    expect(RESOLUTIONS).toHaveLength(10);
    for (const r of RESOLUTIONS) {
      for (const suffix of ['.doc', '.rtf', '.odt', '.docx', '.html', '-lo.html', '.pdf', '-web.pdf', '-scan.pdf']) {
        expect(readdirSync(FILES)).toContain(`${r}${suffix}`);
      }
    }
  });

  // Word and ODF keep list numbering as numbering definitions: the readers must count the numbers
  // back exactly as the .txt types them (1., 1), а), 1.1., a list continued at 4.), and tables as rows
  // (for .docx, from numbering.xml beside mammoth: docx-numbering.ts). LibreOffice's PDFs too: lines
  // re-joined into paragraphs (centred titles included), tables rebuilt from columns, note marks dropped.
  for (const ext of ['doc', 'rtf', 'odt', 'docx', 'pdf']) {
    it(`.${ext}: every line of the text, list markers included, and nothing else`, async () => {
      for (const r of RESOLUTIONS) {
        const want = lines(normaliseText(readFileSync(join(FILES, `${r}.txt`), 'utf8')));
        expect(lines(await text(`${r}.${ext}`)), `${r}.${ext}`).toEqual(want);
      }
    });
  }

  // Browsers draw list items without the level's own format (a nested item is "1)" whatever the
  // document said): the lines match once markers are set aside, and every item has one.
  for (const suffix of ['-lo.html', '.html']) {
    it(`${suffix}: every line of the text (markers aside) as a line, list items marked`, async () => {
      for (const r of RESOLUTIONS) {
        const source = lines(normaliseText(readFileSync(join(FILES, `${r}.txt`), 'utf8')));
        const got = lines(await text(`${r}${suffix}`));
        const gotUnmarked = new Set(got.map(unmarked));
        for (const l of source) expect(gotUnmarked.has(unmarked(l)), `${r}${suffix}: ${l}`).toBe(true);
        for (const l of source.filter((s) => MARKER.test(s))) {
          expect(got.some((g) => MARKER.test(g) && unmarked(g) === unmarked(l)), `${r}${suffix}: marker of ${l}`).toBe(true);
        }
        // Site pages carry chrome around the article; LibreOffice's export nothing else.
        if (suffix !== '.html') expect(got.length, `${r}${suffix}`).toBe(source.length);
      }
    });
  }

  it('site pages in windows-1251 are decoded by their charset', async () => {
    const cp1251 = RESOLUTIONS.filter((r) => !/charset=utf-8|charset="utf-8"/i.test(readFileSync(join(FILES, `${r}.html`), 'latin1')));
    expect(cp1251.length).toBeGreaterThanOrEqual(3);
    for (const r of cp1251) {
      const doc = await readDocument(join(FILES, `${r}.html`), bytes(`${r}.html`), { ocr: 'off' });
      expect(doc.encoding).toBe('windows-1251');
    }
  });

  it('reads files by their content, whatever their name says', async () => {
    const cases: [string, string, string][] = [
      ['fmt-05-yaroslavl-additional-rtf.doc', 'rtf', 'fmt-05-yaroslavl-additional.rtf'],
      ['fmt-06-vologda-citizen-web.doc', 'html', 'fmt-06-vologda-citizen.html'],
      ['fmt-02-kazan-talents-docx.doc', 'docx', 'fmt-02-kazan-talents.docx'],
    ];
    for (const [file, type, same] of cases) {
      const doc = await readDocument(join(FILES, file), bytes(file), { ocr: 'off' });
      expect(doc.fileType, file).toBe(type);
      expect(normaliseText(doc.text)).toBe(await text(same));
    }
  });
});

describe('segmentation through every format', () => {
  let morph: Morph;
  const gold = new Map<string, string[]>();
  beforeAll(async () => {
    morph = await loadMorph();
    for (const r of RESOLUTIONS) {
      const g = JSON.parse(readFileSync(join(DIR, 'gold', `${r}.json`), 'utf8')) as { recommendations: { text: string }[] };
      gold.set(r, g.recommendations.map((x) => x.text));
    }
  });

  const predict = async (file: string) => segmentResolution(await text(file), morph).recommendations.map((r) => r.text);
  const total = (cs: Counts[]) => ({ tp: cs.reduce((a, c) => a + c.tp, 0), fp: cs.reduce((a, c) => a + c.fp, 0), fn: cs.reduce((a, c) => a + c.fn, 0) });

  // The target is F1 ≥ 0.95 against the gold. What a reader can be blamed for is what it changes:
  // so a format must score what its .txt scores (same segmenter, same gold), must agree with the
  // .txt's segmentation, and must reach 0.95 on the resolutions whose .txt the segmenter gets right.
  for (const suffix of ['.doc', '.rtf', '.odt', '.docx', '.html', '-lo.html']) {
    it(`${suffix}: scores what the text scores (lenient F1 against the gold)`, async () => {
      const formatCounts: Counts[] = [];
      const txtCounts: Counts[] = [];
      const agreement: Counts[] = [];
      const onSolved: Counts[] = [];
      for (const r of RESOLUTIONS) {
        const fromTxt = await predict(`${r}.txt`);
        const fromFormat = await predict(`${r}${suffix}`);
        const t = matchLenient(fromTxt, gold.get(r)!);
        const f = matchLenient(fromFormat, gold.get(r)!);
        txtCounts.push(t);
        formatCounts.push(f);
        agreement.push(matchLenient(fromFormat, fromTxt));
        if (t.fp + t.fn === 0) onSolved.push(f);
      }
      const formatF1 = f1(total(formatCounts));
      const txtF1 = f1(total(txtCounts));
      expect(formatF1, `${suffix} F1 ${formatF1.toFixed(3)} vs .txt ${txtF1.toFixed(3)}`).toBeGreaterThanOrEqual(txtF1 - 0.01);
      expect(f1(total(agreement))).toBeGreaterThanOrEqual(0.95);
      expect(onSolved.length).toBeGreaterThanOrEqual(5);
      expect(f1(total(onSolved))).toBeGreaterThanOrEqual(0.95);
    });
  }
});

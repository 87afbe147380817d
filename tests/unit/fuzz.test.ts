import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
import { META_FIELDS, type ConferenceMeta } from '../../pipeline/store/types.js';
import { testMorph } from '../helpers/morph.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

/** Every recommendation points inside the text, at exactly its own words. */
function checkSegmentation(text: string) {
  const s = segmentResolution(text, morph);
  for (const r of s.recommendations) {
    expect(r.charStart).toBeGreaterThanOrEqual(0);
    expect(r.charEnd).toBeLessThanOrEqual(text.length);
    expect(r.charStart).toBeLessThan(r.charEnd);
    expect(text.slice(r.charStart, r.charEnd).replace(/\s+/g, ' ').trim()).toBe(r.text);
  }
  return s;
}

/**
 * Metadata is either absent (null) or a value of the field's kind: a year a resolution can carry,
 * real calendar dates, a positive count, one line of text. (Field names: META_FIELDS.)
 */
function checkMetadata(meta: ConferenceMeta, text: string) {
  expect(Object.keys(meta).sort()).toEqual([...META_FIELDS].sort());
  if (meta.year !== null) {
    expect(Number.isInteger(meta.year)).toBe(true);
    expect(meta.year).toBeGreaterThanOrEqual(1900);
    expect(meta.year).toBeLessThanOrEqual(2100);
  }
  for (const d of [meta.date_start, meta.date_end]) {
    if (d === null) continue;
    expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d);
  }
  if (meta.date_start && meta.date_end) expect(meta.date_start <= meta.date_end).toBe(true);
  if (meta.participants !== null) {
    expect(Number.isInteger(meta.participants)).toBe(true);
    expect(meta.participants).toBeGreaterThan(0);
  }
  for (const f of ['title', 'kind', 'level', 'city', 'region', 'format', 'organizer'] as const) {
    const v = meta[f];
    if (v === null) continue;
    expect(typeof v).toBe('string');
    expect(v.trim()).toBe(v);
    expect(v.length).toBeGreaterThan(0);
    expect(v).not.toMatch(/[\n\u0000-\u001f]/);
    expect(v.length).toBeLessThanOrEqual(text.length);
  }
}

// Pieces of real resolutions, recombined at random: headings, markers, traps, broken punctuation.
const LINE = fc.oneof(
  fc.constantFrom(
    'РЕЗОЛЮЦИЯ',
    'Участники конференции рекомендуют:',
    'По итогам работы принято решение рекомендовать:',
    'Образовательным организациям:',
    'I. Министерству просвещения Российской Федерации:',
    'ГАУ ДПО СОИРО:',
    'Задачи конференции:',
    'Цели:',
    '- обеспечить повышение квалификации педагогов;',
    '1) организовать обмен опытом;',
    'а) продолжить работу по воспитанию',
    '• развивать инклюзивное образование.',
    '1.1.1. создать условия',
    'Органам местного самоуправления: обеспечить подвоз; организовать отдых.',
    'Рекомендовать выступившим педагогам подготовить статьи.',
    'В 2019 году участники рекомендовали расширить практику.',
    'Резолюция принята единогласно.',
    '«Наставничество: опыт, проблемы»',
    ':',
    ';',
    '- ',
    '1.',
    '',
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('property: normalisation', () => {
  it('never adds or removes a line, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const once = normaliseText(raw);
        expect(once.split('\n')).toHaveLength(raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n').length);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 400 },
    );
  });
});

describe('property: segmentation and metadata on random resolution-like text', () => {
  it('never throws, keeps offsets inside the text, and every metadata field is null or a value of its kind', () => {
    fc.assert(
      fc.property(fc.array(LINE, { maxLength: 60 }), (lines) => {
        const text = normaliseText(lines.join('\n'));
        checkSegmentation(text);
        checkMetadata(extractMetadata(text, morph), text);
      }),
      { numRuns: 300 },
    );
  });

  it('random Unicode of any kind', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (raw) => {
        const text = normaliseText(raw);
        checkSegmentation(text);
        checkMetadata(extractMetadata(text, morph), text);
      }),
      { numRuns: 300 },
    );
  });
});

// How long these take is measured by `npm run bench -- pathological` (timings belong in benchmarks);
// here: that they come out right. A slowdown by orders of magnitude still fails on the test timeout.
describe('pathological inputs', () => {
  it('a 256 KB single line of run-on proposals after an operative heading: one recommendation per item, each in place', () => {
    const unit = 'обеспечить повышение квалификации педагогов';
    const n = Math.ceil((256 * 1024) / Buffer.byteLength(`${unit}; `));
    const text = normaliseText(`РЕЗОЛЮЦИЯ\n\nУчастники конференции рекомендуют: ${`${unit}; `.repeat(n)}`);
    expect(text.split('\n')).toHaveLength(3);
    const s = checkSegmentation(text);
    expect(s.recommendations).toHaveLength(n);
    expect(new Set(s.recommendations.map((r) => r.text))).toEqual(new Set([unit]));
    expect(s.recommendations.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    checkMetadata(extractMetadata(text, morph), text);
  });

  it('deeply nested lists', () => {
    const lines: string[] = ['Участники конференции рекомендуют:'];
    for (let i = 0; i < 3000; i++) {
      const depth = (i % 12) + 1;
      lines.push(`${Array.from({ length: depth }, (_, d) => (d + i) % 9 + 1).join('.')}. обеспечить уровень ${depth} пункта ${i};`);
      lines.push(`${'а'.repeat(1)}) продолжить работу ${i}`);
      lines.push(`- развивать направление ${i}:`);
    }
    const text = normaliseText(lines.join('\n'));
    expect(checkSegmentation(text).recommendations.length).toBeGreaterThan(1000);
  });

  it('thousands of addressee headings', () => {
    const lines: string[] = ['Участники конференции рекомендуют:'];
    for (let i = 0; i < 3000; i++) {
      lines.push(i % 2 ? 'Образовательным организациям:' : `ОРГАНАМ МЕСТНОГО САМОУПРАВЛЕНИЯ ГОРОДА ${i}`);
      lines.push(`- обеспечить выполнение решения № ${i};`);
    }
    const text = normaliseText(lines.join('\n'));
    const value = checkSegmentation(text);
    expect(value.recommendations).toHaveLength(3000);
    expect(value.recommendations[1].addressee).toBe('Образовательные организации');
    expect(value.recommendations.map((r) => r.text)).toEqual(Array.from({ length: 3000 }, (_, i) => `обеспечить выполнение решения № ${i}`));
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
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

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
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
  it('never throws, keeps offsets inside the text, and stays fast', () => {
    fc.assert(
      fc.property(fc.array(LINE, { maxLength: 60 }), (lines) => {
        const text = normaliseText(lines.join('\n'));
        const { ms } = timed(() => checkSegmentation(text));
        expect(ms).toBeLessThan(2000);
        extractMetadata(text, morph);
      }),
      { numRuns: 300 },
    );
  });

  it('random Unicode of any kind', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (raw) => {
        const text = normaliseText(raw);
        checkSegmentation(text);
        const meta = extractMetadata(text, morph);
        expect(Object.keys(meta)).toHaveLength(11);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pathological inputs finish in bounded time', () => {
  it('a 10 MB single-line file', () => {
    const unit = 'обеспечить повышение квалификации педагогов; ';
    const raw = unit.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(unit)));
    const { value: text, ms: normMs } = timed(() => normaliseText(raw));
    const { ms: segMs } = timed(() => checkSegmentation(text));
    const { ms: metaMs } = timed(() => extractMetadata(text, morph));
    expect(normMs + segMs + metaMs).toBeLessThan(60_000);
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
    const { value, ms } = timed(() => checkSegmentation(text));
    expect(ms).toBeLessThan(30_000);
    expect(value.recommendations.length).toBeGreaterThan(1000);
  });

  it('thousands of addressee headings', () => {
    const lines: string[] = ['Участники конференции рекомендуют:'];
    for (let i = 0; i < 3000; i++) {
      lines.push(i % 2 ? 'Образовательным организациям:' : `ОРГАНАМ МЕСТНОГО САМОУПРАВЛЕНИЯ ГОРОДА ${i}`);
      lines.push(`- обеспечить выполнение решения № ${i};`);
    }
    const text = normaliseText(lines.join('\n'));
    const { value, ms } = timed(() => checkSegmentation(text));
    expect(ms).toBeLessThan(30_000);
    expect(value.recommendations).toHaveLength(3000);
    expect(value.recommendations[1].addressee).toBe('Образовательные организации');
  });
});

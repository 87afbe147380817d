/** `confrec check` as text: what each item lists and what it says it leaves out agree with the counts. */
import { describe, expect, it } from 'vitest';
import type { CheckedItem, CheckMatch, CheckResult } from '../../pipeline/check/check.js';
import { formatCheck } from '../../pipeline/check/cli.js';
import type { Corpus } from '../../pipeline/serve/corpus.js';
import { resultBody } from '../../pipeline/serve/routes/check.js';

const N = 80;
const corpus = {
  recId: Array.from({ length: N }, (_, i) => `r${i}`),
  docs: [{ doc_id: 'd1', title: 'Конференция', source_file: 'earlier.txt', date_start: '2020-05-01', year: 2020, region: 'Вологодская область' }],
  doc: new Int32Array(N),
  lineStart: Int32Array.from({ length: N }, (_, i) => i + 1),
  year: new Int32Array(N).fill(2020),
  addressee: Array.from({ length: N }, () => null),
  addresseeType: Array.from({ length: N }, () => 'none'),
  text: Array.from({ length: N }, (_, i) => `предложение номер ${i}`),
} as unknown as Corpus;

const match = (i: number, kind: CheckMatch['kind']): CheckMatch => ({ i, kind, similarity: kind === 'related' ? 0.65 : 0.9 });

function item(o: { repeats: number; related: number; nearListed?: number; relatedListed?: number }): CheckedItem {
  const near = Array.from({ length: o.nearListed ?? o.repeats }, (_, k) => match(k, 'similar'));
  const rel = Array.from({ length: o.relatedListed ?? o.related }, (_, k) => match(60 + k, 'related'));
  return {
    seq: 1,
    text: 'Пункт проекта',
    proposal: 'пункт проекта',
    addressee: null,
    addresseeType: 'none',
    line: 3,
    verdict: o.repeats ? 'repeated' : o.related ? 'similar' : 'new',
    matches: [...near, ...rel],
    repeats: o.repeats,
    related: o.related,
    first: near[0] ?? null,
    repeatsItem: null,
  };
}

const text = (it: CheckedItem) => {
  const r: CheckResult = { name: 'проект.txt', text: '', items: [it], reason: null, threshold: 0.786, relatedFloor: 0.6, embedder: 'lexical-v1:x', embedRun: 7, thresholdCalibrated: true, compared: 39, excludedDoc: null, counts: { repeated: 1, similar: 0, new: 0 } };
  return formatCheck(r, corpus);
};
const listed = (out: string) => (out.match(/^ {6}0\.\d{3} /gm) ?? []).length;

describe('confrec check text: counts and what is left out', () => {
  it('one near-duplicate and one related proposal: both shown, nothing said to be hidden (was "near-duplicate of 1 … and 1 more")', () => {
    const out = text(item({ repeats: 1, related: 1 }));
    expect(out).toMatch(/почти-дубликат 1 более ранней рекомендации, впервые — в 2020 году:/);
    expect(out).toMatch(/кроме того, близкие по смыслу \(не почти-дубликаты\): 1/);
    expect(listed(out)).toBe(2);
    expect(out).not.toMatch(/и ещё/);
  });

  it('says how many of each kind it leaves out, and whether --json has them all', () => {
    const out = text(item({ repeats: 7, related: 12, relatedListed: 10 }));
    expect(listed(out)).toBe(5 + 3);
    expect(out).toMatch(/почти-дубликат 7 более ранних рекомендаций/);
    expect(out).toMatch(/… и ещё 2\u00a0почти-дубликата \(все — в --json\)/);
    expect(out).toMatch(/близкие по смыслу \(не почти-дубликаты\): 12\n(.*\n){6} {6}… и ещё 9\u00a0близких по смыслу \(в --json — 10 из 12\)/);
  });

  it('a stock phrase with thousands of near-duplicates: the JSON lists the first 50', () => {
    const out = text(item({ repeats: 1234, related: 0, nearListed: 50 }));
    expect(out).toMatch(/почти-дубликат 1\u00a0234 более ранних рекомендаций/);
    expect(out).toMatch(/… и ещё 1\u00a0229\u00a0почти-дубликатов \(в --json — 50 из 1\u00a0234\)/);
  });

  it('a similar item lists its related proposals under their count', () => {
    const out = text(item({ repeats: 0, related: 6 }));
    expect(out).toMatch(/близкие по смыслу более ранние предложения: 6/);
    expect(listed(out)).toBe(5);
    expect(out).toMatch(/… и ещё 1\u00a0близкое по смыслу \(все — в --json\)/);
  });
});

describe('the draft check page: what an item lists and leaves out', () => {
  const page = (it: CheckedItem) => {
    const r: CheckResult = { name: 'проект.txt', text: '', items: [it], reason: null, threshold: 0.786, relatedFloor: 0.6, embedder: 'lexical-v1:x', embedRun: 7, thresholdCalibrated: true, compared: 39, excludedDoc: null, counts: { repeated: 1, similar: 0, new: 0 } };
    return resultBody(corpus, r).html;
  };
  const shown = (html: string) => (html.match(/<li>/g) ?? []).length;
  const more = (html: string) => /<p class="muted small more">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

  it('one near-duplicate and one related: both listed, nothing left out', () => {
    const html = page(item({ repeats: 1, related: 1 }));
    expect(shown(html)).toBe(2);
    expect(more(html)).toBeNull();
  });

  it('counts what it leaves out of each kind with the agreeing noun', () => {
    const html = page(item({ repeats: 12, related: 5 }));
    expect(shown(html)).toBe(10 + 3);
    expect(more(html)).toMatch(/^…и ещё 2 почти-дубликата и 2 близких по смыслу /);
    expect(more(page(item({ repeats: 11, related: 0 })))).toMatch(/^…и ещё 1 почти-дубликат \(/);
    expect(more(page(item({ repeats: 0, related: 14, relatedListed: 10 })))).toMatch(/^…и ещё 4 близких по смыслу \(/);
  });
});

describe('confrec check: provenance of the verdicts', () => {
  it('says which space, embed run and threshold the verdicts used, and why two runs may differ', () => {
    const out = text(item({ repeats: 1, related: 0 }));
    expect(out).toMatch(/Основа вердиктов: пространство lexical-v1:x \(векторы из запуска № 7\), порог почти-дубликата 0\.786 \(откалиброван для этого семейства моделей\), сравнение с 39 рекомендациями базы/);
    expect(out).toMatch(/пограничные пункты могут сменить вердикт/);
  });
});

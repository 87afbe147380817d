/** Pure pieces of the explorer: query-string filters, CSV, HTML escaping, code-point offsets, plurals. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../pipeline/serve/csv.js';
import { emptyFilters, filterParams, href, parseFilters } from '../../pipeline/serve/filters.js';
import { h, prose, raw } from '../../pipeline/serve/html/h.js';
import { plural } from '../../pipeline/serve/html/components.js';
import { HttpProblem } from '../../pipeline/serve/problem.js';
import { readFailureRu } from '../../pipeline/check/messages.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { page } from '../../pipeline/serve/html/layout.js';
import { freshnessNotes } from '../../pipeline/serve/freshness.js';
import type { Snapshot } from '../../pipeline/serve/snapshot.js';
import type { SourceState } from '../../pipeline/serve/source.js';
import type { Corpus } from '../../pipeline/serve/corpus.js';

describe('filters in the query string', () => {
  it('round-trips every filter in a fixed order, so a link reproduces the page', () => {
    const qs = new URLSearchParams('theme=ovz&year_to=2024&level=региональная&theme=giftedness&year_from=2016&bbox=0.5,-0.1,0.1,0.3');
    const f = parseFilters(qs);
    expect(f.theme).toEqual(['ovz', 'giftedness']);
    expect(f.bbox).toEqual([0.1, -0.1, 0.5, 0.3]); // corners normalised
    expect(filterParams(f)).toEqual([
      ['year_from', '2016'],
      ['year_to', '2024'],
      ['level', 'региональная'],
      ['theme', 'ovz'],
      ['theme', 'giftedness'],
      ['bbox', '0.1,-0.1,0.5,0.3'],
    ]);
    expect(parseFilters(new URLSearchParams(filterParams(f)))).toEqual(f);
  });

  it('rejects a malformed year or map selection with a 400', () => {
    expect(() => parseFilters(new URLSearchParams('year_from=20x6'))).toThrow(HttpProblem);
    expect(() => parseFilters(new URLSearchParams('year_to=3000'))).toThrow(/год/);
    expect(() => parseFilters(new URLSearchParams('bbox=1,2,3'))).toThrow(HttpProblem);
    expect(parseFilters(new URLSearchParams(''))).toEqual(emptyFilters());
  });

  it('builds links without empty parameters', () => {
    expect(href('/search', [['q', 'дети'], ['page', null], ['theme', '']])).toBe('/search?q=%D0%B4%D0%B5%D1%82%D0%B8');
    expect(href('/groups', [])).toBe('/groups');
  });
});

describe('CSV', () => {
  it('quotes separators, quotes and line breaks, defuses formulas, starts with a BOM', () => {
    const csv = toCsv([{ a: 'x, "y"', b: 'line\nbreak', c: '=HYPERLINK("evil")', d: -3, e: null, f: ['ovz', 'giftedness'] }]);
    expect(csv.startsWith('\ufeffa,b,c,d,e,f\r\n')).toBe(true);
    expect(csv).toContain('"x, ""y"""');
    expect(csv).toContain('"line\nbreak"');
    expect(csv).toContain(`"'=HYPERLINK(""evil"")"`);
    expect(csv).toContain(',-3,,ovz;giftedness\r\n');
  });
});

describe('HTML', () => {
  it('escapes every interpolated value but markup built by h itself', () => {
    const user = '<script>alert("x")</script>';
    expect(h`<p>${user}</p>`.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
    expect(h`<ul>${['a&b', h`<li>ok</li>`]}</ul>`.html).toBe('<ul>a&amp;b<li>ok</li></ul>');
    expect(h`${raw('<svg/>')}`.html).toBe('<svg/>');
    expect(prose('выполните `confrec run <папка>`').html).toBe('выполните <code>confrec run &lt;папка&gt;</code>');
  });

  it('puts Russian nouns in the right plural form', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 111, 112].map((n) => plural(n, 'раз', 'раза', 'раз ')).join('|')).toBe('раз|раза|раз |раз |раз|раза|раз |раз |раз ');
  });
});

describe('reader failures in Russian', () => {
  it('names the usual reasons and keeps unknown ones', () => {
    expect(readFailureRu(new ConfrecError('not a valid .docx (not a Word document, or damaged)'))).toMatch(/не похож на документ Word/);
    expect(readFailureRu(new ConfrecError('no text layer: OCR needed'))).toMatch(/нет текстового слоя/);
    expect(readFailureRu(new ConfrecError('unsupported file type .xyz; confrec reads .txt'))).toMatch(/формат \.xyz не поддерживается/);
    expect(readFailureRu(new Error('something odd'))).toMatch(/something odd/);
  });
});

describe('counts in the page frame and the data notes agree in number', () => {
  const snapshotOf = (docs: number, n: number) =>
    ({ path: '/tmp/c.duckdb', corpus: { docs: Array.from({ length: docs }, () => ({})), n, embedding: null }, loadedAt: new Date(0), freshness: [] }) as unknown as Snapshot;
  const footer = (docs: number, n: number) => /<footer>([\s\S]*)<\/footer>/.exec(page({ snapshot: snapshotOf(docs, n), state: { pending: 'none' } as SourceState }, { title: 't', nav: 'none' }, h``).html)![1];

  it('says «62 документа, 193 рекомендации», «1 документ, 21 рекомендация», «5 документов, 11 рекомендаций» in the footer', () => {
    expect(footer(62, 193)).toMatch(/62 документа, 193 рекомендации ·/);
    expect(footer(1, 21)).toMatch(/1 документ, 21 рекомендация ·/);
    expect(footer(5, 11)).toMatch(/5 документов, 11 рекомендаций ·/);
    expect(footer(10_000, 74_914)).toMatch(/10\u00a0000 документов, 74\u00a0914 рекомендаций ·/);
  });

  it('counts recommendations without a vector or off the map with the agreeing noun and verb', () => {
    const corpus = (n: number, missing: number) =>
      ({ n, embedding: { id: 'lexical-v1:x' }, vecRow: Int32Array.from({ length: n }, (_, i) => (i < missing ? -1 : i)), x: Float32Array.from({ length: n }, (_, i) => (i < missing ? NaN : 0)), runs: new Map([['map', {}]]) }) as unknown as Corpus;
    const say = (missing: number) => freshnessNotes(corpus(30, missing), null, []).map((m) => m.message);
    expect(say(1)).toEqual(['1\u00a0рекомендация без вектора находится только по словам.', '1\u00a0рекомендация ещё не на карте.']);
    expect(say(22)).toEqual(['22\u00a0рекомендации без векторов находятся только по словам.', '22\u00a0рекомендации ещё не на карте.']);
    expect(say(11)[0]).toBe('11\u00a0рекомендаций без векторов находятся только по словам.');
  });
});

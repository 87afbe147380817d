/** Pure pieces of the explorer: query-string filters, CSV, HTML escaping, code-point offsets, plurals. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../pipeline/serve/csv.js';
import { emptyFilters, filterParams, href, parseFilters } from '../../pipeline/serve/filters.js';
import { h, prose, raw } from '../../pipeline/serve/html/h.js';
import { plural } from '../../pipeline/serve/html/components.js';
import { HttpProblem } from '../../pipeline/serve/problem.js';
import { readFailureRu } from '../../pipeline/check/messages.js';
import { ConfrecError } from '../../pipeline/errors.js';

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

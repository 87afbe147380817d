import { beforeAll, describe, expect, it } from 'vitest';
import { loadMorph, type Morph } from '../../pipeline/text/morph.js';
import { expandQuery, SEARCH_ABBREVIATIONS } from '../../pipeline/serve/query-expansion.js';
import { BUILTIN_ABBREVIATIONS } from '../../pipeline/addressees/abbreviations.js';

let morph: Morph;
beforeAll(async () => {
  morph = await loadMorph();
});

describe('search query abbreviations', () => {
  it('spells an abbreviation out, in any letter case', () => {
    expect(expandQuery('дети с ОВЗ', morph).variants).toEqual(['дети с ОВЗ', 'дети с ограниченные возможности здоровья']);
    expect(expandQuery('дети с овз', morph).used).toEqual([{ from: 'овз', to: 'ограниченные возможности здоровья' }]);
  });

  it('abbreviates a spelt-out name in any case form', () => {
    const e = expandQuery('с ограниченными возможностями здоровья', morph);
    expect(e.variants).toContain('с ОВЗ');
    expect(e.used).toEqual([{ from: 'ограниченными возможностями здоровья', to: 'ОВЗ' }]);
    expect(expandQuery('дошкольных образовательных учреждений', morph).variants).toContain('ДОУ');
  });

  it('leaves a query without abbreviations alone, and short words that only look like one', () => {
    expect(expandQuery('наставничество молодых педагогов', morph)).toEqual({ variants: ['наставничество молодых педагогов'], used: [] });
    expect(expandQuery('оу', morph).used).toEqual([]);
  });

  it('takes the organisations from the addressee stage list, not a second copy', () => {
    const dou = BUILTIN_ABBREVIATIONS.find((r) => r.id === 'dou')!;
    expect(SEARCH_ABBREVIATIONS.find((a) => a.abbr === 'ДОУ')!.expansion).toBe(dou.expansion);
  });
});

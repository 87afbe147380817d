import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMorph, type Morph } from '../../pipeline/text/morph.js';
import { proposalOf, proposalStart } from '../../pipeline/segment/proposal.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { containedPairs, contentLemmas, isContained, toLemmaSets } from '../../pipeline/similar/containment/containment.js';
import { loadThesaurus, parseThesaurus } from '../../pipeline/similar/containment/thesaurus.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { config } from '../../pipeline/config.js';

let morph: Morph;
beforeAll(async () => {
  morph = await loadMorph();
});

describe('proposal: the recommendation without its addressing frame', () => {
  it.each([
    ['Участники форума рекомендуют классным руководителям проводить мониторинг поддержки семей', 'проводить мониторинг поддержки семей'],
    ['Рекомендовать ОГБУ ДПО «Институт развития образования Рязанской области» обеспечить функционирование неформальных форм', 'обеспечить функционирование неформальных форм'],
    ['Рекомендовать центрам психолого-педагогической, медицинской и социальной помощи совместно с муниципальными органами управления образованием содействовать развитию методических объединений', 'совместно с муниципальными органами управления образованием содействовать развитию методических объединений'],
    ['Министерству просвещения рекомендовать разработать порядок', 'разработать порядок'],
    ['Органам местного самоуправления активно развивать сеть', 'активно развивать сеть'],
    ['Считать необходимым обеспечить развитие сети', 'обеспечить развитие сети'],
    ['Рекомендовать ежегодно проводить конкурс', 'ежегодно проводить конкурс'],
    ['Конференция рекомендует продолжить работу', 'продолжить работу'],
  ])('%s', (text, proposal) => {
    expect(proposalOf(text, morph)).toBe(proposal);
  });

  it.each([
    'обеспечить доступность образования для детей с ОВЗ',
    'Предложить кандидатуры в состав совета',
    'ежегодно проводить конкурс «Педагог года»',
    'Рекомендовали ранее расширить сеть',
  ])('keeps a recommendation without a frame whole: %s', (text) => {
    expect(proposalStart(text, morph)).toBe(0);
  });

  it('on the sample corpus every proposal is a non-empty tail of its recommendation', () => {
    const dir = join(__dirname, '..', '..', 'data', 'resolutions');
    let framed = 0;
    let total = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      for (const r of segmentResolution(readFileSync(join(dir, f), 'utf8'), morph).recommendations) {
        total++;
        expect(r.proposal.length).toBeGreaterThan(0);
        expect(r.text.endsWith(r.proposal)).toBe(true);
        if (r.proposal !== r.text) {
          framed++;
          // The frame named the addressee: the proposal does not start with it.
          expect(r.text.slice(0, r.text.length - r.proposal.length)).toMatch(/рекоменд|^\p{Lu}\p{Ll}+(ам|ям|ым|им)\s/iu);
        }
      }
    }
    expect(total).toBeGreaterThan(30);
    expect(framed).toBeGreaterThanOrEqual(1);
  });
});

describe('containment: the same proposal with a clause added', () => {
  it('content lemmas drop stop words and numbers and fold synonyms, single words and phrases', () => {
    const t = parseThesaurus(JSON.stringify({ groups: [['развивать', 'совершенствовать'], ['молодёжь', 'молодое поколение']] }), morph);
    expect(contentLemmas('развивать службу консультирования семей в 2025 году', morph)).toEqual(['год', 'консультирование', 'развивать', 'семья', 'служба']);
    expect(contentLemmas('совершенствовать службу консультирования семей', morph, t)).toEqual(contentLemmas('развивать службы консультирования семьи', morph, t));
    expect(contentLemmas('поддерживать одарённое молодое поколение', morph, t)).toEqual(contentLemmas('поддерживать одарённую молодёжь', morph, t));
  });

  it('finds a clause added and a coordinated object dropped, not a different action', () => {
    const texts = [
      'проводить мониторинг сетевого взаимодействия образовательных организаций',
      'проводить мониторинг сетевого взаимодействия образовательных организаций на территории Иркутской области',
      'поддерживать профильные смены для одарённых детей с целью выстраивания системы «социальных лифтов»',
      'поддерживать профильные смены для одарённых детей',
      'отменить мониторинг сетевого взаимодействия образовательных организаций',
      'развивать наставничество',
      'развивать наставничество в педагогических коллективах',
    ];
    const lemmas = texts.map((t) => contentLemmas(t, morph));
    const found = containedPairs(toLemmaSets(lemmas));
    const pairs = [...found.shorter].map((s, k) => [s, found.longer[k]].join('⊂')).sort();
    // "развивать наставничество" has two content lemmas: too little to be contained in anything.
    expect(pairs).toEqual(['0⊂1', '3⊂2']);
  });

  /** Random lemma sets over a small vocabulary (so that sets contain each other often), and containedPairs of them. */
  const onRandomSets = (
    shape: { vocabulary: number; setSize: number; sets: number; runs: number; seed: number },
    check: (lemmas: string[][], found: ReturnType<typeof containedPairs>) => void,
  ) => {
    const sets = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: shape.vocabulary - 1 }), { maxLength: shape.setSize }), { maxLength: shape.sets });
    fc.assert(
      fc.property(sets, (raw) => {
        const lemmas = raw.map((s) => s.map((x) => `l${x}`).sort());
        check(lemmas, containedPairs(toLemmaSets(lemmas)));
      }),
      { numRuns: shape.runs, seed: shape.seed },
    );
  };

  it('the indexed search finds exactly the pairs of the definition (random sets, small vocabularies)', () => {
    onRandomSets({ vocabulary: 12, setSize: 8, sets: 60, runs: 300, seed: 42 }, (lemmas, found) => {
      const got = new Set([...found.shorter].map((s, k) => `${Math.min(s, found.longer[k])},${Math.max(s, found.longer[k])}`));
      const want = new Set<string>();
      for (let i = 0; i < lemmas.length; i++) for (let j = i + 1; j < lemmas.length; j++) if (isContained(lemmas[i], lemmas[j])) want.add(`${i},${j}`);
      expect(got).toEqual(want);
      expect(got.size).toBe(found.shorter.length);
    });
  });

  it('pairs come out by shorter set, then larger sets first (ties by index), whatever index gives the candidates', () => {
    onRandomSets({ vocabulary: 10, setSize: 7, sets: 50, runs: 200, seed: 7 }, (lemmas, found) => {
      const got = [...found.shorter].map((s, k) => [s, found.longer[k]]);
      const sorted = [...got].sort(([a, b], [c, d]) => a - c || lemmas[d].length - lemmas[b].length || b - d);
      expect(got).toEqual(sorted);
    });
  });

  it('copies of a few templates (many sets asking for one lemma pair: the per-list index) give the pairs of the definition, in order', () => {
    const shape = fc.record({
      templates: fc.array(fc.uniqueArray(fc.integer({ min: 10, max: 99 }), { minLength: 3, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
      // Added lemmas from a small common pool: a template's own lemmas are the rarest of its copies.
      sets: fc.array(fc.tuple(fc.nat(), fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), fc.boolean()), { minLength: 20, maxLength: 150 }),
    });
    fc.assert(
      fc.property(shape, ({ templates, sets }) => {
        // A set is a template with a few lemmas added (or, sometimes, one of its lemmas dropped).
        const lemmas = sets.map(([t, extra, drop]) => {
          const base = templates[t % templates.length];
          return [...new Set([...(drop ? base.slice(1) : base), ...extra])].map((x) => `l${x}`).sort();
        });
        const found = containedPairs(toLemmaSets(lemmas));
        const got = [...found.shorter].map((s, k) => [s, found.longer[k]]);
        const want: number[][] = [];
        for (let i = 0; i < lemmas.length; i++) {
          for (let j = 0; j < lemmas.length; j++) {
            if (i === j || lemmas[j].length < lemmas[i].length || (lemmas[j].length === lemmas[i].length && j < i)) continue;
            if (lemmas[i].length >= 3 && isContained(lemmas[i], lemmas[j])) want.push([i, j]);
          }
        }
        want.sort(([a, b], [c, d]) => a - c || lemmas[d].length - lemmas[b].length || b - d);
        expect(got).toEqual(want);
      }),
      { numRuns: 150, seed: 16 },
    );
  });

  it('the shipped synonym groups load, and broken files get a clear error', () => {
    const t = loadThesaurus(config.synonymsFile, morph);
    expect(t.canonical.get(morph.lemma('учащихся'))).toBe(morph.lemma('обучающийся'));
    expect(t.phrases.length).toBeGreaterThan(0);
    expect(() => parseThesaurus('{"groups": [["школьник"]]}', morph)).toThrow(ConfrecError);
    expect(() => parseThesaurus('{"groups": [["школьник", "ученик"], ["ученик", "студент"]]}', morph)).toThrow(/two groups/);
    expect(() => parseThesaurus('not json', morph)).toThrow(/invalid synonym groups/);
    expect(() => loadThesaurus('/nonexistent/synonyms.json', morph)).toThrow(/not found/);
  });
});

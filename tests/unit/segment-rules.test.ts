/** Rules as named units, --explain, corrections, and the lenient scorer. */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { allRules, ruleById } from '../../pipeline/segment/rules/index.js';
import { formatExplain, formatRules } from '../../pipeline/segment/explain.js';
import { parseCorrections, segmentWithCorrections } from '../../pipeline/segment/corrections.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { lenientScore, scoreDocument, summarise, type GoldFile } from '../../pipeline/eval/score.js';
import { testMorph } from '../helpers/morph.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const DOC = normaliseText(
  'РЕЗОЛЮЦИЯ\nсеминара\n\nЦели семинара:\n- обсудить модели наставничества.\n\nУчастники рекомендуют:\nОбразовательным организациям:\n- закрепить наставников за молодыми учителями;\n- провести конкурс наставников;\n- создать клуб молодых педагогов.\nРезолюция принята единогласно.\n',
);

describe('rules registry', () => {
  it('every rule is a named unit with a family, an example and the origin of each threshold', () => {
    const rules = allRules();
    expect(rules.length).toBeGreaterThan(30);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z-]+(?:\.[a-z-]+)*$/);
      expect(r.summary.length, r.id).toBeGreaterThan(20);
      expect(r.example.length, r.id).toBeGreaterThan(3);
      for (const [name, t] of Object.entries(r.thresholds ?? {})) expect(t.origin.length, `${r.id}.${name}`).toBeGreaterThan(20);
    }
    const families = new Set(rules.map((r) => r.family));
    for (const f of ['inline', 'nominal', 'appeals', 'protocol', 'nested', 'run-on', 'news', 'traps', 'colons', 'capitals', 'tables', 'long']) expect(families).toContain(f);
  });

  it('every decision in a trace names a registered rule', () => {
    const s = segmentResolution(DOC, morph);
    for (const t of s.trace) expect(ruleById(t.rule), t.rule).toBeDefined();
    for (const r of s.recommendations) expect(ruleById(r.rule), r.rule).toBeDefined();
  });

  it('the rules listing shows thresholds with their origin', () => {
    expect(formatRules()).toMatch(/item\.infinitive-list {2}\[headings\] → item[\s\S]*share = 0\.6: /);
  });
});

describe('segment --explain', () => {
  it('prints every line with its role and the rule that decided', () => {
    const out = formatExplain(DOC, segmentResolution(DOC, morph), 'doc.txt').split('\n');
    const line = (n: number) => out[n];
    expect(out[0]).toBe('doc.txt');
    expect(line(4)).toMatch(/^ 4 {2}trap: goals +trap\.heading +Цели семинара:/);
    expect(line(5)).toMatch(/trap: goals/);
    expect(line(7)).toMatch(/lead-in +heading\.trigger +Участники рекомендуют:/);
    expect(line(8)).toMatch(/addressee +heading\.addressee-dative .*→ Образовательные организации$/);
    expect(line(9)).toMatch(/item #1 +item\.operative/);
    expect(line(12)).toMatch(/closing +closing\.end-line/);
    expect(out.join('\n')).toMatch(/verdict: ok; source: resolution; 3 recommendation\(s\)/);
  });
});

describe('corrections sidecar', () => {
  const cf = (json: unknown) => parseCorrections(JSON.stringify(json, null, 2), 'doc.segments.json');

  it('drops, splits, merges, re-addresses and adds items, marking what it changed', () => {
    const s = segmentWithCorrections(
      DOC,
      morph,
      cf({
        drop: ['провести конкурс'],
        merge: [[{ line: 9 }, 'создать клуб']],
        addressee: [{ item: 'закрепить наставников', addressee: 'Директора школ' }],
        add: [{ text: 'обсудить модели наставничества', addressee: null }],
      }),
    );
    expect(s.recommendations.map((r) => [r.text, r.corrected])).toEqual([
      ['обсудить модели наставничества', true],
      ['закрепить наставников за молодыми учителями; - провести конкурс наставников; - создать клуб молодых педагогов', true],
    ]);
    expect(s.recommendations[1].addressee).toBe('Директора школ');
    expect(s.verdict).toBe('ok');
  });

  it('sets where the operative part starts, so a document with none found gets its items', () => {
    const text = normaliseText('Итоги обсуждения\n\nЧто дальше\n- открытие медиацентров;\n- развитие школьных театров.\n');
    expect(segmentResolution(text, morph).recommendations).toHaveLength(0);
    const s = segmentWithCorrections(text, morph, cf({ operative: { start: { line: 3 } } }));
    expect(s.recommendations.map((r) => [r.text, r.corrected])).toEqual([
      ['открытие медиацентров', true],
      ['развитие школьных театров', true],
    ]);
  });

  it('splits an item at quoted texts', () => {
    const s = segmentWithCorrections(DOC, morph, cf({ split: [{ item: 'закрепить', at: ['за молодыми'] }] }));
    expect(s.recommendations.slice(0, 2).map((r) => r.text)).toEqual(['закрепить наставников', 'за молодыми учителями']);
  });

  it('an invalid correction is an error naming the file, the line and the field', () => {
    const bad = '{\n  "drop": [\n    "провести конкурс",\n    42\n  ]\n}';
    expect(() => parseCorrections(bad, 'x.segments.json')).toThrow(ConfrecError);
    expect(() => parseCorrections(bad, 'x.segments.json')).toThrow(/line 4, "drop\[1\]": expected a quoted text/);
    expect(() => parseCorrections('{"drp": []}', 'x.segments.json')).toThrow(/line 1, "drp": unknown field/);
    expect(() => parseCorrections('{\n"drop": [\n', 'x.segments.json')).toThrow(/line \d+: malformed JSON/);
    const stale = parseCorrections('{\n  "drop": ["нет такого пункта"]\n}', 'x.segments.json');
    try {
      segmentWithCorrections(DOC, morph, stale);
      expect.unreachable();
    } catch (err) {
      expect((err as ConfrecError).file).toBe('x.segments.json');
      expect((err as ConfrecError).message).toMatch(/^line 2, "drop\[0\]": no recommendation contains "нет такого пункта"/);
    }
  });
});

describe('eval: strict and lenient matching', () => {
  const gold: GoldFile = {
    file: 'a.txt',
    conference: { title: null, kind: null, level: null, date_start: null, date_end: null, year: null, city: null, region: null, participants: null, format: null, organizer: null },
    recommendations: [
      { addressee: 'Школы', addressee_raw: 'Школам:', text: 'Рекомендовать школам провести акцию «Бессмертный полк» в мае', verb: 'провести', themes: [], form: 'infinitive' },
      { addressee: null, addressee_raw: null, text: 'создать клуб молодых педагогов;', verb: 'создать', themes: [] },
      { addressee: null, addressee_raw: null, text: 'открыть медиацентр', verb: 'открыть', themes: [] },
    ],
    not_recommendations: ['Цели семинара'],
  };

  it('counts exact texts as strict matches and containment or token-F1 ≥ 0.8 as lenient ones, one-to-one', () => {
    const d = scoreDocument(gold, null, [
      { text: 'провести акцию «Бессмертный полк» в мае', addressee: 'Школы', verb: 'провести', form: 'infinitive' },
      { text: 'создать клуб молодых педагогов', addressee: null, verb: 'создать' },
      { text: 'открыть', addressee: null, verb: 'открыть' },
    ]);
    expect([d.tp, d.fp, d.fn]).toEqual([1, 2, 2]);
    expect([d.lenientTp, d.lenientFp, d.lenientFn]).toEqual([2, 1, 1]);
    expect(d.form).toEqual({ ok: 1, n: 1 });
    const s = summarise([d]);
    expect(s.f1).toBeCloseTo(1 / 3, 5);
    expect(s.lenientF1).toBeCloseTo(2 / 3, 5);
  });

  it('lenient score: a fragment of fewer than three words matches nothing', () => {
    expect(lenientScore('открыть медиацентр в каждой школе района', 'открыть')).toBe(0);
    expect(lenientScore('открыть медиацентр в каждой школе района', 'открыть медиацентр в каждой школе')).toBe(1);
  });
});

describe('why a document gave nothing, in Russian', () => {
  it('translates the segmenter’s two reasons and keeps any other text as it is', async () => {
    const { segmentReasonRu } = await import('../../pipeline/segment/segment.js');
    const { loadMorph } = await import('../../pipeline/text/morph.js');
    const none = segmentResolution('Новости образования.\n\nВчера в городе прошёл семинар для учителей, его посетили сорок человек.', await loadMorph());
    expect(none.recommendations).toHaveLength(0);
    expect(none.reason).toBeTruthy();
    expect(segmentReasonRu(none.reason!)).toMatch(/^не найдена постановляющая часть/);
    expect(segmentReasonRu('reader failed')).toBe('reader failed');
  });
});

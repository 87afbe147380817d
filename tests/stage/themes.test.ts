import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Morph } from '../../pipeline/text/morph.js';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { themesStage } from '../../pipeline/themes/stage.js';
import { evaluate, readGold } from '../../pipeline/eval/command.js';
import { parseThemes } from '../../pipeline/themes/definitions.js';
import { compileTerms, lemmatise, matchedTerms } from '../../pipeline/themes/evidence.js';
import { contextsFor, findDefinedTerms } from '../../pipeline/themes/defined-terms.js';
import { calibrate, themeF1 } from '../../pipeline/themes/score.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { testMorph } from '../helpers/morph.js';
import { GOLD_DIR, SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const THEMES = parseThemes(readFileSync(join(__dirname, '..', '..', 'data', 'themes.json'), 'utf8'), 'data/themes.json');
const theme = (id: string) => THEMES.find((t) => t.id === id)!;

describe('theme terms match lemmas in any word form', () => {
  it.each([
    ['ovz', 'обеспечить обучение детей с ограниченными возможностями здоровья', ['ограниченный возможность здоровье']],
    ['ovz', 'развивать инклюзивную среду для обучающихся с особыми образовательными потребностями', ['инклюзивный', 'особый образовательный потребность']],
    ['giftedness', 'поддержать одарённых школьников и победителей олимпиад', ['одаренный', 'олимпиада']],
    ['parental_competence', 'организовать консультирование родителей (законных представителей)', ['родитель', 'законный представитель']],
    ['upbringing', 'реализовывать программы патриотического воспитания', ['воспитание', 'патриотический']],
  ])('%s: %s', (id, text, expected) => {
    const found = matchedTerms(lemmatise(text, morph), compileTerms(theme(id), morph)).map((t) => t.phrase);
    expect(found.sort()).toEqual([...expected].sort());
  });

  it('does not read pupils (воспитанники) or "воспитывающих" as upbringing', () => {
    const c = compileTerms(theme('upbringing'), morph);
    expect(matchedTerms(lemmatise('организация деятельности воспитанников с ОВЗ', morph), c)).toEqual([]);
    expect(matchedTerms(lemmatise('поддержка семей, воспитывающих детей', morph), c)).toEqual([]);
  });
});

describe('defined terms carry their definition to recommendations', () => {
  it('finds "(далее соответственно – Мероприятие, Услуги)" and the sentence behind it', () => {
    const text = normaliseText(readFileSync(join(SAMPLE_DIR, 'resolution-02.txt'), 'utf8'));
    const terms = findDefinedTerms(text);
    expect(terms.map((t) => t.term)).toEqual(expect.arrayContaining(['Конференция', 'Мероприятие', 'Услуги']));
    expect(terms.find((t) => t.term === 'Услуги')!.context).toMatch(/помощи родителям \(законным представителям\)/);
    expect(contextsFor('обеспечить новые форматы оказания Услуг', terms)).toHaveLength(1);
    expect(contextsFor('обеспечить развитие социального партнерства', terms)).toHaveLength(0);
  });
});

describe('theme definitions are validated', () => {
  it.each([
    ['{', /not JSON/],
    ['{"themes": []}', /non-empty array/],
    ['{"themes": [{"id": "Bad Id", "label_ru": "x", "terms": {"a": 1}}]}', /snake_case/],
    ['{"themes": [{"id": "a", "label_ru": "x", "terms": {"a": "heavy"}}]}', /terms/],
    ['{"themes": [{"id": "a", "label_ru": "x"}]}', /give seeds or terms/],
  ])('%s', (json, message) => {
    expect(() => parseThemes(json, 'themes.json')).toThrow(ConfrecError);
    expect(() => parseThemes(json, 'themes.json')).toThrow(message);
  });
});

describe('calibration', () => {
  it('puts the threshold in the middle of the widest interval that reaches the best F1', () => {
    const items = [0.9, 0.8, 0.7, 0.2, 0.1].map((lexical, i) => ({
      evidence: { a: { lexical, similarity: lexical } },
      gold: new Set(i < 3 ? ['a'] : []),
    }));
    const r = calibrate(items, ['a']);
    expect(r.f1.micro).toBe(1);
    expect(r.model.threshold).toBeCloseTo(0.45, 5);
    expect(themeF1(items, ['a'], { ...r.model, threshold: 0.75 }).micro).toBeLessThan(1);
  });
});

describe('themes stage on the sample corpus (lexical embedder)', () => {
  let store: Store;
  const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } };
  beforeAll(async () => {
    store = await Store.open(join(tempDir(), 'themes.duckdb'));
    await ingestFolder(store, SAMPLE_DIR, ctx);
    await segmentStage.run(store, ctx);
    await embedStage.run(store, ctx);
  });
  afterAll(() => store.close());

  it('reaches theme micro-F1 ≥ 0.90 and F1 ≥ 0.85 for each theme on the gold', async () => {
    const summary1 = await themesStage.run(store, ctx);
    expect(summary1.counts.recommendations).toBe(39);
    const s = await evaluate(store, await readGold(GOLD_DIR));
    expect(s.themeMicroF1).toBeGreaterThanOrEqual(0.9);
    for (const f1 of Object.values(s.themeF1!)) expect(f1).toBeGreaterThanOrEqual(0.85);
  });

  it('uses embedding similarity to the seeds, computed in DuckDB', async () => {
    const r = await store.one<{ n: number; avg_in: number; avg_out: number }>(
      `SELECT count(similarity) AS n,
              avg(similarity) FILTER (WHERE (rec_id, theme_id) IN (SELECT (rec_id, theme_id) FROM rec_themes)) AS avg_in,
              avg(similarity) FILTER (WHERE (rec_id, theme_id) NOT IN (SELECT (rec_id, theme_id) FROM rec_themes)) AS avg_out
       FROM rec_theme_scores`,
    );
    expect(r!.n).toBe(39 * 4);
    expect(r!.avg_in).toBeGreaterThan(r!.avg_out);
  });

  it('a theme added to the definitions file needs no code', async () => {
    const file = join(tempDir(), 'themes.json');
    const data = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'themes.json'), 'utf8'));
    data.themes.push({ id: 'publication', label_ru: 'Публикации', seeds: ['публикация опыта'], terms: { 'опубликовать': 1, 'публикация': 1, 'статья': 1 } });
    writeFileSync(file, JSON.stringify(data));
    await themesStage.run(store, { ...ctx, options: { ...ctx.options, themes: file } });
    const texts = await store.all<{ text: string }>(
      `SELECT r.text FROM rec_themes t JOIN recommendations r USING (rec_id) WHERE t.theme_id = 'publication' ORDER BY r.text`,
    );
    expect(texts.map((t) => t.text)).toEqual([
      'Рекомендовать выступившим на конференции руководителям и педагогам подготовить статьи для публикации в виртуальном сборнике',
      'опубликовать лучшие практики психолого-педагогического сопровождения на информационных ресурсах АОУ ВО ДПО «ВИРО»',
    ]);
    await themesStage.run(store, ctx);
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { Store } from '../pipeline/store/db.js';
import { ingestFolder } from '../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline/pipeline.js';
import { reportStage } from '../pipeline/report/stage.js';
import { citedIds, loadCitedRecs, loadReportData, type YearThemeRow, type GroupThemeRow, type Theme } from '../pipeline/report/data.js';
import { renderReport, SECTION_IDS } from '../pipeline/report/render.js';
import { requireChromium } from '../pipeline/report/pdf.js';
import { shortThemeLabel, wrapLabel } from '../pipeline/report/labels.js';
import { verbClassOf } from '../pipeline/report/verb-classes.js';
import {
  WORDS,
  changeVerb,
  classifyChange,
  count,
  formatPercent,
  formatPoints,
  plural,
  sentence,
  strongestLift,
  themeTrends,
  trendSentence,
  yearSpan,
  type Change,
} from '../pipeline/report/takeaways.js';
import { ConfrecError } from '../pipeline/errors.js';
import { silentLogger } from '../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from './helpers/tmp.js';

const NB = '\u00a0';

describe('report takeaways: Russian number agreement', () => {
  it.each([
    [0, 'конференций'],
    [1, 'конференция'],
    [2, 'конференции'],
    [4, 'конференции'],
    [5, 'конференций'],
    [11, 'конференций'],
    [12, 'конференций'],
    [14, 'конференций'],
    [21, 'конференция'],
    [22, 'конференции'],
    [25, 'конференций'],
    [101, 'конференция'],
    [111, 'конференций'],
    [1002, 'конференции'],
  ])('%i → %s', (n, word) => {
    expect(plural(n, WORDS.conference)).toBe(word);
  });

  it.each([
    [1, WORDS.conferenceIn, `1${NB}конференции`],
    [3, WORDS.conferenceIn, `3${NB}конференциях`],
    [1, WORDS.recommendationAcc, `1${NB}рекомендацию`],
    [5, WORDS.year, `5${NB}лет`],
    [3, WORDS.year, `3${NB}года`],
    [7302, WORDS.recommendation, `7${NB}302${NB}рекомендации`],
    [74295, WORDS.recommendation, `74${NB}295${NB}рекомендаций`],
  ] as const)('count(%i) in the right case', (n, forms, text) => {
    expect(count(n, forms)).toBe(text);
  });

  it.each([
    [0.256, `26${NB}%`],
    [0.0912, `9,1${NB}%`],
    [0.05, `5${NB}%`],
    [0, `0${NB}%`],
    [1, `100${NB}%`],
  ])('percent %f → %s', (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it('year spans and full stops', () => {
    expect(yearSpan(2015, 2017)).toBe(`2015–2017${NB}гг.`);
    expect(yearSpan(2017, 2017)).toBe(`2017${NB}г.`);
    expect(yearSpan(null, null)).toBe('');
    expect(sentence(`до 2017${NB}гг.`)).toBe(`до 2017${NB}гг.`);
    expect(sentence('выросла')).toBe('выросла.');
    expect(formatPoints(0.09)).toBe(`+9${NB}п.${NB}п.`);
    expect(formatPoints(-0.083)).toBe(`−8,3${NB}п.${NB}п.`);
  });
});

describe('report takeaways: growth and decline wording', () => {
  it.each<[number, number, Change, string]>([
    [0.1, 0.3, 'strong_up', 'заметно выросла'],
    [0.2, 0.25, 'up', 'выросла'],
    [0.2, 0.21, 'stable', 'почти не изменилась'],
    [0.21, 0.195, 'stable', 'почти не изменилась'],
    [0.21, 0.13, 'down', 'снизилась'],
    [0.3, 0.1, 'strong_down', 'заметно снизилась'],
    [0, 0.05, 'strong_up', 'заметно выросла'],
  ])('%f → %f is %s', (from, to, change, verb) => {
    expect(classifyChange(from, to)).toBe(change);
    expect(changeVerb(change)).toBe(verb);
  });

  const rows = (spec: [number, number, number, number][]): YearThemeRow[] =>
    spec.map(([year, docs, recs, n]) => ({ year, docs, recs, theme_id: 'upbringing', n }));

  it('compares the earliest and latest reliable years, pooled, and says so in one sentence', () => {
    const trends = themeTrends(
      rows([
        [2014, 1, 10, 9], // too few conferences: ignored although its share is extreme
        [2015, 5, 100, 10],
        [2016, 5, 100, 10],
        [2017, 5, 100, 10],
        [2023, 5, 100, 30],
        [2024, 5, 100, 30],
        [2025, 5, 100, 30],
      ]),
    );
    expect(trends).toHaveLength(1);
    const t = trends[0];
    expect(t).toMatchObject({ from: 0.1, to: 0.3, early: [2015, 2017], late: [2023, 2025], change: 'strong_up' });
    expect(trendSentence('Воспитание', t)).toBe(
      `Доля темы «Воспитание» заметно выросла с 10${NB}% (2015–2017${NB}гг.) до 30${NB}% (2023–2025${NB}гг.), +20${NB}п.${NB}п.`,
    );
  });

  it('states a decline and a non-change', () => {
    const down = themeTrends(rows([[2019, 4, 50, 12], [2020, 4, 50, 8]]))[0];
    expect(trendSentence('Дети с ОВЗ', down)).toBe(`Доля темы «Дети с ОВЗ» снизилась с 24${NB}% (2019${NB}г.) до 16${NB}% (2020${NB}г.), −8${NB}п.${NB}п.`);
    const flat = themeTrends(rows([[2019, 4, 100, 20], [2020, 4, 100, 21]]))[0];
    expect(trendSentence('Воспитание', flat)).toBe(`Доля темы «Воспитание» почти не изменилась: 20${NB}% (2019${NB}г.) и 21${NB}% (2020${NB}г.).`);
  });

  it('claims no trend from fewer than two years with at least three conferences', () => {
    expect(themeTrends(rows([[2017, 1, 7, 1], [2023, 2, 9, 4], [2024, 1, 11, 3]]))).toEqual([]);
  });

  it('finds the addressee most over-represented in a theme, ignoring leftover groups', () => {
    const themes: Theme[] = [{ theme_id: 'ovz', label_ru: 'ОВЗ', n: 20, total: 100, example_rec_id: null }];
    const g = (grp: string, recs: number, n: number): GroupThemeRow => ({ grp, recs, docs: 5, theme_id: 'ovz', n });
    const lift = strongestLift([g('other', 20, 15), g('municipal', 40, 16), g('regional', 40, 4)], themes);
    expect(lift).toMatchObject({ grp: 'municipal', share: 0.4, overall: 0.2, ratio: 2 });
    expect(strongestLift([g('municipal', 5, 4)], themes)).toBeNull();
  });

  it('labels: short theme names for axes, wrapped ticks, verb classes', () => {
    expect(shortThemeLabel('Дети с ОВЗ, инклюзивное и коррекционное образование')).toBe('Дети с ОВЗ');
    expect(shortThemeLabel('Родительская компетентность и поддержка семьи')).toBe('Родительская компетентность');
    expect(wrapLabel('Одарённые и талантливые дети', 15)).toBe('Одарённые и\nталантливые\nдети');
    expect(verbClassOf('продолжить')).toBe('continuation');
    expect(verbClassOf('разработать')).toBe('initiative');
    expect(verbClassOf('внедрять')).toBe('initiative');
    expect(verbClassOf(null)).toBe('other');
  });
});

describe('report stage on the sample corpus', () => {
  let store: Store;
  let out: string;
  let html: string;
  let doc: Document;
  let documentIds: string[];

  beforeAll(async () => {
    const work = tempDir('confrec-report-');
    out = join(work, 'out');
    store = await Store.open(join(work, 'db.duckdb'));
    const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical', out } };
    await ingestFolder(store, SAMPLE_DIR, ctx);
    for (const stage of DOWNSTREAM_STAGES.filter((s) => s.name !== 'report')) await stage.run(store, ctx);
    const summary = await reportStage.run(store, ctx);
    expect(summary.counts).toMatchObject({ documents: 5, recommendations: 39 });
    html = readFileSync(join(out, 'index.html'), 'utf8');
    doc = parseHTML(html).document as unknown as Document;
    documentIds = (await store.all<{ doc_id: string }>('SELECT doc_id FROM documents WHERE is_current')).map((r) => r.doc_id);
  });
  afterAll(() => store.close());

  it('writes one self-contained HTML file and records the run', async () => {
    expect(readdirSync(out)).toEqual(['index.html']);
    expect(doc.documentElement.getAttribute('lang')).toBe('ru');
    expect(doc.querySelectorAll('script, link, img, iframe, object').length).toBe(0);
    expect(await store.scalar(`SELECT count(*) FROM runs WHERE stage = 'report' AND status = 'ok'`)).toBe(1);
  });

  it('has its numbered sections in order, each opening with a computed takeaway', () => {
    const ids = [...doc.querySelectorAll('section')].map((s) => s.id);
    expect(ids.slice(0, SECTION_IDS.length)).toEqual([...SECTION_IDS]);
    SECTION_IDS.forEach((id, i) => {
      const section = doc.getElementById(id)!;
      expect(section.querySelector('h2')!.textContent).toMatch(new RegExp(`^${i + 1}\\. `));
      expect(section.querySelector('p.takeaway')!.textContent!.length).toBeGreaterThan(40);
    });
    const summary = doc.querySelector('#summary .takeaway')!.textContent!;
    expect(summary).toContain(`5${NB}резолюций`);
    expect(summary).toContain(`39 рекомендаций`);
    expect(doc.querySelectorAll('#summary ul.findings li').length).toBeGreaterThanOrEqual(3);
  });

  it('lists every conference once, with an anchor, marking missing metadata', () => {
    const rows = [...doc.querySelectorAll('table.register tbody tr')];
    expect(rows).toHaveLength(documentIds.length);
    expect(rows.map((r) => r.id).sort()).toEqual(documentIds.map((id) => `doc-${id}`).sort());
    expect(doc.querySelector('table.register')!.textContent).toContain('не указано');
  });

  it('links only to anchors inside the page, and every anchor exists', () => {
    for (const el of doc.querySelectorAll('[href], [src]')) {
      const target = el.getAttribute('href') ?? el.getAttribute('src') ?? '';
      expect(target).toMatch(/^#[\w-]+$/);
      expect(doc.getElementById(target.slice(1)), target).not.toBeNull();
    }
    expect(html).not.toMatch(/url\(\s*['"]?https?:/);
  });

  it('gives every cited recommendation an anchor with its source file and line', () => {
    const cited = new Set([...doc.querySelectorAll('a[href^="#rec-"]')].map((a) => a.getAttribute('href')!.slice(5)));
    expect(cited.size).toBeGreaterThan(5);
    for (const id of cited) {
      const anchor = doc.getElementById(`rec-${id}`);
      expect(anchor, id).not.toBeNull();
      expect(anchor!.textContent).toMatch(/resolution-0\d\.txt:\d+/);
    }
    expect(doc.querySelectorAll('#sources .source').length).toBe(cited.size);
  });

  it('draws every chart as an inline SVG with a title', () => {
    const charts = [...doc.querySelectorAll('figure.chart')];
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const fig of charts) {
      const svgs = fig.querySelectorAll('svg');
      expect(svgs.length).toBe(1);
      const title = svgs[0].querySelector('title');
      expect(title?.textContent).toBe(fig.querySelector('figcaption')!.textContent);
      expect(svgs[0].querySelectorAll('rect, path, circle, text').length).toBeGreaterThan(5);
    }
  });

  it('groups addressees by entity, named in Russian', () => {
    const text = doc.getElementById('themes')!.textContent!;
    expect(text).toContain('Образовательные организации');
    expect(text).toContain('Вологодский институт развития образования');
    expect(text).not.toMatch(/\beducational_org\b|kind:/);
    expect(doc.getElementById('addressees')!.textContent).toContain('Муниципальные органы управления образованием');
  });

  it('says «not computed yet» when the near-duplicate stage has not run', async () => {
    const data = await loadReportData(store);
    const cited = await loadCitedRecs(store, citedIds(data));
    const meta = { reportRunId: 1, generatedAt: 'now', codeVersion: 'test', dbPath: 'db', outDir: 'out', themeCalibration: null, calibrationFile: 'cal.json' };
    const page = renderReport({ ...data, duplicates: null }, cited, meta).html;
    const section = parseHTML(page).document.getElementById('duplicates')!.textContent!;
    expect(section).toContain('not computed yet');
    expect(section).toContain('не рассчитан');
  });

  it('explains how to install Chromium when --pdf cannot find it', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(ConfrecError);
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(/apt-get install chromium/);
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { Store } from '../../pipeline/store/db.js';
import { pipelineFreshness } from '../../pipeline/freshness.js';
import { reportStage } from '../../pipeline/report/stage.js';
import { citedIds, LIMITS, loadCitedRecs, loadReportData } from '../../pipeline/report/data.js';
import { renderReport, SECTION_IDS } from '../../pipeline/report/render.js';
import { requireChromium } from '../../pipeline/report/pdf.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { openSampleCopy } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const NB = '\u00a0';

describe('report stage on the sample corpus', () => {
  let store: Store;
  let out: string;
  let html: string;
  let doc: Document;
  let documentIds: string[];

  let counts: { documents: number; recommendations: number };

  beforeAll(async () => {
    out = join(tempDir('confrec-report-'), 'out');
    // The sample database of the global setup: every stage ran but the report.
    store = await openSampleCopy();
    // A file ingest skipped, with the reason as ingest records it (the CLI printed the same line).
    await store.run(
      `INSERT INTO ingest_issues (source_path, source_file, reason, run_id, reported_at)
       VALUES ('/data/empty.txt', 'empty.txt', 'empty file — the file has no content (0 bytes)', NULL, now()::TIMESTAMP)`,
    );
    counts = (await store.one<{ documents: number; recommendations: number }>(
      `SELECT (SELECT count(*) FROM current_documents) AS documents, (SELECT count(*) FROM current_recommendations) AS recommendations`,
    ))!;
    const summary = await reportStage.run(store, { log: silentLogger, quiet: true, options: { out } });
    expect(summary.counts).toMatchObject(counts);
    html = readFileSync(join(out, 'index.html'), 'utf8');
    doc = parseHTML(html).document as unknown as Document;
    documentIds = (await store.all<{ doc_id: string }>('SELECT doc_id FROM current_documents')).map((r) => r.doc_id);
  });
  afterAll(() => store.close());

  it('writes one self-contained HTML file and records the run', async () => {
    expect(readdirSync(out)).toEqual(['index.html']);
    expect(doc.documentElement.getAttribute('lang')).toBe('ru');
    expect(doc.querySelectorAll('script, link, img, iframe, object').length).toBe(0);
    expect(await store.scalar(`SELECT count(*) FROM runs WHERE stage = 'report' AND status = 'ok'`)).toBe(1);
    // The report is what the tables hold now: fresh, as is every stage it reads.
    expect((await pipelineFreshness(store)).every((f) => f.fresh)).toBe(true);
  });

  it('says in Russian why a file was not read', () => {
    const heading = [...doc.querySelectorAll('h3')].find((h) => /Не прочитанные файлы/.test(h.textContent ?? ''));
    expect(heading).toBeDefined();
    const text = heading!.nextElementSibling?.textContent ?? '';
    expect(text).toContain('empty.txt');
    expect(text).toContain('пустой файл (0 байт)');
    expect(text).not.toContain('empty file');
  });

  it('is refused by ingest when it lies in the folder of resolutions (its generator tag), not read back as one', async () => {
    const { htmlReader } = await import('../../pipeline/ingest/readers/html.js');
    const { readLimits } = await import('../../pipeline/ingest/limits.js');
    await expect(htmlReader.read(join(out, 'index.html'), new Uint8Array(Buffer.from(html)), { ocr: 'off', limits: readLimits() })).rejects.toThrow(
      /a report written by confrec, not a resolution/,
    );
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
    expect(summary).toMatch(new RegExp(`\\b${counts.documents}${NB}резолюци`));
    expect(summary).toMatch(new RegExp(`\\b${counts.recommendations} рекомендаци`));
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

  it('a corpus past the register limit lists in the appendix only the conferences the report links to, and says where the rest are', async () => {
    const data = await loadReportData(store);
    const cited = await loadCitedRecs(store, citedIds(data));
    const meta = { reportRunId: 1, generatedAt: 'now', codeVersion: 'test', dbPath: 'db', outDir: 'out', themeCalibration: null, calibrationFile: 'cal.json' };
    // 1,000 more conferences nobody links to, after the real ones (the register is chronological).
    const extra = Array.from({ length: 1000 }, (_, k) => ({ ...data.documents[0], doc_id: `f${String(k).padStart(15, '0')}`, title: `Конференция ${k}`, year: 2030 }));
    const big = { ...data, documents: [...data.documents, ...extra] };
    const saved = { ...LIMITS };
    try {
      Object.assign(LIMITS, { conferencesInline: 3, registerRows: 500 });
      const bigDoc = parseHTML(renderReport(big, cited, meta).html).document;
      const register = bigDoc.getElementById('register')!;
      const rows = [...register.querySelectorAll('table.register tbody tr')].map((r) => r.id);
      // Every link to a conference lands on a row of the page; the register holds those and no other.
      const links = new Set([...bigDoc.querySelectorAll('a[href^="#doc-"]')].map((a) => a.getAttribute('href')!.slice(1)));
      expect(links.size).toBeGreaterThan(0);
      for (const id of links) expect(bigDoc.getElementById(id), id).not.toBeNull();
      expect(new Set(rows)).toEqual(links);
      expect(rows.length).toBeLessThan(big.documents.length / 10);
      const total = big.documents.length;
      expect(register.textContent).toContain(`${Math.floor(total / 1000)}${NB}${String(total % 1000).padStart(3, '0')}`);
      expect(register.textContent).toContain('confrec export documents');
      // Up to the limit the register is whole.
      LIMITS.registerRows = 2000;
      const whole = parseHTML(renderReport(big, cited, meta).html).document.getElementById('register')!;
      expect(whole.querySelectorAll('table.register tbody tr').length).toBe(big.documents.length);
    } finally {
      Object.assign(LIMITS, saved);
    }
  });

  it('explains how to install Chromium when --pdf cannot find it', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(ConfrecError);
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(/apt-get install chromium/);
  });
});

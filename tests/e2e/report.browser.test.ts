import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { reportStage } from '../../pipeline/report/stage.js';
import { CHROMIUM_PATH, launchChromium } from '../../pipeline/report/pdf.js';
import { SECTION_IDS } from '../../pipeline/report/render.js';
import { silentLogger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const haveChromium = existsSync(CHROMIUM_PATH);
// In CI the browser test must run (.ci/run installs chromium); locally it may be skipped, and says why.
const skip = !haveChromium && !process.env.CI;

if (skip) {
  describe('report in headless Chromium', () => {
    it.skip(`skipped: ${CHROMIUM_PATH} not found — install Debian's chromium (apt-get install chromium) to run the browser tests`, () => {});
  });
}

describe.skipIf(skip)('report in headless Chromium', () => {
  let store: Store;
  let out: string;
  let browser: Browser;
  let page: Page;
  let documents: number;
  let pdfPages: number;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const work = tempDir('confrec-report-browser-');
    out = join(work, 'out');
    store = await Store.open(join(work, 'db.duckdb'));
    const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical', out, pdf: true } };
    await ingestFolder(store, SAMPLE_DIR, ctx);
    for (const stage of DOWNSTREAM_STAGES.filter((s) => s.name !== 'report')) await stage.run(store, ctx);
    const summary = await reportStage.run(store, ctx);
    pdfPages = summary.counts.pdf_pages as number;
    documents = await store.scalar<number>('SELECT count(*) FROM documents WHERE is_current');

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('requestfailed', (r) => failedRequests.push(r.url()));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
    store?.close();
  });

  it('loads with no console errors, no failed requests and nothing fetched but the page', () => {
    expect(consoleErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(out, 'index.html')).href]);
  });

  it('draws every chart as a non-empty SVG with its title', async () => {
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((fig) => {
        const svg = fig.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        return {
          caption: fig.querySelector('figcaption')?.textContent ?? '',
          title: svg.querySelector(':scope > title')?.textContent ?? '',
          width: box.width,
          height: box.height,
          marks: svg.querySelectorAll('rect, path, circle, text').length,
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const c of charts) {
      expect(c.title, c.caption).toBe(c.caption);
      expect(c.title.length).toBeGreaterThan(10);
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(100);
      expect(c.marks).toBeGreaterThan(5);
    }
  });

  it('shows one conference-table row per document', async () => {
    expect(await page.locator('table.register tbody tr').count()).toBe(documents);
  });

  it('prints one section per A4 page, charts and rows kept whole', async () => {
    await page.emulateMedia({ media: 'print' });
    const styles = await page.$$eval('section.section', (secs) => secs.map((s) => getComputedStyle(s).breakBefore));
    expect(styles[0]).not.toBe('page');
    expect(styles.slice(1).every((b) => b === 'page')).toBe(true);
    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => getComputedStyle(f).breakInside));
    expect(charts.every((b) => b === 'avoid')).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(existsSync(join(out, 'report.pdf'))).toBe(true);
    expect(pdfPages).toBeGreaterThanOrEqual(SECTION_IDS.length);
  });

  it('saves a full-page screenshot for people to look at', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });
});

import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { ROOT, config } from '../config.js';
import { pathFlag } from '../flags.js';
import { refuseDatabaseTarget } from '../store/outputs.js';
import { crashPoint, type Store } from '../store/db.js';
import { fingerprintParams, type Fingerprint } from '../store/freshness.js';
import { codeVersion, withRun } from '../store/runs.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { CALIBRATION_FILE, embedderFamily, readCalibrations } from '../themes/calibration.js';
import { citedIds, loadCitedRecs, loadReportData, type ReportData } from './data.js';
import { printPdf, requireChromium } from './pdf.js';

export const REPORT_FILE = 'index.html';
export const PDF_FILE = 'report.pdf';

/** Bumped when the report is computed differently, so an older report counts as stale. */
export const REPORT_VERSION = 'report-1';

/** The stages whose tables the report reads. */
const REPORTED = ['segment', 'addressees', 'embed', 'themes', 'clusters', 'similar', 'recurring'] as const;

export interface ReportOptions {
  /** Folder of index.html (default ./reports, or $CONFREC_REPORTS). */
  out: string;
  /** Also print report.pdf through headless Chromium. */
  pdf: boolean;
}

/** The report depends on what the runs it reports wrote (their fingerprints), not on where it is written. */
async function reportFingerprint(store: Store): Promise<Fingerprint> {
  const rows = await store.all<{ stage: string; key: string | null }>(
    `SELECT stage, json_extract_string(params, '$.fingerprint_key') AS key FROM latest_runs WHERE list_contains($1::VARCHAR[], stage) ORDER BY stage`,
    [listValue([...REPORTED])],
  );
  const inputs = Object.fromEntries(REPORTED.map((s) => [s, rows.find((r) => r.stage === s)?.key ?? null]));
  return { inputs, config: { version: REPORT_VERSION } };
}

async function themeCalibration(data: ReportData): Promise<Record<string, unknown> | null> {
  const themes = data.runs.find((r) => r.stage === 'themes');
  const family = typeof themes?.params.family === 'string' ? themes.params.family : embedderFamily((themes?.params.embedder as string) ?? null);
  const entry = (await readCalibrations())[family];
  return entry ? (entry as unknown as Record<string, unknown>) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files a killed writer left behind (`index.html.<pid>.tmp` of a dead pid); a live writer's are kept. */
function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dir)) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Written next to its final name and renamed, so a reader never opens half a report. The rename is
 * this stage's commit (it writes no table), so the crash tests' `report:commit` point sits before it.
 */
function writeAtomically(path: string, text: string): void {
  removeStaleTemps(path);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  crashPoint('report:commit');
  renameSync(tmp, path);
}

let renderer: Promise<typeof import('./render.js')> | undefined;

/**
 * The HTML renderer, loaded on first use: it brings Observable Plot, d3 and linkedom, ≈ 0.7 s of
 * module loading that `confrec run` starts early (`preload`) so that it happens while the main
 * thread waits for DuckDB in the stages before the report, and other commands do not pay at all.
 */
function loadRenderer(): Promise<typeof import('./render.js')> {
  return (renderer ??= import('./render.js'));
}

function localTime(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * The report stage: reads every analysis table (nothing is written but the run record) and writes
 * one self-contained HTML file, `reports/index.html` by default (options.out: another folder), and
 * with options.pdf the same page printed to `report.pdf` by headless Chromium.
 */
export const reportStage: PipelineStage<ReportOptions> = {
  name: 'report',
  after: [...REPORTED],
  refresh: 'confrec report',
  flags: { out: { type: 'string' }, pdf: { type: 'boolean' } },
  parseOptions: (values) => ({ out: pathFlag(values.out) ?? resolve(config.reportsDir), pdf: values.pdf === true }),
  fingerprint: reportFingerprint,
  preload() {
    void loadRenderer().catch(() => {});
  },
  async run(store: Store, ctx: StageContext<ReportOptions>) {
    const o = stageOptions(reportStage, ctx);
    const outDir = resolve(o.out);
    const pdf = o.pdf;
    // Neither the folder nor a file written into it may be the database (or its WAL).
    for (const target of [outDir, join(outDir, REPORT_FILE), join(outDir, PDF_FILE)]) refuseDatabaseTarget(target, store.path);
    // Fail before any work: a missing browser is a setup problem, not something to find out last.
    if (pdf) requireChromium();
    const fingerprint = await reportFingerprint(store);
    return withRun(store, 'report', { out: outDir, pdf, ...fingerprintParams(fingerprint) }, async (runId) => {
      const started = Date.now();
      const { renderReport } = await loadRenderer();
      const data = await loadReportData(store);
      const cited = await loadCitedRecs(store, citedIds(data));
      const queried = Date.now();
      // No SQL until the file is written: DuckDB checkpoints what the run wrote while this thread renders.
      const checkpoint = store.checkpointInBackground();
      const htmlPath = join(outDir, REPORT_FILE);
      let written = queried;
      const { html, sections } = await (async () => {
        try {
          const rendered = renderReport(data, cited, {
            reportRunId: runId,
            generatedAt: localTime(),
            codeVersion: codeVersion(),
            dbPath: store.path,
            outDir,
            themeCalibration: await themeCalibration(data),
            calibrationFile: relative(ROOT, CALIBRATION_FILE),
          });
          mkdirSync(outDir, { recursive: true });
          writeAtomically(htmlPath, rendered.html);
          written = Date.now();
          return rendered;
        } finally {
          // The connection takes its next statement (the run's record) only once the checkpoint is done.
          await checkpoint;
        }
      })();
      const renderMs = Date.now() - started;
      let pages: number | null = null;
      if (pdf) pages = (await printPdf(htmlPath, join(outDir, PDF_FILE))).pages;
      const counts = {
        documents: data.overview.documents,
        recommendations: data.overview.recommendations,
        sections: sections.length,
        cited_recommendations: cited.length,
        near_duplicates: data.duplicates ? 'computed' : 'not computed yet',
        html_bytes: Buffer.byteLength(html),
        render_ms: renderMs,
        // Where render_ms goes: the report's SQL (and loading the renderer), the HTML built and written,
        // and the wait after it for DuckDB's checkpoint of what the run wrote (started before the HTML).
        query_ms: queried - started,
        html_ms: written - queried,
        checkpoint_wait_ms: started + renderMs - written,
        pdf_pages: pages,
      };
      const pdfNote = pdf ? `; PDF: ${pages} A4 page(s) → ${join(outDir, PDF_FILE)}` : '';
      const line =
        `report: ${htmlPath} (${data.overview.documents} document(s), ${data.overview.recommendations} recommendation(s), ` +
        `${sections.length} sections, ${(renderMs / 1000).toFixed(1)} s)${pdfNote}`;
      return { counts, line };
    });
  },
};

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { exportTable } from '../../pipeline/export/export.js';
import { loadCitedRecs, citedIds, loadReportData } from '../../pipeline/report/data.js';
import { renderReport } from '../../pipeline/report/render.js';
import { silentLogger } from '../../pipeline/progress.js';
import { tempDir } from '../helpers/tmp.js';
import { DISTRICT_OWN, augustResolution } from '../helpers/resolutions.js';

/**
 * Five municipal conferences of one district, 2019–2023: one proposal («обеспечить методическое
 * сопровождение педагогов, работающих с детьми с ограниченными возможностями здоровья») is made in
 * four of them, to different addressees; the rest is each conference's own.
 */
const REPEATED = 'обеспечить методическое сопровождение педагогов, работающих с детьми с ограниченными возможностями здоровья';
const OWN: Record<number, string[]> = {
  ...DISTRICT_OWN,
};
const ADDRESSEE: Record<number, string> = { 2019: 'Управлению образования', 2020: 'Общеобразовательным организациям', 2021: 'Районному методическому кабинету', 2022: 'Общеобразовательным организациям', 2023: 'Управлению образования' };

function resolution(year: number): string {
  return augustResolution(year, ADDRESSEE[year], [...(year === 2023 ? [] : [REPEATED]), ...OWN[year]]);
}

describe('recurring stage', () => {
  const dir = tempDir('confrec-recurring-');
  let store: Store;
  beforeAll(async () => {
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    for (const year of [2019, 2020, 2021, 2022, 2023]) writeFileSync(join(docs, `resolution-${year}.txt`), resolution(year));
    store = await Store.open(join(dir, 'db.duckdb'));
    const ctx = { log: silentLogger, quiet: true, options: { aliases: join(dir, 'no-aliases.json') } };
    await ingestFolder(store, docs, ctx);
    for (const stage of DOWNSTREAM_STAGES) if (stage.name !== 'report') await stage.run(store, ctx);
  });
  afterAll(() => store.close());

  it('finds the proposal made in four conferences over four years, with its addressees', async () => {
    const rows = await store.all<{ n_documents: number; n_years: number; first_year: number; last_year: number; per_year: string; addressee_ids: string[] }>(
      `SELECT n_documents, n_years, first_year, last_year, per_year::VARCHAR AS per_year, addressee_ids FROM recurring_proposals`,
    );
    expect(rows).toHaveLength(1);
    expect([rows[0].n_documents, rows[0].n_years, rows[0].first_year, rows[0].last_year]).toEqual([4, 4, 2019, 2022]);
    expect(JSON.parse(rows[0].per_year)).toEqual({ '2019': 1, '2020': 1, '2021': 1, '2022': 1 });
    expect(rows[0].addressee_ids).toContain('kind:schools');
    const members = await store.all<{ text: string }>(`SELECT r.text FROM recurring_members m JOIN recommendations r USING (rec_id)`);
    expect(members.map((m) => m.text.toLowerCase())).toEqual(Array(4).fill(REPEATED));
  });

  it('counts per conference what repeats an earlier one and what is new', async () => {
    const rows = await store.all<{ year: number; n_recommendations: number; n_repeats_earlier: number; n_new: number; n_repeated_later: number }>(
      `SELECT year, n_recommendations, n_repeats_earlier, n_new, n_repeated_later FROM conference_novelty ORDER BY year`,
    );
    expect(rows.map((r) => [r.year, r.n_recommendations, r.n_repeats_earlier, r.n_new, r.n_repeated_later])).toEqual([
      [2019, 3, 0, 3, 1],
      [2020, 3, 1, 2, 1],
      [2021, 3, 1, 2, 1],
      [2022, 3, 1, 2, 0],
      [2023, 2, 0, 2, 0],
    ]);
  });

  it('exports recurring proposals with their formulation, years and addressees', async () => {
    const out = join(dir, 'recurring.jsonl');
    expect(await exportTable(store, 'recurring', 'jsonl', out)).toBe(1);
    const { readFileSync } = await import('node:fs');
    const row = JSON.parse(readFileSync(out, 'utf8').trim());
    expect(row.text.toLowerCase()).toBe(REPEATED);
    expect([row.first_year, row.last_year, row.n_conferences]).toEqual([2019, 2022, 4]);
    expect(row.addressees).toContain('Общеобразовательные организации');
    // Where the shown formulation stands: one of the four conferences, at the line of its first item.
    expect(['resolution-2019.txt', 'resolution-2020.txt', 'resolution-2021.txt', 'resolution-2022.txt']).toContain(row.source_file);
    expect(row.line_start).toBe(11);
    expect(row.conferences).toHaveLength(4);
  });

  it('shows it in the report: a timeline strip, the takeaway and the table', async () => {
    const data = await loadReportData(store);
    const cited = await loadCitedRecs(store, citedIds(data));
    const { html } = renderReport(data, cited, {
      reportRunId: 1, generatedAt: '2026-01-01 00:00', codeVersion: 'test', dbPath: 'db', outDir: 'out', themeCalibration: null, calibrationFile: 'x',
    });
    const { document } = parseHTML(html);
    const section = document.getElementById('proposals')!;
    expect(section.querySelector('h2')!.textContent).toMatch(/Повторяющиеся предложения/);
    expect(section.querySelector('.takeaway')!.textContent).toMatch(/1\u00a0предложение вносится снова и снова/);
    expect(section.querySelector('#chart-recurring-proposals svg title')!.textContent).toBe('Повторяющиеся предложения по годам');
    expect(section.querySelectorAll('#chart-recurring-proposals circle').length).toBe(4);
    expect(section.querySelector('table')!.textContent).toMatch(/2019–2022/);
  });
});

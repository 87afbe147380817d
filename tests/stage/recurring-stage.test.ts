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

  // Last: it changes the documents' dates.
  it('counts novelty as its definition says, with conferences of the same time and undated ones', async () => {
    // 2021 becomes a second 2020 conference with no date, 2022 loses its year: same-time and unordered pairs.
    await store.run(`UPDATE documents SET year = 2020, date_start = NULL WHERE year = 2021`);
    await store.run(`UPDATE documents SET year = NULL, date_start = NULL WHERE year = 2022`);
    const stage = DOWNSTREAM_STAGES.find((s) => s.name === 'recurring')!;
    await stage.run(store, { log: silentLogger, quiet: true, options: { all: true } });
    type Rec = { rec_id: string; doc_id: string; year: number | null; date_start: string | null };
    const recs = await store.all<Rec>(`SELECT r.rec_id, r.doc_id, d.year, d.date_start FROM recommendations r JOIN current_documents d USING (doc_id)`);
    const pairs = await store.all<{ rec_a: string; rec_b: string }>(`SELECT rec_a, rec_b FROM near_duplicates WHERE NOT same_document`);
    expect(pairs.length).toBeGreaterThan(0);
    const of = new Map(recs.map((r) => [r.rec_id, r]));
    // -1: b before a, 1: b after a, 0: same time or no order.
    const order = (a: Rec, b: Rec): number => {
      if (a.year === null || b.year === null) return 0;
      if (b.year !== a.year) return b.year < a.year ? -1 : 1;
      if (a.date_start === null || b.date_start === null || a.date_start === b.date_start) return 0;
      return b.date_start < a.date_start ? -1 : 1;
    };
    const flags = new Map<string, { earlier: boolean; later: boolean; same: boolean }>();
    const flag = (id: string) => flags.get(id) ?? (flags.set(id, { earlier: false, later: false, same: false }), flags.get(id)!);
    for (const p of pairs) {
      const a = of.get(p.rec_a);
      const b = of.get(p.rec_b);
      if (!a || !b) continue;
      const o = order(a, b);
      flag(a.rec_id).earlier ||= o < 0;
      flag(a.rec_id).later ||= o > 0;
      flag(a.rec_id).same ||= o === 0;
      flag(b.rec_id).earlier ||= o > 0;
      flag(b.rec_id).later ||= o < 0;
      flag(b.rec_id).same ||= o === 0;
    }
    const expected = new Map<string, number[]>();
    for (const r of recs) {
      const e = expected.get(r.doc_id) ?? [0, 0, 0, 0];
      const f = flags.get(r.rec_id);
      e[0]++;
      if (f?.earlier) e[1]++;
      if (f?.later) e[2]++;
      if (f?.same && !f.earlier && !f.later) e[3]++;
      expected.set(r.doc_id, e);
    }
    const rows = await store.all<{ doc_id: string; year: number | null; n_recommendations: number; n_repeats_earlier: number | null; n_new: number | null; n_same_time: number; n_repeated_later: number | null }>(
      `SELECT doc_id, year, n_recommendations, n_repeats_earlier, n_new, n_same_time, n_repeated_later FROM conference_novelty ORDER BY doc_id`,
    );
    expect(rows.map((r) => r.doc_id)).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      const [n, earlier, later, same] = expected.get(r.doc_id)!;
      const dated = r.year !== null;
      expect([r.n_recommendations, r.n_repeats_earlier, r.n_new, r.n_same_time, r.n_repeated_later]).toEqual([
        n, dated ? earlier : null, dated ? n - earlier : null, same, dated ? later : null,
      ]);
    }
    // The changed dates are exercised: a same-time pair (two 2020 conferences) and an undated conference.
    expect(rows.some((r) => r.n_same_time > 0)).toBe(true);
    expect(rows.some((r) => r.year === null && r.n_repeats_earlier === null)).toBe(true);
  });
});

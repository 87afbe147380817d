/** The report's methodology lists the documents whose segmentation should be checked, in Russian. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { citedIds, loadCitedRecs, loadReportData } from '../../pipeline/report/data.js';
import { renderReport } from '../../pipeline/report/render.js';
import { silentLogger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

describe('report methodology: documents to review', () => {
  let store: Store;
  beforeAll(async () => {
    const corpus = tempDir('confrec-review-');
    for (const f of ['resolution-01.txt', 'resolution-03.txt']) copyFileSync(join(SAMPLE_DIR, f), join(corpus, f));
    writeFileSync(join(corpus, 'nominal.txt'), 'РЕЗОЛЮЦИЯ семинара\n\nСчитать целесообразным:\n- создание ресурсных центров;\n- развитие школьных театров.\n');
    store = await Store.open(join(tempDir(), 'db.duckdb'));
    const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } };
    await ingestFolder(store, corpus, ctx);
    for (const stage of DOWNSTREAM_STAGES.filter((s) => s.name !== 'report')) await stage.run(store, ctx);
  }, 120_000);
  afterAll(() => store.close());

  it('names each document to review with its reasons in Russian', async () => {
    const data = await loadReportData(store);
    expect(data.exclusions.review.map((r) => [r.source_file, r.reasons])).toEqual([['nominal.txt', ['items without verbs']]]);
    const cited = await loadCitedRecs(store, citedIds(data));
    const meta = { reportRunId: 1, generatedAt: 'now', codeVersion: 'test', dbPath: 'db', outDir: 'out', themeCalibration: null, calibrationFile: 'cal.json' };
    const page = parseHTML(renderReport(data, cited, meta).html).document;
    const text = page.getElementById('methodology')!.textContent!;
    expect(text).toContain('Резолюции, сегментацию которых стоит проверить (1)');
    expect(text).toContain('nominal.txt');
    expect(text).toContain('пункты без глаголов');
    expect(text).not.toContain('items without verbs');
  });
});

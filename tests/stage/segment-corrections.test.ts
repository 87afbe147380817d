/**
 * Hand corrections of the segmentation (name.segments.json): read by ingest, applied by segment,
 * picked up when only the sidecar changes, surviving a new segmenter version, marked `corrected`
 * in the table and the export, and reported with file and line when invalid or stale.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { readStatus } from '../../pipeline/status/status.js';
import { exportTable } from '../../pipeline/export/export.js';
import type { Logger } from '../../pipeline/progress.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const warnings: string[] = [];
const log: Logger = { info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} } as unknown as Logger;
const ctx = { log, quiet: true, options: {} };

describe('segment corrections sidecar', () => {
  let store: Store;
  let corpus: string;
  let work: string;
  const sidecar = () => join(corpus, 'resolution-03.segments.json');
  const recs = () =>
    store.all<{ text: string; addressee: string | null; corrected: boolean }>(
      `SELECT r.text, r.addressee, r.corrected FROM recommendations r JOIN documents d USING (doc_id)
       WHERE d.source_file = 'resolution-03.txt' AND d.is_current ORDER BY r.seq`,
    );

  beforeAll(async () => {
    corpus = tempDir('confrec-corr-');
    work = tempDir();
    for (const f of ['resolution-03.txt', 'resolution-05.txt']) copyFileSync(join(SAMPLE_DIR, f), join(corpus, f));
    writeFileSync(sidecar(), JSON.stringify({ drop: ['Продолжить инновационное развитие'], addressee: [{ item: 'Развивать инновационные формы', addressee: 'Общеобразовательные организации' }] }, null, 2));
    store = await Store.open(join(work, 'db.duckdb'));
    await ingestFolder(store, corpus, ctx);
  });
  afterAll(() => store.close());

  it('applies the corrections and marks the items they changed', async () => {
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts).toMatchObject({ documents: 2, corrected: 1, correction_errors: 0 });
    const rows = await recs();
    expect(rows.map((r) => r.text.slice(0, 30))).toEqual(['Рекомендовать выступившим на к', 'Продолжить распространять инно', 'Развивать инновационные формы ']);
    expect(rows.map((r) => r.corrected)).toEqual([false, false, true]);
    expect(rows[2].addressee).toBe('Общеобразовательные организации');
    expect((await readStatus(store)).corrected).toBe(1);
  });

  it('the export carries the corrected flag', async () => {
    const out = join(work, 'recs.jsonl');
    await exportTable(store, 'recommendations', 'jsonl', out);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { corrected: boolean; form: string });
    expect(lines.filter((l) => l.corrected)).toHaveLength(1);
    expect(lines.every((l) => typeof l.form === 'string')).toBe(true);
  });

  it('a change of the sidecar alone re-segments that document only', async () => {
    expect((await segmentStage.run(store, ctx)).counts.documents).toBe(0);
    writeFileSync(sidecar(), JSON.stringify({ drop: [{ line: 42 }] }));
    await ingestFolder(store, corpus, ctx);
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts.documents).toBe(1);
    const rows = await recs();
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.text.startsWith('Продолжить распространять'))).toBe(false);
  });

  it('corrections survive a re-segmentation by newer rules (segment --all)', async () => {
    await segmentStage.run(store, { ...ctx, options: { all: true } });
    expect((await recs()).some((r) => r.text.startsWith('Продолжить распространять'))).toBe(false);
  });

  it('a stale correction is reported, the document keeps its segmentation and goes to review', async () => {
    writeFileSync(sidecar(), '{\n  "drop": [\n    "этого текста в документе нет"\n  ]\n}\n');
    await ingestFolder(store, corpus, ctx);
    warnings.length = 0;
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts.correction_errors).toBe(1);
    expect(warnings.join('\n')).toMatch(/resolution-03\.segments\.json: line 3, "drop\[0\]": no recommendation contains/);
    expect(await recs()).toHaveLength(4);
    const status = await readStatus(store);
    expect(status.review.find((r) => r.source_file === 'resolution-03.txt')?.reasons[0]).toMatch(/^correction not applied: .*line 3/);
  });

  it('an invalid sidecar is an ingest issue naming the file and line; the document is segmented without it', async () => {
    writeFileSync(sidecar(), '{\n  "drop": ["x"],\n  "dorp": []\n}\n');
    const ing = await ingestFolder(store, corpus, ctx);
    expect(ing.counts.skipped).toBe(1);
    const issue = await store.one<{ reason: string }>(`SELECT reason FROM ingest_issues WHERE source_path = $1`, [sidecar()]);
    expect(issue?.reason).toMatch(/^line 3, "dorp": unknown field/);
    await segmentStage.run(store, ctx);
    expect(await recs()).toHaveLength(4);
    // fixed: the issue goes away and the correction applies again
    writeFileSync(sidecar(), JSON.stringify({ drop: ['Продолжить инновационное развитие'] }));
    await ingestFolder(store, corpus, ctx);
    expect(await store.scalar<number>(`SELECT count(*) FROM ingest_issues WHERE source_path = $1`, [sidecar()])).toBe(0);
    await segmentStage.run(store, ctx);
    expect(await recs()).toHaveLength(3);
  });
});

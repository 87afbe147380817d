/**
 * `--threads N`: ingest (reading and hashing files, preparing plain text) and segment do their per-document work in worker threads
 * and must write exactly what the single-threaded path writes — every column of documents,
 * ingest_issues, recommendations and segment_status, apart from the run ids and timestamps that
 * differ between any two runs. The corpus mixes what the two paths treat differently: plain .txt
 * and .md (workers), a .docx (the reader process), a file without words and one with an invalid
 * sidecar (errors crossing the worker boundary), a valid metadata sidecar, a hand-corrections
 * sidecar and a stale one (a correction error in segment).
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { SharedPool, WorkerPool } from '../../pipeline/workers/pool.js';
import { SegmentHandoff } from '../../pipeline/segment/handoff.js';
import { silentLogger, type Logger } from '../../pipeline/progress.js';
import { prepareOutDir, writeCorpus } from '../../tools/synth/write.js';
import { ROOT } from '../../pipeline/config.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const TABLES: Record<string, { sql: string }> = {
  documents: { sql: `SELECT * EXCLUDE (ingested_at, run_id) FROM documents ORDER BY doc_id` },
  ingest_issues: { sql: `SELECT source_path, reason FROM ingest_issues ORDER BY source_path` },
  recommendations: { sql: `SELECT * EXCLUDE (run_id) FROM recommendations ORDER BY rec_id` },
  segment_status: { sql: `SELECT * EXCLUDE (run_id) FROM segment_status ORDER BY doc_id` },
};

let corpus: string;
const stores: Store[] = [];
const warnings: Record<number, string[]> = {};

async function runWith(threads: number, handoff?: SegmentHandoff): Promise<Store> {
  const store = await Store.open(join(tempDir('confrec-threads-'), `t${threads}.duckdb`));
  stores.push(store);
  const seen: string[] = (warnings[handoff ? threads + 10 : threads] = []);
  const log = { ...silentLogger, warn: (m: string) => seen.push(m) } as Logger;
  // With a handoff, as `confrec run` does it: one shared pool, ingest's segmentations handed to segment.
  const workers = handoff ? new SharedPool(threads) : undefined;
  try {
    await ingestFolder(store, corpus, { log, quiet: true, options: { rehash: false, threads }, workers, segmentations: handoff });
    await segmentStage.run(store, { log, quiet: true, options: { threads }, workers, segmentations: handoff });
  } finally {
    await workers?.close();
  }
  return store;
}

async function dump(store: Store, sql: string): Promise<string[]> {
  const rows = await store.all<Record<string, unknown>>(sql);
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

beforeAll(async () => {
  const synth = join(tempDir('confrec-threads-corpus-'), 'synth');
  prepareOutDir(synth, false);
  writeCorpus(synth, { docs: 90, seed: 11 });
  corpus = join(synth, 'docs');
  copyFileSync(join(SAMPLE_DIR, 'resolution-03.txt'), join(corpus, 'resolution-03.txt'));
  copyFileSync(join(SAMPLE_DIR, 'resolution-05.txt'), join(corpus, 'resolution-05.txt'));
  copyFileSync(join(ROOT, 'tests', 'fixtures', 'formats', 'files', 'fmt-02-kazan-talents.docx'), join(corpus, 'kazan.docx'));
  writeFileSync(join(corpus, 'numbers-only.txt'), '12 345 678\n\n2024 — 2025\n');
  writeFileSync(join(corpus, 'with-sidecar.txt'), '\uFEFFРезолюция\n\n1. Рекомендовать органам управления образованием развивать инклюзивное образование.\n');
  writeFileSync(join(corpus, 'with-sidecar.meta.json'), JSON.stringify({ city: 'Вологда', year: 2023 }));
  writeFileSync(join(corpus, 'bad-sidecar.txt'), 'Резолюция\n\n1. Рекомендовать школам развивать наставничество.\n');
  writeFileSync(join(corpus, 'bad-sidecar.meta.json'), '{ "city": ');
  writeFileSync(
    join(corpus, 'resolution-03.segments.json'),
    JSON.stringify({ drop: ['Продолжить инновационное развитие'], addressee: [{ item: 'Развивать инновационные формы', addressee: 'Общеобразовательные организации' }] }),
  );
  writeFileSync(join(corpus, 'resolution-05.segments.json'), JSON.stringify({ drop: ['Текст, которого в документе нет'] }));
}, 120_000);

afterAll(() => {
  for (const s of stores) s.close();
  vi.restoreAllMocks();
});

describe('--threads', () => {
  it('ingest and segment write the same rows with 2 worker threads as with 1', async () => {
    const single = await runWith(1);
    const scan = vi.spyOn(WorkerPool.prototype, 'scan');
    const segment = vi.spyOn(WorkerPool.prototype, 'segment');
    const pooled = await runWith(2);
    // The pool did the work (a silent fall-back to the main thread would make this test vacuous):
    // every file on disk went to a worker, and the plain-text ones came back prepared.
    const scanned = (await Promise.all(scan.mock.results.map((r) => r.value as ReturnType<WorkerPool['scan']>))).flat();
    expect(scanned.length).toBe(Number(await pooled.scalar(`SELECT count(*) FROM file_stats`)));
    expect(scanned.filter((r) => r.ok && r.prepared !== null).length).toBeGreaterThanOrEqual(90);
    expect(segment).toHaveBeenCalled();

    for (const [name, { sql }] of Object.entries(TABLES)) {
      const a = await dump(single, sql);
      const b = await dump(pooled, sql);
      expect(a.length, name).toBeGreaterThan(0);
      expect(b, name).toEqual(a);
    }
    // The corpus reached the paths it was built for.
    const issues = await single.all<{ source_path: string }>(`SELECT source_path FROM ingest_issues ORDER BY source_path`);
    expect(issues.map((i) => i.source_path.split('/').pop())).toEqual(['bad-sidecar.txt', 'numbers-only.txt']);
    expect(await single.scalar<string>(`SELECT reader FROM documents WHERE source_file = 'kazan.docx'`)).toMatch(/^docx:/);
    expect(await single.scalar<string>(`SELECT city FROM documents WHERE source_file = 'with-sidecar.txt'`)).toBe('Вологда');
    expect(await single.scalar<number>(`SELECT count(*) FROM recommendations WHERE corrected`)).toBeGreaterThan(0);
    expect(warnings[1].some((w) => w.includes('correction not applied'))).toBe(true);
    // Messages too: same warnings, same order.
    expect(warnings[2]).toEqual(warnings[1]);
  });

  it('segmenting once in ingest and handing the rows to segment (`confrec run`) writes the same rows, with 1 and 2 threads', async () => {
    const single = await runWith(1);
    for (const threads of [1, 2]) {
      vi.restoreAllMocks();
      const take = vi.spyOn(SegmentHandoff.prototype, 'take');
      const segment = vi.spyOn(WorkerPool.prototype, 'segment');
      const handoff = new SegmentHandoff(64 * 1024 * 1024);
      const shared = await runWith(threads, handoff);
      for (const [name, { sql }] of Object.entries(TABLES)) expect(await dump(shared, sql), `${name}, ${threads} thread(s)`).toEqual(await dump(single, sql));
      expect(warnings[threads + 10], `${threads} thread(s)`).toEqual(warnings[1]);
      // Every document without hand corrections came from the handoff; only the corrected ones were segmented again.
      const segmented = Number(await shared.scalar(`SELECT count(*) FROM segment_status`));
      const corrected = Number(await shared.scalar(`SELECT count(*) FROM segment_status WHERE corrections_sha IS NOT NULL`));
      expect(corrected).toBe(2);
      expect(take.mock.results.filter((r) => r.value !== null).length).toBe(segmented - corrected);
      const sent = (segment.mock.calls as [{ docs: unknown[] }][]).reduce((n, [task]) => n + task.docs.length, 0);
      expect(sent).toBe(threads > 1 ? corrected : 0);
      expect(handoff.size).toBe(0);
    }
  });
});

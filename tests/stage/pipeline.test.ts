import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, writeFileSync, readFileSync, readdirSync, mkdirSync, copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { readStatus } from '../../pipeline/status/status.js';
import { exportTable } from '../../pipeline/export/export.js';
import { evaluate, readGold } from '../../pipeline/eval/command.js';
import { ConfrecError, UsageError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { sliceCodePoints } from '../../pipeline/text/offsets.js';
import { GOLD_DIR, SAMPLE_DIR, sampleCopy, tempDir } from '../helpers/tmp.js';
import { copyDatabase } from '../helpers/db.js';

const ctx = { log: silentLogger, quiet: true, options: {} };

describe('ingest → segment on the sample corpus', () => {
  // Built once; tests that change it work on their own copy (no test depends on another's changes).
  let store: Store;
  let corpus: string;
  let db: string;
  const files = readdirSync(SAMPLE_DIR).filter((f) => f.endsWith('.txt')).sort();
  const own = () => Store.open(copyDatabase(db, 'own.duckdb'));
  let ingest: Awaited<ReturnType<typeof ingestFolder>>;
  let segment: Awaited<ReturnType<typeof segmentStage.run>>;

  beforeAll(async () => {
    corpus = sampleCopy();
    db = join(tempDir(), 'db.duckdb');
    const built = await Store.open(db);
    ingest = await ingestFolder(built, corpus, ctx);
    segment = await segmentStage.run(built, ctx);
    built.close();
    store = await Store.open(db, { readOnly: true });
  });
  afterAll(() => store?.close());

  it('stores one document per file and recommendations that meet the quality bar', async () => {
    expect(ingest.counts).toMatchObject({ added: files.length, skipped: 0 });
    const stored = await store.scalar<number>('SELECT count(*) FROM recommendations');
    expect(segment.counts).toMatchObject({ documents: files.length, recommendations: stored, flagged: 0 });
    const summary = await evaluate(store, await readGold(GOLD_DIR));
    expect(summary.f1).toBeGreaterThanOrEqual(0.97);
    expect(summary.addresseeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.verbAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.metadataAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('every recommendation points at its text in the stored document, with line numbers', async () => {
    const rows = await store.all<{ text: string; doc_text: string; char_start: number; char_end: number; line_start: number }>(
      `SELECT r.text, d.text AS doc_text, r.char_start, r.char_end, r.line_start FROM recommendations r JOIN documents d USING (doc_id)`,
    );
    expect(rows.length).toBeGreaterThan(files.length);
    for (const r of rows) {
      // Offsets count code points (what SQL substr counts), not UTF-16 units; the line is the line of char_start.
      expect(sliceCodePoints(r.doc_text, r.char_start, r.char_end).replace(/\s+/g, ' ').trim()).toBe(r.text);
      expect(sliceCodePoints(r.doc_text, 0, r.char_start).split('\n').length).toBe(r.line_start);
    }
  });

  it('ingesting the same folder again adds nothing and re-segments nothing', async () => {
    const again = await own();
    try {
      const before = await again.scalar('SELECT count(*) FROM recommendations');
      const ing = await ingestFolder(again, corpus, ctx);
      expect(ing.counts).toMatchObject({ added: 0, unchanged: files.length });
      const seg = await segmentStage.run(again, ctx);
      expect(seg.counts).toMatchObject({ documents: 0 });
      expect(await again.scalar('SELECT count(*) FROM recommendations')).toBe(before);
    } finally {
      again.close();
    }
  });

  it('a changed file becomes a new version that replaces the old one in every analysis', async () => {
    // Its own folder and database: the change must not reach the other tests.
    const dir = sampleCopy();
    const changed = await Store.open(join(tempDir(), 'changed.duckdb'));
    try {
      await ingestFolder(changed, dir, ctx);
      await segmentStage.run(changed, ctx);
      const file = join(dir, 'resolution-03.txt');
      const oldId = await changed.scalar<string>(`SELECT doc_id FROM current_documents WHERE source_path = $1`, [file]);
      const oldRecs = await changed.scalar<number>(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [oldId]);
      const others = (await changed.scalar<number>('SELECT count(*) FROM recommendations')) - oldRecs;
      appendFileSync(file, '\n5. Провести следующую конференцию в марте 2024 года.\n');
      const ing = await ingestFolder(changed, dir, ctx);
      expect(ing.counts).toMatchObject({ added: 1, unchanged: files.length - 1 });
      const versions = await changed.all<{ is_current: boolean; superseded_by: string | null; doc_id: string }>(
        `SELECT is_current, superseded_by, doc_id FROM documents WHERE source_path = $1 ORDER BY ingested_at`,
        [file],
      );
      expect(versions.map((v) => v.is_current)).toEqual([false, true]);
      expect(versions[0].doc_id).toBe(oldId);
      expect(versions[0].superseded_by).toBe(versions[1].doc_id);
      const seg = await segmentStage.run(changed, ctx);
      const newRecs = await changed.scalar<number>(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [versions[1].doc_id]);
      expect(seg.counts).toMatchObject({ documents: 1, recommendations: newRecs, removed_superseded: oldRecs });
      // The added proposal is one more recommendation of the new version; the old version has none left.
      expect(newRecs).toBe(oldRecs + 1);
      expect(await changed.scalar(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [oldId])).toBe(0);
      expect(await changed.scalar('SELECT count(*) FROM recommendations')).toBe(others + newRecs);
    } finally {
      changed.close();
    }
  });

  it('exports carry source_file and stable columns (jsonl, csv, parquet, arrow)', async () => {
    const work = tempDir();
    const recs = await store.scalar<number>('SELECT count(*) FROM current_recommendations');
    const docs = await store.scalar<number>('SELECT count(*) FROM documents');
    const jsonl = join(work, 'recs.jsonl');
    expect(await exportTable(store, 'recommendations', 'jsonl', jsonl)).toBe(recs);
    const rows = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The documented column list, in order: what others' scripts rely on.
    expect(Object.keys(rows[0])).toEqual([
      'rec_id', 'doc_id', 'source_file', 'conference', 'year', 'seq', 'addressee_raw', 'addressee', 'addressee_type', 'verb', 'text',
      'char_start', 'char_end', 'line_start', 'line_end', 'text_hash', 'themes', 'cluster_id',
      'addressee_id', 'addressee_ids', 'form', 'responsible', 'deadline', 'deadline_text', 'corrected',
    ]);
    const byId = new Map((await store.all<{ rec_id: string; source_file: string; text: string; year: number | null }>(`SELECT rec_id, source_file, text, year FROM current_recommendations`)).map((r) => [r.rec_id, r]));
    for (const r of rows) expect(r).toMatchObject(byId.get(r.rec_id)!);
    const csv = join(work, 'docs.csv');
    expect(await exportTable(store, 'documents', 'csv', csv)).toBe(docs);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toContain('source_file');
    const pq = join(work, 'recs.parquet');
    await exportTable(store, 'recommendations', 'parquet', pq);
    expect(await store.scalar(`SELECT count(*) FROM read_parquet($1)`, [pq])).toBe(recs);
    const arrow = join(work, 'docs.arrow');
    expect(await exportTable(store, 'documents', 'arrow', arrow)).toBe(docs);
    expect(readFileSync(arrow).subarray(0, 6).toString()).toBe('ARROW1');
    await expect(exportTable(store, 'no_such_table', 'csv', csv)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('bad input', () => {
  it('reports each bad file with its reason, ingests the rest, and loses nothing', async () => {
    const dir = tempDir();
    const work = tempDir();
    copyFileSync(join(__dirname, '..', '..', 'data', 'resolutions', 'resolution-01.txt'), join(dir, 'good.txt'));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'broken.docx'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'picture.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const files = join(__dirname, '..', 'fixtures', 'files');
    copyFileSync(join(files, 'encrypted.pdf'), join(dir, 'locked.pdf'));
    copyFileSync(join(files, 'no-text.pdf'), join(dir, 'scan.pdf'));
    copyFileSync(join(files, 'short-cp1251.txt'), join(dir, 'windows-1251.txt'));
    symlinkSync(join(dir, 'does-not-exist.txt'), join(dir, 'gone.txt'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'notes.md'), '# Заметки\n\nПросто текст без рекомендаций.\n');
    const store = await Store.open(join(work, 'db.duckdb'));
    try {
      const first = await ingestFolder(store, dir, ctx);
      expect(first.counts).toMatchObject({ added: 3, skipped: 6 });
      const issues = await store.all<{ source_file: string; reason: string }>('SELECT source_file, reason FROM ingest_issues ORDER BY source_file');
      expect(issues.map((i) => i.source_file)).toEqual(['broken.docx', 'empty.txt', 'gone.txt', 'locked.pdf', 'picture.png', 'scan.pdf']);
      expect(issues.find((i) => i.source_file === 'locked.pdf')!.reason).toMatch(/password-protected PDF/);
      // With tesseract installed the scan is OCRed (and this one holds no legible text); without it, OCR is asked for.
      expect(issues.find((i) => i.source_file === 'scan.pdf')!.reason).toMatch(/no text layer: OCR needed|no text found by OCR/);
      expect(issues.find((i) => i.source_file === 'gone.txt')!.reason).toMatch(/cannot read/);
      const cp = await store.one<{ encoding: string; text: string }>(`SELECT encoding, text FROM documents WHERE source_file = 'windows-1251.txt'`);
      expect(cp!.encoding).toBe('windows-1251');
      expect(cp!.text).toMatch(/РЕЗОЛЮЦИЯ|Резолюция/);
      expect(issues.find((i) => i.source_file === 'empty.txt')!.reason).toMatch(/empty/);
      expect(issues.find((i) => i.source_file === 'broken.docx')!.reason).toMatch(/docx/);
      expect(issues.find((i) => i.source_file === 'picture.png')!.reason).toMatch(/not a readable image/);

      const segmented = (await segmentStage.run(store, ctx)).counts.recommendations as number;
      expect(segmented).toBe(await store.scalar('SELECT count(*) FROM recommendations'));
      expect(segmented).toBeGreaterThan(0);
      const status = await readStatus(store);
      expect(status.flagged.map((f) => f.source_file)).toEqual(['notes.md']);
      expect(status.skipped).toHaveLength(6);

      // A second run over the same folder neither duplicates nor drops anything.
      await ingestFolder(store, dir, ctx);
      expect(await store.scalar('SELECT count(*) FROM documents')).toBe(3);
      const recs = await store.scalar<number>('SELECT count(*) FROM recommendations');
      expect(recs).toBe(segmented);

      await expect(ingestFolder(store, join(dir, 'missing'), ctx)).rejects.toBeInstanceOf(UsageError);
      const emptyDir = tempDir();
      await expect(ingestFolder(store, emptyDir, ctx)).rejects.toBeInstanceOf(ConfrecError);
      expect(await store.scalar('SELECT count(*) FROM documents')).toBe(3);
      expect(await store.scalar('SELECT count(*) FROM recommendations')).toBe(recs);
    } finally {
      store.close();
    }
  });
});

describe('Word and PDF resolutions end to end', () => {
  it('keeps Word list numbering and PDF wrapped items as whole recommendations', async () => {
    const dir = tempDir();
    const files = join(__dirname, '..', 'fixtures', 'files');
    copyFileSync(join(files, 'resolution.docx'), join(dir, 'word.docx'));
    copyFileSync(join(files, 'resolution.pdf'), join(dir, 'typeset.pdf'));
    const store = await Store.open(':memory:');
    try {
      await ingestFolder(store, dir, ctx);
      await segmentStage.run(store, ctx);
      const recs = await store.all<{ source_file: string; addressee: string; verb: string; text: string }>(
        `SELECT d.source_file, r.addressee, r.verb, r.text FROM recommendations r JOIN documents d USING (doc_id)
         ORDER BY d.source_file, r.seq`,
      );
      const word = recs.filter((r) => r.source_file === 'word.docx');
      expect(word.map((r) => r.text)).toEqual([
        'Обеспечить повышение квалификации педагогов в области цифровых технологий',
        'Внедрять в практику электронные образовательные ресурсы',
        'Организовать обмен опытом между школами региона',
        'оказывать содействие в обновлении материально-технической базы школ',
        'предусмотреть финансирование программ наставничества',
      ]);
      expect(word.map((r) => r.addressee)).toEqual([
        ...Array(3).fill('Образовательные организации'),
        ...Array(2).fill('Органы местного самоуправления'),
      ]);
      const pdf = recs.filter((r) => r.source_file === 'typeset.pdf');
      expect(pdf).toHaveLength(7);
      expect(pdf[0].text).toBe(
        'Обеспечить реализацию программ психолого-педагогического сопровождения обучающихся с ограниченными возможностями здоровья',
      );
      expect(pdf.at(-1)).toMatchObject({ addressee: 'Институты развития образования', verb: 'опубликовать' });
    } finally {
      store.close();
    }
  });
});

describe('sidecar metadata', () => {
  it('a sidecar added later fills fields without a new document version, and is marked as such', async () => {
    const dir = tempDir();
    copyFileSync(join(__dirname, '..', '..', 'data', 'resolutions', 'resolution-05.txt'), join(dir, 'resolution-05.txt'));
    const store = await Store.open(':memory:');
    try {
      await ingestFolder(store, dir, ctx);
      expect(await store.scalar(`SELECT level FROM documents`)).toBeNull();
      writeFileSync(join(dir, 'resolution-05.meta.json'), JSON.stringify({ level: 'региональная', date_start: '2019-04-12' }));
      const again = await ingestFolder(store, dir, ctx);
      expect(again.counts).toMatchObject({ added: 0, unchanged: 1, metadata_updated: 1 });
      const doc = await store.one<{ level: string; year: number; src: string }>(
        `SELECT level, year, meta_sources::VARCHAR AS src FROM documents`,
      );
      expect(doc!.level).toBe('региональная');
      expect(doc!.year).toBe(2019);
      expect(JSON.parse(doc!.src)).toMatchObject({ level: 'sidecar', date_start: 'sidecar', title: 'text' });
      expect(await store.scalar('SELECT count(*) FROM documents')).toBe(1);
    } finally {
      store.close();
    }
  });
});

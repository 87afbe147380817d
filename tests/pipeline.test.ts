import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, writeFileSync, readFileSync, mkdirSync, copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../pipeline/store/db.js';
import { ingestFolder } from '../pipeline/ingest/stage.js';
import { segmentStage } from '../pipeline/segment/stage.js';
import { readStatus } from '../pipeline/status/status.js';
import { exportTable } from '../pipeline/export/export.js';
import { evaluate, readGold } from '../pipeline/eval/command.js';
import { ConfrecError, UsageError } from '../pipeline/errors.js';
import { silentLogger } from '../pipeline/progress.js';
import { codePointLength, sliceCodePoints } from '../pipeline/text/offsets.js';
import { GOLD_DIR, sampleCopy, tempDir } from './helpers/tmp.js';

const ctx = { log: silentLogger, quiet: true, options: {} };

describe('ingest → segment on the sample corpus', () => {
  let store: Store;
  let corpus: string;
  let work: string;
  beforeAll(async () => {
    corpus = sampleCopy();
    work = tempDir();
    store = await Store.open(join(work, 'db.duckdb'));
  });
  afterAll(() => store.close());

  it('stores five documents and 39 recommendations that meet the quality bar', async () => {
    const ing = await ingestFolder(store, corpus, ctx);
    expect(ing.counts).toMatchObject({ added: 5, skipped: 0 });
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts).toMatchObject({ documents: 5, recommendations: 39, flagged: 0 });
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
    expect(rows).toHaveLength(39);
    for (const r of rows) {
      // Offsets count code points (what SQL substr counts), not UTF-16 units.
      expect(sliceCodePoints(r.doc_text, r.char_start, r.char_end).replace(/\s+/g, ' ').trim()).toBe(r.text);
      expect(codePointLength(r.doc_text.split('\n').slice(0, r.line_start - 1).join('\n'))).toBeLessThanOrEqual(r.char_start);
    }
  });

  it('ingesting the same folder again adds nothing and re-segments nothing', async () => {
    const ing = await ingestFolder(store, corpus, ctx);
    expect(ing.counts).toMatchObject({ added: 0, unchanged: 5 });
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts).toMatchObject({ documents: 0 });
    expect(await store.scalar('SELECT count(*) FROM recommendations')).toBe(39);
  });

  it('a changed file becomes a new version that replaces the old one in every analysis', async () => {
    const file = join(corpus, 'resolution-03.txt');
    appendFileSync(file, '\n5. Провести следующую конференцию в марте 2024 года.\n');
    const ing = await ingestFolder(store, corpus, ctx);
    expect(ing.counts).toMatchObject({ added: 1, unchanged: 4 });
    const docs = await store.all<{ is_current: boolean; superseded_by: string | null; doc_id: string }>(
      `SELECT is_current, superseded_by, doc_id FROM documents WHERE source_file = 'resolution-03.txt' ORDER BY ingested_at`,
    );
    expect(docs).toHaveLength(2);
    expect(docs[0].is_current).toBe(false);
    expect(docs[0].superseded_by).toBe(docs[1].doc_id);
    const seg = await segmentStage.run(store, ctx);
    expect(seg.counts).toMatchObject({ documents: 1, recommendations: 5, removed_superseded: 4 });
    expect(await store.scalar('SELECT count(*) FROM recommendations')).toBe(40);
    expect(await store.scalar(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [docs[0].doc_id])).toBe(0);
  });

  it('exports carry source_file and stable columns (jsonl, csv, parquet, arrow)', async () => {
    const jsonl = join(work, 'recs.jsonl');
    expect(await exportTable(store, 'recommendations', 'jsonl', jsonl)).toBe(40);
    const first = JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['rec_id', 'source_file', 'seq', 'addressee_raw', 'addressee', 'addressee_type', 'verb', 'text', 'char_start', 'char_end']),
    );
    expect(first.source_file).toMatch(/^resolution-0\d\.txt$/);
    const csv = join(work, 'docs.csv');
    expect(await exportTable(store, 'documents', 'csv', csv)).toBe(6);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toContain('source_file');
    const pq = join(work, 'recs.parquet');
    await exportTable(store, 'recommendations', 'parquet', pq);
    expect(await store.scalar(`SELECT count(*) FROM read_parquet($1)`, [pq])).toBe(40);
    const arrow = join(work, 'docs.arrow');
    expect(await exportTable(store, 'documents', 'arrow', arrow)).toBe(6);
    expect(readFileSync(arrow).subarray(0, 6).toString()).toBe('ARROW1');
    await expect(exportTable(store, 'no_such_table', 'csv', csv)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('bad input', () => {
  it('reports each bad file with its reason, ingests the rest, and loses nothing', async () => {
    const dir = tempDir();
    const work = tempDir();
    copyFileSync(join(__dirname, '..', 'data', 'resolutions', 'resolution-01.txt'), join(dir, 'good.txt'));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'broken.docx'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'picture.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const files = join(__dirname, 'fixtures', 'files');
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
      expect(issues.find((i) => i.source_file === 'scan.pdf')!.reason).toMatch(/no text layer: OCR needed/);
      expect(issues.find((i) => i.source_file === 'gone.txt')!.reason).toMatch(/cannot read/);
      const cp = await store.one<{ encoding: string; text: string }>(`SELECT encoding, text FROM documents WHERE source_file = 'windows-1251.txt'`);
      expect(cp!.encoding).toBe('windows-1251');
      expect(cp!.text).toMatch(/РЕЗОЛЮЦИЯ|Резолюция/);
      expect(issues.find((i) => i.source_file === 'empty.txt')!.reason).toMatch(/empty/);
      expect(issues.find((i) => i.source_file === 'broken.docx')!.reason).toMatch(/docx/);
      expect(issues.find((i) => i.source_file === 'picture.png')!.reason).toMatch(/unsupported file type \.png/);

      await segmentStage.run(store, ctx);
      const status = await readStatus(store);
      expect(status.flagged.map((f) => f.source_file)).toEqual(['notes.md']);
      expect(status.skipped).toHaveLength(6);

      // A second run over the same folder neither duplicates nor drops anything.
      await ingestFolder(store, dir, ctx);
      expect(await store.scalar('SELECT count(*) FROM documents')).toBe(3);
      const recs = await store.scalar<number>('SELECT count(*) FROM recommendations');
      expect(recs).toBe(15); // 11 from resolution-01, 4 from the cp1251 file

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
    const files = join(__dirname, 'fixtures', 'files');
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
    copyFileSync(join(__dirname, '..', 'data', 'resolutions', 'resolution-05.txt'), join(dir, 'resolution-05.txt'));
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

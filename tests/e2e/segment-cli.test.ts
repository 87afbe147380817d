/** `confrec segment --explain`, `--rules`, and `confrec status` listing documents to review, as users run them. */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('confrec segment --explain / --rules, status review list', () => {
  let db: string;
  let corpus: string;
  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', '..', 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first');
    corpus = tempDir('confrec-explain-');
    db = join(tempDir(), 'cli.duckdb');
    writeFileSync(join(corpus, 'protocol.txt'), 'ПРОТОКОЛ № 1\n\nСЛУШАЛИ: директора.\nРЕШИЛИ:\n1. Провести конкурс чтецов.\nСрок: до 01.03.2025.\n');
    writeFileSync(join(corpus, 'nominal.txt'), 'Итоги\n\nПредложения:\n- создание клубов;\n- развитие театров.\n');
    const r = confrec('ingest', corpus, '--db', db, '--quiet');
    expect(r.code).toBe(0);
    expect(confrec('segment', '--db', db, '--quiet').code).toBe(0);
  });

  it('explains a stored document by file name, line by line with roles and rules', () => {
    const r = confrec('segment', '--explain', 'protocol.txt', '--db', db);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^protocol\.txt \[[0-9a-f]{16}\]$/);
    expect(r.out).toMatch(/\n3 {2}trap: protocol +protocol\.heard +СЛУШАЛИ: директора\./);
    expect(r.out).toMatch(/\n4 {2}lead-in +protocol\.decided +РЕШИЛИ:/);
    expect(r.out).toMatch(/\n5 {2}item #1 +item\.operative +1\. Провести конкурс чтецов\./);
    expect(r.out).toMatch(/\n6 {2}continuation +protocol\.deadline-line +Срок: до 01\.03\.2025\./);
    expect(r.out).toMatch(/deadline: 2025-03-01/);
  });

  it('explains a file on disk that is not in the database', () => {
    const f = join(corpus, 'other.txt');
    writeFileSync(f, 'Рекомендовать школам:\n- провести акцию.\n');
    const r = confrec('segment', '--explain', f, '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/read from the file, not the database/);
    expect(r.out).toMatch(/item #1/);
  });

  it('an unknown document is a one-line error', () => {
    const r = confrec('segment', '--explain', 'nope.txt', '--db', db);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no current document with that doc_id or file name, and no such file: nope\.txt/);
  });

  it('lists the rules with their families and threshold origins', () => {
    const r = confrec('segment', '--rules');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^heading\.size {2}\[headings\]/);
    expect(r.out).toMatch(/news\.detect {2}\[news\] → preamble\n[\s\S]*cues = 2: /);
  });

  it('status lists the documents to review with their reasons', () => {
    const r = confrec('status', '--db', db);
    expect(r.out).toMatch(/documents to review \(segmentation\): 1/);
    expect(r.out).toMatch(/nominal\.txt \[[0-9a-f]{16}\]: items without verbs/);
  });
});

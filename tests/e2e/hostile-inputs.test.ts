/**
 * Issue 10 §1 end to end: a folder holding decompression bombs of every archive format, oversized PDF
 * streams, huge texts, a looping OLE file and damaged files of every format, next to good resolutions.
 * `confrec ingest` (the compiled CLI, as users run it) must skip each bad file with its own message,
 * store every good one, and finish its run as `ok`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withStore } from '../../pipeline/store/db.js';
import { tempDir } from '../helpers/tmp.js';
import { GOOD_FILES, HOSTILE_INPUTS, docxBomb, writeHostileSet } from '../hostile/inputs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'confrec.js');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats', 'files');

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** "skipped <path>: <reason>" lines by path relative to the folder. */
function skipped(err: string, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of err.split('\n')) {
    const m = /^skipped (.+?): (.*)$/.exec(line);
    if (m) out.set(m[1].replace(`${dir}/`, ''), m[2]);
  }
  return out;
}

async function documents(db: string) {
  return withStore(db, (s) => s.all<{ source_path: string; file_type: string; reader: string }>('SELECT source_path, file_type, reader FROM documents ORDER BY source_path'), { readOnly: true });
}

// None of these is byte-identical to a member of the archive (identical bytes are one version).
const GOOD_FORMATS = ['fmt-01-tver-inclusion.docx', 'fmt-02-kazan-talents.doc', 'fmt-07-gryazovets-august.odt', 'fmt-06-vologda-citizen.html', 'resolutions-2023.zip'];

describe('hostile inputs next to good files', () => {
  let dir: string;
  let db: string;
  let run: ReturnType<typeof confrec>;
  let issues: Map<string, string>;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first');
    dir = join(tempDir('confrec-hostile-'), 'in');
    writeHostileSet(dir);
    for (const f of GOOD_FORMATS) copyFileSync(join(FIXTURES, f), join(dir, f));
    db = join(dir, '..', 'hostile.duckdb');
    run = confrec('ingest', dir, '--db', db, '--ocr', 'off');
    issues = skipped(run.err, dir);
  }, 600_000);

  it('finishes with exit code 0 and one line per skipped file', () => {
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/ingest: \d+ new document\(s\), \d+ unchanged, \d+ skipped/);
  });

  for (const h of HOSTILE_INPUTS) {
    it(`${h.name} (${h.what}): ${h.expect ? 'skipped with its message' : 'read, with its bad members skipped'}`, () => {
      if (h.expect) expect(issues.get(h.name), run.err).toMatch(h.expect);
      else expect(issues.has(h.name)).toBe(false);
      for (const m of h.members ?? []) expect(issues.get(m.path), run.err).toMatch(m.expect);
    });
  }

  it('stores every good file, archive members under the archive, with the reader used', async () => {
    const docs = await documents(db);
    const paths = docs.map((d) => d.source_path.replace(`${dir}/`, ''));
    for (const g of GOOD_FORMATS.filter((f) => !f.endsWith('.zip'))) expect(paths).toContain(g);
    expect(paths).toContain('resolutions-2023.zip/Резолюции 2023/fmt-01-tver-inclusion.doc');
    expect(paths).toContain('resolutions-2023.zip/Резолюции 2023/fmt-05-yaroslavl-additional.odt');
    expect(paths).toContain('resolutions-2023.zip/Резолюции 2023/fmt-08-novosibirsk-teacher.docx');
    for (const h of HOSTILE_INPUTS) for (const s of h.stored ?? []) expect(paths).toContain(s);
    const byPath = new Map(docs.map((d) => [d.source_path.replace(`${dir}/`, ''), d]));
    expect(byPath.get('fmt-02-kazan-talents.doc')).toMatchObject({ file_type: 'doc', reader: 'doc:word97' });
    expect(byPath.get('fmt-07-gryazovets-august.odt')).toMatchObject({ file_type: 'odt', reader: 'odt:fflate' });
    expect(byPath.get('fmt-06-vologda-citizen.html')).toMatchObject({ file_type: 'html', reader: 'html:readability' });
    for (const g of GOOD_FILES) expect(paths).toContain(g.name);
  });

  it('records the run as ok and every skipped file in ingest_issues', async () => {
    const { status, n } = await withStore(
      db,
      async (s) => ({
        status: await s.scalar<string>(`SELECT status FROM runs WHERE stage = 'ingest' ORDER BY run_id DESC LIMIT 1`),
        n: Number(await s.scalar(`SELECT count(*) FROM ingest_issues`)),
      }),
      { readOnly: true },
    );
    expect(status).toBe('ok');
    expect(n).toBe(issues.size);
  });

  it('ingests the same folder again without reading anything new', () => {
    const again = confrec('ingest', dir, '--db', db, '--ocr', 'off');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/ingest: 0 new document\(s\)/);
  });
});

describe('the reader process caps what the budget lets through', () => {
  it('a .docx bomb let in by raised limits costs only that file', async () => {
    const dir = join(tempDir('confrec-sandbox-'), 'in');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bomb.docx'), docxBomb(200));
    copyFileSync(join(FIXTURES, 'fmt-03-smolensk-family.docx'), join(dir, 'good.docx'));
    const db = join(dir, '..', 'sandbox.duckdb');
    const r = confrec('ingest', dir, '--db', db, '--max-unpacked-mb', '4000', '--max-compression-ratio', '100000', '--reader-memory-mb', '256');
    expect(r.code, r.err).toBe(0);
    expect(skipped(r.err, dir).get('bomb.docx')).toMatch(/^reading needs more than 256 MB of memory: not read — .*--reader-memory-mb/);
    expect((await documents(db)).map((d) => d.source_path)).toEqual([join(dir, 'good.docx')]);
  }, 600_000);
});

describe('a damaged file of each format', () => {
  it('is skipped with a message naming the format, and the batch goes on', async () => {
    const dir = join(tempDir('confrec-damaged-'), 'in');
    mkdirSync(dir, { recursive: true });
    const cut = (file: string, keep = 0.5) => {
      const b = readFileSync(join(FIXTURES, file));
      return b.subarray(0, Math.floor(b.length * keep));
    };
    const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251));
    const damaged: [string, Uint8Array, RegExp][] = [
      ['cut.doc', cut('fmt-01-tver-inclusion.doc', 0.3), /not a valid \.doc/],
      ['cut.docx', cut('fmt-01-tver-inclusion.docx'), /not a valid \.docx/],
      ['cut.odt', cut('fmt-01-tver-inclusion.odt'), /not a valid \.odt/],
      ['junk.rtf', junk, /not a valid \.rtf/],
      ['cut.pdf', cut('fmt-01-tver-inclusion.pdf', 0.3), /not a valid \.pdf/],
      ['junk.html', junk, /not a web page|no text/],
      ['cut.zip', cut('resolutions-2023.zip', 0.6), /not a valid \.zip/],
      ['junk.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), junk]), /not a readable image/],
    ];
    for (const [name, bytes] of damaged) writeFileSync(join(dir, name), bytes);
    copyFileSync(join(FIXTURES, 'fmt-04-cherepovets-digital.rtf'), join(dir, 'good.rtf'));
    const db = join(dir, '..', 'damaged.duckdb');
    const r = confrec('ingest', dir, '--db', db, '--ocr', 'off');
    expect(r.code, r.err).toBe(0);
    const issues = skipped(r.err, dir);
    for (const [name, , message] of damaged) expect(issues.get(name), `${name}: ${r.err}`).toMatch(message);
    expect((await documents(db)).map((d) => d.source_path)).toEqual([join(dir, 'good.rtf')]);
  }, 600_000);
});

import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { BIN, ROOT } from '../helpers/paths.js';
import { NEW_RESOLUTION, ORIGINAL, PASTED } from '../helpers/pasted.js';
import { sampleCopy, tempDir } from '../helpers/tmp.js';

// similar, duplicates and compare as users run them: the compiled bin (npm test builds dist/ first).

function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Located {
  rec_id: string;
  text: string;
  source_file: string;
  year: number | null;
  char_start: number;
  char_end: number;
  line_start: number;
}

/**
 * Reads the database after the CLI wrote it, opened once per test (DuckDB dislikes one process
 * opening and closing the same file many times in a row: "bad_weak_ptr", duckdb/duckdb#17445).
 */
async function reading<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** A listed recommendation is the stored one, and its offsets and line point at its words in the source. */
async function expectLocated(store: Store, hit: Located) {
  const t = (await store.one<{ text: string; source_file: string; year: number | null; doc_text: string; line_start: number }>(
    `SELECT r.text, d.source_file, d.year, d.text AS doc_text, r.line_start FROM recommendations r JOIN documents d USING (doc_id) WHERE r.rec_id = $1`,
    [hit.rec_id],
  ))!;
  expect(hit).toMatchObject({ text: t.text, source_file: t.source_file, year: t.year, line_start: t.line_start });
  const chars = Array.from(t.doc_text);
  expect(chars.slice(hit.char_start, hit.char_end).join('').replace(/\s+/g, ' ').trim()).toBe(hit.text);
  expect(chars.slice(0, hit.char_start).join('').split('\n').length).toBe(hit.line_start);
}

describe('similar, duplicates and compare commands', () => {
  let db: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'pipeline', 'similar', 'commands', 'index.js'))) throw new Error('run `npm run build` first');
    const corpus = sampleCopy();
    writeFileSync(join(corpus, 'resolution-06.txt'), NEW_RESOLUTION);
    db = join(tempDir(), 'cli.duckdb');
    const r = confrec('run', corpus, '--embedder', 'lexical', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/similar: \d+ near-duplicate pair\(s\)/);
  });

  it('similar --json returns the stored recommendations, best first, each pointing at its place in the source', async () => {
    const r = confrec('similar', ORIGINAL, '--top', '3', '--json', '--db', db);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.out) as (Located & { score: number })[];
    expect(hits).toHaveLength(3);
    expect(hits[0]).toMatchObject({ text: ORIGINAL, source_file: 'resolution-01.txt', year: 2024 });
    expect(hits[0].score).toBeGreaterThan(0.999);
    expect(hits[1].text).toBe(PASTED);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    const stored = await reading(db, async (store) => {
      for (const h of hits) await expectLocated(store, h);
      return store.scalar<number>(`SELECT count(*) FROM recommendations JOIN current_documents USING (doc_id)`);
    });
    const human = confrec('similar', "сопровождения'; DROP TABLE recommendations; --", '--top', '2', '--db', db);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^ 1\. \d\.\d{3} {2}.+\n {4}resolution-0\d\.txt:\d+ {2}→ /);
    expect(human.err).toBe('');
    expect(JSON.parse(confrec('status', '--json', '--db', db).out).recommendations).toBe(stored);
  });

  it('duplicates lists groups across documents with offsets; --json is machine-readable', async () => {
    const groups = JSON.parse(confrec('duplicates', '--json', '--db', db).out) as { group_id: string; documents: number; members: (Located & { is_medoid: boolean; similarity_to_medoid: number })[] }[];
    expect(groups.length).toBeGreaterThanOrEqual(1);
    const g = groups.find((x) => x.members.some((m) => m.text === PASTED))!;
    expect(g.members.map((m) => m.text).sort()).toEqual([ORIGINAL, PASTED].sort());
    expect(g.documents).toBe(2);
    expect(g.members[0]).toMatchObject({ is_medoid: true, similarity_to_medoid: 1 });
    await reading(db, async (store) => {
      for (const m of g.members) await expectLocated(store, m);
    });
    const human = confrec('duplicates', '--limit', '1', '--db', db);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^group \S+: \d+ recommendations in \d+ documents\n {2}\* 1\.000 {2}resolution-0\d\.txt:\d+ \(chars \d+–\d+\)/);
    expect(JSON.parse(confrec('duplicates', '--min-docs', '3', '--json', '--db', db).out).every((x: { documents: number }) => x.documents >= 3)).toBe(true);
  });

  it('compare prints shared and unique recommendations; an unknown name exits 1 with one line and candidates', () => {
    const c = JSON.parse(confrec('compare', 'resolution-01.txt', 'resolution-06.txt', '--json', '--db', db).out);
    expect(c.shared).toHaveLength(1);
    expect(c.shared[0].a.text).toBe(ORIGINAL);
    expect(c.shared[0].b.text).toBe(PASTED);
    const human = confrec('compare', 'resolution-01.txt', 'resolution-06.txt', '--db', db);
    expect(human.out).toMatch(/shared: 1\n/);
    expect(human.out).toMatch(/only in B: 2\n/);
    const bad = confrec('compare', 'nope.txt', 'resolution-06.txt', '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no current document named "nope.txt"; closest names:/);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  it('readers say when what they show is stale, and which command refreshes it', () => {
    // A new resolution ingested and segmented, not embedded: similar and compare read old vectors.
    const more = tempDir();
    writeFileSync(join(more, 'later.txt'), `РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- развивать школьные театры;\n- ${ORIGINAL} в 2026 году.\n`);
    expect(confrec('ingest', more, '--db', db).code).toBe(0);
    expect(confrec('segment', '--db', db).code).toBe(0);
    const s = confrec('similar', ORIGINAL, '--top', '1', '--db', db);
    expect(s.code).toBe(0);
    expect(s.err.trim()).toBe('similar: the embeddings searched are stale: recommendation texts were added or removed since its last run — run `confrec embed` to bring them up to date');
    const status = JSON.parse(confrec('status', '--json', '--db', db).out) as { stages: { stage: string; fresh: boolean; refresh: string | null }[] };
    const byStage = Object.fromEntries(status.stages.map((x) => [x.stage, x]));
    expect(byStage.segment.fresh).toBe(true);
    expect(byStage.embed).toMatchObject({ fresh: false, refresh: 'confrec embed' });
    expect(byStage.similar.fresh).toBe(false);
    // duplicates recomputes what it can and names the stage behind it.
    const d = confrec('duplicates', '--db', db);
    expect(d.code).toBe(0);
    expect(d.err).toMatch(/duplicates: the near-duplicates are stale: embed is stale/);
    // After the run every stage is fresh again and nobody warns.
    expect(confrec('run', more, '--embedder', 'lexical', '--db', db, '--quiet').code).toBe(0);
    expect(confrec('similar', ORIGINAL, '--top', '1', '--db', db).err).toBe('');
    expect(JSON.parse(confrec('status', '--json', '--db', db).out).stages.every((x: { fresh: boolean }) => x.fresh)).toBe(true);
  });
});

// Keeps the fixture honest: the pasted resolution really holds the edited copy.
if (!NEW_RESOLUTION.includes(PASTED) || readFileSync(join(ROOT, 'data', 'resolutions', 'resolution-01.txt'), 'utf8').indexOf(ORIGINAL.slice(0, 40)) < 0) {
  throw new Error('tests/helpers/pasted.ts no longer matches data/resolutions/resolution-01.txt');
}

/**
 * Offsets count characters (code points): the README's provenance query, run by DuckDB, returns each
 * recommendation exactly, also after emoji and mathematical letters (issue 10 §6). Against the
 * segment stage on a small database.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { offsetConverter, sliceCodePoints } from '../../pipeline/text/offsets.js';
import { tempDir } from '../helpers/tmp.js';
import { writeAstralFile, writeIdenticalFiles } from '../hostile/files.js';
import { ASTRAL_RECOMMENDATIONS } from '../hostile/texts.js';

const ctx = { log: silentLogger, quiet: true, options: {} as Record<string, unknown> };

/** The provenance query as the README shows it (the rec_id filter left out). */
function readmeProvenanceQuery(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const m = /SELECT d\.source_path, r\.line_start, substr\(d\.text, r\.char_start \+ 1, r\.char_end - r\.char_start\)\nFROM recommendations r JOIN documents d USING \(doc_id\)/.exec(readme);
  if (!m) throw new Error('the README no longer shows the provenance query this test runs');
  return `${m[0].replace('substr(', 'r.rec_id, r.text, substr(').replace(/\)\nFROM/, ') AS span\nFROM')} ORDER BY r.rec_id`;
}

let store: Store;
beforeAll(async () => {
  const corpus = tempDir();
  writeAstralFile(corpus);
  writeIdenticalFiles(corpus);
  store = await Store.open(join(tempDir(), 'offsets.duckdb'));
  await ingestFolder(store, corpus, ctx);
  await segmentStage.run(store, ctx);
});
afterAll(() => store.close());

describe('char_start/char_end count code points', () => {
  it('the README provenance query returns exactly the recommendation, after astral characters too', async () => {
    const rows = await store.all<{ rec_id: string; text: string; span: string; source_path: string }>(readmeProvenanceQuery());
    expect(rows.length).toBe(16);
    const astral = rows.filter((r) => r.source_path.endsWith('astral.txt'));
    expect(astral.map((r) => r.text)).toEqual(ASTRAL_RECOMMENDATIONS);
    for (const r of rows) expect(r.span).toBe(r.text);
  });

  it('DuckDB length() and the JS helper agree on the stored text, and the helper slices what substr returns', async () => {
    const rows = await store.all<{ text: string; n: number; char_start: number; char_end: number; span: string }>(
      `SELECT d.text, length(d.text) AS n, r.char_start, r.char_end, substr(d.text, r.char_start + 1, r.char_end - r.char_start) AS span
       FROM recommendations r JOIN documents d USING (doc_id) WHERE d.source_file = 'astral.txt'`,
    );
    for (const r of rows) {
      expect(offsetConverter(r.text).toCodePoint(r.text.length)).toBe(r.n);
      expect(sliceCodePoints(r.text, r.char_start, r.char_end)).toBe(r.span);
    }
    // The document has astral characters before its recommendations, so UTF-16 offsets would differ.
    expect(offsetConverter(rows[0].text).astral).toBeGreaterThan(5);
  });

  it('line numbers still point at the lines of the recommendations', async () => {
    const rows = await store.all<{ text: string; doc: string; line_start: number }>(
      `SELECT r.text, d.text AS doc, r.line_start FROM recommendations r JOIN documents d USING (doc_id) WHERE d.source_file = 'astral.txt'`,
    );
    for (const r of rows) expect(r.doc.split('\n')[r.line_start - 1]).toContain(r.text);
  });
});

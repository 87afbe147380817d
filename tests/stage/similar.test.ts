import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOAT, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { config } from '../../pipeline/config.js';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { exportTable } from '../../pipeline/export/export.js';
import { stageFreshness } from '../../pipeline/freshness.js';
import { nearDuplicatesStage } from '../../pipeline/similar/stage.js';
import { vectorTable } from '../../pipeline/similar/pairs/vectors.js';
import { cosineAt } from '../../pipeline/similar/pairs/cosine.js';
import type { NearDuplicateOptions } from '../../pipeline/similar/options.js';
import { searchSimilar } from '../../pipeline/similar/queries/search.js';
import { compareDocuments } from '../../pipeline/similar/queries/compare.js';
import { resolveDocument } from '../../pipeline/similar/queries/documents.js';
import { listDuplicateGroups } from '../../pipeline/similar/queries/duplicates.js';
import { candidateProbability, lshParams } from '../../pipeline/similar/pairs/lsh.js';
import { measureLshRecall } from '../../tools/near-duplicates/recall.js';
import { EDIT_KINDS } from '../../pipeline/similar/calibration/edits.js';
import { calibrateNearDuplicates } from '../../pipeline/similar/calibration/calibrate.js';
import { nearDuplicateThreshold } from '../../pipeline/similar/calibration/thresholds.js';
import { copyDatabase, openSampleCopy } from '../helpers/db.js';
import { clusteredVectors } from '../helpers/vectors.js';
import { NEW_RESOLUTION, ORIGINAL, PASTED } from '../helpers/pasted.js';
import { SAMPLE_DIR, tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const similar = (store: Store, options: Partial<NearDuplicateOptions> = {}) => nearDuplicatesStage.run(store, { ...log, options });

/** Ingests the files given (name → text) from a folder of their own, then segment, embed (lexical) and similar. */
async function addDocuments(store: Store, files: Record<string, string>, similarOptions: Partial<NearDuplicateOptions> = {}, refit = false) {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  await ingestFolder(store, dir, { ...log, options: { rehash: false } });
  await segmentStage.run(store, { ...log, options: {} });
  await embedStage.run(store, { ...log, options: { embedder: 'lexical', refit } });
  return similar(store, similarOptions);
}

const recByText = (store: Store, fragment: string) =>
  store.one<{ rec_id: string; doc_id: string; text: string }>(
    `SELECT rec_id, doc_id, text FROM current_recommendations WHERE text LIKE '%' || $1 || '%' ORDER BY rec_id`,
    [fragment],
  );

const snapshot = async (store: Store) => ({
  pairs: await store.all(`SELECT rec_a, rec_b, similarity, same_document, match FROM near_duplicates ORDER BY rec_a, rec_b`),
  groups: await store.all(`SELECT group_id, rec_id, is_medoid, similarity_to_medoid FROM near_duplicate_groups ORDER BY group_id, rec_id`),
  cover: await store.all(`SELECT rec_id, degree, strength, opener FROM near_duplicate_nodes ORDER BY rec_id`),
});

/** The counts every run reports about the tables (not about its own work). */
const TABLE_COUNTS = ['recommendations', 'pairs', 'cross_document_pairs', 'identical_pairs', 'contained_pairs', 'groups', 'grouped_recommendations', 'cross_document_groups', 'surplus_copies', 'star_nodes'];
const tableCounts = (counts: Record<string, unknown>) => Object.fromEntries(TABLE_COUNTS.map((k) => [k, counts[k]]));

/**
 * The tables an incremental run left, checked against a full recompute on the same database (which it
 * then holds); with the incremental run's counts, those too (an incremental run brings the pair counts
 * up to date from the last run's instead of counting every pair).
 */
async function equalToFullRecompute(store: Store, inc?: { counts: Record<string, unknown> }) {
  const incremental = await snapshot(store);
  const full = await similar(store, { all: true });
  expect(await snapshot(store)).toEqual(incremental);
  if (inc) expect(tableCounts(inc.counts)).toEqual(tableCounts(full.counts));
  return incremental;
}

describe('near-duplicates on the sample corpus with a pasted recommendation', () => {
  // The sample database of the global setup plus resolution-06, built once for this file; a test that
  // changes the database works on its own copy of it.
  let pastedDb: string;
  let store: Store;
  let original: { rec_id: string; doc_id: string };
  let pasted: { rec_id: string; doc_id: string };
  const ownCopy = () => Store.open(copyDatabase(pastedDb, 'own.duckdb'));

  beforeAll(async () => {
    const built = await openSampleCopy();
    pastedDb = built.path;
    // Refitted on all 42 texts: the same space a run over the six files from scratch would fit.
    await addDocuments(built, { 'resolution-06.txt': NEW_RESOLUTION }, { all: true }, true);
    built.close();
    store = await Store.open(pastedDb, { readOnly: true });
    original = (await recByText(store, 'для педагогических работников по вопросам совершенствования'))!;
    pasted = (await recByText(store, 'для педагогов по вопросам совершенствования'))!;
  });
  afterAll(() => store?.close());

  it('segments the new resolution so the pasted recommendation is its own row', () => {
    expect(original).toBeDefined();
    expect(pasted).toBeDefined();
    expect(pasted.doc_id).not.toBe(original.doc_id);
  });

  it('finds the pasted copy as a near-duplicate across documents and groups it with the original', async () => {
    const [a, b] = [original.rec_id, pasted.rec_id].sort();
    const pair = await store.one<{ similarity: number; same_document: boolean; match: string }>(
      `SELECT similarity, same_document, match FROM near_duplicates WHERE rec_a = $1 AND rec_b = $2`,
      [a, b],
    );
    expect(pair).toMatchObject({ same_document: false, match: 'similar' });
    const { threshold } = await nearDuplicateThreshold('lexical-v1');
    expect(pair!.similarity).toBeGreaterThanOrEqual(threshold);
    const groups = await store.all<{ rec_id: string; group_id: string }>(`SELECT rec_id, group_id FROM near_duplicate_groups WHERE rec_id IN ($1, $2)`, [a, b]);
    expect(groups).toHaveLength(2);
    expect(groups[0].group_id).toBe(groups[1].group_id);
    const listed = await listDuplicateGroups(store, { minDocs: 2 });
    const g = listed.find((x) => x.group_id === groups[0].group_id)!;
    expect(g.documents).toBe(2);
    expect(g.members.filter((m) => m.is_medoid)).toHaveLength(1);
    expect(g.members.map((m) => m.source_file).sort()).toEqual(['resolution-01.txt', 'resolution-06.txt']);
  });

  it('writes only pairs a < b of current recommendations, every group member at or above the threshold to its medoid, and counts what it wrote', async () => {
    const bad = await store.scalar<number>(
      `SELECT count(*) FROM near_duplicates n WHERE n.rec_a >= n.rec_b
         OR n.rec_a NOT IN (SELECT rec_id FROM current_recommendations) OR n.rec_b NOT IN (SELECT rec_id FROM current_recommendations)`,
    );
    expect(bad).toBe(0);
    const { threshold } = await nearDuplicateThreshold('lexical-v1');
    const members = await store.all<{ similarity_to_medoid: number; is_medoid: boolean }>(`SELECT similarity_to_medoid, is_medoid FROM near_duplicate_groups`);
    expect(members.length).toBeGreaterThanOrEqual(2);
    for (const m of members) expect(m.similarity_to_medoid).toBeGreaterThanOrEqual(m.is_medoid ? 1 : threshold);
    const run = await store.one<{ params: string; counts: string }>(`SELECT params::VARCHAR AS params, counts::VARCHAR AS counts FROM latest_runs WHERE stage = 'similar'`);
    expect(JSON.parse(run!.params)).toMatchObject({ family: 'lexical-v1', threshold, threshold_source: 'calibrated', method: 'exhaustive' });
    // The run's counts are what the tables hold.
    const counts = JSON.parse(run!.counts) as Record<string, number>;
    expect(counts.pairs).toBe(await store.scalar(`SELECT count(*) FROM near_duplicates`));
    expect(counts.groups).toBe(await store.scalar(`SELECT count(DISTINCT group_id) FROM near_duplicate_groups`));
    expect(counts.recommendations).toBe(await store.scalar(`SELECT count(*) FROM current_recommendations`));
    expect(counts.candidates).toBe((counts.texts * (counts.texts - 1)) / 2);
    expect((await stageFreshness(store, 'similar')).fresh).toBe(true);
  });

  it('re-running the stage gives identical tables: unchanged, recomputed, and by LSH', async () => {
    const own = await ownCopy();
    try {
      const before = await snapshot(own);
      expect((await similar(own)).line).toMatch(/^similar: nothing to do/);
      expect(await snapshot(own)).toEqual(before);
      const recomputed = await similar(own, { all: true });
      expect(recomputed.line).not.toMatch(/nothing to do/);
      expect(await snapshot(own)).toEqual(before);
      // LSH over the same vectors finds the same pairs with the same similarities here.
      await similar(own, { method: 'lsh' });
      expect(await snapshot(own)).toEqual(before);
    } finally {
      own.close();
    }
  });

  it('a lower threshold finds more pairs; identical proposals are pairs at any threshold, whoever they are addressed to', async () => {
    const own = await ownCopy();
    try {
      // The same proposal made to two addressees of one resolution, and already in resolution-01.
      await addDocuments(own, {
        'identical.txt': `РЕЗОЛЮЦИЯ\n\nРекомендовать:\n\nМинистерству образования области:\n- ${ORIGINAL};\n\nОбразовательным организациям:\n- ${ORIGINAL}.\n`,
      });
      const copies = await own.all<{ rec_id: string; doc_id: string }>(
        `SELECT rec_id, doc_id FROM current_recommendations WHERE text_hash = (SELECT text_hash FROM recommendations WHERE rec_id = $1) ORDER BY rec_id`,
        [original.rec_id],
      );
      expect(copies).toHaveLength(3);
      const identical = async () =>
        own.all<{ rec_a: string; rec_b: string; similarity: number; same_document: boolean }>(
          `SELECT rec_a, rec_b, similarity, same_document FROM near_duplicates WHERE match = 'identical' AND rec_a IN (SELECT unnest($1::VARCHAR[])) AND rec_b IN (SELECT unnest($1::VARCHAR[])) ORDER BY ALL`,
          [listValue(copies.map((c) => c.rec_id))],
        );
      const expected = [
        [copies[0], copies[1]],
        [copies[0], copies[2]],
        [copies[1], copies[2]],
      ].map(([a, b]) => ({ rec_a: a.rec_id, rec_b: b.rec_id, similarity: 1, same_document: a.doc_id === b.doc_id }));
      expect(await identical()).toEqual(expected);
      const pairsAt: number[] = [];
      for (const threshold of [0.3, 0.999]) {
        await similar(own, { threshold });
        expect(await identical()).toEqual(expected);
        pairsAt.push(await own.scalar<number>(`SELECT count(*) FROM near_duplicates`));
      }
      expect(pairsAt[0]).toBeGreaterThan(pairsAt[1]);
    } finally {
      own.close();
    }
  });

  it('copies of one proposal in one document past the cap are linked to its first copy only', async () => {
    const own = await ownCopy();
    try {
      const cap = config.nearDuplicates.maxCopiesPerDocument;
      const n = cap + 15;
      const item = 'обеспечить повышение квалификации педагогов дополнительного образования';
      const s = await addDocuments(own, { 'repeated.txt': `РЕЗОЛЮЦИЯ\n\nУчастники конференции рекомендуют: ${`${item}; `.repeat(n)}\n` });
      const ids = (await own.all<{ rec_id: string }>(`SELECT rec_id FROM current_recommendations WHERE text = $1 ORDER BY rec_id`, [item])).map((r) => r.rec_id);
      expect(ids).toHaveLength(n);
      const pairs = await own.all<{ rec_a: string; rec_b: string }>(
        `SELECT rec_a, rec_b FROM near_duplicates WHERE rec_a IN (SELECT unnest($1::VARCHAR[])) OR rec_b IN (SELECT unnest($1::VARCHAR[]))`,
        [listValue(ids)],
      );
      // All pairs among the first `cap` copies, and one link for each copy beyond them: not n(n−1)/2.
      expect(pairs).toHaveLength((cap * (cap - 1)) / 2 + (n - cap));
      const linked = new Set(pairs.map((p) => `${p.rec_a}|${p.rec_b}`));
      for (const extra of ids.slice(cap)) expect(linked.has(`${ids[0]}|${extra}`)).toBe(true);
      expect(s.counts.surplus_copies).toBe(n - cap);
      expect(s.line).toContain(`${n - cap} repeated cop(ies) of a proposal within one document linked to its first copy only`);
      // One group holds them all, around the first copy.
      const groups = await own.all<{ group_id: string; n: number; medoid: string }>(
        `SELECT group_id, count(*) AS n, any_value(rec_id) FILTER (WHERE is_medoid) AS medoid FROM near_duplicate_groups WHERE rec_id IN (SELECT unnest($1::VARCHAR[])) GROUP BY group_id`,
        [listValue(ids)],
      );
      expect(groups).toEqual([{ group_id: ids[0], n, medoid: ids[0] }]);
      // The incremental path keeps the same rule: the tables equal a full recompute.
      await addDocuments(own, { 'later.txt': `РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- ${item};\n- развивать школьные театры.\n` });
      await equalToFullRecompute(own);
    } finally {
      own.close();
    }
  });

  it('similar returns the exact recommendation first when queried with its own text', async () => {
    const r = await searchSimilar(store, ORIGINAL, { top: 5 });
    expect(r.hits[0].rec_id).toBe(original.rec_id);
    expect(r.hits[0].score).toBeGreaterThan(0.999);
    expect(r.hits[1].rec_id).toBe(pasted.rec_id);
    const where = await store.one(`SELECT source_file, year, addressee_type, line_start FROM current_recommendations WHERE rec_id = $1`, [original.rec_id]);
    expect(r.hits[0]).toMatchObject(where!);
    for (let i = 1; i < r.hits.length; i++) expect(r.hits[i - 1].score).toBeGreaterThanOrEqual(r.hits[i].score);
    const some = await searchSimilar(store, 'поддержка семей, воспитывающих детей с ОВЗ', { top: 3, minScore: 0.2 });
    expect(some.hits.length).toBeGreaterThan(0);
    for (const h of some.hits) expect(h.score).toBeGreaterThanOrEqual(0.2);
  });

  it('SQL in the query text is inert: it ranks as its words do, and every table is intact', async () => {
    const count = (t: string) => store.scalar<number>(`SELECT count(*) FROM ${t}`);
    const before = { recs: await count('recommendations'), docs: await count('documents') };
    const ranking = async (q: string) => (await searchSimilar(store, q, { top: 5 })).hits.map((h) => [h.rec_id, Number(h.score.toFixed(6))]);
    for (const [q, words] of [
      [`психолого-педагогического сопровождения'; DROP TABLE recommendations; --`, 'психолого-педагогического сопровождения DROP TABLE recommendations'],
      [`"родителей" 'обучающихся' ) OR 1=1; DELETE FROM documents; --`, 'родителей обучающихся OR DELETE FROM documents'],
      [`методических рекомендаций $1 \\' UNION SELECT * FROM documents --`, 'методических рекомендаций UNION SELECT FROM documents'],
    ]) {
      const hits = await ranking(q);
      expect(hits).toHaveLength(5);
      expect(hits).toEqual(await ranking(words));
    }
    // Nothing but SQL: no word the embedder knows, so nothing is similar (and nothing breaks).
    expect(await searchSimilar(store, "'; DROP TABLE recommendations; --", { top: 3 })).toMatchObject({ emptyQuery: true, hits: [] });
    expect({ recs: await count('recommendations'), docs: await count('documents') }).toEqual(before);
    // Document names given to compare are parameters too: SQL in them finds nothing and harms nothing.
    for (const name of ["x' OR '1'='1", "resolution-01.txt'; DELETE FROM documents; --"]) {
      await expect(resolveDocument(store, name)).rejects.toBeInstanceOf(ConfrecError);
    }
    expect(await count('documents')).toBe(before.docs);
  });

  it('compare of a document with itself matches everything', async () => {
    const c = await compareDocuments(store, 'resolution-01.txt', 'resolution-01.txt');
    const n = await store.scalar<number>(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [c.a.doc_id]);
    expect(c.shared).toHaveLength(n);
    expect(c.onlyA).toEqual([]);
    expect(c.onlyB).toEqual([]);
    for (const s of c.shared) {
      expect(s.a.rec_id).toBe(s.b.rec_id);
      expect(s.score).toBe(1);
    }
  });

  it('compare of two documents: shared and unique lists add up, the pasted copy is shared', async () => {
    for (const [x, y] of [
      ['resolution-01.txt', 'resolution-02.txt'],
      ['resolution-01.txt', 'resolution-06.txt'],
    ]) {
      const c = await compareDocuments(store, x, y);
      const nA = await store.scalar<number>(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [c.a.doc_id]);
      const nB = await store.scalar<number>(`SELECT count(*) FROM recommendations WHERE doc_id = $1`, [c.b.doc_id]);
      expect(c.shared.length + c.onlyA.length).toBe(nA);
      expect(c.shared.length + c.onlyB.length).toBe(nB);
      expect(new Set(c.shared.map((s) => s.a.rec_id)).size).toBe(c.shared.length);
      expect(new Set(c.shared.map((s) => s.b.rec_id)).size).toBe(c.shared.length);
      for (const s of c.shared) expect(s.score).toBeGreaterThanOrEqual(c.threshold);
    }
    const c = await compareDocuments(store, 'resolution-01.txt', pasted.doc_id);
    expect(c.shared.map((s) => [s.a.rec_id, s.b.rec_id])).toEqual([[original.rec_id, pasted.rec_id]]);
    expect(c.onlyB).toHaveLength(2);
    // A lower threshold can only add matches.
    const loose = await compareDocuments(store, 'resolution-01.txt', 'resolution-02.txt', { threshold: 0.2 });
    expect(loose.shared.length).toBeGreaterThanOrEqual((await compareDocuments(store, 'resolution-01.txt', 'resolution-02.txt')).shared.length);
  });

  it('a missing document is a ConfrecError that lists the closest names', async () => {
    await expect(compareDocuments(store, 'resolution-1.txt', 'resolution-02.txt')).rejects.toThrow(ConfrecError);
    await expect(resolveDocument(store, 'resolution-1.txt')).rejects.toThrow(/no current document named "resolution-1.txt"; closest names:[\s\S]*resolution-01\.txt/);
    const doc = await resolveDocument(store, original.doc_id);
    expect((await resolveDocument(store, original.doc_id.slice(0, 8))).doc_id).toBe(doc.doc_id);
  });

  it('exports near_duplicates and near_duplicate_groups as CSV', async () => {
    const out = join(tempDir(), 'nd.csv');
    const n = await exportTable(store, 'near_duplicates', 'csv', out);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('rec_a,rec_b,similarity,same_document,run_id,match');
    expect(n).toBe(await store.scalar(`SELECT count(*) FROM near_duplicates`));
    expect(lines).toHaveLength(n + 1);
    expect(await exportTable(store, 'near_duplicate_groups', 'csv', join(tempDir(), 'g.csv'))).toBe(await store.scalar(`SELECT count(*) FROM near_duplicate_groups`));
  });

  it('calibration separates edited copies from unrelated pairs on this corpus', async () => {
    const file = join(tempDir(), 'cal.json');
    const r = await calibrateNearDuplicates(store, { file, seed: 3 });
    expect(r.family).toBe('lexical-v1');
    expect(r.entry.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.entry.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.entry.threshold).toBeGreaterThan(0.3);
    expect(r.entry.threshold).toBeLessThan(1);
    expect(Object.keys(r.entry.recallByEdit).sort()).toEqual([...EDIT_KINDS].sort());
    expect(JSON.parse(readFileSync(file, 'utf8'))['lexical-v1'].threshold).toBe(r.entry.threshold);
    // Same seed, same corpus → same threshold.
    expect((await calibrateNearDuplicates(store, { save: false, seed: 3 })).entry.threshold).toBe(r.entry.threshold);
  });

  it('after a new resolution only its pairs are computed, and the tables equal a full recompute', async () => {
    const own = await ownCopy();
    try {
      const inc = await addDocuments(own, { 'resolution-07.txt': `РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- ${ORIGINAL} в 2026 году;\n- развивать школьные театры.\n` });
      // Groups updated around the new pairs only (groups/incremental.ts), from the state the full run kept.
      // A corpus this small keeps no codes of its vectors: the scan reads the vectors.
      expect(inc.counts).toMatchObject({ incremental: true, coded: false, new_recommendations: 2, removed_recommendations: 0, groups_updated: 'local', pair_counts: 'delta' });
      // Nor the text_hash index on embeddings (every append would make the checkpoint rewrite the table's last row group).
      expect(await own.scalar<number>(`SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'embeddings'`)).toBe(0);
      const incremental = await equalToFullRecompute(own, inc);
      expect(incremental.pairs.length).toBeGreaterThan(1);
      expect(incremental.cover).toHaveLength(Number(inc.counts.star_nodes));
    } finally {
      own.close();
    }
  });

  it("with the vectors' codes kept (as from 200,000 texts on), an incremental run scans the codes and the tables still equal a full recompute", async () => {
    const own = await ownCopy();
    const saved = config.nearDuplicates.codesFromTexts;
    try {
      config.nearDuplicates.codesFromTexts = 1;
      const full = await similar(own, { all: true });
      const space = `(SELECT count(*) FROM embeddings WHERE embedder = (SELECT embedder FROM current_embeddings LIMIT 1))`;
      expect(full.counts.vector_codes).toBe(await own.scalar<number>(`SELECT ${space}`));
      expect(Number(full.counts.vector_codes)).toBeGreaterThan(40);
      // The codes' candidates are looked up through the text_hash index, made with them.
      const indexes = `SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'embeddings' AND index_name = 'embeddings_text_hash'`;
      expect(await own.scalar<number>(indexes)).toBe(1);
      const inc = await addDocuments(own, { 'resolution-12.txt': `РЕЗОЛЮЦИЯ\n\nУчастники конференции рекомендуют:\n- ${ORIGINAL} в малых городах;\n- создать сеть школьных музеев.\n` });
      expect(inc.counts).toMatchObject({ incremental: true, coded: true, new_recommendations: 2, groups_updated: 'local' });
      // The new texts' codes were added, so the next run finds them complete again.
      expect(await own.scalar<number>(`SELECT count(*) FROM vector_codes`)).toBe(await own.scalar<number>(`SELECT ${space}`));
      const incremental = await equalToFullRecompute(own, inc);
      expect(incremental.pairs.length).toBeGreaterThan(1);
      // Back under the limit, a full run drops the codes and the index with them.
      config.nearDuplicates.codesFromTexts = saved;
      expect((await similar(own, { all: true })).counts.vector_codes).toBe(0);
      expect(await own.scalar<number>(indexes)).toBe(0);
    } finally {
      config.nearDuplicates.codesFromTexts = saved;
      own.close();
    }
  });

  it('a second new copy of a proposal: the first copy\'s stored pairs stay as written, only the rows that change are deleted or appended', async () => {
    const own = await ownCopy();
    try {
      const file = (other: string) => `РЕЗОЛЮЦИЯ\n\nУчастники конференции рекомендуют:\n- ${ORIGINAL} в сельских школах;\n- ${other}.\n`;
      await addDocuments(own, { 'resolution-10.txt': file('развивать школьные театры') });
      const first = await own.scalar<number>(`SELECT max(run_id) FROM near_duplicates`);
      const inc = await addDocuments(own, { 'resolution-11.txt': file('открыть школьные музеи') });
      expect(inc.counts).toMatchObject({ incremental: true, new_recommendations: 2, groups_updated: 'local', pair_counts: 'delta' });
      const second = await own.scalar<number>(`SELECT max(run_id) FROM near_duplicates`);
      expect(second).toBeGreaterThan(first);
      const newRecs = `(SELECT rec_id FROM current_recommendations r JOIN documents d USING (doc_id) WHERE d.source_path LIKE '%resolution-11.txt')`;
      // Every row the second run wrote has a recommendation of the second file at one end …
      expect(await own.scalar<number>(`SELECT count(*) FROM near_duplicates WHERE run_id = ${second} AND rec_a NOT IN ${newRecs} AND rec_b NOT IN ${newRecs}`)).toBe(0);
      expect(await own.scalar<number>(`SELECT count(*) FROM near_duplicates WHERE run_id = ${second}`)).toBeGreaterThan(0);
      // … while the first file's pairs (its texts gained a recommendation, so they were compared again) kept theirs.
      const oldRecs = newRecs.replace('resolution-11.txt', 'resolution-10.txt');
      expect(await own.scalar<number>(`SELECT count(*) FROM near_duplicates WHERE run_id = ${first} AND (rec_a IN ${oldRecs} OR rec_b IN ${oldRecs})`)).toBeGreaterThan(0);
      await equalToFullRecompute(own, inc);
    } finally {
      own.close();
    }
  });

  it('after a resolution is taken away its pairs go, groups are updated locally, and the tables equal a full recompute', async () => {
    const own = await ownCopy();
    try {
      const before = await snapshot(own);
      const gone = pasted.rec_id;
      expect(before.groups.some((g) => (g as { rec_id: string }).rec_id === gone)).toBe(true);
      await own.run(`UPDATE documents SET is_current = false WHERE doc_id = $1`, [pasted.doc_id]);
      const inc = await similar(own);
      expect(inc.counts).toMatchObject({ incremental: true, new_recommendations: 0, groups_updated: 'local', pair_counts: 'delta' });
      expect(Number(inc.counts.removed_recommendations)).toBeGreaterThan(0);
      expect(JSON.stringify(await equalToFullRecompute(own, inc))).not.toContain(gone);
    } finally {
      own.close();
    }
  });

  it('a database without the cover state (an older confrec) gets its groups from all pairs, and the state with them', async () => {
    const own = await ownCopy();
    try {
      await own.run('DELETE FROM near_duplicate_nodes');
      const inc = await addDocuments(own, { 'resolution-08.txt': `РЕЗОЛЮЦИЯ\n\nУчастники совещания рекомендуют:\n- ${ORIGINAL};\n- открыть школьные музеи.\n` });
      expect(inc.counts).toMatchObject({ incremental: true, groups_updated: 'all' });
      expect((await equalToFullRecompute(own, inc)).cover.length).toBeGreaterThan(0);
    } finally {
      own.close();
    }
  });

  it('pairs the last run did not count (a row written behind its back) make the counts a scan of every pair again', async () => {
    const own = await ownCopy();
    try {
      await own.run(`DELETE FROM near_duplicates WHERE rowid = (SELECT min(rowid) FROM near_duplicates WHERE NOT same_document)`);
      const inc = await addDocuments(own, { 'resolution-09.txt': `РЕЗОЛЮЦИЯ\n\nУчастники форума рекомендуют:\n- ${ORIGINAL} в регионах;\n- поддержать сельские школы.\n` });
      expect(inc.counts).toMatchObject({ incremental: true, pair_counts: 'scan' });
      expect(Number(inc.counts.pairs)).toBe(await own.scalar<number>('SELECT count(*) FROM near_duplicates'));
      expect(Number(inc.counts.cross_document_pairs)).toBe(await own.scalar<number>('SELECT count(*) FROM near_duplicates WHERE NOT same_document'));
    } finally {
      own.close();
    }
  });
});

describe('document names', () => {
  it('two current files of one name are ambiguous: a ConfrecError listing both with doc_ids', async () => {
    const dir = tempDir();
    const sample = readFileSync(join(SAMPLE_DIR, 'resolution-02.txt'), 'utf8');
    for (const sub of ['2023', '2024']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'resolution.txt'), `${sample}\n\nВариант ${sub}.\n`);
    }
    const store = await Store.open(join(tempDir(), 'names.duckdb'));
    try {
      await ingestFolder(store, dir, { ...log, options: { rehash: false } });
      const err = await resolveDocument(store, 'resolution.txt').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfrecError);
      const message = (err as ConfrecError).message;
      expect(message).toMatch(/"resolution.txt" names 2 current documents/);
      expect(message).toMatch(/2023[/\\]resolution\.txt/);
      expect(message).toMatch(/2024[/\\]resolution\.txt/);
      expect((err as ConfrecError).hint).toMatch(/doc_id/);
      const ids = await store.all<{ doc_id: string }>(`SELECT doc_id FROM documents ORDER BY source_path`);
      expect((await resolveDocument(store, ids[0].doc_id)).source_path).toMatch(/2023/);
      expect((await resolveDocument(store, join(dir, '2024', 'resolution.txt'))).doc_id).toBe(ids[1].doc_id);
    } finally {
      store.close();
    }
  });
});


describe('LSH', () => {
  it('recall against the exhaustive scan is at least 0.95 on 3,000 generated vectors', async () => {
    const store = await Store.open(':memory:');
    try {
      const dim = 64;
      const vectors = clusteredVectors(3000, dim, 11);
      const scratch = new Scratch(store, 'test');
      const staged = await vectorTable(scratch, vectors.map((_, i) => `h${String(i).padStart(5, '0')}`), Float32Array.from(vectors.flat()), dim);
      // The stage's cosine is DuckDB's array_cosine_similarity on FLOAT arrays, bit for bit (pairs/cosine.ts).
      const gen = await scratch.table<{ idx: number; v: number[] }>('gen', { idx: INTEGER, v: LIST(FLOAT) });
      await gen.append(vectors.slice(0, 300).map((v, i) => ({ idx: i, v })));
      const sql = await store.columns<{ i: number[]; j: number[]; s: number[] }>(
        `SELECT a.idx AS i, b.idx AS j, array_cosine_similarity(a.v::FLOAT[${dim}], b.v::FLOAT[${dim}])::DOUBLE AS s FROM ${gen.name} a JOIN ${gen.name} b ON a.idx < b.idx`,
      );
      expect(sql.s.length).toBe((300 * 299) / 2);
      const differ = sql.s.filter((x, k) => cosineAt(staged.data, dim, staged.sq, sql.i[k], sql.j[k]) !== x).length;
      expect(differ).toBe(0);
      for (const threshold of [0.8, 0.9]) {
        const params = lshParams(threshold, dim);
        expect(candidateProbability(threshold, params.bitsPerBand, params.bands)).toBeGreaterThanOrEqual(0.95);
        const r = await measureLshRecall(store, scratch, staged, threshold, params);
        expect(r.truth).toBeGreaterThan(1000);
        expect(r.recall).toBeGreaterThanOrEqual(0.95);
        // The point of the index: far fewer exact cosines than the 4.5 million pairs.
        expect(r.verified).toBeLessThan((3000 * 2999) / 2 / 20);
        // Every LSH pair is a true pair with the exhaustive similarity (one definition decides both, pairs/cosine.ts).
        expect(await store.scalar<number>(`SELECT count(*) FROM ${r.pairs.name} WHERE similarity < $1`, [threshold])).toBe(0);
      }
      // Same seed → same pairs.
      const params = lshParams(0.85, dim, { seed: 5 });
      const once = await measureLshRecall(store, scratch, staged, 0.85, params);
      const first = await store.all(`SELECT i, j FROM ${once.pairs.name} ORDER BY i, j`);
      const twice = await measureLshRecall(store, scratch, staged, 0.85, params);
      expect(await store.all(`SELECT i, j FROM ${twice.pairs.name} ORDER BY i, j`)).toEqual(first);
      await scratch.dispose();
    } finally {
      store.close();
    }
  });
});

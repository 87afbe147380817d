import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOAT, INTEGER, LIST, VARCHAR } from '@duckdb/node-api';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { exportTable } from '../../pipeline/export/export.js';
import { nearDuplicatesStage } from '../../pipeline/similar/stage.js';
import { searchSimilar } from '../../pipeline/similar/queries/search.js';
import { compareDocuments } from '../../pipeline/similar/queries/compare.js';
import { resolveDocument } from '../../pipeline/similar/queries/documents.js';
import { listDuplicateGroups } from '../../pipeline/similar/queries/duplicates.js';
import { stageFreshness } from '../../pipeline/freshness.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { groupNearDuplicates } from '../../pipeline/similar/groups/groups.js';
import { candidateProbability, lshParams } from '../../pipeline/similar/pairs/lsh.js';
import { measureLshRecall, pairRecall, pairKey } from '../../tools/near-duplicates/recall.js';
import { fitThreshold } from '../../pipeline/similar/calibration/fit-threshold.js';
import { EDIT_KINDS, editText, splice } from '../../pipeline/similar/calibration/edits.js';
import { calibrateNearDuplicates } from '../../pipeline/similar/calibration/calibrate.js';
import { nearDuplicateThreshold, DEFAULT_NEAR_DUPLICATE_THRESHOLD } from '../../pipeline/similar/calibration/thresholds.js';
import { fwht } from '../../pipeline/similar/pairs/rotation.js';
import { sampleCopy, tempDir } from '../helpers/tmp.js';

const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } as Record<string, unknown> };

const ORIGINAL = 'осуществлять разработку методических рекомендаций для педагогических работников по вопросам совершенствования организации образовательной деятельности воспитанников с ОВЗ';
// The same recommendation as pasted into a later resolution: a synonym (one word for two) and a phrase added.
const PASTED = 'осуществлять разработку методических рекомендаций для педагогов по вопросам совершенствования организации образовательной деятельности воспитанников с ОВЗ в 2025 году';

const NEW_RESOLUTION = `Резолюция
региональной научно-практической конференции «Инклюзивное образование: практики сопровождения»

г. Череповец

15.03.2025

Региональная научно-практическая конференция «Инклюзивное образование: практики сопровождения» состоялась 15 марта 2025 г. В ней приняли участие более 150 педагогов.

По итогам конференции участники рекомендуют:

Образовательным организациям:

- ${PASTED};

- организовать летние профильные смены для школьников, проявивших интерес к естественным наукам, с привлечением вузов;

- создать школьные службы медиации во всех общеобразовательных организациях города.
`;

async function buildCorpusDb(dir: string, file: string): Promise<Store> {
  const store = await Store.open(file);
  await ingestFolder(store, dir, ctx);
  await segmentStage.run(store, ctx);
  await embedStage.run(store, ctx);
  return store;
}

const recByText = (store: Store, fragment: string) =>
  store.one<{ rec_id: string; doc_id: string; text: string }>(
    `SELECT r.rec_id, r.doc_id, r.text FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current AND r.text LIKE '%' || $1 || '%' ORDER BY rec_id`,
    [fragment],
  );

describe('near-duplicates on the sample corpus with a pasted recommendation', () => {
  let store: Store;
  let original: { rec_id: string; doc_id: string };
  let pasted: { rec_id: string; doc_id: string };

  beforeAll(async () => {
    const corpus = sampleCopy();
    writeFileSync(join(corpus, 'resolution-06.txt'), NEW_RESOLUTION);
    store = await buildCorpusDb(corpus, join(tempDir(), 'similar.duckdb'));
    await nearDuplicatesStage.run(store, ctx);
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
    const pair = await store.one<{ similarity: number; same_document: boolean }>(
      `SELECT similarity, same_document FROM near_duplicates WHERE rec_a = $1 AND rec_b = $2`,
      [a, b],
    );
    expect(pair).toBeDefined();
    expect(pair!.same_document).toBe(false);
    const { threshold } = await nearDuplicateThreshold('lexical-v1');
    expect(pair!.similarity).toBeGreaterThanOrEqual(threshold);
    const groups = await store.all<{ rec_id: string; group_id: string }>(`SELECT rec_id, group_id FROM near_duplicate_groups WHERE rec_id IN ($1, $2)`, [a, b]);
    expect(groups).toHaveLength(2);
    expect(groups[0].group_id).toBe(groups[1].group_id);
    const listed = await listDuplicateGroups(store, { minDocs: 2 });
    const g = listed.find((x) => x.group_id === groups[0].group_id)!;
    expect(g.documents).toBe(2);
    expect(g.members.filter((m) => m.is_medoid)).toHaveLength(1);
    for (const m of g.members) expect(m.source_file).toMatch(/^resolution-0\d\.txt$/);
  });

  it('writes only pairs a < b of current recommendations, every group member at or above the threshold to its medoid', async () => {
    const bad = await store.scalar<number>(
      `SELECT count(*) FROM near_duplicates n WHERE n.rec_a >= n.rec_b
         OR n.rec_a NOT IN (SELECT rec_id FROM recommendations) OR n.rec_b NOT IN (SELECT rec_id FROM recommendations)`,
    );
    expect(bad).toBe(0);
    const { threshold } = await nearDuplicateThreshold('lexical-v1');
    const members = await store.all<{ similarity_to_medoid: number; is_medoid: boolean }>(`SELECT similarity_to_medoid, is_medoid FROM near_duplicate_groups`);
    expect(members.length).toBeGreaterThanOrEqual(2);
    for (const m of members) expect(m.similarity_to_medoid).toBeGreaterThanOrEqual(m.is_medoid ? 1 : threshold);
    const run = await store.one<{ params: string; counts: string }>(`SELECT params::VARCHAR AS params, counts::VARCHAR AS counts FROM runs WHERE stage = 'similar' ORDER BY run_id DESC LIMIT 1`);
    const params = JSON.parse(run!.params);
    expect(params).toMatchObject({ family: 'lexical-v1', threshold, threshold_source: 'calibrated', method: 'exhaustive' });
    expect(JSON.parse(run!.counts)).toMatchObject({ pairs: expect.any(Number), groups: expect.any(Number), candidates: expect.any(Number) });
    expect((await stageFreshness(store, 'similar')).fresh).toBe(true);
  });

  it('re-running the stage gives identical tables', async () => {
    const snapshot = async () => ({
      pairs: await store.all(`SELECT rec_a, rec_b, similarity, same_document, match FROM near_duplicates ORDER BY rec_a, rec_b`),
      groups: await store.all(`SELECT group_id, rec_id, is_medoid, similarity_to_medoid FROM near_duplicate_groups ORDER BY group_id, rec_id`),
    });
    const before = await snapshot();
    const again = await nearDuplicatesStage.run(store, ctx);
    expect(again.line).toMatch(/^similar: nothing to do/);
    expect(await snapshot()).toEqual(before);
    const recomputed = await nearDuplicatesStage.run(store, { ...ctx, options: { ...ctx.options, all: true } });
    expect(recomputed.line).not.toMatch(/nothing to do/);
    expect(await snapshot()).toEqual(before);
    // LSH over the same vectors finds the same pairs with the same similarities here.
    await nearDuplicatesStage.run(store, { ...ctx, options: { ...ctx.options, method: 'lsh' } });
    expect(await snapshot()).toEqual(before);
    await nearDuplicatesStage.run(store, ctx);
  });

  it('a lower threshold finds more pairs, identical texts are always pairs', async () => {
    await nearDuplicatesStage.run(store, { ...ctx, options: { ...ctx.options, threshold: 0.3 } });
    const loose = await store.scalar<number>(`SELECT count(*) FROM near_duplicates`);
    await nearDuplicatesStage.run(store, ctx);
    const strict = await store.scalar<number>(`SELECT count(*) FROM near_duplicates`);
    expect(loose).toBeGreaterThan(strict);
  });

  it('similar returns the exact recommendation first when queried with its own text', async () => {
    const r = await searchSimilar(store, ORIGINAL, { top: 5 });
    expect(r.hits[0].rec_id).toBe(original.rec_id);
    expect(r.hits[0].score).toBeGreaterThan(0.999);
    expect(r.hits[1].rec_id).toBe(pasted.rec_id);
    expect(r.hits[0]).toMatchObject({ source_file: 'resolution-01.txt', year: 2024, addressee_type: expect.any(String) });
    expect(r.hits[0].line_start).toBeGreaterThan(1);
    for (let i = 1; i < r.hits.length; i++) expect(r.hits[i - 1].score).toBeGreaterThanOrEqual(r.hits[i].score);
    const some = await searchSimilar(store, 'поддержка семей, воспитывающих детей с ОВЗ', { top: 3, minScore: 0.2 });
    expect(some.hits.length).toBeGreaterThan(0);
    for (const h of some.hits) expect(h.score).toBeGreaterThanOrEqual(0.2);
  });

  it('SQL in the query text is inert: results come back and every table is intact', async () => {
    const count = () => store.scalar<number>(`SELECT count(*) FROM recommendations`);
    const before = await count();
    for (const q of [
      "'; DROP TABLE recommendations; --",
      `психолого-педагогического сопровождения'; DROP TABLE recommendations; --`,
      `"родителей" 'обучающихся' ) OR 1=1; DELETE FROM documents; --`,
      `методических рекомендаций $1 \\' UNION SELECT * FROM documents --`,
    ]) {
      const r = await searchSimilar(store, q, { top: 3 });
      expect(Array.isArray(r.hits)).toBe(true);
    }
    expect((await searchSimilar(store, `психолого-педагогического сопровождения'; DROP TABLE recommendations; --`, { top: 3 })).hits).toHaveLength(3);
    expect(await count()).toBe(before);
    expect(await store.scalar<number>(`SELECT count(*) FROM documents`)).toBe(6);
    // Document names given to compare are parameters too: SQL in them finds nothing and harms nothing.
    for (const name of ["x' OR '1'='1", "resolution-01.txt'; DELETE FROM documents; --"]) {
      await expect(resolveDocument(store, name)).rejects.toBeInstanceOf(ConfrecError);
    }
    expect(await store.scalar<number>(`SELECT count(*) FROM documents`)).toBe(6);
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
    expect(lines).toHaveLength(n + 1);
    expect(await exportTable(store, 'near_duplicate_groups', 'csv', join(tempDir(), 'g.csv'))).toBeGreaterThanOrEqual(2);
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
    const snapshot = async () => ({
      pairs: await store.all(`SELECT rec_a, rec_b, similarity, same_document, match FROM near_duplicates ORDER BY rec_a, rec_b`),
      groups: await store.all(`SELECT group_id, rec_id, is_medoid, similarity_to_medoid FROM near_duplicate_groups ORDER BY group_id, rec_id`),
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'resolution-07.txt'), `РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- ${ORIGINAL} в 2026 году;\n- развивать школьные театры.\n`);
    await ingestFolder(store, dir, ctx);
    await segmentStage.run(store, ctx);
    await embedStage.run(store, ctx);
    const inc = await nearDuplicatesStage.run(store, ctx);
    expect(inc.counts).toMatchObject({ incremental: true, new_recommendations: 2, removed_recommendations: 0 });
    const incremental = await snapshot();
    expect(incremental.pairs.length).toBeGreaterThan(1);
    await nearDuplicatesStage.run(store, { ...ctx, options: { ...ctx.options, all: true } });
    expect(await snapshot()).toEqual(incremental);
  });

});

describe('document names', () => {
  it('two current files of one name are ambiguous: a ConfrecError listing both with doc_ids', async () => {
    const dir = tempDir();
    const sample = readFileSync(join(__dirname, '..', '..', 'data', 'resolutions', 'resolution-02.txt'), 'utf8');
    for (const sub of ['2023', '2024']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'resolution.txt'), `${sample}\n\nВариант ${sub}.\n`);
    }
    const store = await Store.open(join(tempDir(), 'names.duckdb'));
    try {
      await ingestFolder(store, dir, ctx);
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

/** Unit vectors around random centres, with noise spread so that in-cluster cosines straddle the threshold. */
function clusteredVectors(n: number, dim: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  const gauss = normalish(rand);
  const unit = (v: number[]) => {
    const s = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    return v.map((x) => x / s);
  };
  const centres = Array.from({ length: Math.ceil(n / 20) }, () => unit(Array.from({ length: dim }, gauss)));
  return Array.from({ length: n }, () => {
    const c = centres[Math.floor(rand() * centres.length)];
    const sigma = 0.15 + 0.7 * rand();
    return unit(c.map((x) => x + (sigma * gauss()) / Math.sqrt(dim)));
  });
}

describe('LSH', () => {
  it('recall against the exhaustive scan is at least 0.95 on 3,000 generated vectors', async () => {
    const store = await Store.open(':memory:');
    try {
      const dim = 64;
      const vectors = clusteredVectors(3000, dim, 11);
      const scratch = new Scratch(store, 'test');
      const gen = await scratch.table<{ idx: number; text_hash: string; v: number[] }>('gen', { idx: INTEGER, text_hash: VARCHAR, v: LIST(FLOAT) });
      await gen.append(vectors.map((v, i) => ({ idx: i, text_hash: `h${i}`, v })));
      const table = await scratch.query(
        'vectors',
        `SELECT idx, text_hash, v::FLOAT[${dim}] AS v, sqrt(array_inner_product(v::FLOAT[${dim}], v::FLOAT[${dim}]))::DOUBLE AS norm FROM ${gen.name}`,
      );
      const staged = { table, dim, count: vectors.length };
      for (const threshold of [0.8, 0.9]) {
        const params = lshParams(threshold, dim);
        expect(candidateProbability(threshold, params.bitsPerBand, params.bands)).toBeGreaterThanOrEqual(0.95);
        const r = await measureLshRecall(store, scratch, staged, threshold, params);
        expect(r.truth).toBeGreaterThan(1000);
        expect(r.recall).toBeGreaterThanOrEqual(0.95);
        // The point of the index: far fewer exact cosines than the 4.5 million pairs.
        expect(r.verified).toBeLessThan((3000 * 2999) / 2 / 20);
        // Every LSH pair is a true pair with the exhaustive similarity (same SQL decides both).
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

  it('picks enough bands for the target recall at the threshold', () => {
    const p = lshParams(0.85, 256);
    expect(p.bitsPerBand).toBe(16);
    expect(candidateProbability(0.85, 16, p.bands)).toBeGreaterThanOrEqual(0.95);
    expect(p.rotations).toBe(Math.ceil(p.bands / 16));
    expect(lshParams(0.95, 256).bands).toBeLessThan(p.bands);
    expect(lshParams(0.85, 384).rotations).toBeGreaterThanOrEqual(1);
    expect(() => lshParams(0.85, 256, { bitsPerBand: 40 })).toThrow(ConfrecError);
  });

  it('the Walsh–Hadamard transform is its own inverse up to n and keeps angles', () => {
    const a = Float64Array.from({ length: 8 }, (_, i) => i - 3);
    const b = Float64Array.from(a);
    fwht(b);
    fwht(b);
    expect(Array.from(b).map((x) => x / 8)).toEqual(Array.from(a));
  });

  it('pairRecall counts found true pairs', () => {
    expect(pairRecall([[1, 2], [3, 4]], new Set([pairKey(2, 1)]))).toEqual({ truth: 2, found: 1, recall: 0.5 });
  });
});

describe('groups do not chain', () => {
  it('A≈B and B≈C without A≈C are not one group; every member is linked to the medoid', () => {
    const pairs = [
      { a: 'a', b: 'b', similarity: 0.9 },
      { a: 'b', b: 'c', similarity: 0.9 },
      { a: 'c', b: 'd', similarity: 0.95 },
      { a: 'x', b: 'y', similarity: 1 },
      { a: 'x', b: 'z', similarity: 0.92 },
      { a: 'y', b: 'z', similarity: 0.91 },
    ];
    const sim = new Map(pairs.flatMap((p) => [[`${p.a}|${p.b}`, p.similarity], [`${p.b}|${p.a}`, p.similarity]]));
    const groups = groupNearDuplicates(pairs);
    // a-b-c-d is a chain: connected components would make it one group; the star around c leaves a out.
    expect(groups.map((g) => [g.groupId, g.medoid, g.members.map((m) => m.recId)])).toEqual([
      ['b', 'c', ['b', 'c', 'd']],
      ['x', 'x', ['x', 'y', 'z']],
    ]);
    for (const g of groups) {
      expect(g.members.filter((m) => m.isMedoid)).toHaveLength(1);
      for (const m of g.members) expect(m.similarityToMedoid).toBe(m.isMedoid ? 1 : sim.get(`${m.recId}|${g.medoid}`));
    }
  });

  it('is deterministic whatever the order of the pairs', () => {
    const pairs = [
      { a: 'p', b: 'q', similarity: 0.9 },
      { a: 'q', b: 'r', similarity: 0.88 },
      { a: 'p', b: 'r', similarity: 0.87 },
      { a: 'r', b: 's', similarity: 0.86 },
    ];
    expect(groupNearDuplicates([...pairs].reverse())).toEqual(groupNearDuplicates(pairs));
  });

  it('on random graphs: stars around a medoid, disjoint, the same for any pair order', () => {
    const edges = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 }), fc.double({ min: 0.8, max: 1, noNaN: true })), {
      selector: ([a, b]) => `${Math.min(a, b)}|${Math.max(a, b)}`,
      maxLength: 80,
    });
    fc.assert(
      fc.property(edges, (raw) => {
        const id = (k: number) => `r${String(k).padStart(2, '0')}`;
        const pairs = raw.filter(([a, b]) => a !== b).map(([a, b, s]) => ({ a: id(a), b: id(b), similarity: s }));
        const linked = new Set(pairs.flatMap((p) => [`${p.a}|${p.b}`, `${p.b}|${p.a}`]));
        const groups = groupNearDuplicates(pairs);
        const seen = new Set<string>();
        for (const g of groups) {
          expect(g.members.length).toBeGreaterThanOrEqual(2);
          for (const m of g.members) {
            expect(seen.has(m.recId)).toBe(false);
            seen.add(m.recId);
            if (!m.isMedoid) expect(linked.has(`${m.recId}|${g.medoid}`)).toBe(true);
          }
        }
        expect(groupNearDuplicates([...pairs].reverse().map((p) => ({ a: p.b, b: p.a, similarity: p.similarity })))).toEqual(groups);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('calibration pieces', () => {
  it('fitThreshold puts the cut in the middle of the gap', () => {
    const items = [0.99, 0.95, 0.9].map((score) => ({ score, positive: true, kind: 'e' })).concat([0.7, 0.5].map((score) => ({ score, positive: false, kind: 'n' })));
    const fit = fitThreshold(items);
    expect(fit.threshold).toBeCloseTo(0.8, 10);
    expect(fit.precision).toBe(1);
    expect(fit.recall).toBe(1);
  });

  it('edits change a little, splices change half', () => {
    const text = 'обеспечить развитие системы методического сопровождения педагогов в образовательных организациях региона';
    for (const kind of EDIT_KINDS) {
      const edited = editText(text, kind, mulberry32(1));
      expect(edited).not.toBeNull();
      expect(edited).not.toBe(text);
    }
    expect(editText(text, 'synonym', mulberry32(1))).toMatch(/совершенствование|учителей|учреждений|модели|субъекта/);
    expect(splice(text, 'проводить мониторинг работы профессиональных сообществ учителей')).toBe(
      'обеспечить развитие системы методического сопровождения профессиональных сообществ учителей',
    );
  });

  it('an uncalibrated family gets the conservative default', async () => {
    expect(await nearDuplicateThreshold('transformers:some/model@q8')).toEqual({ threshold: DEFAULT_NEAR_DUPLICATE_THRESHOLD, calibrated: false });
    expect((await nearDuplicateThreshold('lexical-v1')).calibrated).toBe(true);
  });
});

// The CLI as users run it: the compiled bin (npm test builds dist/ first).
const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');
function confrec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('similar, duplicates and compare commands', () => {
  let db: string;
  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', '..', 'dist', 'pipeline', 'similar', 'commands', 'index.js'))) throw new Error('run `npm run build` first');
    const corpus = sampleCopy();
    writeFileSync(join(corpus, 'resolution-06.txt'), NEW_RESOLUTION);
    db = join(tempDir(), 'cli.duckdb');
    const r = confrec('run', corpus, '--embedder', 'lexical', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/similar: \d+ near-duplicate pair\(s\)/);
  });

  it('similar --json returns hits with text, score, source_file, year, addressee', () => {
    const r = confrec('similar', ORIGINAL, '--top', '3', '--json', '--db', db);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.out);
    expect(hits).toHaveLength(3);
    expect(hits[0]).toMatchObject({ text: ORIGINAL, source_file: 'resolution-01.txt', year: 2024 });
    for (const h of hits) expect(Object.keys(h)).toEqual(expect.arrayContaining(['text', 'score', 'source_file', 'year', 'addressee', 'char_start', 'line_start']));
    const human = confrec('similar', "сопровождения'; DROP TABLE recommendations; --", '--top', '2', '--db', db);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^ 1\. \d\.\d{3} {2}.+\n {4}resolution-0\d\.txt:\d+ {2}→ /);
    expect(JSON.parse(confrec('status', '--json', '--db', db).out).recommendations).toBeGreaterThan(39);
  });

  it('duplicates lists groups across documents with offsets; --json is machine-readable', () => {
    const groups = JSON.parse(confrec('duplicates', '--json', '--db', db).out);
    expect(groups.length).toBeGreaterThanOrEqual(1);
    const g = groups.find((x: { members: { text: string }[] }) => x.members.some((m) => m.text === PASTED));
    expect(g.documents).toBeGreaterThanOrEqual(2);
    expect(g.members[0]).toMatchObject({ is_medoid: true, similarity_to_medoid: 1 });
    for (const m of g.members) expect(m).toMatchObject({ source_file: expect.any(String), char_start: expect.any(Number), line_start: expect.any(Number) });
    const human = confrec('duplicates', '--limit', '1', '--db', db);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^group \S+: \d+ recommendations in \d+ documents\n {2}\* 1\.000 {2}resolution-0\d\.txt:\d+ \(chars \d+–\d+\)/);
    expect(JSON.parse(confrec('duplicates', '--min-docs', '3', '--json', '--db', db).out).every((x: { documents: number }) => x.documents >= 3)).toBe(true);
  });

  it('compare prints shared and unique recommendations; an unknown name exits 1 with one line and candidates', () => {
    const c = JSON.parse(confrec('compare', 'resolution-01.txt', 'resolution-06.txt', '--json', '--db', db).out);
    expect(c.shared).toHaveLength(1);
    expect(c.shared[0].b.text).toBe(PASTED);
    const human = confrec('compare', 'resolution-01.txt', 'resolution-06.txt', '--db', db);
    expect(human.out).toMatch(/shared: 1\n/);
    expect(human.out).toMatch(/only in B: 2\n/);
    const bad = confrec('compare', 'nope.txt', 'resolution-06.txt', '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no current document named "nope.txt"; closest names:/);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });
});

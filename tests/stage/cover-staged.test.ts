import { describe, it, expect } from 'vitest';
import { DOUBLE, VARCHAR, listValue } from '@duckdb/node-api';
import { Store } from '../../pipeline/store/db.js';
import { Scratch } from '../../pipeline/store/scratch.js';
import { config } from '../../pipeline/config.js';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { coverCodes, storedCover } from '../../pipeline/similar/groups/regroup.js';

/**
 * A long cascade of the incremental cover stages the stored pairs on codes once and answers its later
 * asks from them, and later still reads them into memory (groups/regroup.ts): those answers must be
 * the ones a scan by rec_id gives.
 */
describe("the cover's stored pairs, scanned by rec_id, staged on codes or held in memory", () => {
  it('give the same adjacency and links for any ids', async () => {
    const store = await Store.open(':memory:');
    const scratch = new Scratch(store, 'test');
    const saved = { ...config.nearDuplicates };
    try {
      const rand = mulberry32(9);
      const recs = Array.from({ length: 300 }, (_, i) => `${(i * 7919 % 1000).toString(16).padStart(16, '0')}-${String(i % 7).padStart(3, '0')}`).sort();
      const pairs = new Map<string, [string, string, number]>();
      while (pairs.size < 1500) {
        const [x, y] = [recs[Math.floor(rand() * recs.length)], recs[Math.floor(rand() * recs.length)]];
        if (x !== y) pairs.set(x < y ? `${x} ${y}` : `${y} ${x}`, x < y ? [x, y, 0.8 + rand() / 5] : [y, x, 0.8 + rand() / 5]);
      }
      const rows = [...pairs.values()];
      await store.run(
        `INSERT INTO near_duplicates (rec_a, rec_b, similarity, same_document, run_id, match)
         SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), unnest($3::DOUBLE[]), false, 1, 'similar'`,
        [listValue(rows.map((r) => r[0])), listValue(rows.map((r) => r[1])), listValue(rows.map((r) => r[2]))],
      );
      await store.run(
        `INSERT INTO near_duplicate_nodes (rec_id, degree, strength, opener, run_id)
         SELECT rec_id, count(*), sum(similarity), hash(rec_id) % 3 = 0, 1
         FROM (SELECT rec_a AS rec_id, similarity FROM near_duplicates UNION ALL SELECT rec_b, similarity FROM near_duplicates) GROUP BY rec_id`,
      );
      // Groups of up to five recommendations in rec_id order, each named by its smallest member.
      await store.run(
        `INSERT INTO near_duplicate_groups (group_id, rec_id, is_medoid, similarity_to_medoid, run_id)
         SELECT first(rec_id) OVER (PARTITION BY k // 5 ORDER BY rec_id), rec_id, k % 5 = 2, 0.9, 1
         FROM (SELECT rec_id, row_number() OVER (ORDER BY rec_id) AS k FROM near_duplicate_nodes) WHERE k % 7 <> 0`,
      );
      const inserted = await scratch.table<{ rec_a: string; rec_b: string; similarity: number }>('inserted', { rec_a: VARCHAR, rec_b: VARCHAR, similarity: DOUBLE });
      const codes = await coverCodes(scratch, inserted);
      config.nearDuplicates.coverScansBeforeStaging = 1e9;
      config.nearDuplicates.coverStateAsksBeforeMemory = 1e9;
      const scanned = storedCover(store, codes, scratch);
      config.nearDuplicates.coverScansBeforeStaging = 0;
      config.nearDuplicates.coverStagedAsksBeforeMemory = 1e9;
      const staged = storedCover(store, codes, scratch);
      // Staged at the first ask, read into memory at the fourth.
      config.nearDuplicates.coverStagedAsksBeforeMemory = 3;
      config.nearDuplicates.coverStateAsksBeforeMemory = 2;
      const inMemory = storedCover(store, codes, scratch);
      const n = await store.scalar<number>(`SELECT count(*) FROM ${codes.name}`);
      expect(n).toBeGreaterThan(250);
      for (let t = 0; t < 6; t++) {
        const ids = [...new Set(Array.from({ length: 5 + Math.floor(rand() * 60) }, () => Math.floor(rand() * n)))];
        const a = await scanned.adjacency(ids);
        expect(await staged.adjacency(ids)).toEqual(a);
        // Both ends count: every pair touching an asked id is in its adjacency.
        const degree = [...a.values()].reduce((sum, x) => sum + x.ids.length, 0);
        expect(degree).toBeGreaterThan(ids.length * 3);
        expect(await staged.links(ids)).toEqual(await scanned.links(ids));
        expect(await inMemory.adjacency(ids)).toEqual(a);
        expect(await inMemory.links(ids)).toEqual(await scanned.links(ids));
        // The state and groups the last cover left: read by rec_id, and later from memory.
        const states = await scanned.nodes(ids);
        expect(states.size).toBe(new Set(ids).size);
        expect(await inMemory.nodes(ids)).toEqual(states);
        const groupOf = await scanned.groupOf(ids);
        expect(groupOf.size).toBeGreaterThan(0);
        expect(await inMemory.groupOf(ids)).toEqual(groupOf);
        const groups = [...new Set(groupOf.values())];
        const members = await scanned.members(groups);
        expect([...members.values()].some((m) => m.length > 1)).toBe(true);
        expect(await inMemory.members(groups)).toEqual(members);
      }
      // The staged cover keeps its table; the one in memory dropped its own after reading it.
      expect(await store.scalar<number>(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%cover_pairs%'`)).toBe(1);
    } finally {
      Object.assign(config.nearDuplicates, saved);
      store.close();
    }
  });
});

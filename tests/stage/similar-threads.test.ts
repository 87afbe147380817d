/**
 * `--threads N` for the near-duplicate search: the LSH signatures and band buckets on worker threads
 * (similar/pairs/parallel.ts) must write exactly what one thread writes — every pair, similarity,
 * match and group — and the run must say the same counts.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { join } from 'node:path';
import { config } from '../../pipeline/config.js';
import { Store } from '../../pipeline/store/db.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { segmentStage } from '../../pipeline/segment/stage.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { nearDuplicatesStage } from '../../pipeline/similar/stage.js';
import { WorkerPool } from '../../pipeline/workers/pool.js';
import { silentLogger } from '../../pipeline/progress.js';
import { prepareOutDir, writeCorpus } from '../../tools/synth/write.js';
import { tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
let store: Store;
const threshold = config.nearDuplicates.parallelFromTexts;

beforeAll(async () => {
  const synth = join(tempDir('confrec-similar-threads-'), 'synth');
  prepareOutDir(synth, false);
  writeCorpus(synth, { docs: 160, seed: 5 });
  store = await Store.open(join(tempDir('confrec-similar-threads-db-'), 'db.duckdb'));
  await ingestFolder(store, join(synth, 'docs'), { ...log, options: { rehash: false, threads: 1 } });
  await segmentStage.run(store, { ...log, options: { threads: 1 } });
  await embedStage.run(store, { ...log, options: { embedder: 'lexical' } });
}, 180_000);

afterAll(() => {
  config.nearDuplicates.parallelFromTexts = threshold;
  vi.restoreAllMocks();
  store?.close();
});

const dump = async () => ({
  pairs: await store.all(`SELECT rec_a, rec_b, similarity, same_document, match FROM near_duplicates ORDER BY rec_a, rec_b`),
  groups: await store.all(`SELECT group_id, rec_id, is_medoid, similarity_to_medoid FROM near_duplicate_groups ORDER BY group_id, rec_id`),
  // With workers, containment's lemmas are computed while they search (stage.ts recomputeAll).
  lemmas: await store.all(`SELECT text_hash, lemmas::VARCHAR AS lemmas FROM proposal_lemmas ORDER BY text_hash`),
});

const lastCounts = async () =>
  JSON.parse((await store.scalar<string>(`SELECT counts::VARCHAR FROM runs WHERE stage = 'similar' ORDER BY run_id DESC LIMIT 1`)) ?? '{}') as Record<string, unknown>;

describe('similar --threads', () => {
  it('2 and 3 worker threads write the same pairs and groups as 1, with the same candidate counts', async () => {
    await nearDuplicatesStage.run(store, { ...log, options: { method: 'lsh', all: true, threads: 1 } });
    const single = await dump();
    const singleCounts = await lastCounts();
    expect(single.pairs.length).toBeGreaterThan(100);
    expect(single.groups.length).toBeGreaterThan(10);
    expect(single.lemmas.length).toBeGreaterThan(100);
    // Every corpus size uses the workers here (the stage keeps small ones in its own thread).
    config.nearDuplicates.parallelFromTexts = 0;
    for (const threads of [2, 3]) {
      vi.restoreAllMocks();
      const bandPairs = vi.spyOn(WorkerPool.prototype, 'bandPairs');
      await nearDuplicatesStage.run(store, { ...log, options: { method: 'lsh', all: true, threads } });
      expect(bandPairs.mock.calls.length, `${threads} threads`).toBe(threads * 3);
      const many = await dump();
      expect(many.pairs, `${threads} threads`).toEqual(single.pairs);
      expect(many.groups, `${threads} threads`).toEqual(single.groups);
      expect(many.lemmas, `${threads} threads`).toEqual(single.lemmas);
      const counts = await lastCounts();
      for (const k of ['candidates', 'verified', 'pairs', 'groups', 'contained_pairs']) expect([k, counts[k]]).toEqual([k, singleCounts[k]]);
    }
  });
});

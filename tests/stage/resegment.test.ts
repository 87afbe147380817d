/**
 * A document segmented again by newer rules keeps its rec_ids but may change their texts. The
 * incremental runs of the downstream stages must treat such a recommendation as new work, not as
 * already done because its rec_id is known.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Store } from '../../pipeline/store/db.js';
import { withRun } from '../../pipeline/store/runs.js';
import { sha256Hex } from '../../pipeline/store/hash.js';
import { embedStage } from '../../pipeline/embed/stage.js';
import { themesStage } from '../../pipeline/themes/stage.js';
import { clustersStage } from '../../pipeline/clusters/stage.js';
import { nearDuplicatesStage } from '../../pipeline/similar/stage.js';
import { silentLogger } from '../../pipeline/progress.js';
import { openSampleCopy } from '../helpers/db.js';

const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } as Record<string, unknown> };
const all = { ...ctx, options: { ...ctx.options, all: true } };

let store: Store;
beforeAll(async () => {
  // The sample corpus through every stage (the stage tier's global setup), a copy of its own.
  store = await openSampleCopy();
});
afterAll(() => store?.close());

describe('a recommendation re-segmented under the same rec_id', () => {
  it('is scored, clustered and compared again by the incremental runs, as a full run would', async () => {
    // Two recommendations of different documents: the second takes the first's proposal with a
    // clause added, as if newer rules had cut it differently.
    const [a, b] = await store.all<{ rec_id: string; proposal: string }>(
      `SELECT r.rec_id, r.proposal FROM recommendations r
       QUALIFY row_number() OVER (PARTITION BY r.doc_id ORDER BY r.rec_id) = 3 ORDER BY r.rec_id LIMIT 2`,
    );
    const text = `${a.proposal} на территории Вологодской области`;
    await withRun(store, 'segment', { simulated: true }, async (runId) => {
      await store.run(`UPDATE recommendations SET text = $1, proposal = $1, text_hash = $2, run_id = $3 WHERE rec_id = $4`, [
        text, sha256Hex(text), runId, b.rec_id,
      ]);
      return { counts: {} };
    });
    await embedStage.run(store, ctx);

    const themes = await themesStage.run(store, ctx);
    expect(themes.counts.scored_now).toBe(1);
    const clusters = await clustersStage.run(store, ctx);
    expect(clusters.counts).toMatchObject({ incremental: true, joined: 1 });
    const similar = await nearDuplicatesStage.run(store, ctx);
    expect(similar.counts).toMatchObject({ incremental: true, new_recommendations: 1, removed_recommendations: 1 });

    // The new text is a near-duplicate of the proposal it was made from.
    const pair = await store.one<{ match: string }>(
      `SELECT match FROM near_duplicates WHERE rec_a = least($1, $2) AND rec_b = greatest($1, $2)`,
      [a.rec_id, b.rec_id],
    );
    expect(pair?.match).toMatch(/^(similar|contained)$/);
    // Its cluster similarity is that of the new vector to its centroid.
    const drift = await store.scalar<number>(
      `SELECT abs(rc.similarity - array_cosine_similarity(e.vector::FLOAT[256], c.vector::FLOAT[256]))
       FROM rec_clusters rc JOIN recommendations r USING (rec_id)
       JOIN embeddings e ON e.text_hash = r.text_hash JOIN cluster_centroids c ON c.cluster_id = rc.cluster_id AND c.embedder = e.embedder
       WHERE rc.rec_id = $1`,
      [b.rec_id],
    );
    expect(drift).toBeLessThan(1e-5);

    const snapshot = async () => ({
      scores: await store.all(`SELECT rec_id, theme_id, round(score, 9) AS s FROM rec_theme_scores ORDER BY ALL`),
      themes: await store.all(`SELECT rec_id, theme_id FROM rec_themes ORDER BY ALL`),
      pairs: await store.all(`SELECT rec_a, rec_b, round(similarity, 9) AS s, match FROM near_duplicates ORDER BY ALL`),
      groups: await store.all(`SELECT group_id, rec_id, is_medoid FROM near_duplicate_groups ORDER BY ALL`),
    });
    const incremental = await snapshot();
    await themesStage.run(store, all);
    await nearDuplicatesStage.run(store, all);
    expect(await snapshot()).toEqual(incremental);
  }, 120_000);
});

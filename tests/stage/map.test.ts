/** The map stage on a real database: every recommendation placed, deterministic, incremental, in the pipeline's order. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { mapStage } from '../../pipeline/map/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { silentLogger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { buildExplorerDb } from '../helpers/explorer.js';

const ctx = (options: Record<string, unknown> = {}) => ({ log: silentLogger, quiet: true, options: { embedder: 'lexical', ...options } });
const positions = (store: Store) => store.all<{ rec_id: string; x: number; y: number }>(`SELECT rec_id, x, y FROM rec_map ORDER BY rec_id`);

describe('map stage', () => {
  it('runs after the near-duplicates and before the report', () => {
    const names = DOWNSTREAM_STAGES.map((s) => s.name);
    expect(names.indexOf('map')).toBeGreaterThan(names.indexOf('similar'));
    expect(names.indexOf('report')).toBe(names.indexOf('map') + 1);
  });

  it('places every current recommendation, the same way every time, and only new ones after a new document', async () => {
    const { db, corpus } = await buildExplorerDb({ until: 'similar' });
    const store = await Store.open(db);
    try {
      const first = await mapStage.run(store, ctx());
      const n = await store.scalar<number>(`SELECT count(*) FROM recommendations r JOIN current_documents d USING (doc_id)`);
      expect(first.counts.recommendations).toBe(n);
      const a = await positions(store);
      expect(a).toHaveLength(n);
      expect(a.every((p) => Math.abs(p.x) <= 1.0001 && Math.abs(p.y) <= 1.0001)).toBe(true);
      // Identical proposals share a position.
      const same = await store.all<{ k: number }>(
        `SELECT count(DISTINCT (m.x, m.y)) AS k FROM rec_map m GROUP BY m.text_hash HAVING count(*) > 1`,
      );
      expect(same.every((r) => r.k === 1)).toBe(true);

      const again = await mapStage.run(store, ctx());
      expect(again.line).toMatch(/nothing to do/);
      await mapStage.run(store, ctx({ all: true }));
      expect(await positions(store)).toEqual(a);

      // One more resolution: its recommendations are placed, nobody else moves.
      mkdirSync(join(corpus, 'extra'));
      writeFileSync(
        join(corpus, 'extra', 'new-2025.txt'),
        'РЕЗОЛЮЦИЯ\nгородской конференции «Школьные медиацентры», 2025 год\n\nУчастники конференции рекомендуют:\n\nОбразовательным организациям:\n1. Создать школьные медиацентры и пресс-службы с участием обучающихся.\n2. Проводить конкурсы школьных газет и видеороликов.\n',
      );
      await ingestFolder(store, corpus, ctx());
      for (const s of DOWNSTREAM_STAGES) if (['segment', 'embed', 'themes', 'clusters', 'similar'].includes(s.name)) await s.run(store, ctx());
      const inc = await mapStage.run(store, ctx());
      expect(inc.counts.incremental).toBe(true);
      expect(inc.counts.new_recommendations).toBeGreaterThan(0);
      const b = await positions(store);
      const before = new Map(a.map((p) => [p.rec_id, p]));
      for (const p of b) if (before.has(p.rec_id)) expect(p).toEqual(before.get(p.rec_id));
      expect(b.length).toBe(await store.scalar<number>(`SELECT count(*) FROM recommendations r JOIN current_documents d USING (doc_id)`));

      // The layout kept the sample's model: the new texts were placed with it, not with a refit.
      expect(inc.counts.model_reused).toBe(true);
      // Without the stored model the sample is fitted again (and the model kept): the same positions.
      // The new recommendations taken off the map again (the rows the last run wrote) and placed again.
      let last = inc.runId;
      const replace = async () => {
        await store.run(`DELETE FROM rec_map WHERE run_id = $1`, [last]);
        const r = await mapStage.run(store, ctx());
        expect(r.counts.placed_texts).toBe(inc.counts.placed_texts);
        last = r.runId;
        return r;
      };
      await store.run(`DELETE FROM map_models`);
      const refit = await replace();
      expect(refit.counts.model_reused).toBe(false);
      expect(await positions(store)).toEqual(b);
      expect(await store.scalar<number>(`SELECT count(*) FROM map_models`)).toBe(1);
      // A model under another key (another sample, space or parameters) is not used.
      await store.run(`UPDATE map_models SET model_key = 'other'`);
      expect((await replace()).counts.model_reused).toBe(false);
      expect(await positions(store)).toEqual(b);
      const reused = await replace();
      expect(reused.counts.model_reused).toBe(true);
      expect(await positions(store)).toEqual(b);
    } finally {
      store.close();
    }
  });

  it('after a removed document and a text changed under its rec_id, drops their rows and places the changed one by its text', async () => {
    const { db } = await buildExplorerDb({ until: 'similar' });
    const store = await Store.open(db);
    // A sample of a quarter of the texts: the changes below leave it whole, so the map is kept.
    const texts = await store.scalar<number>(`SELECT count(DISTINCT text_hash) FROM recommendations JOIN current_documents USING (doc_id)`);
    const opts = { params: { sample: Math.floor(texts / 4) } };
    try {
      await mapStage.run(store, ctx(opts));
      const a = await positions(store);
      // The smallest document none of whose texts is sampled leaves; a recommendation of another,
      // not sampled either, takes the text of a third (on the map).
      const gone = await store.one<{ doc_id: string; n: number }>(
        `SELECT r.doc_id, count(*) AS n FROM recommendations r JOIN current_documents USING (doc_id)
         WHERE r.doc_id NOT IN (SELECT r2.doc_id FROM recommendations r2 JOIN rec_map m ON m.text_hash = r2.text_hash WHERE m.sampled)
         GROUP BY r.doc_id ORDER BY n, r.doc_id LIMIT 1`,
      );
      const changed = await store.one<{ rec_id: string; text_hash: string }>(
        `SELECT m.rec_id, m.text_hash FROM rec_map m WHERE m.rec_id NOT LIKE $1
         AND m.text_hash NOT IN (SELECT text_hash FROM rec_map WHERE sampled) ORDER BY m.rec_id LIMIT 1`,
        [`${gone!.doc_id}%`],
      );
      const other = await store.one<{ text_hash: string; x: number; y: number }>(
        `SELECT text_hash, x, y FROM rec_map WHERE text_hash <> $1 AND rec_id NOT LIKE $2 ORDER BY rec_id LIMIT 1`,
        [changed!.text_hash, `${gone!.doc_id}%`],
      );
      const removed = Number(gone!.n) + 1;
      await store.run(`UPDATE documents SET is_current = false WHERE doc_id = $1`, [gone!.doc_id]);
      await store.run(`UPDATE recommendations SET text_hash = $1 WHERE rec_id = $2`, [other!.text_hash, changed!.rec_id]);
      const inc = await mapStage.run(store, ctx(opts));
      expect(inc.counts).toMatchObject({ incremental: true, removed, new_recommendations: 0, new_texts: 0 });
      const b = await positions(store);
      expect(b.length).toBe(a.length - Number(gone!.n));
      const before = new Map(a.map((p) => [p.rec_id, p]));
      for (const p of b) {
        if (p.rec_id === changed!.rec_id) expect({ x: p.x, y: p.y }).toEqual({ x: other!.x, y: other!.y });
        else expect(p).toEqual(before.get(p.rec_id));
      }
      expect(b.some((p) => p.rec_id.startsWith(gone!.doc_id))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('says so and writes nothing without embeddings', async () => {
    const { db } = await buildExplorerDb({ until: 'segment' });
    const store = await Store.open(db);
    try {
      const r = await mapStage.run(store, ctx());
      expect(r.line).toMatch(/no embeddings/);
      expect(await store.scalar<number>(`SELECT count(*) FROM rec_map`)).toBe(0);
    } finally {
      store.close();
    }
  });
});

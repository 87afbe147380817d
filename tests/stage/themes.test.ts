import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../pipeline/store/db.js';
import { themesStage } from '../../pipeline/themes/stage.js';
import { evaluate, readGold } from '../../pipeline/eval/command.js';
import { silentLogger } from '../../pipeline/progress.js';
import { openSampleCopy } from '../helpers/db.js';
import { GOLD_DIR, tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };

describe('themes stage on the sample corpus (lexical embedder)', () => {
  // The global setup's sample database (themes scored); the test that changes it has its own copy.
  let store: Store;
  let themes: number;
  beforeAll(async () => {
    store = await openSampleCopy();
    themes = await store.scalar<number>('SELECT count(*) FROM themes');
  });
  afterAll(() => store?.close());

  it('reaches theme micro-F1 ≥ 0.90 and F1 ≥ 0.85 for each theme on the gold', async () => {
    const summary = await themesStage.run(store, { ...log, options: { all: true } });
    expect(summary.counts.recommendations).toBe(await store.scalar('SELECT count(*) FROM current_recommendations'));
    expect(summary.counts.scored_now).toBe(summary.counts.recommendations);
    const s = await evaluate(store, await readGold(GOLD_DIR));
    expect(s.themeMicroF1).toBeGreaterThanOrEqual(0.9);
    for (const f1 of Object.values(s.themeF1!)) expect(f1).toBeGreaterThanOrEqual(0.85);
  });

  it('uses embedding similarity to the seeds, computed in DuckDB, for every recommendation and theme', async () => {
    const r = await store.one<{ n: number; avg_in: number; avg_out: number }>(
      `SELECT count(similarity) AS n,
              avg(similarity) FILTER (WHERE (rec_id, theme_id) IN (SELECT (rec_id, theme_id) FROM rec_themes)) AS avg_in,
              avg(similarity) FILTER (WHERE (rec_id, theme_id) NOT IN (SELECT (rec_id, theme_id) FROM rec_themes)) AS avg_out
       FROM rec_theme_scores`,
    );
    expect(r!.n).toBe((await store.scalar<number>('SELECT count(*) FROM current_recommendations')) * themes);
    expect(r!.avg_in).toBeGreaterThan(r!.avg_out);
  });

  it('a theme added to the definitions file needs no code', async () => {
    const own = await openSampleCopy();
    try {
      const file = join(tempDir(), 'themes.json');
      const data = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'themes.json'), 'utf8'));
      data.themes.push({ id: 'publication', label_ru: 'Публикации', seeds: ['публикация опыта'], terms: { 'опубликовать': 1, 'публикация': 1, 'статья': 1 } });
      writeFileSync(file, JSON.stringify(data));
      await themesStage.run(own, { ...log, options: { themes: file } });
      const texts = await own.all<{ text: string }>(
        `SELECT r.text FROM rec_themes t JOIN recommendations r USING (rec_id) WHERE t.theme_id = 'publication' ORDER BY r.text`,
      );
      expect(texts.map((t) => t.text)).toEqual([
        'Рекомендовать выступившим на конференции руководителям и педагогам подготовить статьи для публикации в виртуальном сборнике',
        'опубликовать лучшие практики психолого-педагогического сопровождения на информационных ресурсах АОУ ВО ДПО «ВИРО»',
      ]);
      // current_recommendations carries the new theme id with the others.
      expect(await own.scalar(`SELECT count(*) FROM current_recommendations WHERE list_contains(themes, 'publication')`)).toBe(2);
    } finally {
      own.close();
    }
  });
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config, ROOT } from '../../pipeline/config.js';
import { pipelineFreshness, stageFreshness } from '../../pipeline/freshness.js';
import { ingestFolder } from '../../pipeline/ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../../pipeline/pipeline.js';
import { silentLogger } from '../../pipeline/progress.js';
import { listDuplicateGroups } from '../../pipeline/similar/queries/duplicates.js';
import { refreshNearDuplicates } from '../../pipeline/similar/refresh.js';
import { nearDuplicatesStage } from '../../pipeline/similar/stage.js';
import { Store } from '../../pipeline/store/db.js';
import { prepareOutDir, writeCorpus } from '../../tools/synth/write.js';
import { copyDatabase, openSampleCopy } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const log = { log: silentLogger, quiet: true };
const lines: string[] = [];
const recording = { log: { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) }, quiet: true };

/** Everything `confrec run` does after ingest, but the report. */
async function analyse(store: Store) {
  for (const stage of DOWNSTREAM_STAGES) {
    if (stage.name !== 'report') await stage.run(store, { ...log, options: stage.name === 'embed' ? { embedder: 'lexical' } : {} });
  }
}

describe('editing data/synonyms.json: duplicates and run give the same groups', () => {
  // 60 synthetic resolutions are enough for the containment criterion to depend on the synonym
  // groups (issue 11 saw it on 300: `duplicates` kept listing 426 groups, the next `run` gave others).
  let db: string;
  let synonyms: string;
  const original = config.synonymsFile;

  beforeAll(async () => {
    const dir = tempDir();
    prepareOutDir(join(dir, 'synth'), false);
    writeCorpus(join(dir, 'synth'), { docs: 60, seed: 3 });
    synonyms = join(dir, 'synonyms.json');
    copyFileSync(join(ROOT, 'data', 'synonyms.json'), synonyms);
    config.synonymsFile = synonyms;
    db = join(dir, 'synth.duckdb');
    const store = await Store.open(db);
    await ingestFolder(store, join(dir, 'synth', 'docs'), { ...log, options: { rehash: false } });
    await analyse(store);
    store.close();
  });
  afterAll(() => {
    config.synonymsFile = original;
  });

  /** Fewer synonym groups: word pairs that made proposals "the same" no longer do. */
  function dropGroups(): void {
    const data = JSON.parse(readFileSync(synonyms, 'utf8')) as { groups: string[][] };
    const dropped = new Set(['обеспечить', 'развивать', 'организация', 'педагог', 'обучающийся', 'провести', 'создать']);
    data.groups = data.groups.filter((g) => !dropped.has(g[0]));
    writeFileSync(synonyms, JSON.stringify(data));
  }

  it('the listing after the edit is the one a full run gives, and says why it recomputed', async () => {
    const listing = copyDatabase(db, 'listing.duckdb');
    const running = copyDatabase(db, 'running.duckdb');
    let store = await Store.open(listing);
    const before = await listDuplicateGroups(store);
    expect((await stageFreshness(store, 'similar')).fresh).toBe(true);
    dropGroups();
    const f = await stageFreshness(store, 'similar');
    expect(f).toMatchObject({ fresh: false, status: 'config-changed', refreshCommand: 'confrec duplicates' });
    expect(f.reason).toBe('the synonym groups (data/synonyms.json) changed since its last run');
    expect(f.reasonRu).toBe('изменились группы синонимов (data/synonyms.json) после последнего запуска');
    // What `confrec duplicates` does.
    lines.length = 0;
    await refreshNearDuplicates(store, {}, recording);
    expect(lines[0]).toBe('similar: recomputing near-duplicates: the synonym groups (data/synonyms.json) changed since its last run');
    const listed = await listDuplicateGroups(store);
    store.close();
    // What `confrec run` does.
    store = await Store.open(running);
    await analyse(store);
    const ran = await listDuplicateGroups(store);
    store.close();
    expect(listed).toEqual(ran);
    // The edit matters on this corpus, so the comparison above is not of two unchanged listings.
    expect(ran).not.toEqual(before);
  });
});

describe('every stage says when it is stale, why, and what refreshes it', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openSampleCopy();
  });
  afterAll(() => store?.close());

  it('after a full run everything is fresh; a new document makes every stage stale, upstream first', async () => {
    // The global setup ran every stage but the report.
    const all = await pipelineFreshness(store);
    expect(all.filter((f) => !f.fresh).map((f) => f.stage)).toEqual(['report']);
    expect(all.find((f) => f.stage === 'report')).toMatchObject({ status: 'never-ran', refreshCommand: 'confrec report' });

    const dir = tempDir();
    writeFileSync(join(dir, 'new.txt'), 'РЕЗОЛЮЦИЯ\n\nУчастники семинара рекомендуют:\n- развивать школьные театры;\n- создать школьные службы медиации.\n');
    await ingestFolder(store, dir, { ...log, options: { rehash: false } });
    const segment = await stageFreshness(store, 'segment');
    expect(segment).toMatchObject({ fresh: false, status: 'inputs-changed', staleUpstream: [], refreshCommand: 'confrec segment' });
    expect(segment.reason).toBe('documents were added or replaced since its last run');
    const themes = await stageFreshness(store, 'themes');
    expect(themes.staleUpstream).toEqual(['segment', 'embed']);
    expect(segment.reasonRu).toBe('добавились или заменены документы после последнего запуска');
    expect(themes.reasonRu).toMatch(/^устарели этапы segment, embed/);
    // Two stages to run: the whole pipeline, on the folder last ingested.
    expect(themes.refreshCommand).toBe(`confrec run ${dir}`);
    await analyse(store);
    expect((await pipelineFreshness(store)).filter((f) => !f.fresh).map((f) => f.stage)).toEqual(['report']);
  });

  it('a changed theme definition makes the themes stale (and the report), nothing else', async () => {
    const file = join(tempDir(), 'themes.json');
    const themes = JSON.parse(readFileSync(config.themesFile, 'utf8'));
    themes.themes[0].terms['школьный театр'] = 1;
    writeFileSync(file, JSON.stringify(themes));
    const original = config.themesFile;
    config.themesFile = file;
    try {
      const all = Object.fromEntries((await pipelineFreshness(store)).map((f) => [f.stage, f]));
      expect(all.themes).toMatchObject({ fresh: false, status: 'config-changed', reason: 'the theme definitions (data/themes.json) changed since its last run', refreshCommand: 'confrec themes' });
      expect(['segment', 'embed', 'clusters', 'similar'].map((s) => all[s].fresh)).toEqual([true, true, true, true]);
      await DOWNSTREAM_STAGES.find((s) => s.name === 'themes')!.run(store, { ...log, options: { themes: file } });
      expect((await stageFreshness(store, 'themes')).fresh).toBe(true);
    } finally {
      config.themesFile = original;
    }
  });

  it('a stage records the fingerprint it compared: a second run with nothing changed is fresh and does nothing', async () => {
    const s = await nearDuplicatesStage.run(store, { ...log, options: {} });
    expect(s.line).toMatch(/^similar: nothing to do/);
    const run = await store.one<{ params: string }>(`SELECT params::VARCHAR AS params FROM runs WHERE run_id = $1`, [s.runId]);
    expect(JSON.parse(run!.params)).toMatchObject({ fingerprint: { inputs: { recommendations: expect.stringMatching(/^\d+:\d+$/) }, config: { version: 'similar-3' } } });
  });
});

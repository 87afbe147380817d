import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testMorph } from '../helpers/morph.js';
import { findDefinitions } from '../../pipeline/addressees/abbreviations.js';
import { groupEntities, type Observation } from '../../pipeline/addressees/group.js';
import { pairwiseGrouping } from '../../pipeline/addressees/quality.js';
import { resolveForm } from '../../pipeline/addressees/resolve.js';
import { discoverGoldSets, goldFiles } from '../../pipeline/eval/gold-sets.js';
import type { GoldFile } from '../../pipeline/eval/score.js';

const EXPECTED = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'addressees', 'gold-entities.json'), 'utf8')).entities as Record<string, Record<string, string>>;

/** Every gold addressee of every gold set on disk, resolved in its document as the stage does. */
async function resolveGold() {
  const morph = await testMorph();
  const observations: Observation[] = [];
  const where: { set: string; file: string; addressee: string }[] = [];
  for (const set of discoverGoldSets()) {
    for (const path of goldFiles(set.goldDir)) {
      const g = JSON.parse(readFileSync(path, 'utf8')) as GoldFile;
      const text = readFileSync(path.replace(set.goldDir, set.docsDir).replace(/\.json$/, '') + g.file.slice(g.file.lastIndexOf('.')), 'utf8');
      const ctx = { region: g.conference.region, level: g.conference.level, definitions: findDefinitions(text, morph), text: () => text };
      for (const a of new Set(g.recommendations.map((r) => r.addressee).filter((x): x is string => !!x))) {
        for (const res of resolveForm(a, ctx, { morph, aliases: [], aliasFile: 'none' })) {
          observations.push({ form: a, docId: `${set.name}/${g.file}`, res, recommendations: 1 });
          where.push({ set: set.name, file: g.file, addressee: a });
        }
      }
    }
  }
  const grouping = groupEntities(observations);
  return { observations, where, entity: observations.map((o) => grouping.entityOfKey.get(o.res.key)!) };
}

describe('gold addressees as entities', () => {
  it('every addressee of the sample gold maps to its entity, and no two bodies share one', async () => {
    const { where, entity } = await resolveGold();
    const idx = where.map((w, i) => ({ ...w, i })).filter((w) => w.set === 'samples');
    const expected = idx.map((w) => EXPECTED[w.file]?.[w.addressee] ?? `missing expectation: ${w.file} ${w.addressee}`);
    expect(expected.filter((e) => e.startsWith('missing'))).toEqual([]);
    const q = pairwiseGrouping(expected, idx.map((w) => entity[w.i]));
    expect(q.falseMerges).toEqual([]);
    expect(q.missedMerges).toEqual([]);
  });

  it('on every other gold set, one spelling in one region is one entity, and federal bodies never mix with regional ones', async () => {
    const { observations, entity } = await resolveGold();
    const seen = new Map<string, string>();
    observations.forEach((o, i) => {
      const k = `${o.form.toLowerCase()}|${o.res.region ?? ''}|${o.res.part}`;
      if (!o.res.placedByDocument) {
        if (seen.has(k)) expect(entity[i], o.form).toBe(seen.get(k));
        seen.set(k, entity[i]);
      }
    });
    const levelsOf = new Map<string, Set<string>>();
    observations.forEach((o, i) => (levelsOf.get(entity[i]) ?? levelsOf.set(entity[i], new Set()).get(entity[i])!).add(o.res.type));
    for (const types of levelsOf.values()) expect(types.has('federal') && types.has('regional')).toBe(false);
  });
});

import { findDefinitions } from '../../pipeline/addressees/abbreviations.js';
import { parseAliases } from '../../pipeline/addressees/aliases.js';
import { groupEntities, type Observation } from '../../pipeline/addressees/group.js';
import { resolveForm } from '../../pipeline/addressees/resolve.js';
import { loadMorph } from '../../pipeline/text/morph.js';

export interface Fixture {
  documents: Record<string, { region: string | null; level: string | null; text: string }>;
  aliases: unknown[];
  forms: { doc: string; form: string; entity?: string; entities?: string[] }[];
}

/** Resolves every form of the fixture in its document and groups them, as the stage does. */
export async function groupFixture(fixture: Fixture) {
  const morph = await loadMorph();
  const aliases = parseAliases(JSON.stringify({ aliases: fixture.aliases }), 'fixture');
  const observations: Observation[] = [];
  const expected: string[] = [];
  const items: { form: string; part: number }[] = [];
  fixture.forms.forEach((f, i) => {
    const doc = fixture.documents[f.doc];
    const ctx = { region: doc.region, level: doc.level, definitions: findDefinitions(doc.text, morph), text: () => doc.text };
    const parts = resolveForm(f.form, ctx, { morph, aliases, aliasFile: 'fixture' });
    const want = f.entities ?? [f.entity!];
    parts.forEach((res, k) => {
      observations.push({ form: f.form, docId: `${f.doc}#${i}`, res, recommendations: 1 });
      expected.push(want[k] ?? `(extra part of ${f.form})`);
      items.push({ form: f.form, part: res.part });
    });
    for (let k = parts.length; k < want.length; k++) {
      expected.push(want[k]);
      observations.push({ form: f.form, docId: `${f.doc}#${i}`, res: { ...parts[0], key: `missing:${i}:${k}` }, recommendations: 1 });
      items.push({ form: f.form, part: k + 1 });
    }
  });
  const grouping = groupEntities(observations);
  const predicted = observations.map((o) => grouping.entityOfKey.get(o.res.key)!);
  return { grouping, observations, expected, predicted, items };
}


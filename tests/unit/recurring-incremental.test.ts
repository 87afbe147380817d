import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recurringProposals, type GroupMemberRow, type MedoidPair, type RecurringProposal } from '../../pipeline/recurring/derive.js';
import { affectedGroups, dirtyGroups } from '../../pipeline/recurring/state.js';

const RULE = { minYears: 2, minConferences: 2 };

/** A corpus of groups: members (document, year) per group and medoid links between groups. */
interface Corpus {
  members: Map<string, { doc: number; year: number }[]>;
  pairs: Map<string, number>;
}

function rows(c: Corpus): GroupMemberRow[] {
  const out: GroupMemberRow[] = [];
  for (const [g, ms] of c.members) {
    ms.forEach((m, i) =>
      out.push({ group_id: g, rec_id: `${g}-${String(i).padStart(2, '0')}`, is_medoid: i === 0, doc_id: `d${m.doc}`, year: m.year, series: `s${m.doc % 4}`, addressee_ids: [] }),
    );
  }
  return out;
}

function pairsOf(c: Corpus): MedoidPair[] {
  return [...c.pairs]
    .map(([k, similarity]) => {
      const [a, b] = k.split('|');
      return { a, b, similarity };
    })
    .filter((p) => c.members.has(p.a) && c.members.has(p.b));
}

/** What the stage hashes per group: its member rows and its links to other groups present. */
function signatures(c: Corpus): Map<string, string> {
  const pairs = pairsOf(c);
  return new Map(
    [...c.members.keys()].map((g) => [
      g,
      JSON.stringify([
        c.members.get(g),
        pairs
          .filter((p) => p.a === g || p.b === g)
          .map((p) => `${p.a === g ? p.b : p.a}:${p.similarity}`)
          .sort(),
      ]),
    ]),
  );
}

const canonical = (ps: RecurringProposal[]) => ps.map((p) => JSON.stringify(p)).sort();

/** The incremental update of `before`'s proposals to `after`, as the stage does it. */
function incremental(before: Corpus, after: Corpus): RecurringProposal[] {
  const old = recurringProposals(rows(before), pairsOf(before), RULE);
  const pairs = pairsOf(after);
  const affected = affectedGroups(dirtyGroups(signatures(before), signatures(after)), pairs);
  const kept = old.filter((p) => !p.groupIds.some((g) => affected.has(g)));
  const fresh = recurringProposals(
    rows(after).filter((r) => affected.has(r.group_id)),
    pairs.filter((p) => affected.has(p.a) || affected.has(p.b)),
    RULE,
  );
  return [...kept, ...fresh];
}

const GROUPS = ['g01', 'g02', 'g03', 'g04', 'g05', 'g06', 'g07', 'g08'];
const corpus = fc
  .record({
    members: fc.array(fc.tuple(fc.constantFrom(...GROUPS), fc.array(fc.record({ doc: fc.integer({ min: 0, max: 9 }), year: fc.integer({ min: 2018, max: 2022 }) }), { minLength: 1, maxLength: 5 })), { maxLength: 8 }),
    pairs: fc.array(fc.tuple(fc.constantFrom(...GROUPS), fc.constantFrom(...GROUPS), fc.constantFrom(0.8, 0.85, 0.9, 0.95)), { maxLength: 20 }),
  })
  .map(({ members, pairs }): Corpus => ({
    members: new Map(members),
    pairs: new Map(pairs.filter(([a, b]) => a !== b).map(([a, b, s]) => [a < b ? `${a}|${b}` : `${b}|${a}`, s])),
  }));

/** A few edits of a corpus: a group's members replaced or removed, a link added, removed or re-weighted. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('members' as const), group: fc.constantFrom(...GROUPS), members: fc.array(fc.record({ doc: fc.integer({ min: 0, max: 9 }), year: fc.integer({ min: 2018, max: 2022 }) }), { minLength: 0, maxLength: 5 }) }),
  fc.record({ kind: fc.constant('link' as const), a: fc.constantFrom(...GROUPS), b: fc.constantFrom(...GROUPS), similarity: fc.constantFrom(0, 0.8, 0.85, 0.9, 0.95) }),
);

function applyEdits(c: Corpus, edits: { kind: string; [k: string]: unknown }[]): Corpus {
  const out: Corpus = { members: new Map(c.members), pairs: new Map(c.pairs) };
  for (const e of edits) {
    if (e.kind === 'members') {
      const ms = e.members as { doc: number; year: number }[];
      if (ms.length) out.members.set(e.group as string, ms);
      else out.members.delete(e.group as string);
    } else {
      const [a, b] = [e.a as string, e.b as string];
      if (a === b) continue;
      const k = a < b ? `${a}|${b}` : `${b}|${a}`;
      if (e.similarity === 0) out.pairs.delete(k);
      else out.pairs.set(k, e.similarity as number);
    }
  }
  return out;
}

describe('recurring proposals derived again only for the affected groups', () => {
  it('equal a full derivation after any few edits of members and links', () => {
    fc.assert(
      fc.property(corpus, fc.array(edit, { minLength: 1, maxLength: 3 }), (before, edits) => {
        const after = applyEdits(before, edits);
        expect(canonical(incremental(before, after))).toEqual(canonical(recurringProposals(rows(after), pairsOf(after), RULE)));
      }),
      { numRuns: 1000, seed: 16 },
    );
  });

  it('equal a full derivation for unrelated corpora too (everything changed)', () => {
    fc.assert(
      fc.property(corpus, corpus, (before, after) => {
        expect(canonical(incremental(before, after))).toEqual(canonical(recurringProposals(rows(after), pairsOf(after), RULE)));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('equal a full derivation when one group changes inside linked components', () => {
    // g1–g2–g3 linked (g1≈g3 too: complete linkage merges all three); g4–g5 apart. Changing g5 must not touch the first.
    const base: Corpus = {
      members: new Map([
        ['g1', [{ doc: 1, year: 2018 }, { doc: 2, year: 2019 }]],
        ['g2', [{ doc: 3, year: 2020 }, { doc: 4, year: 2021 }]],
        ['g3', [{ doc: 5, year: 2022 }, { doc: 6, year: 2018 }]],
        ['g4', [{ doc: 1, year: 2018 }, { doc: 7, year: 2019 }]],
        ['g5', [{ doc: 2, year: 2020 }, { doc: 8, year: 2021 }]],
      ]),
      pairs: new Map([['g1|g2', 0.9], ['g2|g3', 0.85], ['g1|g3', 0.8], ['g4|g5', 0.9]]),
    };
    const changed: Corpus = { members: new Map(base.members), pairs: new Map(base.pairs) };
    changed.members.set('g5', [{ doc: 2, year: 2020 }]);
    changed.pairs.delete('g1|g3');
    const affected = affectedGroups(dirtyGroups(signatures(base), signatures(changed)), pairsOf(changed));
    expect([...affected].sort()).toEqual(['g1', 'g2', 'g3', 'g4', 'g5']);
    expect(canonical(incremental(base, changed))).toEqual(canonical(recurringProposals(rows(changed), pairsOf(changed), RULE)));
    // Only g5 changing: the g1–g3 component is left alone.
    const onlyG5: Corpus = { members: new Map(base.members), pairs: new Map(base.pairs) };
    onlyG5.members.set('g5', [{ doc: 2, year: 2020 }]);
    expect([...affectedGroups(dirtyGroups(signatures(base), signatures(onlyG5)), pairsOf(onlyG5))].sort()).toEqual(['g4', 'g5']);
  });
});

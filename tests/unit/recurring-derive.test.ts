import { describe, expect, it } from 'vitest';
import { mergeGroups, recurringProposals, type GroupMemberRow } from '../../pipeline/recurring/derive.js';

const row = (group_id: string, rec_id: string, doc_id: string, year: number | null, is_medoid = false, addressee_ids: string[] = []): GroupMemberRow => ({
  group_id, rec_id, doc_id, year, is_medoid, series: doc_id.replace(/-\d+$/, ''), addressee_ids,
});

describe('groups into proposals', () => {
  it('merges groups whose medoids are near-duplicates, by complete linkage', () => {
    expect(mergeGroups(['a', 'b', 'c'], [{ a: 'a', b: 'b', similarity: 0.9 }, { a: 'b', b: 'c', similarity: 0.8 }])).toEqual([['a', 'b'], ['c']]);
    expect(
      mergeGroups(['a', 'b', 'c'], [{ a: 'a', b: 'b', similarity: 0.9 }, { a: 'b', b: 'c', similarity: 0.8 }, { a: 'a', b: 'c', similarity: 0.85 }]),
    ).toEqual([['a', 'b', 'c']]);
    expect(mergeGroups(['a', 'b'], [])).toEqual([['a'], ['b']]);
  });
});

describe('recurring proposals', () => {
  const rule = { minYears: 3, minConferences: 3 };
  const members = [
    // group g1: four conferences, 2017–2021 → recurring
    row('g1', 'd1-1', 'd1', 2017, true, ['body:minprosv']),
    row('g1', 'd2-4', 'd2', 2019, false, ['kind:schools']),
    row('g1', 'd3-2', 'd3', 2021),
    row('g1', 'd4-7', 'd4', 2021, false, ['kind:schools']),
    // g2: three conferences but two years → not recurring alone
    row('g2', 'd5-1', 'd5', 2018, true),
    row('g2', 'd6-1', 'd6', 2018),
    row('g2', 'd7-3', 'd7', 2020),
    // g3: three years, but one resolution repeating itself → not recurring
    row('g3', 'd8-1', 'd8', 2016, true),
    row('g3', 'd8-2', 'd8', 2016),
  ];

  it('keeps groups spanning ≥ 3 years and ≥ 3 conferences, with years, counts and addressees', () => {
    const out = recurringProposals(members, [], rule);
    expect(out.map((p) => p.proposalId)).toEqual(['g1']);
    const p = out[0];
    expect([p.documents, p.years, p.firstYear, p.lastYear, p.recommendations]).toEqual([4, 3, 2017, 2021, 4]);
    expect(p.perYear).toEqual({ '2017': 1, '2019': 1, '2021': 2 });
    expect(p.addresseeIds).toEqual(['body:minprosv', 'kind:schools']);
    expect(p.medoidRecId).toBe('d1-1');
  });

  it('a proposal split into two stars counts whole when the stars\' medoids are near-duplicates', () => {
    const extra = [row('g5', 'd9-1', 'd9', 2023, true)];
    const out = recurringProposals([...members, ...extra], [{ a: 'g2', b: 'g5', similarity: 0.91 }], rule);
    const merged = out.find((p) => p.groupIds.includes('g2'))!;
    expect(merged.groupIds).toEqual(['g2', 'g5']);
    expect([merged.documents, merged.years, merged.firstYear, merged.lastYear]).toEqual([4, 3, 2018, 2023]);
  });

  it('undated recommendations count as conferences, not as years', () => {
    const undated = [row('g6', 'a-1', 'a', null, true), row('g6', 'b-1', 'b', null), row('g6', 'c-1', 'c', 2020), row('g6', 'e-1', 'e', 2021)];
    expect(recurringProposals(undated, [], rule)).toEqual([]);
  });
});

/**
 * What keeps being proposed: near-duplicate groups that span years and conferences. A proposal
 * repeated by conference after conference is either a standing priority or a sign that nothing was
 * done; leadership wants both lists. Pure functions over rows the stage reads.
 *
 * The near-duplicate stage makes star groups (every member a near-duplicate of the group's medoid),
 * and a greedy star cover can split one much-repeated proposal into two stars. Two groups are one
 * proposal when their medoids are near-duplicates of each other — for several groups, when every
 * pair of their medoids is (complete linkage, so A≈B≈C without A≈C does not chain).
 */

export interface GroupMemberRow {
  group_id: string;
  rec_id: string;
  is_medoid: boolean;
  doc_id: string;
  year: number | null;
  /** The conference as a series: its title (editions of one conference share it), or the doc id. */
  series: string;
  addressee_ids: string[];
}

export interface MedoidPair {
  a: string;
  b: string;
  similarity: number;
}

export interface RecurringProposal {
  /** The smallest group id it is made of: stable for the same input. */
  proposalId: string;
  groupIds: string[];
  /** The medoid of its largest group: the formulation shown. */
  medoidRecId: string;
  members: GroupMemberRow[];
  recommendations: number;
  documents: number;
  series: number;
  years: number;
  firstYear: number;
  lastYear: number;
  /** year → recommendations that year. */
  perYear: Record<string, number>;
  addresseeIds: string[];
}

export interface RecurringRule {
  /** Distinct years a proposal must span (the definition: ≥ 3). */
  minYears: number;
  /** Distinct conferences (resolutions) it must appear in (≥ 3). */
  minConferences: number;
}

/** Groups merged when their medoids are near-duplicates, by complete linkage among medoids. */
export function mergeGroups(groupIds: readonly string[], medoidPairs: readonly MedoidPair[]): string[][] {
  const setOf = new Map<string, Set<string>>(groupIds.map((g) => [g, new Set([g])]));
  const linked = new Set(medoidPairs.map((p) => (p.a < p.b ? `${p.a}|${p.b}` : `${p.b}|${p.a}`)));
  const link = (x: string, y: string) => linked.has(x < y ? `${x}|${y}` : `${y}|${x}`);
  const order = [...medoidPairs].sort((p, q) => q.similarity - p.similarity || (p.a + p.b < q.a + q.b ? -1 : 1));
  for (const p of order) {
    const A = setOf.get(p.a);
    const B = setOf.get(p.b);
    if (!A || !B || A === B) continue;
    let complete = true;
    for (const x of A) for (const y of B) if (!link(x, y)) complete = false;
    if (!complete) continue;
    for (const y of B) {
      A.add(y);
      setOf.set(y, A);
    }
  }
  const seen = new Set<Set<string>>();
  const out: string[][] = [];
  for (const g of groupIds) {
    const s = setOf.get(g)!;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push([...s].sort());
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Proposals from group members, keeping those that span enough years and conferences. */
export function recurringProposals(
  members: readonly GroupMemberRow[],
  medoidPairs: readonly MedoidPair[],
  rule: RecurringRule,
): RecurringProposal[] {
  const byGroup = new Map<string, GroupMemberRow[]>();
  for (const m of members) (byGroup.get(m.group_id) ?? byGroup.set(m.group_id, []).get(m.group_id)!).push(m);
  const out: RecurringProposal[] = [];
  for (const ids of mergeGroups([...byGroup.keys()], medoidPairs)) {
    const rows = ids.flatMap((g) => byGroup.get(g) ?? []);
    const years = new Map<number, number>();
    for (const r of rows) if (r.year !== null) years.set(r.year, (years.get(r.year) ?? 0) + 1);
    const documents = new Set(rows.map((r) => r.doc_id)).size;
    if (years.size < rule.minYears || documents < rule.minConferences) continue;
    const largest = [...ids].sort((a, b) => (byGroup.get(b)?.length ?? 0) - (byGroup.get(a)?.length ?? 0) || (a < b ? -1 : 1))[0];
    const medoid = byGroup.get(largest)!.find((r) => r.is_medoid) ?? byGroup.get(largest)![0];
    const sortedYears = [...years.keys()].sort((a, b) => a - b);
    out.push({
      proposalId: ids[0],
      groupIds: ids,
      medoidRecId: medoid.rec_id,
      members: [...rows].sort((a, b) => (a.year ?? 9999) - (b.year ?? 9999) || (a.rec_id < b.rec_id ? -1 : 1)),
      recommendations: rows.length,
      documents,
      series: new Set(rows.map((r) => r.series)).size,
      years: years.size,
      firstYear: sortedYears[0],
      lastYear: sortedYears[sortedYears.length - 1],
      perYear: Object.fromEntries(sortedYears.map((y) => [String(y), years.get(y)!])),
      addresseeIds: [...new Set(rows.flatMap((r) => r.addressee_ids))].sort(),
    });
  }
  // Widest spread first: conferences, then years, then size.
  return out.sort((a, b) => b.documents - a.documents || b.years - a.years || b.recommendations - a.recommendations || (a.proposalId < b.proposalId ? -1 : 1));
}

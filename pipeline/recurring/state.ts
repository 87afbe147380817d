/**
 * What the incremental recurring run needs (issue 16 §4: deriving every proposal again was 4.2 s of a
 * 27.5 s re-run at 10,000 resolutions).
 *
 * Proposals are made per connected component of the medoid-link graph: mergeGroups (derive.ts) only
 * ever joins groups whose medoids are linked, in an order fixed by the links of that component, and a
 * proposal's figures come from its own groups' members. So a component whose groups' members and links
 * are all unchanged gives the same proposals as before. Each group that spans two documents (the ones
 * derive.ts sees) gets a signature of its member rows and of its links to other such groups; a group
 * is dirty when its signature is new, gone or different. Any link that appears, goes or changes its
 * similarity changes both ends' signatures, so every component of the new graph that differs from an
 * old one holds a dirty group, and every group of an old component that held one is now in a new
 * component that holds one (follow the old path from the group to the dirty one: up to the first
 * changed link it is unchanged, and that link's ends are dirty). Recomputing the new components that
 * hold a dirty group, after deleting the old proposals that contain any group of them or any dirty
 * group, therefore gives the tables a full run gives (tests/stage/recurring-incremental.test.ts).
 */
import { rowHash } from '../store/freshness.js';
import type { MedoidPair } from './derive.js';

/** Recorded in the run's params; without it (or with another) the next run derives everything. */
export const RECURRING_STATE = 'groups-2';

/** Groups derive.ts sees: near-duplicate groups whose members come from at least two documents (min ≠ max: no count(DISTINCT)). */
export const SPANNING = `
  SELECT g2.group_id FROM near_duplicate_groups g2 JOIN recommendations r2 USING (rec_id)
  GROUP BY g2.group_id HAVING min(r2.doc_id) <> max(r2.doc_id)`;

/** The medoids of the spanning groups (a table of them: `spanning`). */
const spanningMedoids = (spanning: string) =>
  `SELECT group_id, rec_id FROM near_duplicate_groups WHERE is_medoid AND group_id IN (SELECT group_id FROM ${spanning})`;

/**
 * Medoid links between two spanning groups (a table of them: `spanning`), what derive.ts can use,
 * from `pairs`: near_duplicates, or a table of its columns holding at least every pair between two
 * of those medoids (pairsRead).
 */
export function spanningPairs(spanning: string, pairs = 'near_duplicates'): string {
  return `
  WITH m AS (${spanningMedoids(spanning)})
  SELECT ma.group_id AS a, mb.group_id AS b, n.similarity
  FROM ${pairs} n JOIN m ma ON ma.rec_id = n.rec_a JOIN m mb ON mb.rec_id = n.rec_b
  WHERE ma.group_id <> mb.group_id`;
}

/**
 * One read of near_duplicates for two readers: the pairs between two medoids of spanning groups
 * (spanningPairs) and the cross-document pairs with an end in `recs` (a query of rec_id: the
 * recommendations whose conferences' novelty an incremental run computes again). Each read of every
 * pair is seconds at 100k (33 million rows), and the incremental run's novelty had one of its own.
 */
export function pairsRead(spanning: string, recs: string): string {
  return `
  WITH m AS (SELECT rec_id FROM (${spanningMedoids(spanning)})), t AS (${recs})
  SELECT rec_a, rec_b, similarity, same_document FROM near_duplicates
  WHERE (rec_a IN (SELECT rec_id FROM m) AND rec_b IN (SELECT rec_id FROM m))
     OR (NOT same_document AND (rec_a IN (SELECT rec_id FROM t) OR rec_b IN (SELECT rec_id FROM t)))`;
}

/**
 * Per spanning group, an order-free signature (counts and XORs of 64-bit hashes) of its member rows
 * as the stage reads them (rec_id, medoid flag, document, year, title, addressee entities by part)
 * and of its links (the other group, the similarity).
 */
export function groupSignatures(spanning: string, pairs: string): string {
  return `
  WITH mem AS (
    SELECT g.group_id, count(*) AS n, bit_xor(${rowHash('g.rec_id', 'g.is_medoid', 'r.doc_id', 'd.year', 'coalesce(d.title, d.doc_id)')}) AS h
    FROM near_duplicate_groups g JOIN recommendations r USING (rec_id) JOIN current_documents d USING (doc_id)
    WHERE g.group_id IN (SELECT group_id FROM ${spanning})
    GROUP BY g.group_id
  ),
  addr AS (
    SELECT g.group_id, count(*) AS n, bit_xor(${rowHash('a.rec_id', 'a.part', 'a.addressee_id')}) AS h
    FROM near_duplicate_groups g JOIN rec_addressees a USING (rec_id)
    WHERE g.group_id IN (SELECT group_id FROM ${spanning})
    GROUP BY g.group_id
  ),
  links AS (
    SELECT x AS group_id, count(*) AS n, bit_xor(${rowHash('y', 'similarity')}) AS h
    FROM (SELECT a AS x, b AS y, similarity FROM ${pairs} UNION ALL SELECT b, a, similarity FROM ${pairs})
    GROUP BY x
  )
  SELECT s.group_id,
         concat_ws(':', coalesce(mem.n, 0), coalesce(mem.h, 0), coalesce(addr.n, 0), coalesce(addr.h, 0), coalesce(links.n, 0), coalesce(links.h, 0)) AS signature
  FROM ${spanning} s LEFT JOIN mem USING (group_id) LEFT JOIN addr USING (group_id) LEFT JOIN links USING (group_id)`;
}

/**
 * The groups whose proposals are derived again: the dirty ones and every group in a component (of
 * the current links) that holds a dirty one. Pure.
 */
export function affectedGroups(dirty: ReadonlySet<string>, pairs: readonly MedoidPair[]): Set<string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const p of pairs) {
    const a = find(p.a);
    const b = find(p.b);
    if (a !== b) parent.set(b, a);
  }
  const dirtyRoots = new Set([...dirty].map(find));
  const out = new Set(dirty);
  for (const p of pairs) {
    if (dirtyRoots.has(find(p.a))) {
      out.add(p.a);
      out.add(p.b);
    }
  }
  return out;
}

/** Dirty groups: signatures that are new, gone or different. Pure. */
export function dirtyGroups(before: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [g, s] of now) if (before.get(g) !== s) out.add(g);
  for (const g of before.keys()) if (!now.has(g)) out.add(g);
  return out;
}

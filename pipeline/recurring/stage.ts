import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { RECURRING_MEMBERS, RECURRING_PROPOSALS } from '../store/columns.js';
import { checkFreshness, fingerprintParams, lastSuccessfulRun, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { recurringProposals, type GroupMemberRow, type MedoidPair } from './derive.js';

/** Bumped when recurring proposals are derived differently. */
export const RECURRING_VERSION = 'recurring-1';

const MEMBERS = `
  SELECT g.group_id, g.rec_id, g.is_medoid, r.doc_id, d.year, coalesce(d.title, d.doc_id) AS series,
         coalesce((SELECT list(a.addressee_id ORDER BY a.part) FROM rec_addressees a WHERE a.rec_id = g.rec_id), []::VARCHAR[]) AS addressee_ids
  FROM near_duplicate_groups g JOIN recommendations r USING (rec_id) JOIN current_documents d USING (doc_id)
  WHERE g.group_id IN (SELECT g2.group_id FROM near_duplicate_groups g2 JOIN recommendations r2 USING (rec_id)
                       GROUP BY g2.group_id HAVING count(DISTINCT r2.doc_id) >= 2)
  ORDER BY g.group_id, g.rec_id`;

const MEDOID_PAIRS = `
  WITH m AS (SELECT group_id, rec_id FROM near_duplicate_groups WHERE is_medoid)
  SELECT ma.group_id AS a, mb.group_id AS b, n.similarity
  FROM near_duplicates n JOIN m ma ON ma.rec_id = n.rec_a JOIN m mb ON mb.rec_id = n.rec_b
  WHERE ma.group_id <> mb.group_id`;

/**
 * Per conference, over cross-document near-duplicate pairs: a recommendation repeats an earlier one
 * when its pair stands in a resolution of an earlier year (or of the same year with an earlier
 * date); it is repeated later in the mirror case. Conferences without a year have no order.
 */
const NOVELTY = `
  INSERT INTO conference_novelty
  WITH rr AS (
    SELECT r.rec_id, r.doc_id, d.year, d.date_start FROM recommendations r JOIN current_documents d USING (doc_id)
  ), p AS (
    SELECT rec_a AS r, rec_b AS o FROM near_duplicates WHERE NOT same_document
    UNION ALL SELECT rec_b, rec_a FROM near_duplicates WHERE NOT same_document
  ), x AS (
    SELECT a.rec_id,
           bool_or(b.year < a.year OR (b.year = a.year AND b.date_start < a.date_start)) AS earlier,
           bool_or(b.year > a.year OR (b.year = a.year AND b.date_start > a.date_start)) AS later,
           bool_or(b.year IS NULL OR a.year IS NULL OR (b.year = a.year AND (b.date_start IS NULL OR a.date_start IS NULL OR b.date_start = a.date_start))) AS same
    FROM p JOIN rr a ON a.rec_id = p.r JOIN rr b ON b.rec_id = p.o
    GROUP BY a.rec_id
  )
  SELECT rr.doc_id, any_value(rr.year), count(*),
         CASE WHEN any_value(rr.year) IS NULL THEN NULL ELSE count(*) FILTER (WHERE coalesce(x.earlier, false)) END,
         CASE WHEN any_value(rr.year) IS NULL THEN NULL ELSE count(*) - count(*) FILTER (WHERE coalesce(x.earlier, false)) END,
         count(*) FILTER (WHERE coalesce(x.same, false) AND NOT coalesce(x.earlier, false) AND NOT coalesce(x.later, false)),
         CASE WHEN any_value(rr.year) IS NULL THEN NULL ELSE count(*) FILTER (WHERE coalesce(x.later, false)) END,
         $1
  FROM rr LEFT JOIN x USING (rec_id)
  GROUP BY rr.doc_id`;

/**
 * The recurring stage (after similar): recurring proposals from near-duplicate groups and the
 * similarity graph, with their years, conferences and addressees (entities), and for every
 * conference how many of its recommendations repeat earlier ones. Writes recurring_proposals,
 * recurring_members and conference_novelty in one transaction.
 */
export interface RecurringOptions {
  /** Recompute even when nothing changed. */
  all: boolean;
}

/** The fingerprint key an upstream stage's latest successful run recorded: its output as it stands. */
async function upstreamKey(store: Store, stage: string): Promise<string | null> {
  const last = await lastSuccessfulRun(store, stage);
  return last ? String(last.params.fingerprint_key ?? `run ${last.runId}`) : null;
}

/**
 * What recurring proposals depend on: the near-duplicate groups and the addressee entities (their
 * stages' fingerprints), the years, dates and titles of the current documents, and the rule.
 */
async function recurringFingerprint(store: Store): Promise<Fingerprint> {
  const documents = await store.scalar<string | null>(
    `SELECT md5(string_agg(doc_id || ':' || coalesce(year::VARCHAR, '') || ':' || coalesce(date_start::VARCHAR, '') || ':' || coalesce(title, ''), ',' ORDER BY doc_id))
     FROM current_documents`,
  );
  return {
    inputs: { similar: await upstreamKey(store, 'similar'), addressees: await upstreamKey(store, 'addressees'), documents: documents ?? 'empty' },
    config: { version: RECURRING_VERSION, rule: config.recurring },
  };
}

export const recurringStage: PipelineStage<RecurringOptions> = {
  name: 'recurring',
  after: ['similar', 'addressees'],
  refresh: 'confrec recurring',
  flags: { all: { type: 'boolean' } },
  parseOptions: (values) => ({ all: values.all === true }),
  fingerprint: recurringFingerprint,
  async run(store: Store, ctx: StageContext<RecurringOptions>) {
    const o = stageOptions(recurringStage, ctx);
    const rule = config.recurring;
    const fingerprint = await recurringFingerprint(store);
    const freshness = await checkFreshness(store, 'recurring', fingerprint);
    const params = { ...rule, version: RECURRING_VERSION, ...fingerprintParams(fingerprint) };
    if (!o.all && freshness.status === 'fresh') {
      const counts = (freshness.last?.counts ?? {}) as Record<string, number>;
      return withRun(store, 'recurring', { ...params, unchanged: true }, async () => ({
        counts: { ...counts, unchanged: true },
        line: `recurring: nothing to do (near-duplicates unchanged: ${counts.proposals ?? 0} recurring proposal(s))`,
      }));
    }
    return withRun(store, 'recurring', params, async (runId) => {
      const members = await store.all<GroupMemberRow>(MEMBERS);
      const pairs = await store.all<MedoidPair>(MEDOID_PAIRS);
      const proposals = recurringProposals(members, pairs, rule);
      const corpusLast = await store.scalar<number | null>(`SELECT max(year) FROM current_documents`);
      await store.transaction(async () => {
        for (const t of ['recurring_proposals', 'recurring_members', 'conference_novelty']) await store.run(`DELETE FROM ${t}`);
        await store.append(
          RECURRING_PROPOSALS,
          proposals.map((p) => ({
            proposal_id: p.proposalId, medoid_rec_id: p.medoidRecId, n_recommendations: p.recommendations, n_documents: p.documents,
            n_series: p.series, n_years: p.years, first_year: p.firstYear, last_year: p.lastYear, per_year: p.perYear,
            addressee_ids: p.addresseeIds, group_ids: p.groupIds, run_id: runId,
          })),
        );
        await store.append(
          RECURRING_MEMBERS,
          proposals.flatMap((p) => p.members.map((m) => ({ proposal_id: p.proposalId, rec_id: m.rec_id, doc_id: m.doc_id, year: m.year, is_medoid: m.rec_id === p.medoidRecId, run_id: runId }))),
        );
        await store.run(NOVELTY, [runId]);
      });
      const novelty = await store.one<{ recs: number; repeats: number | null; docs: number }>(
        `SELECT sum(n_recommendations) AS recs, sum(n_repeats_earlier) AS repeats, count(*) AS docs FROM conference_novelty WHERE n_repeats_earlier IS NOT NULL`,
      );
      const stillOpen = proposals.filter((p) => p.lastYear === corpusLast).length;
      const counts = {
        proposals: proposals.length,
        recommendations: proposals.reduce((a, p) => a + p.recommendations, 0),
        still_proposed_in_last_year: stillOpen,
        merged_groups: proposals.reduce((a, p) => a + p.groupIds.length - 1, 0),
        conferences_scored: novelty?.docs ?? 0,
        repeats_earlier: novelty?.repeats ?? 0,
      };
      const share = novelty?.recs ? ` ${Math.round((100 * (novelty.repeats ?? 0)) / novelty.recs)}% of dated recommendations repeat an earlier conference` : '';
      const line =
        `recurring: ${proposals.length} proposal(s) made in ≥ ${rule.minConferences} conferences over ≥ ${rule.minYears} years` +
        `${proposals.length ? ` (${stillOpen} still proposed in ${corpusLast})` : ''};${share || ' no dated conferences'}`;
      return { counts, line };
    });
  },
};

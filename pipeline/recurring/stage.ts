import { VARCHAR } from '@duckdb/node-api';
import { config } from '../config.js';
import type { Store } from '../store/db.js';
import { RECURRING_MEMBERS, RECURRING_PROPOSALS } from '../store/columns.js';
import { checkFreshness, fingerprintParams, lastSuccessfulRun, rowHash, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type TableRef } from '../store/scratch.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { recurringProposals, type GroupMemberRow, type MedoidPair } from './derive.js';
import { noveltyDocs, noveltyRecs, planNovelty, writeNovelty } from './novelty.js';
import { affectedGroups, dirtyGroups, groupSignatures, pairsRead, RECURRING_STATE, SPANNING, spanningPairs } from './state.js';

/** Bumped when recurring proposals are derived differently. */
export const RECURRING_VERSION = 'recurring-1';

/** Member rows of the groups in a table of group_id (every spanning group on a full run). */
const membersOf = (groups: string) => `
  SELECT g.group_id, g.rec_id, g.is_medoid, r.doc_id, d.year, coalesce(d.title, d.doc_id) AS series,
         coalesce((SELECT list(a.addressee_id ORDER BY a.part) FROM rec_addressees a WHERE a.rec_id = g.rec_id), []::VARCHAR[]) AS addressee_ids
  FROM near_duplicate_groups g JOIN recommendations r USING (rec_id) JOIN current_documents d USING (doc_id)
  WHERE g.group_id IN (SELECT group_id FROM ${groups})
  ORDER BY g.group_id, g.rec_id`;


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
  // Order-free (count and XOR of 64-bit hashes): no sort of every doc_id on each run.
  const documents = await store.scalar<string | null>(
    `SELECT count(*) || ':' || coalesce(bit_xor(${rowHash('doc_id', 'year', 'date_start', 'title')}), 0) FROM current_documents`,
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
      // The stored signatures stay valid: the next run can still be incremental.
      const state = freshness.last?.params.state ?? null;
      // So do the novelty rows and the similar run they reflect.
      const carried = { state, novelty: freshness.last?.params.novelty ?? null, similar_run: freshness.last?.params.similar_run ?? null };
      return withRun(store, 'recurring', { ...params, ...carried, unchanged: true }, async () => ({
        counts: { ...counts, unchanged: true },
        line: `recurring: nothing to do (near-duplicates unchanged: ${counts.proposals ?? 0} recurring proposal(s))`,
      }));
    }
    // Only inputs changed and the last run left its group signatures: derive again what they touch.
    const incremental = !o.all && freshness.status === 'inputs-changed' && freshness.last?.params.state === RECURRING_STATE;
    // The novelty rows of the conferences whose pairs, recommendations or dates changed only (novelty.ts).
    const noveltyPlan = await planNovelty(store, freshness.last?.params ?? null, !o.all && freshness.status === 'inputs-changed');
    const runParams = { ...params, state: RECURRING_STATE, incremental, novelty: noveltyPlan.state, similar_run: noveltyPlan.similarRun };
    return withRun(store, 'recurring', runParams, (runId) =>
      withScratch(store, 'recurring', async (scratch) => {
        const spanning = await scratch.query('spanning', SPANNING);
        // An incremental novelty update reads its conferences' pairs in the same read of the pairs as the medoid links.
        const toScore = await noveltyDocs(store, scratch, noveltyPlan);
        const scanned = toScore ? await scratch.query('pairs_read', pairsRead(spanning.name, noveltyRecs(toScore.docs))) : null;
        const pairsTable = await scratch.query('pairs', spanningPairs(spanning.name, scanned?.name));
        const signatures = await scratch.query('signatures', groupSignatures(spanning.name, pairsTable.name));
        const pairs = await store.all<MedoidPair>(`SELECT a, b, similarity FROM ${pairsTable.name}`);
        let affected: TableRef = signatures;
        let derived: number | null = null;
        if (incremental) {
          const read = async (sql: string) => new Map((await store.all<{ group_id: string; signature: string }>(sql)).map((r) => [r.group_id, r.signature]));
          const dirty = dirtyGroups(await read(`SELECT group_id, signature FROM recurring_inputs`), await read(`SELECT group_id, signature FROM ${signatures.name}`));
          const groups = affectedGroups(dirty, pairs);
          derived = groups.size;
          const t = await scratch.table<{ group_id: string }>('affected', { group_id: VARCHAR });
          await t.append([...groups].map((group_id) => ({ group_id })));
          affected = t;
        }
        const members = await store.all<GroupMemberRow>(membersOf(affected.name));
        const inAffected = new Set(members.map((m) => m.group_id));
        const proposals = recurringProposals(members, incremental ? pairs.filter((p) => inAffected.has(p.a) || inAffected.has(p.b)) : pairs, rule);
        const corpusLast = await store.scalar<number | null>(`SELECT max(year) FROM current_documents`);
        const noveltyDocuments = await store.transaction(async () => {
          if (incremental) {
            // The old proposals made of an affected group go (with their members); the others stand.
            const gone = `(SELECT proposal_id FROM recurring_proposals p WHERE EXISTS (SELECT 1 FROM (SELECT unnest(p.group_ids) AS group_id) u JOIN ${affected.name} a USING (group_id)))`;
            await store.run(`DELETE FROM recurring_members WHERE proposal_id IN ${gone}`);
            await store.run(`DELETE FROM recurring_proposals WHERE proposal_id IN ${gone}`);
          } else {
            for (const t of ['recurring_proposals', 'recurring_members']) await store.run(`DELETE FROM ${t}`);
          }
          await store.run(`DELETE FROM recurring_inputs`);
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
          await store.run(`INSERT INTO recurring_inputs SELECT group_id, signature FROM ${signatures.name}`);
          return writeNovelty(store, scratch, noveltyPlan, runId, toScore, scanned?.name);
        });
        const totals = await store.one<{ proposals: number; recommendations: number; still_open: number; merged: number }>(
          `SELECT count(*) AS proposals, coalesce(sum(n_recommendations), 0) AS recommendations,
                  count(*) FILTER (WHERE last_year = $1) AS still_open, coalesce(sum(len(group_ids) - 1), 0) AS merged
           FROM recurring_proposals`,
          [corpusLast],
        );
      const novelty = await store.one<{ recs: number; repeats: number | null; docs: number }>(
        `SELECT sum(n_recommendations) AS recs, sum(n_repeats_earlier) AS repeats, count(*) AS docs FROM conference_novelty WHERE n_repeats_earlier IS NOT NULL`,
      );
      const n = totals?.proposals ?? 0;
      const counts = {
        proposals: n,
        recommendations: totals?.recommendations ?? 0,
        still_proposed_in_last_year: totals?.still_open ?? 0,
        merged_groups: totals?.merged ?? 0,
        conferences_scored: novelty?.docs ?? 0,
        repeats_earlier: novelty?.repeats ?? 0,
        incremental,
        groups_derived: derived,
        novelty_incremental: noveltyPlan.incremental,
        novelty_documents: noveltyDocuments,
      };
      const share = novelty?.recs ? ` ${Math.round((100 * (novelty.repeats ?? 0)) / novelty.recs)}% of dated recommendations repeat an earlier conference` : '';
      const line =
        `recurring: ${n} proposal(s) made in ≥ ${rule.minConferences} conferences over ≥ ${rule.minYears} years` +
        `${n ? ` (${counts.still_proposed_in_last_year} still proposed in ${corpusLast})` : ''};${share || ' no dated conferences'}` +
        (incremental ? ` (${derived} group(s) derived again)` : '');
      return { counts, line };
    }),
    );
  },
};

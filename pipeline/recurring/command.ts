import type { CommandSpec } from '../command.js';
import { withStore, type Store } from '../store/db.js';
import { recurringStage } from './stage.js';

export interface RecurringRow {
  proposal_id: string;
  text: string;
  n_recommendations: number;
  n_documents: number;
  n_years: number;
  first_year: number;
  last_year: number;
  per_year: string;
  addressees: string[];
  source_file: string;
  line_start: number;
}

/** The recurring proposals with their formulation, where it stands, and the addressees' names. */
export const RECURRING_LIST = `
  SELECT p.proposal_id, coalesce(r.proposal, r.text) AS text, p.n_recommendations, p.n_documents, p.n_years, p.first_year, p.last_year,
         p.per_year::VARCHAR AS per_year,
         coalesce((SELECT list(name ORDER BY n DESC, name) FROM (
                     SELECT a.canonical_name AS name, count(*) AS n FROM recurring_members m
                     JOIN rec_addressees ra USING (rec_id) JOIN addressees a USING (addressee_id)
                     WHERE m.proposal_id = p.proposal_id GROUP BY a.canonical_name)), []::VARCHAR[]) AS addressees,
         d.source_file, r.line_start
  FROM recurring_proposals p JOIN recommendations r ON r.rec_id = p.medoid_rec_id JOIN documents d USING (doc_id)
  ORDER BY p.n_documents DESC, p.n_years DESC, p.n_recommendations DESC, p.proposal_id
  LIMIT $1`;

export async function readRecurring(store: Store, limit: number): Promise<RecurringRow[]> {
  return store.all<RecurringRow>(RECURRING_LIST, [limit]);
}

export const recurringCommand: CommandSpec = {
  name: 'recurring',
  summary: 'proposals made again and again: near-duplicates in ≥ 3 conferences over ≥ 3 years, and what each conference repeats',
  usage: 'confrec recurring [--limit N] [--json] [--all] [--db FILE]',
  options: { limit: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
  async run({ values }, ctx) {
    const limit = Math.max(1, Number(values.limit ?? 10) || 10);
    await withStore(ctx.dbPath, async (store) => {
      const summary = await recurringStage.run(store, { log: ctx.log, quiet: ctx.quiet, options: recurringStage.parseOptions(values) });
      const rows = await readRecurring(store, limit);
      if (values.json) {
        process.stdout.write(JSON.stringify(rows.map((r) => ({ ...r, per_year: JSON.parse(r.per_year) })), null, 2) + '\n');
        return;
      }
      ctx.log.info(summary.line);
      const total = await store.scalar<number>(`SELECT count(*) FROM recurring_proposals`);
      for (const [i, r] of rows.entries()) {
        const years = Object.entries(JSON.parse(r.per_year) as Record<string, number>).map(([y, n]) => (n > 1 ? `${y}×${n}` : y)).join(' ');
        process.stdout.write(
          `${String(i + 1).padStart(2)}. ${r.n_documents} conferences, ${r.first_year}–${r.last_year} (${years})  ${r.source_file}:${r.line_start}\n` +
            `    ${r.text.length > 160 ? `${r.text.slice(0, 157)}…` : r.text}\n` +
            (r.addressees.length ? `    → ${r.addressees.slice(0, 4).join('; ')}${r.addressees.length > 4 ? `; +${r.addressees.length - 4}` : ''}\n` : ''),
        );
      }
      if (total > rows.length) process.stdout.write(`… and ${total - rows.length} more (--limit N, or confrec export recurring)\n`);
    });
  },
};

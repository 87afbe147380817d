import type { CommandSpec } from '../command.js';
import { withStore, type Store } from '../store/db.js';
import { addresseesStage } from './stage.js';

export interface EntityRow {
  addressee_id: string;
  canonical_name: string;
  type: string;
  level: string | null;
  region: string | null;
  generic: boolean;
  n_forms: number;
  n_recommendations: number;
  n_documents: number;
}

export interface ReviewItem {
  addressee_id: string;
  canonical_name: string;
  region: string | null;
  reason: string;
  candidate_id: string | null;
  candidate_name: string | null;
  forms: string[];
  n_recommendations: number;
}

export async function readEntities(store: Store, limit: number): Promise<EntityRow[]> {
  return store.all<EntityRow>(
    `SELECT addressee_id, canonical_name, type, level, region, generic, n_forms, n_recommendations, n_documents
     FROM addressees ORDER BY n_recommendations DESC, addressee_id LIMIT $1`,
    [limit],
  );
}

export async function readReview(store: Store): Promise<ReviewItem[]> {
  return store.all<ReviewItem>(
    `SELECT r.addressee_id, a.canonical_name, a.region, r.reason, r.candidate_id, c.canonical_name AS candidate_name,
            (SELECT list(DISTINCT f.form ORDER BY f.form) FROM addressee_forms f WHERE f.addressee_id = r.addressee_id) AS forms,
            a.n_recommendations
     FROM addressee_review r JOIN addressees a USING (addressee_id) LEFT JOIN addressees c ON c.addressee_id = r.candidate_id
     ORDER BY a.n_recommendations DESC, r.addressee_id, r.reason`,
  );
}

function formatEntities(rows: EntityRow[], total: number): string {
  const lines = rows.map((e) => {
    const where = [...new Set([e.generic ? 'kind' : e.type, e.level, e.region].filter(Boolean))].join(', ');
    return `${String(e.n_recommendations).padStart(5)}  ${e.canonical_name}  [${where}]  ${e.n_forms} form(s), ${e.n_documents} document(s)  ${e.addressee_id}`;
  });
  if (total > rows.length) lines.push(`… and ${total - rows.length} more (confrec export addressees, or --limit N)`);
  return lines.join('\n');
}

function formatReview(items: ReviewItem[]): string {
  if (items.length === 0) return 'nothing to review: every addressee form was resolved by a rule, a definition or an alias';
  const lines: string[] = [];
  const byEntity = new Map<string, ReviewItem[]>();
  for (const i of items) (byEntity.get(i.addressee_id) ?? byEntity.set(i.addressee_id, []).get(i.addressee_id)!).push(i);
  for (const group of byEntity.values()) {
    const i = group[0];
    lines.push(`${i.canonical_name}${i.region ? ` (${i.region})` : ''} — ${i.n_recommendations} recommendation(s); forms: ${i.forms.map((f) => `«${f}»`).join(', ')}  [${i.addressee_id}]`);
    for (const g of group) lines.push(`  ${g.reason}${g.candidate_name && !g.reason.includes(g.candidate_name) ? ` → ${g.candidate_name}` : ''}${g.candidate_id ? ` [${g.candidate_id}]` : ''}`);
  }
  lines.push('', 'To resolve one, add an entry to data/addressee-aliases.json, e.g.');
  const first = items.find((i) => i.candidate_name) ?? items[0];
  lines.push(`  { "form": ${JSON.stringify(first.forms[0])}, "name": ${JSON.stringify(first.candidate_name ?? '<full name>')}${first.region ? `, "region": ${JSON.stringify(first.region)}` : ''} }`);
  lines.push('and run `confrec addressees` again.');
  return lines.join('\n');
}

export const addresseesCommand: CommandSpec = {
  name: 'addressees',
  summary: 'resolve addressees to entities (bodies and kinds of bodies); --review lists the forms a person should check',
  usage: 'confrec addressees [--review] [--limit N] [--json] [--all] [--aliases FILE] [--db FILE]',
  options: { ...addresseesStage.flags, review: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string' } },
  positionals: [0, 0],
  async run({ values }, ctx) {
    const limit = Math.max(1, Number(values.limit ?? 25) || 25);
    await withStore(ctx.dbPath, async (store) => {
      const summary = await addresseesStage.run(store, { log: ctx.log, quiet: ctx.quiet, options: addresseesStage.parseOptions(values) });
      if (!values.json) ctx.log.info(summary.line);
      if (values.review) {
        const items = await readReview(store);
        process.stdout.write((values.json ? JSON.stringify(items, null, 2) : formatReview(items)) + '\n');
      } else {
        const total = await store.scalar<number>(`SELECT count(*) FROM addressees`);
        const rows = await readEntities(store, limit);
        process.stdout.write((values.json ? JSON.stringify(rows, null, 2) : formatEntities(rows, total)) + '\n');
      }
    });
  },
};

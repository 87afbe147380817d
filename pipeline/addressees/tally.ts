/**
 * The corpus-wide grouping over every observation (group.ts), summed in SQL: what group.ts needs of
 * the observations is per key (recommendations, names, the first resolution) and per entity and form
 * row (recommendations, distinct documents, the first document) — sums that DuckDB makes without any
 * observation reaching JS. Reading the 265,000 observations of 100,000 resolutions into JS and
 * grouping them there was most of the addressees re-run (issue 16); the JS reads a few hundred rows.
 */
import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import type { Scratch, TableRef } from '../store/scratch.js';
import { finishGrouping, formMethod, groupKeys, type FormAggregate, type Grouping, type KeyAggregate } from './group.js';
import type { ResolutionMethod } from './resolve.js';
import type { ResolutionTable } from './state.js';

/** The columns of an observation that the sums read (addressee_observations without addressee_id). */
export const OBSERVED_COLUMNS = 'doc_id, form, part, first_rec_id, n_recommendations, resolution_id';

export interface Tally {
  grouping: Grouping;
  /** resolution_id → addressee_id, method, detail of every resolution observed. */
  entities: TableRef;
  /** Recommendations with an addressee (the observations of part 1). */
  recommendations: number;
}

/**
 * Groups the observations of `observed` (SQL: a table or subquery with OBSERVED_COLUMNS) exactly as
 * groupEntities groups them in observation order (state.ts StoredObservation), and leaves each
 * resolution's entity in a scratch table.
 */
export async function tallyObservations(store: Store, scratch: Scratch, observed: string, resolutions: ResolutionTable): Promise<Tally> {
  // Per resolution: its recommendations and its first observation. A resolution's part is its own
  // (res.part), so the first observation of a key is the resolution with the least (first rec, part).
  const perResolution = await store.all<{ resolution_id: string; n: number; first: string }>(
    `SELECT resolution_id, sum(n_recommendations)::BIGINT AS n, min(first_rec_id) AS first FROM ${observed} GROUP BY resolution_id`,
  );
  const rows = perResolution.map((r) => ({ ...r, res: resolutions.get(r.resolution_id) }));
  rows.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.res.part - b.res.part));
  const aggregates = new Map<string, KeyAggregate>();
  let recommendations = 0;
  for (const { res, n } of rows) {
    let k = aggregates.get(res.key);
    if (!k) aggregates.set(res.key, (k = { res, recommendations: 0, names: new Map() }));
    k.recommendations += n;
    k.names.set(res.name, (k.names.get(res.name) ?? 0) + n);
    if (res.part === 1) recommendations += n;
  }
  const keys = groupKeys(aggregates.values());

  const entities = await scratch.table<{ resolution_id: string; addressee_id: string; method: string; detail: string }>('entities', {
    resolution_id: VARCHAR, addressee_id: VARCHAR, method: VARCHAR, detail: VARCHAR,
  });
  await entities.append(rows.map(({ resolution_id, res }) => ({ resolution_id, addressee_id: keys.entityOfKey.get(res.key)!, ...formMethod(res, keys.merged) })));

  const documents = await store.all<{ addressee_id: string; n: number }>(
    `SELECT e.addressee_id, count(DISTINCT o.doc_id)::BIGINT AS n FROM ${observed} o JOIN ${entities.name} e USING (resolution_id) GROUP BY e.addressee_id`,
  );
  // One row per (form, entity, method, detail), in the order of its first observation (a full run's
  // insertion order); the first observation's document is the example.
  const forms = await store.all<{ form: string; addressee_id: string; method: ResolutionMethod; detail: string; n: number; docs: number; example: string }>(
    `SELECT o.form, e.addressee_id, e.method, e.detail, sum(o.n_recommendations)::BIGINT AS n, count(DISTINCT o.doc_id)::BIGINT AS docs,
            arg_min(o.doc_id, o.first_rec_id) AS example, min(o.first_rec_id || chr(1) || lpad(o.part::VARCHAR, 9, '0')) AS first
     FROM ${observed} o JOIN ${entities.name} e USING (resolution_id)
     GROUP BY o.form, e.addressee_id, e.method, e.detail ORDER BY first`,
  );
  const formRows: FormAggregate[] = forms.map((f) => ({
    form: f.form, addresseeId: f.addressee_id, method: f.method, detail: f.detail, recommendations: f.n, documents: f.docs, exampleDocId: f.example,
  }));
  const grouping = finishGrouping(keys, formRows, new Map(documents.map((d) => [d.addressee_id, d.n])));
  return { grouping, entities, recommendations };
}

import { listValue } from '@duckdb/node-api';
import type { Params, Store } from '../store/db.js';
import * as Q from './queries.js';
import { verbClassParams, type VerbClassId } from './verb-classes.js';

/**
 * How much the report shows before it says «и ещё N». Chosen so every chart stays legible on one
 * A4 page and every table fits a page or two, whatever the size of the corpus.
 */
export const LIMITS = {
  /** Up to this many conferences the register stands in section 2; above it, top-N there and the register in an appendix. */
  conferencesInline: 30,
  /**
   * Up to this many conferences the appendix register lists them all (10,000 print on ≈ 130 pages);
   * above it, the conferences the report links to, and where the full list is (at 100,000 the
   * register alone was a 79 MB page of ≈ 1,300 printed pages, and a third of the report's time).
   */
  registerRows: 10_000,
  topConferences: 15,
  clusters: 12,
  clusterDocuments: 5,
  duplicateGroups: 8,
  duplicateMembers: 6,
  verbs: 12,
  exclusions: 20,
  /** Entities in the addressee table, and rows of the entity heatmaps (the rest is «другие»). */
  addressees: 15,
  addresseeRows: 10,
  /** Recurring proposals shown (timeline strips and table). */
  recurring: 12,
  noveltyConferences: 10,
  /** A conference needs this many recommendations before its share of repeats is ranked. */
  noveltyMinRecs: 5,
};

export interface Overview {
  documents: number;
  recommendations: number;
  years: number;
  first_year: number | null;
  last_year: number | null;
  docs_without_year: number;
  regions: number;
  docs_without_region: number;
  with_theme: number;
  superseded: number;
  docs_without_recs: number;
}

export interface DocumentRow {
  doc_id: string;
  title: string | null;
  kind: string | null;
  level: string | null;
  date_start: string | null;
  year: number | null;
  city: string | null;
  region: string | null;
  participants: number | null;
  format: string | null;
  source_file: string;
  n_recs: number;
  themes: string[];
}

export interface Theme {
  theme_id: string;
  label_ru: string;
  n: number;
  total: number;
  example_rec_id: string | null;
}

export interface YearThemeRow { year: number; docs: number; recs: number; theme_id: string; n: number }
export interface GroupThemeRow { grp: string | null; recs: number; docs: number; theme_id: string; n: number }
export interface YearLevelRow { year: number; level: string | null; docs: number }
export interface LevelRow { level: string | null; docs: number; recs: number; median_participants: number | null }

export interface ClusterRow {
  cluster_id: number;
  label: string;
  size: number;
  n_documents: number;
  n_conferences: number;
  first_year: number | null;
  last_year: number | null;
  medoid_rec_id: string;
  documents: { doc_id: string; title: string | null; year: number | null; n: number }[];
  more_documents: number;
}

export interface ClusterYearRow { cluster_id: number; year: number; n: number; docs: number }
export interface ClusterTotals { clusters: number; recurring: number; unclustered: number; in_recurring: number }

export interface DuplicateGroup {
  group_id: string;
  size: number;
  n_docs: number;
  first_year: number | null;
  last_year: number | null;
  min_similarity: number;
  medoid_rec_id: string;
  members: { rec_id: string; is_medoid: boolean; similarity_to_medoid: number }[];
}

export interface DuplicateTotals { pairs: number; cross_document_pairs: number; groups: number; cross_document_groups: number; cross_document_members: number }

/** null = the near-duplicate stage has not produced its tables or has not run on this database. */
export type Duplicates = { totals: DuplicateTotals; groups: DuplicateGroup[] } | null;

export interface VerbProfileRow { addressee_type: string; cls: VerbClassId; n: number }

export interface AddresseeTotals { entities: number; kinds: number; to_review: number; forms: number; with_entity: number; recommendations: number }
export interface AddresseeRow {
  addressee_id: string;
  canonical_name: string;
  type: string;
  level: string | null;
  region: string | null;
  generic: boolean;
  n_forms: number;
  n: number;
  docs: number;
  first_year: number | null;
  last_year: number | null;
  top_theme: string | null;
  forms: string[];
}
/** null = the addressees stage has not run on this database. */
export type Addressees = { totals: AddresseeTotals; top: AddresseeRow[] } | null;

export interface RecurringTotals {
  proposals: number;
  recommendations: number;
  still_open: number;
  last_year: number | null;
  max_years: number | null;
  dated_recs: number;
  repeats_earlier: number;
  dated_conferences: number;
}
export interface RecurringRow {
  proposal_id: string;
  medoid_rec_id: string;
  n_recommendations: number;
  n_documents: number;
  n_series: number;
  n_years: number;
  first_year: number;
  last_year: number;
  /** year → recommendations that year. */
  per_year: Record<string, number>;
  addressees: string[];
}
export interface NoveltyYear { year: number; recs: number; repeats: number; docs: number }
export interface NoveltyRow { doc_id: string; title: string | null; year: number | null; n_recommendations: number; n_repeats_earlier: number; n_new: number; n_repeated_later: number }
/** null = the recurring stage has not run on this database. */
export type Recurring = { totals: RecurringTotals; top: RecurringRow[]; byYear: NoveltyYear[]; conferences: NoveltyRow[] } | null;
export interface TopVerb { verb: string; n: number; docs: number; example_rec_id: string }

export interface RunRow {
  run_id: number;
  stage: string;
  started_at: string;
  duration_ms: number | null;
  params: Record<string, unknown>;
  counts: Record<string, unknown>;
  code_version: string | null;
}

export interface Exclusions {
  issues: { source_file: string; reason: string }[];
  issuesTotal: number;
  flagged: { doc_id: string; source_file: string; reason: string | null }[];
  flaggedTotal: number;
  /** Documents whose segmentation the verdict sends to a person (segment_status.verdict = 'review'). */
  review: { doc_id: string; source_file: string; reasons: string[] }[];
  reviewTotal: number;
}

/** One row per format the current documents were read from (OCR counted within its format). */
export interface TextSourceRow {
  file_type: string;
  documents: number;
  ocr: number;
  ocr_confidence: number | null;
  ocr_min_confidence: number | null;
}

export interface CitedRec {
  rec_id: string;
  doc_id: string;
  title: string | null;
  year: number | null;
  source_file: string;
  line_start: number;
  line_end: number;
  addressee: string | null;
  addressee_type: string;
  verb: string | null;
  text: string;
}

export interface ReportData {
  overview: Overview;
  textSources: TextSourceRow[];
  documents: DocumentRow[];
  docsByYearLevel: YearLevelRow[];
  docsByLevel: LevelRow[];
  themes: Theme[];
  themesByYear: YearThemeRow[];
  themesByLevel: GroupThemeRow[];
  /** Grouped by addressee entity (the most addressed ones, the rest as 'other'), or by type before the addressees stage. */
  themesByAddressee: GroupThemeRow[];
  addressees: Addressees;
  recurring: Recurring;
  clusterTotals: ClusterTotals;
  clusters: ClusterRow[];
  clusterYears: ClusterYearRow[];
  duplicates: Duplicates;
  verbProfile: VerbProfileRow[];
  topVerbs: TopVerb[];
  runs: RunRow[];
  exclusions: Exclusions;
}

/**
 * A query's rows as objects, like Store.all, built from its columns: DuckDB's per-row conversion
 * (getRowObjectsJS) took several times longer than the query for the 10,000-row document register.
 */
async function rows<T>(store: Store, sql: string, params?: Params): Promise<T[]> {
  const cols = await store.columns<Record<string, unknown[]>>(sql, params);
  const names = Object.keys(cols);
  const n = names.length ? cols[names[0]].length : 0;
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const name of names) row[name] = cols[name][i];
    out[i] = row as T;
  }
  return out;
}

async function one<T>(store: Store, sql: string, params?: Params): Promise<T | undefined> {
  return (await rows<T>(store, sql, params))[0];
}

function parseJson(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function loadClusters(store: Store): Promise<{ clusters: ClusterRow[]; years: ClusterYearRow[] }> {
  const top = await rows<Omit<ClusterRow, 'documents' | 'more_documents'>>(store, Q.RECURRING_CLUSTERS, [LIMITS.clusters]);
  const ids = top.map((c) => c.cluster_id);
  if (ids.length === 0) return { clusters: [], years: [] };
  await store.run(`CREATE OR REPLACE TEMP TABLE ${Q.SHOWN_CLUSTERS_TABLE} AS ${Q.SHOWN_CLUSTERS}`, [listValue(ids)]);
  const docs = await rows<{ cluster_id: number; doc_id: string; title: string | null; year: number | null; n: number; n_docs: number }>(
    store,
    Q.CLUSTER_DOCUMENTS,
    [LIMITS.clusterDocuments],
  );
  const clusters = top.map((c) => {
    const mine = docs.filter((d) => d.cluster_id === c.cluster_id);
    const total = mine[0]?.n_docs ?? 0;
    return { ...c, documents: mine.map(({ doc_id, title, year, n }) => ({ doc_id, title, year, n })), more_documents: Math.max(0, total - mine.length) };
  });
  const years = await rows<ClusterYearRow>(store, Q.CLUSTER_YEARS);
  return { clusters, years };
}

/** Near-duplicates exist only once the `similar` stage has created its tables and run. */
async function loadDuplicates(store: Store, runs: RunRow[]): Promise<Duplicates> {
  const tables = await store.scalar<number>(Q.NEAR_DUPLICATE_TABLES);
  if (tables < 2 || !runs.some((r) => r.stage === 'similar')) return null;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${Q.CURRENT_GROUPS_TABLE} AS ${Q.CURRENT_GROUPS}`);
  const totals = (await one<DuplicateTotals>(store, Q.NEAR_DUPLICATE_TOTALS))!;
  const top = await rows<Omit<DuplicateGroup, 'members'>>(store, Q.NEAR_DUPLICATE_TOP_GROUPS, [LIMITS.duplicateGroups]);
  const members = top.length
    ? await rows<{ group_id: string; rec_id: string; is_medoid: boolean; similarity_to_medoid: number }>(store, Q.NEAR_DUPLICATE_MEMBERS, [
        listValue(top.map((g) => g.group_id)),
        LIMITS.duplicateMembers,
      ])
    : [];
  const groups = top.map((g) => ({
    ...g,
    members: members.filter((m) => m.group_id === g.group_id).map(({ rec_id, is_medoid, similarity_to_medoid }) => ({ rec_id, is_medoid, similarity_to_medoid })),
  }));
  return { totals, groups };
}

async function hasRun(store: Store, runs: RunRow[], tablesQuery: string, stage: string): Promise<boolean> {
  return (await store.scalar<number>(tablesQuery)) >= 2 && runs.some((r) => r.stage === stage);
}

async function loadAddressees(store: Store, runs: RunRow[]): Promise<Addressees> {
  if (!(await hasRun(store, runs, Q.ADDRESSEE_TABLES, 'addressees'))) return null;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${Q.REC_ENTITY_TABLE} AS ${Q.REC_ENTITY}`);
  return {
    totals: (await one<AddresseeTotals>(store, Q.ADDRESSEE_TOTALS))!,
    top: await rows<AddresseeRow>(store, Q.TOP_ADDRESSEES, [LIMITS.addressees]),
  };
}

async function loadRecurring(store: Store, runs: RunRow[]): Promise<Recurring> {
  if (!(await hasRun(store, runs, Q.RECURRING_TABLES, 'recurring'))) return null;
  const top = (await rows<Omit<RecurringRow, 'per_year'> & { per_year: string }>(store, Q.RECURRING_TOP, [LIMITS.recurring])).map((r) => ({
    ...r,
    per_year: parseJson(r.per_year) as Record<string, number>,
  }));
  return {
    totals: (await one<RecurringTotals>(store, Q.RECURRING_TOTALS))!,
    top,
    byYear: await rows<NoveltyYear>(store, Q.NOVELTY_BY_YEAR),
    conferences: await rows<NoveltyRow>(store, Q.NOVELTY_TOP, [LIMITS.noveltyConferences, LIMITS.noveltyMinRecs]),
  };
}

/**
 * Runs every report query; the result is plain data that the pure takeaway and HTML functions read.
 * The current recommendations (their seeded themes, first addressee entity, near-duplicate groups
 * and the clusters shown) are joined once into temp tables
 * the queries share, dropped at the end (temp tables are allowed on a read-only connection too).
 */
export async function loadReportData(store: Store): Promise<ReportData> {
  await store.run(`CREATE OR REPLACE TEMP TABLE ${Q.CURRENT_RECS_TABLE} AS ${Q.CURRENT_RECS}`);
  try {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${Q.CURRENT_THEMES_TABLE} AS ${Q.CURRENT_THEMES}`);
    return await queryReportData(store);
  } finally {
    for (const t of [Q.CURRENT_RECS_TABLE, Q.CURRENT_THEMES_TABLE, Q.REC_ENTITY_TABLE, Q.SHOWN_CLUSTERS_TABLE, Q.CURRENT_GROUPS_TABLE]) await store.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

async function queryReportData(store: Store): Promise<ReportData> {
  const runs = (await rows<Omit<RunRow, 'params' | 'counts'> & { params: string; counts: string }>(store, Q.LATEST_RUNS)).map((r) => ({
    ...r,
    params: parseJson(r.params),
    counts: parseJson(r.counts),
  }));
  const { clusters, years } = await loadClusters(store);
  const addressees = await loadAddressees(store, runs);
  const byEntity = addressees !== null && addressees.totals.with_entity > 0;
  const issues = await rows<{ source_file: string; reason: string; total: number }>(store, Q.INGEST_ISSUES, [LIMITS.exclusions]);
  const flagged = await rows<{ doc_id: string; source_file: string; reason: string | null; total: number }>(store, Q.FLAGGED_DOCUMENTS, [LIMITS.exclusions]);
  const review = await rows<{ doc_id: string; source_file: string; reasons: string | null; total: number }>(store, Q.REVIEW_DOCUMENTS, [LIMITS.exclusions]);
  return {
    overview: (await one<Overview>(store, Q.OVERVIEW))!,
    textSources: await rows<TextSourceRow>(store, Q.TEXT_SOURCES),
    documents: await rows<DocumentRow>(store, Q.DOCUMENT_REGISTER),
    docsByYearLevel: await rows<YearLevelRow>(store, Q.DOCS_BY_YEAR_LEVEL),
    docsByLevel: await rows<LevelRow>(store, Q.DOCS_BY_LEVEL),
    themes: await rows<Theme>(store, Q.THEME_TOTALS),
    themesByYear: await rows<YearThemeRow>(store, Q.THEMES_BY_YEAR),
    themesByLevel: await rows<GroupThemeRow>(store, Q.THEMES_BY_LEVEL),
    themesByAddressee: byEntity
      ? await rows<GroupThemeRow>(store, Q.THEMES_BY_ADDRESSEE_ENTITY, [LIMITS.addresseeRows])
      : await rows<GroupThemeRow>(store, Q.THEMES_BY_ADDRESSEE),
    addressees,
    recurring: await loadRecurring(store, runs),
    clusterTotals: (await one<ClusterTotals>(store, Q.CLUSTER_TOTALS))!,
    clusters,
    clusterYears: years,
    duplicates: await loadDuplicates(store, runs),
    verbProfile: byEntity
      ? await rows<VerbProfileRow>(store, Q.VERB_PROFILE_ENTITY, [...verbClassParams().map((l) => listValue(l)), LIMITS.addresseeRows])
      : await rows<VerbProfileRow>(store, Q.VERB_PROFILE, verbClassParams().map((l) => listValue(l))),
    topVerbs: await rows<TopVerb>(store, Q.TOP_VERBS, [LIMITS.verbs]),
    runs,
    exclusions: {
      issues: issues.map(({ source_file, reason }) => ({ source_file, reason })),
      issuesTotal: issues[0]?.total ?? 0,
      flagged: flagged.map(({ doc_id, source_file, reason }) => ({ doc_id, source_file, reason })),
      flaggedTotal: flagged[0]?.total ?? 0,
      review: review.map(({ doc_id, source_file, reasons }) => ({ doc_id, source_file, reasons: reasons ? (parseJson(reasons) as unknown as string[]) : [] })),
      reviewTotal: review[0]?.total ?? 0,
    },
  };
}

/** The recommendations a rendered report cites, for the «Источники» appendix. */
export async function loadCitedRecs(store: Store, ids: Iterable<string>): Promise<CitedRec[]> {
  const list = [...new Set(ids)];
  return list.length ? rows<CitedRec>(store, Q.CITED_RECOMMENDATIONS, [listValue(list)]) : [];
}

/** Every recommendation the sections quote or link to; each gets an anchor in «Источники». */
export function citedIds(d: ReportData): string[] {
  const ids: string[] = [];
  for (const t of d.themes) if (t.example_rec_id) ids.push(t.example_rec_id);
  for (const c of d.clusters) ids.push(c.medoid_rec_id);
  for (const g of d.duplicates?.groups ?? []) for (const m of g.members) ids.push(m.rec_id);
  for (const v of d.topVerbs) ids.push(v.example_rec_id);
  for (const p of d.recurring?.top ?? []) ids.push(p.medoid_rec_id);
  return [...new Set(ids)];
}

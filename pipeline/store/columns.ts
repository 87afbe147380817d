/**
 * One column spec per table: the names, DuckDB types and order of its columns, as schema.sql has
 * them, and how a row object becomes the values DuckDB's appender takes. Bulk writes go through
 * these (Store.append), never through a positional list of types that has to be kept in step with
 * the schema by hand; tests/stage/columns.test.ts compares every spec with the schema.
 */
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBDoubleVector,
  DuckDBFloatVector,
  DuckDBIntegerVector,
  DuckDBSmallIntVector,
  DuckDBTinyIntVector,
  DuckDBUIntegerVector,
  DuckDBUSmallIntVector,
  DuckDBUTinyIntVector,
  FLOAT,
  INTEGER,
  LIST,
  TIMESTAMP,
  VARCHAR,
  type DuckDBDataChunk,
  type DuckDBType,
} from '@duckdb/node-api';
import type { DocumentRow, RecommendationRow } from './types.js';

/** A column: its type, and (when a JS value is not what the appender takes) how to convert it. */
export interface Column<V = unknown> {
  type: DuckDBType;
  encode?: (value: V) => unknown;
}

export type Columns<R> = { [K in keyof R]-?: DuckDBType | Column<R[K]> };

export class TableSpec<R extends object = Record<string, unknown>> {
  readonly names: readonly (keyof R & string)[];
  readonly types: readonly DuckDBType[];
  private readonly encoders: readonly (((v: unknown) => unknown) | undefined)[];

  /** `columns` in table order (object keys keep their order). */
  constructor(
    readonly table: string,
    readonly columns: Columns<R>,
  ) {
    const entries = Object.entries(columns) as [keyof R & string, DuckDBType | Column][];
    this.names = entries.map(([k]) => k);
    // A DuckDB type object has a typeId; a Column wraps one with its encoder.
    const column = (c: DuckDBType | Column): Column => ('typeId' in c ? { type: c } : c);
    this.types = entries.map(([, c]) => column(c).type);
    this.encoders = entries.map(([, c]) => column(c).encode as ((v: unknown) => unknown) | undefined);
  }

  /** The appender's values for one row, in column order. */
  values(row: R): unknown[] {
    const out = new Array(this.names.length);
    for (let i = 0; i < this.names.length; i++) {
      const v = row[this.names[i]] as unknown;
      const enc = this.encoders[i];
      out[i] = enc ? enc(v) : (v ?? null);
    }
    return out;
  }

  /** `CREATE … (name TYPE, …)` column list, for temporary tables built from a spec. */
  ddl(): string {
    return this.names.map((n, i) => `${n} ${this.types[i].toString()}`).join(', ');
  }
}

/** The integer kinds of typed array, with the range of their values. */
const INTEGER_RANGES = new Map<unknown, readonly [number, number]>([
  [Int8Array, [-128, 127]],
  [Uint8Array, [0, 255]],
  [Uint8ClampedArray, [0, 255]],
  [Int16Array, [-32768, 32767]],
  [Uint16Array, [0, 65535]],
  [Int32Array, [-2147483648, 2147483647]],
  [Uint32Array, [0, 4294967295]],
]);

/** The numeric column vectors a typed array can be copied into: the range of an integer column, or 'float'. */
const NUMERIC_VECTORS = new Map<unknown, readonly [number, number] | 'float'>([
  [DuckDBTinyIntVector, [-128, 127]],
  [DuckDBUTinyIntVector, [0, 255]],
  [DuckDBSmallIntVector, [-32768, 32767]],
  [DuckDBUSmallIntVector, [0, 65535]],
  [DuckDBIntegerVector, [-2147483648, 2147483647]],
  [DuckDBUIntegerVector, [0, 4294967295]],
  [DuckDBFloatVector, 'float'],
  [DuckDBDoubleVector, 'float'],
]);

/**
 * Values [from, from + count) of a typed array into column `column` of an appender's chunk (whose
 * row count is `count`) with one copy into the chunk's own storage, instead of a JS number per value
 * through setItem. Only where the copy stores exactly what setItem would: any typed array into a
 * DOUBLE or FLOAT column (setItem writes into the same Float64Array/Float32Array), an integer typed
 * array into an integer column whose range holds every value of its kind. Returns false (nothing
 * written) otherwise, and the caller sets the values one by one.
 */
export function setNumericColumn(chunk: DuckDBDataChunk, column: number, values: ArrayLike<number>, from: number, count: number): boolean {
  if (!ArrayBuffer.isView(values) || values instanceof DataView || values instanceof BigInt64Array || values instanceof BigUint64Array) return false;
  const vector = chunk.getColumnVector(column) as unknown as { constructor: unknown; items: { length: number; set(a: ArrayLike<number>): void }; flush(): void };
  const kind = NUMERIC_VECTORS.get(vector.constructor);
  if (!kind || vector.items.length !== count) return false;
  const source = values as unknown as { constructor: unknown; subarray(a: number, b: number): ArrayLike<number> };
  if (kind !== 'float') {
    const range = INTEGER_RANGES.get(source.constructor);
    if (!range || range[0] < kind[0] || range[1] > kind[1]) return false;
  }
  vector.items.set(source.subarray(from, from + count));
  vector.flush();
  return true;
}

const date = (v: string | null): Date | null => (v ? new Date(`${v}T00:00:00Z`) : null);
const json = (v: unknown): string => JSON.stringify(v);

/**
 * The `documents` columns ingest writes. Ingest appends them to a temporary table of these columns
 * and inserts BY NAME (ingest/stage.ts), so columns that only other code fills (copy_of) need not be here.
 */
export const DOCUMENTS = new TableSpec<Omit<DocumentRow, 'copy_of'>>('documents', {
  doc_id: VARCHAR,
  sha256: VARCHAR,
  source_path: VARCHAR,
  source_file: VARCHAR,
  file_type: VARCHAR,
  encoding: VARCHAR,
  bytes: BIGINT,
  is_current: BOOLEAN,
  superseded_by: VARCHAR,
  title: VARCHAR,
  kind: VARCHAR,
  level: VARCHAR,
  date_start: { type: DATE, encode: date },
  date_end: { type: DATE, encode: date },
  year: INTEGER,
  city: VARCHAR,
  region: VARCHAR,
  participants: INTEGER,
  format: VARCHAR,
  organizer: VARCHAR,
  meta_sources: { type: VARCHAR, encode: json }, // JSON column
  text: VARCHAR,
  ingested_at: { type: TIMESTAMP, encode: (v: string) => new Date(v) },
  run_id: INTEGER,
  reader: VARCHAR,
  ocr_confidence: DOUBLE,
  metadata_version: VARCHAR,
});

export const RECOMMENDATIONS = new TableSpec<RecommendationRow>('recommendations', {
  rec_id: VARCHAR,
  doc_id: VARCHAR,
  seq: INTEGER,
  addressee_raw: VARCHAR,
  addressee: VARCHAR,
  addressee_type: VARCHAR,
  verb: VARCHAR,
  text: VARCHAR,
  char_start: INTEGER,
  char_end: INTEGER,
  line_start: INTEGER,
  line_end: INTEGER,
  text_hash: VARCHAR,
  run_id: INTEGER,
  proposal: VARCHAR,
  form: VARCHAR,
  responsible: VARCHAR,
  deadline: { type: DATE, encode: date },
  deadline_text: VARCHAR,
  corrected: BOOLEAN,
});

export interface SegmentStatusRow {
  doc_id: string;
  n_recommendations: number;
  flagged: boolean;
  reason: string | null;
  segmenter_version: string;
  run_id: number;
  /** ok | review | none (segment/verdict.ts). */
  verdict: string;
  /** JSON list of short reasons when verdict is review. */
  review_reasons: string | null;
  /** resolution | news. */
  source_kind: string | null;
  /** sha256 of the corrections sidecar applied, NULL when none. */
  corrections_sha: string | null;
}
export const SEGMENT_STATUS = new TableSpec<SegmentStatusRow>('segment_status', {
  doc_id: VARCHAR,
  n_recommendations: INTEGER,
  flagged: BOOLEAN,
  reason: VARCHAR,
  segmenter_version: VARCHAR,
  run_id: INTEGER,
  verdict: VARCHAR,
  review_reasons: VARCHAR, // JSON column
  source_kind: VARCHAR,
  corrections_sha: VARCHAR,
});

export interface SegmentCorrectionRow {
  source_path: string;
  sidecar_path: string;
  content: string;
  sha256: string;
  run_id: number;
}
export const SEGMENT_CORRECTIONS = new TableSpec<SegmentCorrectionRow>('segment_corrections', {
  source_path: VARCHAR,
  sidecar_path: VARCHAR,
  content: VARCHAR,
  sha256: VARCHAR,
  run_id: INTEGER,
});

export interface EmbeddingRow {
  text_hash: string;
  embedder: string;
  dim: number;
  vector: number[];
}
export const EMBEDDINGS = new TableSpec<EmbeddingRow>('embeddings', {
  text_hash: VARCHAR,
  embedder: VARCHAR,
  dim: INTEGER,
  vector: LIST(FLOAT),
});

/** Every current recommendation's cluster (NULL: unclustered) and cosine to the centroid. */
export const REC_CLUSTERS = new TableSpec<{ rec_id: string; cluster_id: number | null; similarity: number; run_id: number }>('rec_clusters', {
  rec_id: VARCHAR,
  cluster_id: INTEGER,
  similarity: DOUBLE,
  run_id: INTEGER,
});

/** The fitted centroids (c = the clusterer's index; cluster_id NULL for a dissolved cluster). */
export const CLUSTER_CENTROIDS = new TableSpec<{ c: number; cluster_id: number | null; embedder: string; vector: number[]; run_id: number }>(
  'cluster_centroids',
  { c: INTEGER, cluster_id: INTEGER, embedder: VARCHAR, vector: LIST(FLOAT), run_id: INTEGER },
);

export const LEXICAL_FIT_TEXTS = new TableSpec<{ model_id: string; text_hash: string }>('lexical_fit_texts', {
  model_id: VARCHAR,
  text_hash: VARCHAR,
});

export interface ThemeScoreRow {
  rec_id: string;
  theme_id: string;
  lexical: number;
  similarity: number | null;
  score: number;
  matched: string | null;
  run_id: number;
}
export const REC_THEME_SCORES = new TableSpec<ThemeScoreRow>('rec_theme_scores', {
  rec_id: VARCHAR,
  theme_id: VARCHAR,
  lexical: DOUBLE,
  similarity: DOUBLE,
  score: DOUBLE,
  matched: VARCHAR,
  run_id: INTEGER,
});

export interface ThemeAssignmentRow {
  rec_id: string;
  theme_id: string;
  score: number;
  run_id: number;
}
export const REC_THEMES = new TableSpec<ThemeAssignmentRow>('rec_themes', {
  rec_id: VARCHAR,
  theme_id: VARCHAR,
  score: DOUBLE,
  run_id: INTEGER,
});

export const PROPOSAL_LEMMAS = new TableSpec<{ text_hash: string; lemmas: string[] }>('proposal_lemmas', {
  text_hash: VARCHAR,
  lemmas: LIST(VARCHAR),
});

export interface GroupMemberRow {
  group_id: string;
  rec_id: string;
  is_medoid: boolean;
  similarity_to_medoid: number;
  run_id: number;
}
export const NEAR_DUPLICATE_GROUPS = new TableSpec<GroupMemberRow>('near_duplicate_groups', {
  group_id: VARCHAR,
  rec_id: VARCHAR,
  is_medoid: BOOLEAN,
  similarity_to_medoid: DOUBLE,
  run_id: INTEGER,
});

export interface StarNodeRow {
  rec_id: string;
  degree: number;
  strength: number;
  opener: boolean;
  run_id: number;
}
export const NEAR_DUPLICATE_NODES = new TableSpec<StarNodeRow>('near_duplicate_nodes', {
  rec_id: VARCHAR,
  degree: INTEGER,
  strength: DOUBLE,
  opener: BOOLEAN,
  run_id: INTEGER,
});

export interface AddresseeRow {
  addressee_id: string;
  canonical_name: string;
  type: string;
  level: string | null;
  region: string | null;
  generic: boolean;
  rule: string | null;
  n_forms: number;
  n_recommendations: number;
  n_documents: number;
  needs_review: boolean;
  run_id: number;
}
export const ADDRESSEES = new TableSpec<AddresseeRow>('addressees', {
  addressee_id: VARCHAR,
  canonical_name: VARCHAR,
  type: VARCHAR,
  level: VARCHAR,
  region: VARCHAR,
  generic: BOOLEAN,
  rule: VARCHAR,
  n_forms: INTEGER,
  n_recommendations: INTEGER,
  n_documents: INTEGER,
  needs_review: BOOLEAN,
  run_id: INTEGER,
});

export interface AddresseeFormRow {
  form: string;
  addressee_id: string;
  method: string;
  detail: string | null;
  n_recommendations: number;
  n_documents: number;
  example_doc_id: string | null;
  run_id: number;
}
export const ADDRESSEE_FORMS = new TableSpec<AddresseeFormRow>('addressee_forms', {
  form: VARCHAR,
  addressee_id: VARCHAR,
  method: VARCHAR,
  detail: VARCHAR,
  n_recommendations: INTEGER,
  n_documents: INTEGER,
  example_doc_id: VARCHAR,
  run_id: INTEGER,
});

export interface RecAddresseeRow {
  rec_id: string;
  addressee_id: string;
  part: number;
  run_id: number;
}
export const REC_ADDRESSEES = new TableSpec<RecAddresseeRow>('rec_addressees', {
  rec_id: VARCHAR,
  addressee_id: VARCHAR,
  part: INTEGER,
  run_id: INTEGER,
});

export interface AddresseeReviewRow {
  addressee_id: string;
  reason: string;
  candidate_id: string | null;
  similarity: number | null;
  run_id: number;
}
export const ADDRESSEE_REVIEW = new TableSpec<AddresseeReviewRow>('addressee_review', {
  addressee_id: VARCHAR,
  reason: VARCHAR,
  candidate_id: VARCHAR,
  similarity: DOUBLE,
  run_id: INTEGER,
});

export const ADDRESSEE_INPUTS = new TableSpec<{ doc_id: string; signature: string }>('addressee_inputs', {
  doc_id: VARCHAR,
  signature: VARCHAR,
});
export const ADDRESSEE_RESOLUTIONS = new TableSpec<{ resolution_id: string; resolution: string }>('addressee_resolutions', {
  resolution_id: VARCHAR,
  resolution: VARCHAR, // JSON column
});
export interface AddresseeObservationRow {
  doc_id: string;
  form: string;
  part: number;
  first_rec_id: string;
  n_recommendations: number;
  resolution_id: string;
  addressee_id: string;
}
export const ADDRESSEE_OBSERVATIONS = new TableSpec<AddresseeObservationRow>('addressee_observations', {
  doc_id: VARCHAR,
  form: VARCHAR,
  part: INTEGER,
  first_rec_id: VARCHAR,
  n_recommendations: INTEGER,
  resolution_id: VARCHAR,
  addressee_id: VARCHAR,
});

export const RECURRING_INPUTS = new TableSpec<{ group_id: string; signature: string }>('recurring_inputs', {
  group_id: VARCHAR,
  signature: VARCHAR,
});
export interface RecurringProposalRow {
  proposal_id: string;
  medoid_rec_id: string;
  n_recommendations: number;
  n_documents: number;
  n_series: number;
  n_years: number;
  first_year: number;
  last_year: number;
  /** {"2017": 2, …} */
  per_year: Record<string, number>;
  addressee_ids: string[];
  group_ids: string[];
  run_id: number;
}
export const RECURRING_PROPOSALS = new TableSpec<RecurringProposalRow>('recurring_proposals', {
  proposal_id: VARCHAR,
  medoid_rec_id: VARCHAR,
  n_recommendations: INTEGER,
  n_documents: INTEGER,
  n_series: INTEGER,
  n_years: INTEGER,
  first_year: INTEGER,
  last_year: INTEGER,
  per_year: { type: VARCHAR, encode: json }, // JSON column
  addressee_ids: LIST(VARCHAR),
  group_ids: LIST(VARCHAR),
  run_id: INTEGER,
});

export interface RecurringMemberRow {
  proposal_id: string;
  rec_id: string;
  doc_id: string;
  year: number | null;
  is_medoid: boolean;
  run_id: number;
}
export const RECURRING_MEMBERS = new TableSpec<RecurringMemberRow>('recurring_members', {
  proposal_id: VARCHAR,
  rec_id: VARCHAR,
  doc_id: VARCHAR,
  year: INTEGER,
  is_medoid: BOOLEAN,
  run_id: INTEGER,
});

/**
 * Every persistent table written directly by an appender (all its columns, in order):
 * tests/stage/columns.test.ts checks them against the schema. DOCUMENTS is checked by name.
 */
export const APPENDED_TABLES: readonly TableSpec<object>[] = [
  RECOMMENDATIONS,
  SEGMENT_STATUS,
  SEGMENT_CORRECTIONS,
  ADDRESSEES,
  ADDRESSEE_FORMS,
  REC_ADDRESSEES,
  ADDRESSEE_REVIEW,
  ADDRESSEE_INPUTS,
  ADDRESSEE_RESOLUTIONS,
  ADDRESSEE_OBSERVATIONS,
  RECURRING_PROPOSALS,
  RECURRING_MEMBERS,
  RECURRING_INPUTS,
  EMBEDDINGS,
  REC_CLUSTERS,
  CLUSTER_CENTROIDS,
  LEXICAL_FIT_TEXTS,
  REC_THEME_SCORES,
  REC_THEMES,
  PROPOSAL_LEMMAS,
  NEAR_DUPLICATE_GROUPS,
  NEAR_DUPLICATE_NODES,
] as unknown as TableSpec<object>[];

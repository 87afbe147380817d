/** Row types: the vocabulary of the codebase. They mirror schema.sql column for column. */

/** The format a file was read as (by its content, which may differ from its extension). */
export type FileType = 'txt' | 'md' | 'docx' | 'pdf' | 'doc' | 'rtf' | 'odt' | 'html' | 'image';

export const ADDRESSEE_TYPES = [
  'federal',
  'regional',
  'municipal',
  'institute',
  'educational_org',
  'participants',
  'other',
  'none',
] as const;
export type AddresseeType = (typeof ADDRESSEE_TYPES)[number];

/** Conference metadata; every field is null when the text does not state it. */
export interface ConferenceMeta {
  title: string | null;
  kind: string | null;
  level: string | null;
  date_start: string | null; // YYYY-MM-DD
  date_end: string | null;
  year: number | null;
  city: string | null;
  region: string | null;
  participants: number | null;
  format: string | null;
  organizer: string | null;
}

export const META_FIELDS = [
  'title',
  'kind',
  'level',
  'date_start',
  'date_end',
  'year',
  'city',
  'region',
  'participants',
  'format',
  'organizer',
] as const satisfies readonly (keyof ConferenceMeta)[];
export type MetaField = (typeof META_FIELDS)[number];

export type MetaSource = 'text' | 'sidecar';

export interface DocumentRow extends ConferenceMeta {
  doc_id: string;
  sha256: string;
  source_path: string;
  source_file: string;
  file_type: FileType;
  encoding: string | null;
  bytes: number;
  is_current: boolean;
  superseded_by: string | null;
  /** The current document with the same bytes at another path that came first (set by ingest). */
  copy_of?: string | null;
  meta_sources: Partial<Record<MetaField, MetaSource>>;
  text: string;
  ingested_at: string;
  run_id: number | null;
  /** The reader that produced the text, e.g. "docx:mammoth", "pdf:tesseract". */
  reader: string | null;
  /** Mean OCR word confidence (0–100) when the text came from OCR, else null. */
  ocr_confidence: number | null;
  /** The metadata extractor's version its metadata came from (ingest/metadata.ts METADATA_VERSION). */
  metadata_version: string;
}

export interface RecommendationRow {
  rec_id: string;
  doc_id: string;
  seq: number;
  addressee_raw: string | null;
  addressee: string | null;
  addressee_type: AddresseeType;
  verb: string | null;
  text: string;
  char_start: number;
  char_end: number;
  line_start: number;
  line_end: number;
  /** sha256 of proposal: what is embedded, the embedding cache key. */
  text_hash: string;
  run_id: number | null;
  /** The text without its addressing frame (segment/proposal.ts). */
  proposal: string;
  /** infinitive | imperative | nominal | sentence (segment/form.ts). */
  form: RecommendationForm;
  /** "Ответственный: …" or an «Исполнитель» cell, as written. */
  responsible: string | null;
  /** ISO date of "Срок: до 01.09.2025", when the text gives a day. */
  deadline: string | null;
  /** The deadline as written ("постоянно", "апрель 2024 г."). */
  deadline_text: string | null;
  /** A hand correction (name.segments.json) changed this item. */
  corrected: boolean;
}

export const RECOMMENDATION_FORMS = ['infinitive', 'imperative', 'nominal', 'sentence'] as const;
export type RecommendationForm = (typeof RECOMMENDATION_FORMS)[number];

export const SEGMENT_VERDICTS = ['ok', 'review', 'none'] as const;
export type SegmentVerdict = (typeof SEGMENT_VERDICTS)[number];

/** Whether a document decides itself or is an article reporting a resolution. */
export type SourceKind = 'resolution' | 'news';

export interface RunRow {
  run_id: number;
  stage: string;
  status: 'running' | 'ok' | 'failed' | 'interrupted';
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  params: Record<string, unknown>;
  counts: Record<string, unknown>;
  code_version: string;
  error: string | null;
}

/** A recommendation with the fields that say where it comes from: what search and group listings show. */
export interface RecommendationSource {
  rec_id: string;
  doc_id: string;
  text: string;
  source_file: string;
  conference: string | null;
  year: number | null;
  addressee: string | null;
  addressee_type: string;
  char_start: number;
  char_end: number;
  line_start: number;
}

/**
 * Fills `documents` and `recommendations` directly, as ingest and segment would, for benchmarks that
 * measure a later stage (setup, not measured). Rows go through the tables' column specs.
 */
import { METADATA_VERSION } from '../pipeline/ingest/metadata.js';
import { DOCUMENTS, RECOMMENDATIONS } from '../pipeline/store/columns.js';
import type { Store } from '../pipeline/store/db.js';
import { sha256Hex } from '../pipeline/store/hash.js';
import type { DocumentRow, RecommendationRow } from '../pipeline/store/types.js';

export interface SeedDocument {
  doc_id: string;
  year?: number | null;
}

export interface SeedRecommendation {
  rec_id: string;
  doc_id: string;
  seq: number;
  text: string;
  /** The embedded text (default: text); text_hash is its sha256. */
  proposal?: string;
}

export async function seedCorpus(store: Store, docs: readonly SeedDocument[], recs: readonly SeedRecommendation[]): Promise<void> {
  const now = new Date().toISOString();
  const documentRows: DocumentRow[] = docs.map((d) => ({
    doc_id: d.doc_id,
    sha256: sha256Hex(d.doc_id),
    source_path: `/bench/${d.doc_id}.txt`,
    source_file: `${d.doc_id}.txt`,
    file_type: 'txt',
    encoding: null,
    bytes: 0,
    is_current: true,
    superseded_by: null,
    title: null,
    kind: null,
    level: null,
    date_start: null,
    date_end: null,
    year: d.year ?? null,
    city: null,
    region: null,
    participants: null,
    format: null,
    organizer: null,
    meta_sources: {},
    text: '',
    ingested_at: now,
    run_id: null,
    reader: 'txt',
    ocr_confidence: null,
    metadata_version: METADATA_VERSION,
  }));
  const recommendationRows: RecommendationRow[] = recs.map((r) => ({
    rec_id: r.rec_id,
    doc_id: r.doc_id,
    seq: r.seq,
    addressee_raw: null,
    addressee: null,
    addressee_type: 'none',
    verb: null,
    text: r.text,
    char_start: 0,
    char_end: 0,
    line_start: 1,
    line_end: 1,
    text_hash: sha256Hex(r.proposal ?? r.text),
    run_id: null,
    proposal: r.proposal ?? r.text,
    form: 'infinitive',
    responsible: null,
    deadline: null,
    deadline_text: null,
    corrected: false,
  }));
  await store.append(DOCUMENTS, documentRows);
  await store.append(RECOMMENDATIONS, recommendationRows);
}

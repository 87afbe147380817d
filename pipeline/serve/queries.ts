/**
 * Every SQL statement of the explorer and the draft check, one named constant per question. Values
 * are always bound parameters. "Current" is the shared view current_documents (schema.sql):
 * superseded versions of a file never reach a page. The index's id tables are temporary tables of
 * one load (store/scratch.ts), passed in as handles.
 */
import type { TableRef } from '../store/scratch.js';

/** The two id tables of one index load: current documents (doc_id → dk) and recommendations (rec_id → k). */
export interface CorpusTables {
  docs: TableRef;
  ids: TableRef;
}

/**
 * Dense integer ids of the current recommendations (k, in rec_id order) and documents (dk, in doc_id
 * order): the index reads pairs, themes, clusters and positions as integers, not strings (at 580,000
 * near-duplicate pairs the strings alone cost 300 MB and 4 s).
 */
export const CORPUS_DOC_IDS = `SELECT doc_id, (row_number() OVER (ORDER BY doc_id) - 1)::INTEGER AS dk FROM current_documents`;

export const CORPUS_REC_IDS = (docs: TableRef) => `
  SELECT r.rec_id, (row_number() OVER (ORDER BY r.rec_id) - 1)::INTEGER AS k
  FROM recommendations r JOIN ${docs.name} USING (doc_id)`;

/** Current recommendations in k order, with their document's dk. */
export const CORPUS_RECS = (t: CorpusTables) => `
  SELECT i.k, r.rec_id, d.dk, r.seq, r.addressee, r.addressee_type, r.verb, r.text, r.text_hash,
         r.char_start, r.char_end, r.line_start, r.line_end
  FROM recommendations r JOIN ${t.ids.name} i USING (rec_id) JOIN ${t.docs.name} d USING (doc_id)
  ORDER BY i.k`;

/** Current documents without their text (loaded per page), in dk order. */
export const CORPUS_DOCS = (t: CorpusTables) => `
  SELECT doc_id, title, kind, level, year, strftime(date_start, '%Y-%m-%d') AS date_start, strftime(date_end, '%Y-%m-%d') AS date_end,
         city, region, participants, format, organizer, source_file, source_path, file_type, sha256, copy_of
  FROM documents JOIN ${t.docs.name} USING (doc_id) ORDER BY dk`;

export const THEMES = `SELECT theme_id, label_ru FROM themes ORDER BY theme_id`;

/** Assigned themes of current recommendations, the best-scoring first (the map colours by it). */
export const REC_THEMES = (t: CorpusTables) => `SELECT i.k, r.theme_id FROM rec_themes r JOIN ${t.ids.name} i USING (rec_id) ORDER BY i.k, r.score DESC, r.theme_id`;

export const CLUSTERS = `SELECT cluster_id, label, size FROM clusters ORDER BY cluster_id`;

export const REC_CLUSTERS = (t: CorpusTables) => `SELECT i.k, c.cluster_id FROM rec_clusters c JOIN ${t.ids.name} i USING (rec_id) WHERE c.cluster_id IS NOT NULL`;

export const REC_MAP = (t: CorpusTables) => `SELECT i.k, m.x, m.y FROM rec_map m JOIN ${t.ids.name} i USING (rec_id)`;

/** Addressee entities (the addressees stage), when the database has them: every part of a heading. */
export const REC_ADDRESSEES = (t: CorpusTables) => `SELECT i.k, a.addressee_id FROM rec_addressees a JOIN ${t.ids.name} i USING (rec_id) ORDER BY i.k, a.part`;
export const ADDRESSEE_NAMES = `SELECT addressee_id, canonical_name FROM addressees`;

/** Pairs as (a, b, similarity, m) with m the index of the match kind in MATCH_KINDS. */
export const NEAR_DUPLICATE_PAIRS = (t: CorpusTables) => `
  SELECT ia.k AS a, ib.k AS b, n.similarity::FLOAT AS similarity,
         (CASE n.match WHEN 'identical' THEN 0 WHEN 'contained' THEN 2 ELSE 1 END)::INTEGER AS m
  FROM near_duplicates n JOIN ${t.ids.name} ia ON ia.rec_id = n.rec_a JOIN ${t.ids.name} ib ON ib.rec_id = n.rec_b`;

export const NEAR_DUPLICATE_GROUPS = (t: CorpusTables) => `
  SELECT g.group_id, i.k, g.is_medoid, g.similarity_to_medoid::FLOAT AS similarity
  FROM near_duplicate_groups g JOIN ${t.ids.name} i USING (rec_id) ORDER BY g.group_id, g.is_medoid DESC, i.k`;

/** Proposal texts of some recommendations ($1 = rec ids): the draft check's containment test. */
export const PROPOSALS = `SELECT rec_id, coalesce(proposal, text) AS proposal FROM recommendations WHERE list_contains($1::VARCHAR[], rec_id)`;

/**
 * Vectors of current texts in the current embedding space (current_embeddings), in no particular
 * order (rows are matched by text_hash; sorting 72,855 vectors cost 1.5 s and 250 MB of peak memory).
 */
export const CURRENT_VECTORS = (t: CorpusTables, dim: number) => `
  SELECT e.text_hash, e.vector FROM current_embeddings e
  SEMI JOIN (SELECT r.text_hash FROM recommendations r JOIN ${t.ids.name} USING (rec_id)) c USING (text_hash)
  WHERE len(e.vector) = ${Math.trunc(dim)}`;

/** The latest successful run of every stage. */
export const LATEST_RUNS = `SELECT stage, run_id, strftime(finished_at, '%Y-%m-%d %H:%M') AS finished_at FROM latest_runs`;

/** Whether a table exists in the attached database (tables arrive with newer versions). */
export const TABLE_EXISTS = `SELECT count(*) FROM information_schema.tables WHERE table_catalog = coalesce($1, current_database()) AND table_name = $2`;

export const TABLE_COLUMNS = `
  SELECT column_name FROM information_schema.columns WHERE table_catalog = $1 AND table_name = $2 ORDER BY ordinal_position`;

/**
 * The tables copied into the server's in-memory snapshot, with the rows worth keeping (conditions
 * read the attached copy: the copy runs while it is the database in use).
 */
export const SNAPSHOT_TABLES: { table: string; where?: string }[] = [
  { table: 'documents', where: 'doc_id IN (SELECT doc_id FROM current_documents)' },
  { table: 'recommendations', where: 'doc_id IN (SELECT doc_id FROM current_documents)' },
  { table: 'themes' },
  { table: 'rec_theme_scores', where: 'rec_id IN (SELECT r.rec_id FROM recommendations r JOIN current_documents d USING (doc_id))' },
  { table: 'rec_themes' },
  { table: 'clusters' },
  { table: 'rec_clusters' },
  { table: 'runs' },
  { table: 'segment_status' },
  { table: 'ingest_issues' },
];

/** The lexical space of the current vectors, so queries are embedded where the stored vectors live. */
export const COPY_LEXICAL_MODEL = `INSERT INTO memory.main.lexical_models BY NAME SELECT * FROM src.main.lexical_models WHERE model_id = $1`;

// ---- pages ------------------------------------------------------------------------------------------

export const DOCUMENT_TEXT = `SELECT text FROM documents WHERE doc_id = $1`;

export const REC_THEME_SCORES = `
  SELECT s.theme_id, t.label_ru, s.score, s.lexical, s.similarity, s.matched, (a.rec_id IS NOT NULL) AS assigned
  FROM rec_theme_scores s JOIN themes t USING (theme_id)
  LEFT JOIN rec_themes a ON a.rec_id = s.rec_id AND a.theme_id = s.theme_id
  WHERE s.rec_id = $1 ORDER BY s.score DESC`;

export const CLUSTER_DETAIL = `SELECT cluster_id, label, top_terms::VARCHAR AS top_terms, size, n_documents, first_year, last_year FROM clusters WHERE cluster_id = $1`;

export const SEGMENT_STATUS = `SELECT doc_id, n_recommendations, flagged, reason FROM segment_status WHERE doc_id = $1`;

export const RUN_SUMMARY = `
  SELECT run_id, stage, strftime(started_at, '%Y-%m-%d %H:%M') AS started_at, duration_ms, counts::VARCHAR AS counts
  FROM runs WHERE status = 'ok' AND run_id IN (SELECT max(run_id) FROM runs WHERE status = 'ok' GROUP BY stage) ORDER BY run_id`;

-- confrec schema: one DuckDB file, one statement per table. Every stage writes only its own tables.
-- Applied idempotently on every open (CREATE ... IF NOT EXISTS); `schema_version` tracks migrations.

CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;

CREATE TABLE IF NOT EXISTS runs (
  run_id       INTEGER PRIMARY KEY DEFAULT nextval('run_id_seq'),
  stage        VARCHAR NOT NULL,
  status       VARCHAR NOT NULL,            -- running | ok | failed
  started_at   TIMESTAMP NOT NULL,
  finished_at  TIMESTAMP,
  duration_ms  BIGINT,
  params       JSON,
  counts       JSON,
  code_version VARCHAR,
  error        VARCHAR
);

-- ingest ------------------------------------------------------------------------------------------
-- One row per source file version (sha256 of its bytes). A changed file gets a new row; the old row
-- stays for provenance with is_current = false and superseded_by set, and drops out of every analysis.
CREATE TABLE IF NOT EXISTS documents (
  doc_id        VARCHAR PRIMARY KEY,        -- first 16 hex digits of sha256
  sha256        VARCHAR NOT NULL UNIQUE,
  source_path   VARCHAR NOT NULL,           -- absolute path when ingested
  source_file   VARCHAR NOT NULL,           -- base name
  file_type     VARCHAR NOT NULL,           -- txt | md | docx | pdf
  encoding      VARCHAR,                    -- detected text encoding (txt/md)
  bytes         BIGINT NOT NULL,
  is_current    BOOLEAN NOT NULL DEFAULT true,
  superseded_by VARCHAR,
  title         VARCHAR,
  kind          VARCHAR,
  level         VARCHAR,
  date_start    DATE,
  date_end      DATE,
  year          INTEGER,
  city          VARCHAR,
  region        VARCHAR,
  participants  INTEGER,
  format        VARCHAR,                    -- conference format: очный | заочный | гибридный | смешанный | дистанционный
  organizer     VARCHAR,
  meta_sources  JSON,                       -- {field: "text" | "sidecar"} for every non-null field
  text          VARCHAR NOT NULL,           -- normalised text; all offsets point into it
  ingested_at   TIMESTAMP NOT NULL,
  run_id        INTEGER
);

-- Files that could not be ingested, with the reason (latest attempt per path).
CREATE TABLE IF NOT EXISTS ingest_issues (
  source_path VARCHAR PRIMARY KEY,
  source_file VARCHAR NOT NULL,
  reason      VARCHAR NOT NULL,
  run_id      INTEGER,
  reported_at TIMESTAMP NOT NULL
);

-- segment -----------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS recommendations (
  rec_id         VARCHAR PRIMARY KEY,       -- doc_id || '-' || seq
  doc_id         VARCHAR NOT NULL,
  seq            INTEGER NOT NULL,          -- 1-based order within the document
  addressee_raw  VARCHAR,
  addressee      VARCHAR,
  addressee_type VARCHAR NOT NULL,          -- federal | regional | municipal | institute | educational_org | participants | other | none
  verb           VARCHAR,
  text           VARCHAR NOT NULL,
  char_start     INTEGER NOT NULL,          -- offsets into documents.text (UTF-16 code units, as JS strings)
  char_end       INTEGER NOT NULL,
  line_start     INTEGER NOT NULL,          -- 1-based lines of documents.text
  line_end       INTEGER NOT NULL,
  text_hash      VARCHAR NOT NULL,          -- sha256 of text, the embedding cache key
  run_id         INTEGER
);

-- One row per current document the segmenter has seen; flagged when nothing was found.
CREATE TABLE IF NOT EXISTS segment_status (
  doc_id            VARCHAR PRIMARY KEY,
  n_recommendations INTEGER NOT NULL,
  flagged           BOOLEAN NOT NULL,
  reason            VARCHAR,
  segmenter_version VARCHAR,
  run_id            INTEGER
);

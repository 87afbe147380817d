-- confrec schema: one DuckDB file, one statement per table. Every stage writes only its own tables.
-- Applied idempotently on every open (CREATE ... IF NOT EXISTS). A column added later is appended
-- last with ALTER ... ADD COLUMN IF NOT EXISTS, so old and new files have the same column order.

CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;

CREATE TABLE IF NOT EXISTS runs (
  run_id       INTEGER PRIMARY KEY DEFAULT nextval('run_id_seq'),
  stage        VARCHAR NOT NULL,
  status       VARCHAR NOT NULL,            -- running | ok | failed | interrupted (killed mid-run)
  started_at   TIMESTAMP NOT NULL,
  finished_at  TIMESTAMP,
  duration_ms  BIGINT,
  params       JSON,
  counts       JSON,
  code_version VARCHAR,
  error        VARCHAR,
  pid          INTEGER,                     -- the process that ran it and its machine: a 'running' run whose
  host         VARCHAR                      -- process is gone shows as interrupted in `status`
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;

-- ingest ------------------------------------------------------------------------------------------
-- One row per file version: a path and the sha256 of its bytes (pipeline/ingest/versions.ts). A changed
-- file gets a new row; the old row stays for provenance with is_current = false and superseded_by set,
-- and drops out of every analysis. Identical bytes at two paths are two documents sharing one text.
CREATE TABLE IF NOT EXISTS documents (
  doc_id        VARCHAR NOT NULL,           -- unique (no key: see migrate.ts, step 3); first 16 hex digits of sha256 (for a second path with the same bytes: of sha256(sha256, path))
  sha256        VARCHAR NOT NULL,
  source_path   VARCHAR NOT NULL,           -- absolute path when ingested
  source_file   VARCHAR NOT NULL,           -- base name
  file_type     VARCHAR NOT NULL,           -- txt | md | docx | pdf | doc | rtf | odt | html | image (as read, by content)
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
-- The current document with the same bytes (and file type) at another path that came first; NULL when none.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS copy_of VARCHAR;

-- Which reader produced each document's text ("docx:mammoth", "pdf:pdfjs", "pdf:tesseract", …; see
-- pipeline/ingest/readers.ts) and, for text that came from OCR, tesseract's mean word confidence (0–100).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS reader VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE;
-- The metadata extractor's version the row's metadata came from (ingest/metadata.ts METADATA_VERSION);
-- NULL: from before versions were kept. Ingest takes the metadata again where it is not the current one.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS metadata_version VARCHAR;

-- Size and modification time of each file at its last reading: a file whose size and mtime have not
-- changed is not read and hashed again (as make and git do); `confrec ingest --rehash` reads them all.
CREATE TABLE IF NOT EXISTS file_stats (
  source_path VARCHAR NOT NULL,            -- unique (no key: see migrate.ts, step 3)
  size        BIGINT NOT NULL,
  mtime_ms    DOUBLE NOT NULL,
  sha256      VARCHAR NOT NULL
);
-- The file's inode and status-change time at that reading (as git's index keeps them): a file replaced
-- by another (a new inode) or written and given its old mtime back (the ctime moves on) is read again.
-- NULL in rows written before these columns existed: such a file is read once more, then recorded.
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS ino DOUBLE;
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS ctime_ms DOUBLE;

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
  rec_id         VARCHAR NOT NULL,          -- unique (no key: see migrate.ts, step 3); doc_id || '-' || seq
  doc_id         VARCHAR NOT NULL,
  seq            INTEGER NOT NULL,          -- 1-based order within the document
  addressee_raw  VARCHAR,
  addressee      VARCHAR,
  addressee_type VARCHAR NOT NULL,          -- federal | regional | municipal | institute | educational_org | participants | other | none
  verb           VARCHAR,
  text           VARCHAR NOT NULL,
  char_start     INTEGER NOT NULL,          -- offsets into documents.text in characters (code points, as SQL substr and Python count)
  char_end       INTEGER NOT NULL,
  line_start     INTEGER NOT NULL,          -- 1-based lines of documents.text
  line_end       INTEGER NOT NULL,
  text_hash      VARCHAR NOT NULL,          -- sha256 of proposal: the text embedded, the embedding cache key
  run_id         INTEGER,
  proposal       VARCHAR                    -- text without its addressing frame ("Рекомендовать X …", "Участники … рекомендуют X …")
);
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS proposal VARCHAR;
-- What the item is made of: infinitive | imperative | nominal | sentence (segment/form.ts). A nominal
-- item ("создание ресурсных центров") has verb NULL.
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS form VARCHAR;
-- "Ответственный: …" / an «Исполнитель» cell, as written; "Срок: до 01.09.2025" as an ISO date when the
-- text gives a day (deadline), and the deadline as written (deadline_text: "постоянно", "апрель 2024 г.").
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS responsible VARCHAR;
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS deadline DATE;
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS deadline_text VARCHAR;
-- True when a hand correction (name.segments.json beside the document) changed this item or its place.
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS corrected BOOLEAN DEFAULT false;

-- One row per current document the segmenter has seen; flagged when nothing was found.
CREATE TABLE IF NOT EXISTS segment_status (
  doc_id            VARCHAR NOT NULL,      -- unique (no key: see migrate.ts, step 3)
  n_recommendations INTEGER NOT NULL,
  flagged           BOOLEAN NOT NULL,
  reason            VARCHAR,
  segmenter_version VARCHAR,
  run_id            INTEGER
);
-- The segmentation verdict: ok | review (review_reasons says why: a JSON list of short reasons) | none.
ALTER TABLE segment_status ADD COLUMN IF NOT EXISTS verdict VARCHAR;
ALTER TABLE segment_status ADD COLUMN IF NOT EXISTS review_reasons JSON;
-- resolution (the document itself decides) | news (an article that quotes or reports a resolution).
ALTER TABLE segment_status ADD COLUMN IF NOT EXISTS source_kind VARCHAR;
-- sha256 of the corrections sidecar applied (NULL: none), so that a changed sidecar re-segments the document.
ALTER TABLE segment_status ADD COLUMN IF NOT EXISTS corrections_sha VARCHAR;

-- Hand corrections of the segmentation: the content of `name.segments.json` beside a document, read by
-- ingest (which lists the folders) and applied by segment. Keyed by the document's path, so that a
-- correction survives new versions of the file and new segmenter versions.
CREATE TABLE IF NOT EXISTS segment_corrections (
  source_path  VARCHAR PRIMARY KEY,
  sidecar_path VARCHAR NOT NULL,
  content      VARCHAR NOT NULL,            -- the sidecar's JSON text as read (line numbers in errors refer to it)
  sha256       VARCHAR NOT NULL,
  run_id       INTEGER
);

-- embed -------------------------------------------------------------------------------------------
-- One vector per distinct recommendation text and embedder. `embedder` names backend, model and
-- version (transformers:<model>@<dtype>, lexical-v1:<hash of corpus and params>), so switching
-- embedders keeps both sets. Downstream SQL casts `vector` to FLOAT[dim] for array_cosine_similarity.
-- Like the other per-recommendation tables a stage writes in bulk (rec_theme_scores, rec_themes,
-- rec_clusters, rec_addressees; near_duplicates below) it has no primary key since schema version 3:
-- (text_hash, embedder) is unique by construction (the embed stage writes only missing hashes, import
-- refuses repeated ones), and DuckDB's index made bulk appends 3–15 times slower (store/migrate.ts).
CREATE TABLE IF NOT EXISTS embeddings (
  text_hash VARCHAR NOT NULL,
  embedder  VARCHAR NOT NULL,
  dim       INTEGER NOT NULL,
  vector    FLOAT[] NOT NULL
);
-- No index here: the similar stage makes `embeddings_text_hash` only where it keeps the vectors'
-- 8-bit codes (store/vectors.ts hashIndex), for the few scattered vectors it looks up; on an indexed
-- table DuckDB's checkpoint rewrites the last row group after every append (migrate.ts, step 3).

-- Fitted lexical spaces (TF-IDF vocabulary + SVD projection), so a later query is embedded in the
-- space the stored vectors live in. Replaced, with the vectors that depend on it, when the corpus changes.
CREATE TABLE IF NOT EXISTS lexical_models (
  model_id    VARCHAR PRIMARY KEY,          -- the embedder id: lexical-v1:<16 hex>
  corpus_hash VARCHAR NOT NULL,             -- sha256 of the sorted distinct text_hash values fitted on
  params      JSON NOT NULL,
  n_texts     INTEGER NOT NULL,
  dim         INTEGER NOT NULL,
  n_features  INTEGER NOT NULL,
  n_word_features INTEGER NOT NULL,         -- lemma features come first in column order
  features    VARCHAR NOT NULL,             -- feature strings in column order, newline-separated
  idf         BLOB NOT NULL,                -- Float64 little-endian, one per feature
  projection  BLOB NOT NULL,                -- Float32 little-endian, n_features × dim, row-major
  fitted_at   TIMESTAMP NOT NULL,
  run_id      INTEGER
);

-- The texts each lexical space was fitted on: new texts beyond a small share (maxDrift) trigger a refit;
-- below it they are embedded into the existing space, so adding one resolution does not refit 100k.
CREATE TABLE IF NOT EXISTS lexical_fit_texts (
  model_id  VARCHAR NOT NULL,
  text_hash VARCHAR NOT NULL
);

-- themes ------------------------------------------------------------------------------------------
-- Seeded themes as defined in data/themes.json at the last themes run.
CREATE TABLE IF NOT EXISTS themes (
  theme_id    VARCHAR PRIMARY KEY,
  label_ru    VARCHAR NOT NULL,
  description VARCHAR,
  seeds       JSON,
  terms       JSON
);

-- Every recommendation × theme: the evidence and the combined score (assigned or not).
CREATE TABLE IF NOT EXISTS rec_theme_scores (
  rec_id     VARCHAR NOT NULL,
  theme_id   VARCHAR NOT NULL,
  lexical    DOUBLE NOT NULL,               -- squashed term evidence, own text + defined terms it uses
  similarity DOUBLE,                        -- best cosine to the theme's seed phrases (null without vectors)
  score      DOUBLE NOT NULL,
  matched    VARCHAR,                       -- the theme terms found, for explanation
  run_id     INTEGER
);

-- The multi-label assignment: a recommendation may have several themes or none.
CREATE TABLE IF NOT EXISTS rec_themes (
  rec_id   VARCHAR NOT NULL,
  theme_id VARCHAR NOT NULL,
  score    DOUBLE NOT NULL,
  run_id   INTEGER
);

-- clusters ----------------------------------------------------------------------------------------
-- Discovered recurring themes: k-means over the current embeddings, k chosen by silhouette,
-- labelled by the most distinctive noun phrase (class-based TF-IDF over phrases, MMR for the list).
-- Replaced as a whole by each clusters run.
CREATE TABLE IF NOT EXISTS clusters (
  cluster_id     INTEGER PRIMARY KEY,       -- 1 = largest
  run_id         INTEGER,
  label          VARCHAR NOT NULL,          -- the most distinctive noun phrase, in the nominative (clusters/labelers/phrases.ts)
  top_terms      JSON NOT NULL,             -- [{term, weight}], most distinctive first
  size           INTEGER NOT NULL,
  n_documents    INTEGER NOT NULL,
  n_conferences  INTEGER NOT NULL,
  first_year     INTEGER,
  last_year      INTEGER,
  medoid_rec_id  VARCHAR NOT NULL,          -- the member closest to the centroid: the representative
  recurring      BOOLEAN NOT NULL,          -- spans at least two documents
  label_lemmas   VARCHAR,                   -- the three most distinctive lemmas (the label before phrase labels)
  phrases        JSON                       -- [{phrase, key, weight, coverage}]: distinctive noun phrases, the label first
);
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS label_lemmas VARCHAR;
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS phrases JSON;

-- The fitted centroids (c: k-means index; cluster_id NULL for clusters dissolved as too small), so a
-- few new recommendations can join the existing clusters without re-clustering everything.
CREATE TABLE IF NOT EXISTS cluster_centroids (
  c          INTEGER NOT NULL,
  cluster_id INTEGER,
  embedder   VARCHAR NOT NULL,
  vector     FLOAT[] NOT NULL,
  run_id     INTEGER
);

-- Every current recommendation: its cluster (NULL = unclustered, kept and counted) and cosine to the centroid.
CREATE TABLE IF NOT EXISTS rec_clusters (
  rec_id     VARCHAR NOT NULL,
  cluster_id INTEGER,
  similarity DOUBLE,
  run_id     INTEGER
);

-- similar -----------------------------------------------------------------------------------------
-- Near-duplicate recommendations (current documents only): pairs at or above the cosine threshold
-- calibrated per embedder family (data/near-duplicate-calibration.json), identical proposals at 1.0,
-- and proposals whose content lemmas are all in a longer one (similar/containment.ts).
-- Replaced as a whole by each `similar` stage run; the run's params say threshold and method.
-- No primary keys: (rec_a, rec_b) and rec_id are unique by construction, and an index makes
-- replacing half a million rows take half a minute instead of a second.
CREATE TABLE IF NOT EXISTS near_duplicates (
  rec_a         VARCHAR NOT NULL,           -- rec_a < rec_b, one row per pair
  rec_b         VARCHAR NOT NULL,
  similarity    DOUBLE NOT NULL,
  same_document BOOLEAN NOT NULL,
  run_id        INTEGER,
  match         VARCHAR                     -- identical (same proposal) | similar (cosine ≥ threshold) | contained (one proposal inside the other)
);
ALTER TABLE near_duplicates ADD COLUMN IF NOT EXISTS match VARCHAR;

-- The recommendations the stored pairs cover, so that a run after a few new resolutions computes
-- only the pairs of the new ones (new × all) instead of starting over.
CREATE TABLE IF NOT EXISTS near_duplicate_inputs (
  rec_id    VARCHAR NOT NULL,
  text_hash VARCHAR NOT NULL
);

-- Content lemmas of each proposal text the pairs were computed from (the containment criterion), so
-- that new texts are checked against all stored ones without lemmatising the corpus again.
CREATE TABLE IF NOT EXISTS proposal_lemmas (
  text_hash VARCHAR NOT NULL,
  lemmas    VARCHAR[] NOT NULL
);

-- The similar stage's compact copy of the current space's vectors (pipeline/similar/pairs/codes.ts),
-- kept by a full run from config.nearDuplicates.codesFromTexts texts on: each unit vector as 8-bit
-- integers (code) times scale, and err, the length of what that leaves out. An incremental run's
-- new × all scan reads these (a quarter of the bytes) and takes the exact cosine of the pairs whose
-- bound reaches the floor only. scale 0: a zero vector.
CREATE TABLE IF NOT EXISTS vector_codes (
  text_hash VARCHAR NOT NULL,
  embedder  VARCHAR NOT NULL,
  scale     DOUBLE NOT NULL,
  err       DOUBLE NOT NULL,
  code      TINYINT[] NOT NULL
);

-- Every recommendation with at least one pair, as the star cover saw it (pipeline/similar/groups/):
-- its number of pairs, their summed similarity (in neighbour order, as the cover sums it) and whether
-- it opened a group. What lets a run after a few new resolutions update only the groups near them.
CREATE TABLE IF NOT EXISTS near_duplicate_nodes (
  rec_id   VARCHAR NOT NULL,
  degree   INTEGER NOT NULL,
  strength DOUBLE NOT NULL,
  opener   BOOLEAN NOT NULL,
  run_id   INTEGER
);

-- Star-shaped groups: every member is a near-duplicate of the medoid (no chaining).
CREATE TABLE IF NOT EXISTS near_duplicate_groups (
  group_id             VARCHAR NOT NULL,    -- the smallest rec_id of the group
  rec_id               VARCHAR NOT NULL,    -- a recommendation is in at most one group
  is_medoid            BOOLEAN NOT NULL,
  similarity_to_medoid DOUBLE NOT NULL,
  run_id               INTEGER
);

-- What each incremental similar run changed (pipeline/similar/changes.ts): the ends of every pair it
-- added, removed or gave another similarity, and one row with rec_id NULL saying the run recorded
-- them. Written in similar's transaction; read (and pruned) by recurring, which then recomputes the
-- novelty of those recommendations' conferences only. A run that recomputes every pair records nothing.
CREATE TABLE IF NOT EXISTS near_duplicate_changes (
  run_id INTEGER NOT NULL,
  rec_id VARCHAR
);

-- map ---------------------------------------------------------------------------------------------
-- A 2D position for every current recommendation, for the explorer's map (pipeline/map/): UMAP of a
-- deterministic sample of the distinct proposal texts in PCA space, every other text placed among its
-- nearest sampled neighbours. Recommendations with the same proposal share a position. Replaced by a
-- full map run; an incremental run places new texts among the stored sample and drops removed ones.
CREATE TABLE IF NOT EXISTS rec_map (
  rec_id    VARCHAR NOT NULL,
  x         FLOAT NOT NULL,                 -- in [-1, 1] on the longer side
  y         FLOAT NOT NULL,
  sampled   BOOLEAN NOT NULL,               -- laid out by UMAP (true) or placed among the sample
  run_id    INTEGER,
  text_hash VARCHAR NOT NULL                -- the proposal text the position belongs to
);

-- What placing a new text on the stored map needs from its sample (pipeline/map/model.ts): the PCA
-- of the sampled texts, the sample in PCA coordinates and its partitions. Written with the layout;
-- an incremental map run whose sample, parameters and embedding space match `model_key` places new
-- texts with it instead of fitting the PCA and the partitions again. One row.
CREATE TABLE IF NOT EXISTS map_models (
  model_key  VARCHAR NOT NULL,              -- sha256 of the map version, parameters, embedder, dim and sampled text_hashes
  dim        INTEGER NOT NULL,
  components INTEGER NOT NULL,
  n_sample   INTEGER NOT NULL,
  mean       BLOB NOT NULL,                 -- Float64 little-endian, dim
  axes       BLOB NOT NULL,                 -- Float64 little-endian, components × dim
  reduced    BLOB NOT NULL,                 -- Float32 little-endian, n_sample × components, in text_hash order
  centroids  BLOB NOT NULL,                 -- Float32 little-endian, partitions × components
  partition  BLOB NOT NULL,                 -- Int32 little-endian, n_sample: each sampled text's partition
  run_id     INTEGER
);

-- addressees --------------------------------------------------------------------------------------
-- Addressees as entities (pipeline/addressees): one row per body («Министерство просвещения
-- Российской Федерации») or kind of bodies at one level («Муниципальные органы управления
-- образованием», generic = true). Replaced as a whole by each addressees run.
CREATE TABLE IF NOT EXISTS addressees (
  addressee_id      VARCHAR PRIMARY KEY,    -- body:<id> / kind:<id> for the rule tables, a:<hash> for other names
  canonical_name    VARCHAR NOT NULL,
  type              VARCHAR NOT NULL,       -- federal | regional | municipal | institute | educational_org | participants | other
  level             VARCHAR,                -- federal | regional | municipal | organisation | people | NULL (not stated)
  region            VARCHAR,                -- for regional and municipal bodies, when known
  generic           BOOLEAN NOT NULL,       -- a kind of bodies, not one body
  rule              VARCHAR,                -- the known-body or kind rule that defines it (addressees/kinds.ts)
  n_forms           INTEGER NOT NULL,
  n_recommendations INTEGER NOT NULL,
  n_documents       INTEGER NOT NULL,
  needs_review      BOOLEAN NOT NULL,       -- listed by `confrec addressees --review`
  run_id            INTEGER
);

-- Every surface form seen (the segmenter's nominative addressee) and how it was resolved.
CREATE TABLE IF NOT EXISTS addressee_forms (
  form              VARCHAR NOT NULL,
  addressee_id      VARCHAR NOT NULL,
  method            VARCHAR NOT NULL,       -- alias | definition | known_body | kind | initials | acronym | document_region | string_distance | name | unresolved
  detail            VARCHAR,                -- which rule, alias entry, definition or distance decided
  n_recommendations INTEGER NOT NULL,
  n_documents       INTEGER NOT NULL,
  example_doc_id    VARCHAR,
  run_id            INTEGER
);

-- Recommendation → addressee entity. A heading that names two addressees gives two rows (part 1, 2).
-- Recommendations without an addressee have no row. Exposed as addressee_id (part 1) in exports.
CREATE TABLE IF NOT EXISTS rec_addressees (
  rec_id       VARCHAR NOT NULL,
  addressee_id VARCHAR NOT NULL,
  part         INTEGER NOT NULL,
  run_id       INTEGER
);

-- What a person should look at: abbreviations nobody explained, near-miss names (never merged by guess).
CREATE TABLE IF NOT EXISTS addressee_review (
  addressee_id VARCHAR NOT NULL,
  reason       VARCHAR NOT NULL,
  candidate_id VARCHAR,                     -- the entity it may be the same as
  similarity   DOUBLE,                      -- Jaro–Winkler of the names, when that is the reason
  run_id       INTEGER
);

-- What the last addressees run resolved, so that a run after a few new documents resolves only theirs
-- (pipeline/addressees/state.ts). Per current document a signature of everything its forms'
-- resolutions depend on (region, level, its recommendations' rec_id, segment run and addressee):
CREATE TABLE IF NOT EXISTS addressee_inputs (
  doc_id    VARCHAR NOT NULL,
  signature VARCHAR NOT NULL
);
-- Each distinct resolution of a form (resolve.ts FormResolution as JSON), once:
CREATE TABLE IF NOT EXISTS addressee_resolutions (
  resolution_id VARCHAR NOT NULL,           -- sha256 of the JSON, 16 hex digits
  resolution    JSON NOT NULL
);
-- One row per (document, form, part): what group.ts merges corpus-wide, and the entity it went to.
CREATE TABLE IF NOT EXISTS addressee_observations (
  doc_id            VARCHAR NOT NULL,
  form              VARCHAR NOT NULL,       -- recommendations.addressee as written
  part              INTEGER NOT NULL,
  first_rec_id      VARCHAR NOT NULL,       -- the order group.ts sees observations in
  n_recommendations INTEGER NOT NULL,
  resolution_id     VARCHAR NOT NULL,
  addressee_id      VARCHAR NOT NULL
);

-- recurring ---------------------------------------------------------------------------------------
-- What keeps being proposed (pipeline/recurring): near-duplicate groups — merged when their medoids
-- are near-duplicates of each other — that span at least 3 distinct years and 3 conferences.
-- Replaced as a whole by each recurring run.
CREATE TABLE IF NOT EXISTS recurring_proposals (
  proposal_id       VARCHAR PRIMARY KEY,    -- the smallest near_duplicate_groups.group_id it is made of
  medoid_rec_id     VARCHAR NOT NULL,       -- the formulation shown: the medoid of its largest group
  n_recommendations INTEGER NOT NULL,
  n_documents       INTEGER NOT NULL,       -- conferences (resolutions) that made it
  n_series          INTEGER NOT NULL,       -- distinct conference titles (editions of one conference count once)
  n_years           INTEGER NOT NULL,
  first_year        INTEGER NOT NULL,
  last_year         INTEGER NOT NULL,
  per_year          JSON NOT NULL,          -- {"2017": 2, "2019": 1, …}: recommendations per year
  addressee_ids     VARCHAR[] NOT NULL,     -- addressees (entities) it was made to
  group_ids         VARCHAR[] NOT NULL,
  run_id            INTEGER
);

CREATE TABLE IF NOT EXISTS recurring_members (
  proposal_id VARCHAR NOT NULL,
  rec_id      VARCHAR NOT NULL,
  doc_id      VARCHAR NOT NULL,
  year        INTEGER,
  is_medoid   BOOLEAN NOT NULL,
  run_id      INTEGER
);

-- Per conference: how many of its recommendations repeat an earlier conference's (a near-duplicate
-- in a resolution of an earlier year, or earlier date within the year) and how many are new.
CREATE TABLE IF NOT EXISTS conference_novelty (
  doc_id             VARCHAR PRIMARY KEY,
  year               INTEGER,
  n_recommendations  INTEGER NOT NULL,
  n_repeats_earlier  INTEGER,               -- NULL when the conference has no year (order unknown)
  n_new              INTEGER,               -- n_recommendations − n_repeats_earlier
  n_same_time        INTEGER NOT NULL,      -- with a near-duplicate only at conferences of the same time (or undated)
  n_repeated_later   INTEGER,               -- taken up again by a later conference
  run_id             INTEGER
);

-- What the last recurring run derived its proposals from (pipeline/recurring/state.ts): per near-duplicate
-- group spanning two documents, a signature of its members (rec_id, medoid, document, year, title,
-- addressees) and of its medoid links to other such groups. A run after a few new documents derives
-- again only the proposals of groups whose signature changed and of the groups linked to them.
CREATE TABLE IF NOT EXISTS recurring_inputs (
  group_id  VARCHAR NOT NULL,
  signature VARCHAR NOT NULL
);

-- What conference_novelty was computed from (pipeline/recurring/novelty.ts): per current document with
-- recommendations, its dates (year, date_start) and its recommendations (count and XOR of rec_id
-- hashes). A run after a few new documents recomputes the rows of documents whose signature changed
-- and of those with a pair that similar recorded as changed (near_duplicate_changes).
CREATE TABLE IF NOT EXISTS novelty_inputs (
  doc_id VARCHAR NOT NULL,
  dates  VARCHAR NOT NULL,
  recs   VARCHAR NOT NULL
);

-- views -------------------------------------------------------------------------------------------
-- The named relations researchers (and the code) start from: "current" is defined once, here, and
-- read everywhere else. Replaced on every open, so they always match the tables above; a read-only
-- open of a database written by an older confrec gets them as temporary views (store/db.ts).

-- Documents in every analysis: the newest version of each file (older versions stay for provenance).
CREATE OR REPLACE VIEW current_documents AS
SELECT * FROM documents WHERE is_current;

-- Recommendations of current documents, readable on their own: where they come from (file,
-- conference, year), their seeded themes (theme ids, [] before the themes stage) and their
-- discovered cluster (NULL when unclustered or before the clusters stage). Code that needs only ids
-- or texts joins recommendations to current_documents instead (the theme and cluster joins cost time).
CREATE OR REPLACE VIEW current_recommendations AS
SELECT r.*, d.source_file, d.source_path, d.title AS conference, d.year, d.level, d.region,
       coalesce(t.themes, []::VARCHAR[]) AS themes, c.cluster_id
FROM recommendations r
JOIN current_documents d ON d.doc_id = r.doc_id
LEFT JOIN (SELECT rec_id, list(theme_id ORDER BY theme_id) AS themes FROM rec_themes GROUP BY rec_id) t ON t.rec_id = r.rec_id
LEFT JOIN rec_clusters c ON c.rec_id = r.rec_id;

-- The latest successful run of each stage: what produced the tables as they are.
CREATE OR REPLACE VIEW latest_runs AS
SELECT * FROM runs WHERE status = 'ok'
QUALIFY row_number() OVER (PARTITION BY stage ORDER BY run_id DESC) = 1;

-- The vectors of the current embedder: the one the latest successful embed run wrote (runs.counts
-- names it). Every stage, the exports and the notebooks use this one definition; vectors of other
-- embedders stay in `embeddings` until their space is refitted away.
CREATE OR REPLACE VIEW current_embeddings AS
SELECT e.* FROM embeddings e
WHERE e.embedder = (SELECT json_extract_string(counts, '$.embedder') FROM latest_runs WHERE stage = 'embed');

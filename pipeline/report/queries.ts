/**
 * The report's SQL, one named constant per question. Every count in the report comes from one of
 * these, over current documents only, so the aggregation happens in DuckDB and a 10,000-resolution
 * database reports in seconds. Values (limits, verb lists, ids) are always bound parameters.
 */

/**
 * Current recommendations with the fields most queries group by: made once per report as the temp
 * table `report_recs` (data.ts), which seven queries read instead of each joining the
 * recommendations to their documents again.
 */
export const CURRENT_RECS_TABLE = 'report_recs';
export const CURRENT_RECS = `
  SELECT r.rec_id, r.doc_id, r.seq, r.addressee_type, r.verb, d.year, d.level, d.date_start
  FROM recommendations r JOIN current_documents d USING (doc_id)`;
const CURRENT_RECS_ROWS = `SELECT * FROM ${CURRENT_RECS_TABLE}`;

/**
 * The seeded-theme assignments of the current recommendations with the fields the theme queries
 * group by: made once per report (after report_recs) as the temp table `report_themes`, which five
 * queries read instead of each joining rec_themes to the recommendations by rec_id again (a third of
 * their time at 10k). A current recommendation's document is current, so every per-document,
 * per-year or per-level count over it equals the one over all recommendations of current documents.
 */
export const CURRENT_THEMES_TABLE = 'report_themes';
export const CURRENT_THEMES = `
  SELECT r.rec_id, r.doc_id, r.year, r.level, r.addressee_type, t.theme_id, t.score
  FROM rec_themes t JOIN ${CURRENT_RECS_TABLE} r USING (rec_id)`;

export const OVERVIEW = `
  WITH d AS (SELECT * FROM current_documents),
       r AS (${CURRENT_RECS_ROWS})
  SELECT (SELECT count(*) FROM d) AS documents,
         (SELECT count(*) FROM r) AS recommendations,
         (SELECT count(DISTINCT year) FROM d) AS years,
         (SELECT min(year) FROM d) AS first_year,
         (SELECT max(year) FROM d) AS last_year,
         (SELECT count(*) FROM d WHERE year IS NULL) AS docs_without_year,
         (SELECT count(DISTINCT region) FROM d) AS regions,
         (SELECT count(*) FROM d WHERE region IS NULL) AS docs_without_region,
         (SELECT count(DISTINCT rec_id) FROM ${CURRENT_THEMES_TABLE}) AS with_theme,
         (SELECT count(*) FROM documents) - (SELECT count(*) FROM current_documents) AS superseded,
         (SELECT count(*) FROM d WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.doc_id = d.doc_id)) AS docs_without_recs`;

/** One row per current document: the conference register, oldest first, with its two leading themes. */
export const DOCUMENT_REGISTER = `
  WITH d AS (SELECT * FROM current_documents),
       n AS (SELECT doc_id, count(*) AS n_recs FROM ${CURRENT_RECS_TABLE} GROUP BY doc_id),
       dt AS (SELECT doc_id, theme_id, count(*) AS n,
                     row_number() OVER (PARTITION BY doc_id ORDER BY count(*) DESC, theme_id) AS rk
              FROM ${CURRENT_THEMES_TABLE} GROUP BY doc_id, theme_id),
       lead AS (SELECT doc_id, list(theme_id ORDER BY rk) AS themes FROM dt WHERE rk <= 2 GROUP BY doc_id)
  SELECT d.doc_id, d.title, d.kind, d.level, strftime(d.date_start, '%d.%m.%Y') AS date_start, d.year, d.city, d.region,
         d.participants, d.format, d.source_file, coalesce(n.n_recs, 0) AS n_recs, coalesce(lead.themes, []) AS themes
  FROM d LEFT JOIN n USING (doc_id) LEFT JOIN lead USING (doc_id)
  ORDER BY d.date_start NULLS LAST, d.year NULLS LAST, d.title NULLS LAST, d.doc_id`;

/** Conferences per year and level, for the volume chart of section 2. */
export const DOCS_BY_YEAR_LEVEL = `
  SELECT year, level, count(*) AS docs FROM current_documents WHERE year IS NOT NULL
  GROUP BY ALL ORDER BY year, level`;

export const DOCS_BY_LEVEL = `
  WITH d AS (SELECT * FROM current_documents),
       n AS (SELECT doc_id, count(*) AS n_recs FROM ${CURRENT_RECS_TABLE} GROUP BY doc_id)
  SELECT d.level, count(*) AS docs, sum(coalesce(n.n_recs, 0)) AS recs, median(d.participants) AS median_participants
  FROM d LEFT JOIN n USING (doc_id) GROUP BY d.level ORDER BY docs DESC`;

/** Each seeded theme: assigned current recommendations and the best-scoring one as an example. */
export const THEME_TOTALS = `
  WITH r AS (${CURRENT_RECS_ROWS}),
       a AS (SELECT * FROM ${CURRENT_THEMES_TABLE})
  SELECT th.theme_id, th.label_ru, count(a.rec_id) AS n, (SELECT count(*) FROM r) AS total,
         first(a.rec_id ORDER BY a.score DESC, a.rec_id) AS example_rec_id
  FROM themes th LEFT JOIN a USING (theme_id)
  GROUP BY th.theme_id, th.label_ru ORDER BY n DESC, th.theme_id`;

/** Year × theme with documents and recommendations per year (years with no recommendation included). */
export const THEMES_BY_YEAR = `
  WITH d AS (SELECT doc_id, year FROM current_documents WHERE year IS NOT NULL),
       y AS (SELECT year, count(*) AS docs FROM d GROUP BY year),
       yr AS (SELECT year, count(*) AS recs FROM ${CURRENT_RECS_TABLE} WHERE year IS NOT NULL GROUP BY year),
       yt AS (SELECT year, theme_id, count(*) AS n FROM ${CURRENT_THEMES_TABLE} WHERE year IS NOT NULL GROUP BY ALL)
  SELECT y.year, y.docs, coalesce(yr.recs, 0) AS recs, th.theme_id, coalesce(yt.n, 0) AS n
  FROM y LEFT JOIN yr USING (year) CROSS JOIN themes th
  LEFT JOIN yt ON yt.year = y.year AND yt.theme_id = th.theme_id
  ORDER BY y.year, th.theme_id`;

/** Conference level × theme (level NULL = not stated). */
export const THEMES_BY_LEVEL = `
  WITH r AS (${CURRENT_RECS_ROWS}),
       g AS (SELECT level AS grp, count(*) AS recs, count(DISTINCT doc_id) AS docs FROM r GROUP BY level),
       gt AS (SELECT level AS grp, theme_id, count(*) AS n FROM ${CURRENT_THEMES_TABLE} GROUP BY ALL)
  SELECT g.grp, g.recs, g.docs, th.theme_id, coalesce(gt.n, 0) AS n
  FROM g CROSS JOIN themes th LEFT JOIN gt ON gt.grp IS NOT DISTINCT FROM g.grp AND gt.theme_id = th.theme_id
  ORDER BY g.recs DESC, th.theme_id`;

/** Addressee type × theme: who is asked to do what. */
export const THEMES_BY_ADDRESSEE = `
  WITH r AS (${CURRENT_RECS_ROWS}),
       g AS (SELECT addressee_type AS grp, count(*) AS recs, count(DISTINCT doc_id) AS docs FROM r GROUP BY addressee_type),
       gt AS (SELECT addressee_type AS grp, theme_id, count(*) AS n FROM ${CURRENT_THEMES_TABLE} GROUP BY ALL)
  SELECT g.grp, g.recs, g.docs, th.theme_id, coalesce(gt.n, 0) AS n
  FROM g CROSS JOIN themes th LEFT JOIN gt ON gt.grp = g.grp AND gt.theme_id = th.theme_id
  ORDER BY g.recs DESC, th.theme_id`;

export const CLUSTER_TOTALS = `
  WITH r AS (${CURRENT_RECS_ROWS})
  SELECT (SELECT count(*) FROM clusters) AS clusters,
         (SELECT count(*) FROM clusters WHERE n_conferences >= 2 AND n_documents >= 2) AS recurring,
         (SELECT count(*) FROM rec_clusters rc JOIN r USING (rec_id) WHERE rc.cluster_id IS NULL) AS unclustered,
         (SELECT coalesce(sum(size), 0) FROM clusters WHERE n_conferences >= 2 AND n_documents >= 2) AS in_recurring`;

/**
 * Discovered themes seen in at least two conferences (two differently titled events, not only two
 * editions of one), widest spread first; $1 = how many. Spread is counted in resolutions, the unit
 * the rest of the report counts as conferences.
 */
export const RECURRING_CLUSTERS = `
  SELECT cluster_id, label, size, n_documents, n_conferences, first_year, last_year, medoid_rec_id
  FROM clusters WHERE n_conferences >= 2 AND n_documents >= 2
  ORDER BY n_documents DESC, size DESC, cluster_id LIMIT $1`;

/**
 * The current recommendations of the clusters in $1 with their document and year: made once per
 * report as the temp table `report_clusters` (data.ts), which the two cluster queries below read
 * instead of each joining rec_clusters to the recommendations by rec_id.
 */
export const SHOWN_CLUSTERS_TABLE = 'report_clusters';
export const SHOWN_CLUSTERS = `
  SELECT rc.cluster_id, r.doc_id, r.year
  FROM rec_clusters rc JOIN ${CURRENT_RECS_TABLE} r USING (rec_id)
  WHERE list_contains($1::INTEGER[], rc.cluster_id)`;

/**
 * For the clusters shown (report_clusters): their conferences, most recommendations first, at most
 * $1 each. Grouped by cluster and document (doc_id is the key of current_documents), the titles
 * joined to the rows shown.
 */
export const CLUSTER_DOCUMENTS = `
  WITH m AS (
    SELECT cluster_id, doc_id, year, count(*) AS n
    FROM ${SHOWN_CLUSTERS_TABLE}
    GROUP BY cluster_id, doc_id, year
  ), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY cluster_id ORDER BY n DESC, year DESC NULLS LAST, doc_id) AS rk,
           count(*) OVER (PARTITION BY cluster_id) AS n_docs
    FROM m
  )
  SELECT k.cluster_id, k.doc_id, d.title, k.year, k.n, k.n_docs
  FROM ranked k JOIN current_documents d USING (doc_id)
  WHERE k.rk <= $1 ORDER BY k.cluster_id, k.rk`;

/** Cluster × year counts for the timeline of the clusters shown (report_clusters). */
export const CLUSTER_YEARS = `
  SELECT cluster_id, year, count(*) AS n, count(DISTINCT doc_id) AS docs
  FROM ${SHOWN_CLUSTERS_TABLE}
  WHERE year IS NOT NULL
  GROUP BY ALL ORDER BY cluster_id, year`;

/** Whether the near-duplicate stage's tables exist in this database (they arrived after the others). */
export const NEAR_DUPLICATE_TABLES = `
  SELECT count(*) FROM information_schema.tables
  WHERE table_name IN ('near_duplicates', 'near_duplicate_groups')`;

/**
 * Near-duplicate group members that are current recommendations, with document, year and date:
 * made once per report as the temp table `report_groups` (data.ts), which the three queries below
 * read instead of each joining the groups to the recommendations by rec_id.
 */
export const CURRENT_GROUPS_TABLE = 'report_groups';
export const CURRENT_GROUPS = `
  SELECT g.group_id, g.rec_id, g.is_medoid, g.similarity_to_medoid, r.doc_id, r.year, r.date_start
  FROM near_duplicate_groups g JOIN ${CURRENT_RECS_TABLE} r USING (rec_id)`;

export const NEAR_DUPLICATE_TOTALS = `
  WITH g AS (SELECT group_id, doc_id FROM ${CURRENT_GROUPS_TABLE}
  ), gs AS (SELECT group_id, count(*) AS size, count(DISTINCT doc_id) AS n_docs FROM g GROUP BY group_id)
  SELECT (SELECT count(*) FROM near_duplicates) AS pairs,
         (SELECT count(*) FROM near_duplicates WHERE NOT same_document) AS cross_document_pairs,
         (SELECT count(*) FROM gs) AS groups,
         (SELECT count(*) FROM gs WHERE n_docs >= 2) AS cross_document_groups,
         (SELECT coalesce(sum(size), 0) FROM gs WHERE n_docs >= 2) AS cross_document_members`;

/** Groups spanning at least two documents, widest first; $1 = how many. */
export const NEAR_DUPLICATE_TOP_GROUPS = `
  WITH g AS (SELECT group_id, rec_id, is_medoid, similarity_to_medoid, doc_id, year FROM ${CURRENT_GROUPS_TABLE})
  SELECT group_id, count(*) AS size, count(DISTINCT doc_id) AS n_docs, min(year) AS first_year, max(year) AS last_year,
         min(similarity_to_medoid) AS min_similarity, first(rec_id ORDER BY is_medoid DESC, rec_id) AS medoid_rec_id
  FROM g GROUP BY group_id HAVING count(DISTINCT doc_id) >= 2
  ORDER BY n_docs DESC, size DESC, group_id LIMIT $1`;

/** Members of the groups in $1: the medoid first, then oldest first; at most $2 per group. */
export const NEAR_DUPLICATE_MEMBERS = `
  WITH m AS (
    SELECT group_id, rec_id, is_medoid, similarity_to_medoid, year, date_start,
           row_number() OVER (PARTITION BY group_id ORDER BY is_medoid DESC, date_start NULLS LAST, year NULLS LAST, rec_id) AS rk
    FROM ${CURRENT_GROUPS_TABLE}
    WHERE list_contains($1::VARCHAR[], group_id)
  )
  SELECT group_id, rec_id, is_medoid, similarity_to_medoid FROM m WHERE rk <= $2 ORDER BY group_id, rk`;

/** Addressee type × verb class; $1 verbs and $2 their classes (parallel lists, see verb-classes.ts). */
export const VERB_PROFILE = `
  WITH cls AS (SELECT unnest($1::VARCHAR[]) AS verb, unnest($2::VARCHAR[]) AS cls),
       r AS (${CURRENT_RECS_ROWS})
  SELECT r.addressee_type, coalesce(cls.cls, 'other') AS cls, count(*) AS n
  FROM r LEFT JOIN cls ON cls.verb = r.verb GROUP BY ALL ORDER BY ALL`;

/** The most frequent operative verbs, with how many conferences use them and an example; $1 = how many. */
export const TOP_VERBS = `
  WITH r AS (${CURRENT_RECS_ROWS})
  SELECT verb, count(*) AS n, count(DISTINCT doc_id) AS docs, min(rec_id) AS example_rec_id
  FROM r WHERE verb IS NOT NULL GROUP BY verb ORDER BY n DESC, verb LIMIT $1`;

/** The latest successful run of every stage the report draws on (the report's own runs excluded). */
export const LATEST_RUNS = `
  SELECT run_id, stage, strftime(started_at, '%Y-%m-%d %H:%M') AS started_at, duration_ms,
         params::VARCHAR AS params, counts::VARCHAR AS counts, code_version
  FROM latest_runs WHERE stage <> 'report'
  ORDER BY run_id`;

export const INGEST_ISSUES = `
  SELECT source_file, reason, count(*) OVER () AS total FROM ingest_issues ORDER BY source_file LIMIT $1`;

export const FLAGGED_DOCUMENTS = `
  SELECT d.doc_id, d.source_file, s.reason, count(*) OVER () AS total
  FROM segment_status s JOIN current_documents d USING (doc_id)
  WHERE s.flagged ORDER BY d.source_file LIMIT $1`;

/** Documents whose segmentation should be checked by a person (verdict "review"), with the reasons. */
export const REVIEW_DOCUMENTS = `
  SELECT d.doc_id, d.source_file, s.review_reasons::VARCHAR AS reasons, count(*) OVER () AS total
  FROM segment_status s JOIN current_documents d USING (doc_id)
  WHERE s.verdict = 'review' ORDER BY d.source_file LIMIT $1`;

/** Everything the appendix needs about the recommendations the report cites ($1 = rec ids). */
export const CITED_RECOMMENDATIONS = `
  SELECT r.rec_id, r.doc_id, d.title, d.year, d.source_file, r.line_start, r.line_end, r.addressee,
         r.addressee_type, r.verb, r.text
  FROM recommendations r JOIN documents d USING (doc_id)
  WHERE list_contains($1::VARCHAR[], r.rec_id)
  ORDER BY d.date_start NULLS LAST, d.year NULLS LAST, d.source_file, r.seq`;

// --- addressees as entities (addressees stage) -----------------------------------------------------

/** Whether the addressees stage has produced its tables (databases made before it have none). */
export const ADDRESSEE_TABLES = `
  SELECT count(*) FROM information_schema.tables WHERE table_name IN ('addressees', 'rec_addressees')`;

/**
 * The entity each current recommendation (report_recs) is addressed to first (part 1), with its
 * type: made once per report as the temp table `report_rec_entity` (data.ts) when the addressees
 * stage has run, read by the three entity queries.
 */
export const REC_ENTITY_TABLE = 'report_rec_entity';
export const REC_ENTITY = `
  SELECT r.rec_id, r.doc_id, r.year, r.verb, ra.addressee_id, a.canonical_name, a.type
  FROM ${CURRENT_RECS_TABLE} r
  LEFT JOIN rec_addressees ra ON ra.rec_id = r.rec_id AND ra.part = 1
  LEFT JOIN addressees a ON a.addressee_id = ra.addressee_id
`;
const REC_ENTITY_ROWS = `SELECT * FROM ${REC_ENTITY_TABLE}`;

export const ADDRESSEE_TOTALS = `
  WITH re AS (${REC_ENTITY_ROWS})
  SELECT (SELECT count(*) FROM addressees) AS entities,
         (SELECT count(*) FROM addressees WHERE generic) AS kinds,
         (SELECT count(*) FROM addressees WHERE needs_review) AS to_review,
         (SELECT count(DISTINCT form) FROM addressee_forms) AS forms,
         (SELECT count(*) FROM re WHERE addressee_id IS NOT NULL) AS with_entity,
         (SELECT count(*) FROM re) AS recommendations`;

/**
 * The most addressed entities; $1 = how many. Counts over current recommendations (every part); the
 * leading theme and the forms are looked up for the entities shown only.
 */
export const TOP_ADDRESSEES = `
  WITH m AS (
    SELECT ra.addressee_id, r.rec_id, r.doc_id, d.year
    FROM rec_addressees ra JOIN recommendations r USING (rec_id) JOIN current_documents d USING (doc_id)
  ), top AS (
    SELECT a.addressee_id, a.canonical_name, a.type, a.level, a.region, a.generic, a.n_forms,
           count(m.rec_id) AS n, count(DISTINCT m.doc_id) AS docs, min(m.year) AS first_year, max(m.year) AS last_year
    FROM addressees a JOIN m USING (addressee_id)
    GROUP BY a.addressee_id, a.canonical_name, a.type, a.level, a.region, a.generic, a.n_forms
    ORDER BY n DESC, a.addressee_id LIMIT $1
  ), t AS (
    SELECT m.addressee_id, rt.theme_id, count(*) AS n,
           row_number() OVER (PARTITION BY m.addressee_id ORDER BY count(*) DESC, rt.theme_id) AS rk
    FROM m JOIN rec_themes rt USING (rec_id) WHERE m.addressee_id IN (SELECT addressee_id FROM top)
    GROUP BY m.addressee_id, rt.theme_id
  )
  SELECT top.*, t.theme_id AS top_theme,
         (SELECT list(DISTINCT f.form ORDER BY f.form) FROM addressee_forms f WHERE f.addressee_id = top.addressee_id) AS forms
  FROM top LEFT JOIN t ON t.addressee_id = top.addressee_id AND t.rk = 1
  ORDER BY top.n DESC, top.addressee_id`;

/**
 * Entity × theme for the $1 most addressed entities; the rest as one group 'other' and
 * recommendations without an addressee as 'none' (the codes labels.ts names).
 */
export const THEMES_BY_ADDRESSEE_ENTITY = `
  WITH re AS (${REC_ENTITY_ROWS}),
       top AS (SELECT addressee_id FROM re WHERE addressee_id IS NOT NULL GROUP BY addressee_id ORDER BY count(*) DESC, addressee_id LIMIT $1),
       r AS (SELECT re.rec_id, re.doc_id,
                    CASE WHEN re.addressee_id IS NULL THEN 'none' WHEN re.addressee_id IN (SELECT addressee_id FROM top) THEN re.canonical_name ELSE 'other' END AS grp
             FROM re),
       g AS (SELECT grp, count(*) AS recs, count(DISTINCT doc_id) AS docs FROM r GROUP BY grp),
       gt AS (SELECT r.grp, t.theme_id, count(*) AS n FROM r JOIN rec_themes t USING (rec_id) GROUP BY ALL)
  SELECT g.grp, g.recs, g.docs, th.theme_id, coalesce(gt.n, 0) AS n
  FROM g CROSS JOIN themes th LEFT JOIN gt ON gt.grp = g.grp AND gt.theme_id = th.theme_id
  ORDER BY g.recs DESC, th.theme_id`;

/** Entity × verb class for the $3 most addressed entities ($1 verbs, $2 classes as in VERB_PROFILE). */
export const VERB_PROFILE_ENTITY = `
  WITH cls AS (SELECT unnest($1::VARCHAR[]) AS verb, unnest($2::VARCHAR[]) AS cls),
       re AS (${REC_ENTITY_ROWS}),
       top AS (SELECT addressee_id FROM re WHERE addressee_id IS NOT NULL GROUP BY addressee_id ORDER BY count(*) DESC, addressee_id LIMIT $3)
  SELECT CASE WHEN re.addressee_id IS NULL THEN 'none' WHEN re.addressee_id IN (SELECT addressee_id FROM top) THEN re.canonical_name ELSE 'other' END AS addressee_type,
         coalesce(cls.cls, 'other') AS cls, count(*) AS n
  FROM re LEFT JOIN cls ON cls.verb = re.verb GROUP BY ALL ORDER BY ALL`;

// --- recurring proposals (recurring stage) ---------------------------------------------------------

export const RECURRING_TABLES = `
  SELECT count(*) FROM information_schema.tables WHERE table_name IN ('recurring_proposals', 'conference_novelty')`;

export const RECURRING_TOTALS = `
  SELECT (SELECT count(*) FROM recurring_proposals) AS proposals,
         (SELECT coalesce(sum(n_recommendations), 0) FROM recurring_proposals) AS recommendations,
         (SELECT count(*) FROM recurring_proposals WHERE last_year = (SELECT max(year) FROM current_documents)) AS still_open,
         (SELECT max(year) FROM current_documents) AS last_year,
         (SELECT max(n_years) FROM recurring_proposals) AS max_years,
         (SELECT coalesce(sum(n_recommendations), 0) FROM conference_novelty WHERE n_repeats_earlier IS NOT NULL) AS dated_recs,
         (SELECT coalesce(sum(n_repeats_earlier), 0) FROM conference_novelty) AS repeats_earlier,
         (SELECT count(*) FROM conference_novelty WHERE n_repeats_earlier IS NOT NULL) AS dated_conferences`;

/**
 * The widest-spread recurring proposals; $1 = how many. Addressees by how often this proposal went to
 * them, counted for the proposals shown only (a correlated subquery counted them for every proposal).
 */
export const RECURRING_TOP = `
  WITH p AS (
    SELECT * FROM recurring_proposals
    ORDER BY n_documents DESC, n_years DESC, n_recommendations DESC, proposal_id LIMIT $1
  ), named AS (
    SELECT m.proposal_id, a.canonical_name AS name, count(*) AS n
    FROM recurring_members m JOIN rec_addressees ra USING (rec_id) JOIN addressees a USING (addressee_id)
    WHERE m.proposal_id IN (SELECT proposal_id FROM p)
    GROUP BY m.proposal_id, a.canonical_name
  ), lists AS (SELECT proposal_id, list(name ORDER BY n DESC, name) AS addressees FROM named GROUP BY proposal_id)
  SELECT p.proposal_id, p.medoid_rec_id, p.n_recommendations, p.n_documents, p.n_series, p.n_years, p.first_year, p.last_year,
         p.per_year::VARCHAR AS per_year, coalesce(lists.addressees, []::VARCHAR[]) AS addressees
  FROM p LEFT JOIN lists USING (proposal_id)
  ORDER BY p.n_documents DESC, p.n_years DESC, p.n_recommendations DESC, p.proposal_id`;

/** Per year: recommendations of dated conferences and how many repeat an earlier conference. */
export const NOVELTY_BY_YEAR = `
  SELECT year, sum(n_recommendations) AS recs, sum(n_repeats_earlier) AS repeats, count(*) AS docs
  FROM conference_novelty WHERE year IS NOT NULL GROUP BY year ORDER BY year`;

/** Conferences with the largest share of repeated recommendations (at least $2 recommendations); $1 = how many. */
export const NOVELTY_TOP = `
  SELECT n.doc_id, d.title, d.year, n.n_recommendations, n.n_repeats_earlier, n.n_new, n.n_repeated_later
  FROM conference_novelty n JOIN documents d USING (doc_id)
  WHERE n.n_repeats_earlier IS NOT NULL AND n.n_recommendations >= $2
  ORDER BY n.n_repeats_earlier::DOUBLE / n.n_recommendations DESC, n.n_recommendations DESC, d.year DESC, n.doc_id LIMIT $1`;

/** How the text of the current documents was obtained: per format, and how many came from OCR and how sure it was. */
export const TEXT_SOURCES = `
  SELECT file_type, count(*) AS documents,
         count(*) FILTER (WHERE reader LIKE '%tesseract%') AS ocr,
         avg(ocr_confidence) FILTER (WHERE reader LIKE '%tesseract%') AS ocr_confidence,
         min(ocr_confidence) FILTER (WHERE reader LIKE '%tesseract%') AS ocr_min_confidence
  FROM current_documents GROUP BY file_type ORDER BY documents DESC, file_type`;

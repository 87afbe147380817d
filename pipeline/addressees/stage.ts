import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { config } from '../config.js';
import { pathFlag } from '../flags.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import {
  ADDRESSEES,
  ADDRESSEE_FORMS,
  ADDRESSEE_RESOLUTIONS,
  ADDRESSEE_REVIEW,
  REC_ADDRESSEES,
  type AddresseeObservationRow,
  type RecAddresseeRow,
} from '../store/columns.js';
import { checkFreshness, fileFingerprint, fingerprintParams, recommendationInputs, rowHash, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type TableRef } from '../store/scratch.js';
import { documentTexts } from '../store/texts.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { findDefinitions, type DefinedAbbreviation } from './abbreviations.js';
import { loadAliases, type AddresseeAlias } from './aliases.js';
import { resolveForm, type FormContext, type FormResolution } from './resolve.js';
import { DOC_SIGNATURES, ResolutionTable, STATE_VERSION, type StoredObservation } from './state.js';
import { OBSERVED_COLUMNS, tallyObservations } from './tally.js';

/**
 * Bumped when resolution or grouping changes, so stored entities are recomputed. 2: a form is resolved
 * per document whenever its document's text is read (before, such a form could take the resolution
 * of whichever document came first), and the stage keeps its observations (state.ts).
 */
export const ADDRESSEES_VERSION = 'addressees-2';

export interface AddresseesOptions {
  /** Recompute even when nothing changed. */
  all: boolean;
  /** The user alias file (data/addressee-aliases.json unless --aliases). */
  aliases: string;
}

/** A capital-letter run that no built-in rule explains: the form may need its document's text. */
const ABBREVIATION_HINT = /\p{Lu}[\p{Lu}\p{Ll}]*\p{Lu}/u;

/**
 * What the entities depend on: the current recommendations (their addressees), the region and level
 * of their documents (regional bodies are told apart by them), the alias file and the rules.
 */
async function addresseesFingerprint(store: Store, o: AddresseesOptions): Promise<Fingerprint> {
  // Order-free (count and XOR of hashes, as state.ts DOC_SIGNATURES): no sort of every doc_id.
  const meta = await store.scalar<string | null>(`SELECT count(*) || ':' || coalesce(bit_xor(${rowHash('doc_id', 'region', 'level')}), 0) FROM current_documents`);
  return {
    inputs: { ...(await recommendationInputs(store)), documents: meta ?? 'empty' },
    config: { version: ADDRESSEES_VERSION, aliases: fileFingerprint(o.aliases) },
  };
}

/**
 * The addressees stage: resolves every current recommendation's addressee (the segmenter's
 * nominative) to an entity — one body or one kind of bodies — and writes `addressees`,
 * `addressee_forms`, `rec_addressees` and `addressee_review` in one transaction. After new,
 * changed or removed documents (same alias file and version) only their forms are resolved; the
 * corpus-wide grouping is recomputed from every stored observation, and rec_addressees changes only
 * where a recommendation's entity did (state.ts). The result is the same as `--all`'s
 * (tests/stage/addressees-incremental.test.ts).
 */
export const addresseesStage: PipelineStage<AddresseesOptions> = {
  name: 'addressees',
  after: ['segment'],
  refresh: 'confrec addressees',
  flags: { all: { type: 'boolean' }, aliases: { type: 'string' } },
  parseOptions: (values) => ({ all: values.all === true, aliases: pathFlag(values.aliases) ?? config.addresseeAliasesFile }),
  fingerprint: addresseesFingerprint,
  async run(store: Store, ctx: StageContext<AddresseesOptions>) {
    const o = stageOptions(addresseesStage, ctx);
    const file = o.aliases;
    // An invalid alias file stops the stage before anything is written (the message names the entry).
    const aliases = loadAliases(file);
    const fingerprint = await addresseesFingerprint(store, o);
    const freshness = await checkFreshness(store, 'addressees', fingerprint);
    const params = { aliases_file: file, aliases: aliases.length, version: ADDRESSEES_VERSION, ...fingerprintParams(fingerprint) };
    if (!o.all && freshness.status === 'fresh') {
      const counts = (freshness.last?.counts ?? {}) as Record<string, number>;
      // The stored observations stay valid: the next run can still update them.
      const state = freshness.last?.params.state ?? null;
      return withRun(store, 'addressees', { ...params, state, unchanged: true }, async () => ({
        counts: { ...counts, unchanged: true },
        line: `addressees: nothing to do (recommendations and alias file unchanged: ${counts.entities ?? 0} entit(ies), ${counts.review ?? 0} to review)`,
      }));
    }
    // The stored observations can be brought up to date when only inputs changed and the last run left them.
    const incremental = !o.all && freshness.status === 'inputs-changed' && freshness.last?.params.state === STATE_VERSION;
    return withRun(store, 'addressees', { ...params, state: STATE_VERSION, incremental }, (runId) =>
      withScratch(store, 'addressees', async (scratch) => {
        const signatures = await scratch.query('signatures', DOC_SIGNATURES);
        // New or changed documents (resolved now) and those whose stored observations are out of date.
        const fresh = incremental
          ? await scratch.query('fresh', `SELECT s.doc_id, s.signature FROM ${signatures.name} s ANTI JOIN addressee_inputs i USING (doc_id, signature)`)
          : signatures;
        const stale = incremental ? await scratch.query('stale', `SELECT i.doc_id FROM addressee_inputs i ANTI JOIN ${signatures.name} s USING (doc_id, signature)`) : null;

        const resolutions = new ResolutionTable();
        if (stale) {
          for (const r of await store.all<{ resolution_id: string; resolution: string }>(`SELECT resolution_id, resolution::VARCHAR AS resolution FROM addressee_resolutions`)) {
            resolutions.load(r.resolution_id, r.resolution);
          }
        }
        const now = await resolveDocuments(store, fresh, { aliases, file, resolutions }, ctx);

        // The corpus-wide grouping, always over every observation — the stored ones of the documents
        // not resolved again and those resolved now — summed in SQL (tally.ts).
        const observedNow = await scratch.table<Omit<AddresseeObservationRow, 'addressee_id'>>('observed', {
          doc_id: VARCHAR, form: VARCHAR, part: INTEGER, first_rec_id: VARCHAR, n_recommendations: INTEGER, resolution_id: VARCHAR,
        });
        await observedNow.append(now.observations.map((x) => ({
          doc_id: x.docId, form: x.form, part: x.part, first_rec_id: x.firstRecId, n_recommendations: x.recommendations, resolution_id: x.resolutionId,
        })));
        const observed = stale
          ? `(SELECT ${OBSERVED_COLUMNS} FROM ${observedNow.name} UNION ALL
              SELECT ${OBSERVED_COLUMNS} FROM addressee_observations WHERE doc_id NOT IN (SELECT doc_id FROM ${stale.name}))`
          : observedNow.name;
        const { grouping, entities: entityOf, recommendations } = await tallyObservations(store, scratch, observed, resolutions);
        // Stored observations whose entity changed (a merge or a new root renamed it).
        const renamed = stale
          ? await scratch.query('renamed', `SELECT o.doc_id, o.form, o.part, e.addressee_id FROM addressee_observations o JOIN ${entityOf.name} e USING (resolution_id)
              WHERE o.doc_id NOT IN (SELECT doc_id FROM ${stale.name}) AND o.addressee_id IS DISTINCT FROM e.addressee_id`)
          : null;
        const renamedCount = renamed ? await renamed.count() : 0;
        const recRows: RecAddresseeRow[] = [];
        for (const { recs, parts } of now.recParts) {
          for (const rec of recs) for (const p of parts) recRows.push({ rec_id: rec, addressee_id: grouping.entityOfKey.get(p.key)!, part: p.part, run_id: runId });
        }

        await store.transaction(async () => {
          for (const t of ['addressees', 'addressee_forms', 'addressee_review']) await store.run(`DELETE FROM ${t}`);
          if (stale) {
            // Rows of recommendations that are no longer current or whose document is resolved again go; the rest stay.
            // They are the rows of the documents resolved again (fresh) or whose stored inputs no longer hold
            // (stale: changed — then also fresh — or no longer current): rec_addressees holds rows only for
            // the documents of addressee_inputs, and a current recommendation of a document in neither is
            // unchanged. The document is the rec_id without its «-seq» (segment/rows.ts), so the delete
            // reads one column instead of anti-joining every row to the current recommendations (358 →
            // 67 ms at 10k, warm).
            await store.run(
              `DELETE FROM rec_addressees WHERE regexp_replace(rec_id, '-[0-9]+$', '') IN (SELECT doc_id FROM ${fresh.name} UNION SELECT doc_id FROM ${stale.name})`,
            );
            await store.run(`DELETE FROM addressee_observations WHERE doc_id IN (SELECT doc_id FROM ${stale.name})`);
            await store.run(`DELETE FROM addressee_inputs WHERE doc_id IN (SELECT doc_id FROM ${stale.name})`);
            if (renamed && renamedCount) {
              await store.run(
                `UPDATE rec_addressees SET addressee_id = c.addressee_id, run_id = $1
                 FROM (SELECT r.rec_id, c.part, c.addressee_id FROM ${renamed.name} c JOIN recommendations r ON r.doc_id = c.doc_id AND r.addressee = c.form) c
                 WHERE rec_addressees.rec_id = c.rec_id AND rec_addressees.part = c.part`,
                [runId],
              );
              await store.run(
                `UPDATE addressee_observations SET addressee_id = c.addressee_id FROM ${renamed.name} c
                 WHERE addressee_observations.doc_id = c.doc_id AND addressee_observations.form = c.form AND addressee_observations.part = c.part`,
              );
            }
          } else {
            for (const t of ['rec_addressees', 'addressee_observations', 'addressee_inputs', 'addressee_resolutions']) await store.run(`DELETE FROM ${t}`);
          }
          await store.append(REC_ADDRESSEES, recRows);
          await store.run(
            `INSERT INTO addressee_observations (${OBSERVED_COLUMNS}, addressee_id)
             SELECT ${OBSERVED_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, e.addressee_id FROM ${observedNow.name} o JOIN ${entityOf.name} e USING (resolution_id)
             ORDER BY o.first_rec_id, o.part`,
          );
          await store.append(ADDRESSEE_RESOLUTIONS, [...resolutions.added].map(([resolution_id, resolution]) => ({ resolution_id, resolution })));
          if (stale) await store.run(`DELETE FROM addressee_resolutions WHERE resolution_id NOT IN (SELECT resolution_id FROM addressee_observations)`);
          await store.run(`INSERT INTO addressee_inputs SELECT doc_id, signature FROM ${fresh.name}`);
          await store.append(
            ADDRESSEES,
            grouping.entities.map((e) => ({
              addressee_id: e.id, canonical_name: e.name, type: e.type, level: e.level, region: e.region, generic: e.generic, rule: e.rule,
              n_forms: e.forms, n_recommendations: e.recommendations, n_documents: e.documents, needs_review: e.needsReview, run_id: runId,
            })),
          );
          await store.append(
            ADDRESSEE_FORMS,
            grouping.forms.map((f) => ({
              form: f.form, addressee_id: f.addresseeId, method: f.method, detail: f.detail, n_recommendations: f.recommendations,
              n_documents: f.documents, example_doc_id: f.exampleDocId, run_id: runId,
            })),
          );
          await store.append(
            ADDRESSEE_REVIEW,
            grouping.review.map((r) => ({ addressee_id: r.addresseeId, reason: r.reason, candidate_id: r.candidateId, similarity: r.similarity, run_id: runId })),
          );
        });
      const entities = grouping.entities.length;
      const kinds = grouping.entities.filter((e) => e.generic).length;
      const forms = new Set(grouping.forms.map((f) => f.form)).size;
      const review = new Set(grouping.review.map((r) => r.addresseeId)).size;
      const byMethod: Record<string, number> = {};
      for (const f of grouping.forms) byMethod[f.method] = (byMethod[f.method] ?? 0) + 1;
      const counts = {
        recommendations, forms, entities, kinds, bodies: entities - kinds, review, by_method: byMethod, aliases: aliases.length,
        incremental, resolved_documents: now.documents, resolved_recommendations: now.recommendations, renamed_observations: renamedCount,
      };
      const line =
        `addressees: ${recommendations} recommendation(s) with an addressee → ${entities} entit${entities === 1 ? 'y' : 'ies'} ` +
        `(${entities - kinds} bod${entities - kinds === 1 ? 'y' : 'ies'}, ${kinds} kind(s)) from ${forms} form(s)` +
        (incremental ? ` (${now.documents} new or changed document(s) resolved)` : '') +
        (review ? `; ${review} to review (confrec addressees --review)` : '');
      return { counts, line };
    }),
    );
  },
};

interface Resolved {
  observations: StoredObservation[];
  /** Each (document, form)'s recommendations and the parts their heading resolved to (rec_addressees rows). */
  recParts: { recs: string[]; parts: FormResolution[] }[];
  documents: number;
  recommendations: number;
}

/**
 * Resolves the addressee forms of the given documents (a table of doc_id): one resolution per
 * distinct (document, form). A form in a document whose text is read (it defines abbreviations or an
 * addressee has one) is resolved in that document; any other depends only on the form and the
 * document's region and level, and is resolved once per (form, region, level).
 */
async function resolveDocuments(
  store: Store,
  docsRef: TableRef,
  env0: { aliases: AddresseeAlias[]; file: string; resolutions: ResolutionTable },
  ctx: StageContext<AddresseesOptions>,
): Promise<Resolved> {
  const rows = await store.all<{ rec_id: string; doc_id: string; addressee: string }>(
    `SELECT r.rec_id, r.doc_id, r.addressee FROM recommendations r
     WHERE r.doc_id IN (SELECT doc_id FROM ${docsRef.name}) AND r.addressee IS NOT NULL AND trim(r.addressee) <> '' ORDER BY r.rec_id`,
  );
  if (rows.length === 0) return { observations: [], recParts: [], documents: await store.scalar<number>(`SELECT count(*) FROM ${docsRef.name}`), recommendations: 0 };
  const morph = await loadMorph();
  const docs = await store.all<{ doc_id: string; region: string | null; level: string | null; defines: boolean }>(
    `SELECT d.doc_id, d.region, d.level, regexp_matches(d.text, '\\(\\s*(далее|в\\s+дальнейшем)', 'i') AS defines
     FROM documents d WHERE d.doc_id IN (SELECT doc_id FROM ${docsRef.name})`,
  );
  const docInfo = new Map(docs.map((d) => [d.doc_id, d]));
  // Texts are read only for documents that define abbreviations or whose addressees contain one.
  const needText = new Set<string>();
  for (const d of docs) if (d.defines) needText.add(d.doc_id);
  for (const r of rows) if (ABBREVIATION_HINT.test(r.addressee)) needText.add(r.doc_id);
  const texts = new Map<string, string>();
  const ids = [...needText];
  for (let i = 0; i < ids.length; i += 500) for (const [id, text] of await documentTexts(store, ids.slice(i, i + 500))) texts.set(id, text);
  const definitions = new Map<string, DefinedAbbreviation[]>();
  const contextOf = (docId: string): FormContext => {
    const d = docInfo.get(docId);
    let defs = definitions.get(docId);
    if (!defs) definitions.set(docId, (defs = d?.defines && texts.has(docId) ? findDefinitions(texts.get(docId)!, morph) : []));
    return { region: d?.region ?? null, level: d?.level ?? null, definitions: defs, text: () => texts.get(docId) ?? '' };
  };

  const progress = createProgress('addressees', rows.length, ctx);
  const env = { morph, aliases: env0.aliases, aliasFile: env0.file };
  const byDocForm = new Map<string, { docId: string; form: string; recs: string[] }>();
  for (const r of rows) {
    const k = `${r.doc_id}\u0000${r.addressee}`;
    let e = byDocForm.get(k);
    if (!e) byDocForm.set(k, (e = { docId: r.doc_id, form: r.addressee, recs: [] }));
    e.recs.push(r.rec_id);
  }
  // Keyed by what the resolution can depend on, so that it never depends on which document came first:
  // a document whose text is read (definitions, spelled-out abbreviations) is a context of its own.
  const cache = new Map<string, string[]>();
  const observations: StoredObservation[] = [];
  const recParts: Resolved['recParts'] = [];
  for (const e of byDocForm.values()) {
    const ctxDoc = contextOf(e.docId);
    const ck = texts.has(e.docId) ? `${e.docId}\u0000${e.form}` : `\u0001${e.form}\u0000${ctxDoc.region ?? ''}\u0000${ctxDoc.level ?? ''}`;
    let partIds = cache.get(ck);
    if (!partIds) cache.set(ck, (partIds = resolveForm(e.form, ctxDoc, env).map((res) => env0.resolutions.intern(res))));
    const parts = partIds.map((id) => env0.resolutions.get(id));
    parts.forEach((res, i) =>
      observations.push({ docId: e.docId, form: e.form, part: res.part, firstRecId: e.recs[0], recommendations: e.recs.length, resolutionId: partIds[i] }),
    );
    recParts.push({ recs: e.recs, parts });
    progress.tick(e.recs.length);
  }
  progress.done();
  return { observations, recParts, documents: await store.scalar<number>(`SELECT count(*) FROM ${docsRef.name}`), recommendations: rows.length };
}

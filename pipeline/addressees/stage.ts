import { listValue } from '@duckdb/node-api';
import { config } from '../config.js';
import { pathFlag } from '../flags.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { ADDRESSEES, ADDRESSEE_FORMS, ADDRESSEE_REVIEW, REC_ADDRESSEES, type RecAddresseeRow } from '../store/columns.js';
import { checkFreshness, fileFingerprint, fingerprintParams, recommendationInputs, type Fingerprint } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { stageOptions, type PipelineStage, type StageContext } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { findDefinitions, type DefinedAbbreviation } from './abbreviations.js';
import { loadAliases } from './aliases.js';
import { groupEntities, type Observation } from './group.js';
import { resolveForm, type FormContext, type FormResolution } from './resolve.js';

/** Bumped when resolution or grouping changes, so stored entities are recomputed. */
export const ADDRESSEES_VERSION = 'addressees-1';

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
  const meta = await store.scalar<string | null>(
    `SELECT md5(string_agg(doc_id || ':' || coalesce(region, '') || ':' || coalesce(level, ''), ',' ORDER BY doc_id)) FROM current_documents`,
  );
  return {
    inputs: { ...(await recommendationInputs(store)), documents: meta ?? 'empty' },
    config: { version: ADDRESSEES_VERSION, aliases: fileFingerprint(o.aliases) },
  };
}

/**
 * The addressees stage: resolves every current recommendation's addressee (the segmenter's
 * nominative) to an entity — one body or one kind of bodies — and writes `addressees`,
 * `addressee_forms`, `rec_addressees` and `addressee_review` in one transaction. Everything is
 * recomputed when the recommendations or the alias file change: a few thousand distinct forms
 * resolve in about a second, and corpus-wide merges need all of them anyway.
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
      return withRun(store, 'addressees', { ...params, unchanged: true }, async () => ({
        counts: { ...counts, unchanged: true },
        line: `addressees: nothing to do (recommendations and alias file unchanged: ${counts.entities ?? 0} entit(ies), ${counts.review ?? 0} to review)`,
      }));
    }
    return withRun(store, 'addressees', params, async (runId) => {
      const morph = await loadMorph();
      const rows = await store.all<{ rec_id: string; doc_id: string; addressee: string }>(
        `SELECT r.rec_id, r.doc_id, r.addressee FROM recommendations r JOIN current_documents d USING (doc_id)
         WHERE r.addressee IS NOT NULL AND trim(r.addressee) <> '' ORDER BY r.rec_id`,
      );
      const docs = await store.all<{ doc_id: string; region: string | null; level: string | null; defines: boolean }>(
        `SELECT doc_id, region, level, regexp_matches(text, '\\(\\s*(далее|в\\s+дальнейшем)', 'i') AS defines FROM current_documents`,
      );
      const docInfo = new Map(docs.map((d) => [d.doc_id, d]));
      // Texts are read only for documents that define abbreviations or whose addressees contain one.
      const needText = new Set<string>();
      for (const d of docs) if (d.defines) needText.add(d.doc_id);
      for (const r of rows) if (ABBREVIATION_HINT.test(r.addressee)) needText.add(r.doc_id);
      const texts = new Map<string, string>();
      const ids = [...needText];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const got = await store.all<{ doc_id: string; text: string }>(
          `SELECT doc_id, text FROM documents WHERE list_contains($1::VARCHAR[], doc_id)`,
          [listValue(chunk)],
        );
        for (const g of got) texts.set(g.doc_id, g.text);
      }
      const definitions = new Map<string, DefinedAbbreviation[]>();
      const contextOf = (docId: string): FormContext => {
        const d = docInfo.get(docId);
        let defs = definitions.get(docId);
        if (!defs) definitions.set(docId, (defs = d?.defines && texts.has(docId) ? findDefinitions(texts.get(docId)!, morph) : []));
        return { region: d?.region ?? null, level: d?.level ?? null, definitions: defs, text: () => texts.get(docId) ?? '' };
      };

      // One resolution per distinct (document, form); forms that cannot depend on the document's
      // text are resolved once per (form, region, level).
      const progress = createProgress('addressees', rows.length, ctx);
      const env = { morph, aliases, aliasFile: file };
      const byDocForm = new Map<string, { docId: string; form: string; recs: string[] }>();
      for (const r of rows) {
        const k = `${r.doc_id}\u0000${r.addressee}`;
        let e = byDocForm.get(k);
        if (!e) byDocForm.set(k, (e = { docId: r.doc_id, form: r.addressee, recs: [] }));
        e.recs.push(r.rec_id);
      }
      const cache = new Map<string, FormResolution[]>();
      const observations: Observation[] = [];
      const recParts: { recs: string[]; parts: FormResolution[] }[] = [];
      for (const e of byDocForm.values()) {
        const ctxDoc = contextOf(e.docId);
        const docDependent = ctxDoc.definitions.length > 0 || ABBREVIATION_HINT.test(e.form);
        const ck = docDependent ? `${e.docId}\u0000${e.form}` : `${e.form}\u0000${ctxDoc.region ?? ''}\u0000${ctxDoc.level ?? ''}`;
        let parts = cache.get(ck);
        if (!parts) cache.set(ck, (parts = resolveForm(e.form, ctxDoc, env)));
        for (const res of parts) observations.push({ form: e.form, docId: e.docId, res, recommendations: e.recs.length });
        recParts.push({ recs: e.recs, parts });
        progress.tick(e.recs.length);
      }
      progress.done();
      const grouping = groupEntities(observations);
      const recRows: RecAddresseeRow[] = [];
      for (const { recs, parts } of recParts) {
        for (const rec of recs) for (const p of parts) recRows.push({ rec_id: rec, addressee_id: grouping.entityOfKey.get(p.key)!, part: p.part, run_id: runId });
      }

      await store.transaction(async () => {
        for (const t of ['addressees', 'addressee_forms', 'rec_addressees', 'addressee_review']) await store.run(`DELETE FROM ${t}`);
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
        await store.append(REC_ADDRESSEES, recRows);
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
      const counts = { recommendations: rows.length, forms, entities, kinds, bodies: entities - kinds, review, by_method: byMethod, aliases: aliases.length };
      const line =
        `addressees: ${rows.length} recommendation(s) with an addressee → ${entities} entit${entities === 1 ? 'y' : 'ies'} ` +
        `(${entities - kinds} bod${entities - kinds === 1 ? 'y' : 'ies'}, ${kinds} kind(s)) from ${forms} form(s)` +
        (review ? `; ${review} to review (confrec addressees --review)` : '');
      return { counts, line };
    });
  },
};

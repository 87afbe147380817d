import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BOOLEAN, DOUBLE, INTEGER, VARCHAR, listValue } from '@duckdb/node-api';
import { config } from '../config.js';
import { createProgress } from '../progress.js';
import type { Store } from '../store/db.js';
import { segmentWatermark, withRun } from '../store/runs.js';
import type { PipelineStage, StageContext } from '../stages.js';
import { loadMorph } from '../text/morph.js';
import { findDefinitions, type DefinedAbbreviation } from './abbreviations.js';
import { loadAliases } from './aliases.js';
import { groupEntities, type Observation } from './group.js';
import { resolveForm, type FormContext, type FormResolution } from './resolve.js';

/** Bumped when resolution or grouping changes, so stored entities are recomputed. */
export const ADDRESSEES_VERSION = 'addressees-1';

/** The alias file the stage reads: options.aliases (tests), else config. */
export function aliasesFile(ctx: StageContext): string {
  return typeof ctx.options.aliases === 'string' ? ctx.options.aliases : config.addresseeAliasesFile;
}

/** A capital-letter run that no built-in rule explains: the form may need its document's text. */
const ABBREVIATION_HINT = /\p{Lu}[\p{Lu}\p{Ll}]*\p{Lu}/u;

/**
 * The addressees stage: resolves every current recommendation's addressee (the segmenter's
 * nominative) to an entity — one body or one kind of bodies — and writes `addressees`,
 * `addressee_forms`, `rec_addressees` and `addressee_review` in one transaction. Everything is
 * recomputed when the recommendations or the alias file change: a few thousand distinct forms
 * resolve in about a second, and corpus-wide merges need all of them anyway.
 */
export const addresseesStage: PipelineStage = {
  name: 'addressees',
  async run(store: Store, ctx: StageContext) {
    const file = aliasesFile(ctx);
    // An invalid alias file stops the stage before anything is written (the message names the entry).
    const aliases = loadAliases(file);
    let aliasText = '';
    try {
      aliasText = readFileSync(file, 'utf8');
    } catch {
      /* no file: no aliases */
    }
    const segment_run = await segmentWatermark(store);
    const inputs = await store.one<{ recs: number; docs: number; meta: string | null }>(
      `SELECT count(*) AS recs, count(DISTINCT r.doc_id) AS docs,
              md5(string_agg(DISTINCT d.doc_id || ':' || coalesce(d.region, '') || ':' || coalesce(d.level, ''), ',' ORDER BY d.doc_id || ':' || coalesce(d.region, '') || ':' || coalesce(d.level, ''))) AS meta
       FROM recommendations r JOIN documents d USING (doc_id) WHERE d.is_current`,
    );
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ v: ADDRESSEES_VERSION, aliases: aliasText, segment_run, inputs }))
      .digest('hex')
      .slice(0, 16);
    const last = await store.one<{ fp: string | null; counts: string | null }>(
      `SELECT json_extract_string(params, '$.fingerprint') AS fp, counts::VARCHAR AS counts FROM runs
       WHERE stage = 'addressees' AND status = 'ok' ORDER BY run_id DESC LIMIT 1`,
    );
    const params = { aliases_file: file, aliases: aliases.length, fingerprint, segment_run, version: ADDRESSEES_VERSION };
    if (!ctx.options.all && last?.fp === fingerprint) {
      const counts = JSON.parse(last.counts ?? '{}') as Record<string, number>;
      return withRun(store, 'addressees', { ...params, unchanged: true }, async () => ({
        counts: { ...counts, unchanged: true },
        line: `addressees: nothing to do (recommendations and ${file.endsWith('.json') ? 'alias file' : 'aliases'} unchanged: ${counts.entities ?? 0} entit(ies), ${counts.review ?? 0} to review)`,
      }));
    }
    return withRun(store, 'addressees', params, async (runId) => {
      const morph = await loadMorph();
      const rows = await store.all<{ rec_id: string; doc_id: string; addressee: string }>(
        `SELECT r.rec_id, r.doc_id, r.addressee FROM recommendations r JOIN documents d USING (doc_id)
         WHERE d.is_current AND r.addressee IS NOT NULL AND trim(r.addressee) <> '' ORDER BY r.rec_id`,
      );
      const docs = await store.all<{ doc_id: string; region: string | null; level: string | null; defines: boolean }>(
        `SELECT doc_id, region, level, regexp_matches(text, '\\(\\s*(далее|в\\s+дальнейшем)', 'i') AS defines FROM documents WHERE is_current`,
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
      const recRows: unknown[][] = [];
      for (const { recs, parts } of recParts) {
        for (const rec of recs) for (const p of parts) recRows.push([rec, grouping.entityOfKey.get(p.key)!, p.part, runId]);
      }

      await store.transaction(async () => {
        for (const t of ['addressees', 'addressee_forms', 'rec_addressees', 'addressee_review']) await store.run(`DELETE FROM ${t}`);
        await store.append(
          'addressees',
          [VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BOOLEAN, VARCHAR, INTEGER, INTEGER, INTEGER, BOOLEAN, INTEGER],
          grouping.entities.map((e) => [e.id, e.name, e.type, e.level, e.region, e.generic, e.rule, e.forms, e.recommendations, e.documents, e.needsReview, runId]),
        );
        await store.append(
          'addressee_forms',
          [VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, INTEGER, VARCHAR, INTEGER],
          grouping.forms.map((f) => [f.form, f.addresseeId, f.method, f.detail, f.recommendations, f.documents, f.exampleDocId, runId]),
        );
        await store.append('rec_addressees', [VARCHAR, VARCHAR, INTEGER, INTEGER], recRows);
        await store.append(
          'addressee_review',
          [VARCHAR, VARCHAR, VARCHAR, DOUBLE, INTEGER],
          grouping.review.map((r) => [r.addresseeId, r.reason, r.candidateId, r.similarity, runId]),
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

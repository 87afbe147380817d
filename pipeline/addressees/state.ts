/**
 * What the last addressees run resolved, kept so that the next run resolves only the documents that
 * are new or changed (issue 16 §4: resolving, reading every document's text and rewriting every
 * recommendation's entity were 5.4 s of a 27.5 s re-run at 10,000 resolutions).
 *
 * A form's resolution (resolve.ts) depends only on its document: the form, the document's region and
 * level, its «(далее – …)» definitions and text, and the alias file (config: a change recomputes
 * everything). So per current document a signature of those inputs is kept (addressee_inputs), and
 * per (document, form, part) the resolution and the entity it went to (addressee_observations, the
 * distinct resolutions once in addressee_resolutions). The corpus-wide merges (group.ts: typos,
 * abbreviations of a full name seen elsewhere, the document's region) and the entities' names and
 * counts are global: they are always recomputed, from every stored observation, in the order a full
 * run sees them (by first rec_id, then part) — summed in SQL (tally.ts), so that only a few hundred
 * keys and form rows reach JS. What is written incrementally
 * is what is per recommendation: rec_addressees rows of changed documents, and of unchanged ones
 * only where their entity id changed (a merge or a new root can rename an entity).
 */
import { createHash } from 'node:crypto';
import { rowHash } from '../store/freshness.js';
import type { FormResolution } from './resolve.js';

/** Recorded in the run's params; a run whose state has another version (or none) is followed by a full run. */
export const STATE_VERSION = 'observations-2';

/**
 * Per current document, everything its forms' resolutions depend on, hashed: region, level and its
 * recommendations with an addressee (rec_id, the segment run that wrote it — a re-segmented or
 * re-read document gets a new one — and the form). An order-free sum (count and XOR of 64-bit
 * hashes) rather than md5 of a sorted list: 0.1 s instead of 0.5 s at 10,000 documents; two inputs
 * meet by chance with odds of 2⁻⁶⁴, and DuckDB's hash changing with a new version only makes
 * every document look new once (a full recomputation, the same result).
 */
export const DOC_SIGNATURES = `
  WITH r AS (
    SELECT doc_id, count(*) AS n, bit_xor(${rowHash('rec_id', 'run_id', 'addressee')}) AS h
    FROM recommendations WHERE addressee IS NOT NULL AND trim(addressee) <> '' GROUP BY doc_id
  )
  SELECT d.doc_id, ${rowHash('d.region', 'd.level')} || ':' || coalesce(r.n, 0) || ':' || coalesce(r.h, 0) AS signature
  FROM (SELECT doc_id, region, level FROM current_documents) d LEFT JOIN r USING (doc_id)`;

/**
 * One (document, form, part) resolved now: an addressee_observations row without its entity. Observation
 * order — the order a full run builds them in and group.ts reads them — is by firstRecId (the first
 * recommendation of the document's form), then part.
 */
export interface StoredObservation {
  docId: string;
  form: string;
  part: number;
  firstRecId: string;
  recommendations: number;
  resolutionId: string;
}

/**
 * Resolutions by content. Both paths (full and incremental) group the parsed JSON, never the objects
 * the resolver made, so a field that JSON drops (undefined) cannot make them differ.
 */
export class ResolutionTable {
  readonly byId = new Map<string, FormResolution>();
  /** Ids added by this run (not yet stored). */
  readonly added = new Map<string, string>();

  /** A stored resolution. */
  load(id: string, json: string): void {
    this.byId.set(id, JSON.parse(json) as FormResolution);
  }

  /** The id of a resolution made now (stored as new when its content is). */
  intern(res: FormResolution): string {
    const json = JSON.stringify(res);
    const id = createHash('sha256').update(json).digest('hex').slice(0, 16);
    if (!this.byId.has(id)) {
      this.byId.set(id, JSON.parse(json) as FormResolution);
      this.added.set(id, json);
    }
    return id;
  }

  get(id: string): FormResolution {
    const r = this.byId.get(id);
    if (!r) throw new Error(`addressee resolution ${id} is not stored`);
    return r;
  }
}

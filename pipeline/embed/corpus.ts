import type { Store } from '../store/db.js';
import type { Scratch, TableRef } from '../store/scratch.js';
import type { CorpusText } from './types.js';

/**
 * The texts to embed: one per distinct text_hash among the recommendations of current documents,
 * sorted by hash. Identical recommendations in several resolutions are embedded once.
 */
export async function readCorpus(store: Store): Promise<CorpusText[]> {
  const c = await store.columns<{ hash: string[]; text: string[] }>(
    `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text
       FROM recommendations r JOIN current_documents USING (doc_id)
      GROUP BY r.text_hash`,
  );
  return byHash(c.hash).map((i) => ({ hash: c.hash[i], text: c.text[i] }));
}

/**
 * Row order by hash, sorted here rather than by ORDER BY: DuckDB sorting 72,654 rows with their texts
 * as payload cost more than the rest of the read. Hashes are hex, so code-unit order is DuckDB's.
 */
function byHash(hashes: readonly string[]): number[] {
  return hashes.map((_, i) => i).sort((a, b) => (hashes[a] < hashes[b] ? -1 : hashes[a] > hashes[b] ? 1 : 0));
}

/**
 * The same corpus without the texts (text = ''): enough to decide what is cached and whether the
 * space drifted. A re-run after one new resolution should not move 75,000 texts out of DuckDB.
 */
export async function readCorpusHashes(store: Store): Promise<CorpusText[]> {
  const c = await store.columns<{ hash: string[] }>(`SELECT DISTINCT r.text_hash AS hash FROM recommendations r JOIN current_documents USING (doc_id)`);
  // The hashes alone sort as plain strings (code-unit order, as byHash): 5 × faster than by index.
  return [...c.hash].sort().map((hash) => ({ hash, text: '' }));
}

/** The distinct text_hash of the current recommendations (one column, `text_hash`): the corpus without reading it into JS. */
export const CURRENT_TEXT_HASHES = `SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)`;

/**
 * An order-free signature of a set of text hashes: their count and the XOR of DuckDB's 64-bit hash
 * of each, 'empty' for none. `from` is SQL with a `text_hash` column (CURRENT_TEXT_HASHES or a table).
 */
export function textSetSignature(from: string): string {
  return `SELECT CASE WHEN count(*) = 0 THEN 'empty' ELSE count(*) || ':' || bit_xor(hash(text_hash)) END FROM (${from})`;
}

/** The texts of the hashes in `wanted` (a table with a `hash` column), in hash order. */
export async function textsOf(store: Store, scratch: Scratch, wanted: TableRef): Promise<CorpusText[]> {
  // The recommendations with these hashes are found first (reading two short columns), their texts
  // then by rec_id: a rec_id join skips the stored segments whose rec_id range holds none of them
  // (rec_ids follow the order rows were added), where a join on the hashes, or `IN (SELECT …)`,
  // read the text of every recommendation (0.1–0.5 s at 10,000 resolutions for 11 new texts).
  const recs = await scratch.query('recs', `SELECT r.rec_id FROM recommendations r JOIN ${wanted.name} w ON w.hash = r.text_hash`);
  return store.all<CorpusText>(
    `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text FROM recommendations r
      JOIN ${recs.name} USING (rec_id) GROUP BY r.text_hash ORDER BY r.text_hash`,
  );
}

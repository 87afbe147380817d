import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { withScratch } from '../store/scratch.js';
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
  return byHash(c.hash).map((i) => ({ hash: c.hash[i], text: '' }));
}

/** Fills in the texts of the given hashes. */
export async function withTexts(store: Store, items: readonly CorpusText[]): Promise<CorpusText[]> {
  if (items.length === 0) return [];
  return withScratch(store, 'embed', async (scratch) => {
    const wanted = await scratch.table<{ hash: string }>('wanted', { hash: VARCHAR });
    await wanted.append(items.map((t) => ({ hash: t.hash })));
    return store.all<CorpusText>(
      `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text FROM recommendations r
        WHERE r.text_hash IN (SELECT hash FROM ${wanted.name}) GROUP BY r.text_hash ORDER BY r.text_hash`,
    );
  });
}

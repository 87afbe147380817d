import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { withScratch } from '../store/scratch.js';
import type { CorpusText } from './types.js';

/**
 * The texts to embed: one per distinct text_hash among the recommendations of current documents,
 * sorted by hash. Identical recommendations in several resolutions are embedded once.
 */
export async function readCorpus(store: Store): Promise<CorpusText[]> {
  return store.all<CorpusText>(
    `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text
       FROM recommendations r JOIN current_documents USING (doc_id)
      GROUP BY r.text_hash
      ORDER BY r.text_hash`,
  );
}

/**
 * The same corpus without the texts (text = ''): enough to decide what is cached and whether the
 * space drifted. A re-run after one new resolution should not move 75,000 texts out of DuckDB.
 */
export async function readCorpusHashes(store: Store): Promise<CorpusText[]> {
  const rows = await store.all<{ hash: string }>(
    `SELECT DISTINCT r.text_hash AS hash FROM recommendations r JOIN current_documents USING (doc_id) ORDER BY hash`,
  );
  return rows.map((r) => ({ hash: r.hash, text: '' }));
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

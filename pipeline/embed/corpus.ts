import { VARCHAR } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import type { CorpusText } from './types.js';

/**
 * The texts to embed: one per distinct text_hash among the recommendations of current documents,
 * sorted by hash. Identical recommendations in several resolutions are embedded once.
 */
export async function readCorpus(store: Store): Promise<CorpusText[]> {
  return store.all<CorpusText>(
    `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text
       FROM recommendations r JOIN documents d ON d.doc_id = r.doc_id
      WHERE d.is_current
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
    `SELECT DISTINCT r.text_hash AS hash FROM recommendations r JOIN documents d ON d.doc_id = r.doc_id
      WHERE d.is_current ORDER BY hash`,
  );
  return rows.map((r) => ({ hash: r.hash, text: '' }));
}

/** Fills in the texts of the given hashes. */
export async function withTexts(store: Store, items: readonly CorpusText[]): Promise<CorpusText[]> {
  if (items.length === 0) return [];
  await store.run(`CREATE OR REPLACE TEMP TABLE corpus_wanted (hash VARCHAR)`);
  await store.append('corpus_wanted', [VARCHAR], items.map((t) => [t.hash]));
  const rows = await store.all<CorpusText>(
    `SELECT r.text_hash AS hash, min(coalesce(r.proposal, r.text)) AS text FROM recommendations r
      WHERE r.text_hash IN (SELECT hash FROM corpus_wanted) GROUP BY r.text_hash ORDER BY r.text_hash`,
  );
  await store.run(`DROP TABLE corpus_wanted`);
  return rows;
}

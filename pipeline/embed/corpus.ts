import { createHash } from 'node:crypto';
import type { Store } from '../store/db.js';
import type { CorpusText } from './lexical-model.js';

/**
 * The texts to embed: one per distinct text_hash among the recommendations of current documents,
 * sorted by hash. Identical recommendations in several resolutions are embedded once.
 */
export async function readCorpus(store: Store): Promise<CorpusText[]> {
  return store.all<CorpusText>(
    `SELECT r.text_hash AS hash, min(r.text) AS text
       FROM recommendations r JOIN documents d ON d.doc_id = r.doc_id
      WHERE d.is_current
      GROUP BY r.text_hash
      ORDER BY r.text_hash`,
  );
}

/** sha256 over the sorted distinct text hashes: names a corpus regardless of row order or duplicates. */
export function corpusHash(corpus: readonly CorpusText[]): string {
  const hashes = [...new Set(corpus.map((t) => t.hash))].sort();
  const h = createHash('sha256');
  for (const x of hashes) h.update(x).update('\n');
  return h.digest('hex');
}

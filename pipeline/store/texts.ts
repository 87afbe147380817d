import { listValue } from '@duckdb/node-api';
import type { Store } from './db.js';

/**
 * The stored texts of the given documents (doc_id → text), in one statement: callers pass a chunk of
 * ids (a few hundred to a thousand), neither one statement per document nor every text at once.
 */
export async function documentTexts(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await store.columns<{ doc_id: string[]; text: string[] }>(
    `SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT unnest($1::VARCHAR[]))`,
    [listValue([...ids])],
  );
  return new Map((rows.doc_id ?? []).map((id, k) => [id, rows.text[k]]));
}

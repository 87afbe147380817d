import { currentEmbedding, embeddingsOf } from '../../embed/current.js';
import type { Store } from '../../store/db.js';
import { thresholdForSpace } from './current-space.js';
import { resolveDocument, type DocumentRef } from './documents.js';

export interface RecRef {
  rec_id: string;
  seq: number;
  text: string;
  addressee: string | null;
  char_start: number;
  char_end: number;
  line_start: number;
}

export interface SharedPair {
  a: RecRef;
  b: RecRef;
  score: number;
}

export interface Comparison {
  a: DocumentRef;
  b: DocumentRef;
  threshold: number;
  embedder: string | null;
  shared: SharedPair[];
  onlyA: RecRef[];
  onlyB: RecRef[];
}

const REC_COLUMNS = 'rec_id, seq, text, addressee, char_start, char_end, line_start';

/**
 * What two documents share: pairs of their recommendations at or above the threshold, matched one
 * to one greedily from the most similar down, and what each has on its own. Identical texts score
 * exactly 1 (also without vectors), so a document compared with itself matches everything.
 */
export async function compareDocuments(store: Store, nameA: string, nameB: string, opts: { threshold?: number } = {}): Promise<Comparison> {
  const a = await resolveDocument(store, nameA);
  const b = await resolveDocument(store, nameB);
  const current = await currentEmbedding(store);
  const threshold = await thresholdForSpace(current, opts.threshold);
  const recsOf = (docId: string) => store.all<RecRef>(`SELECT ${REC_COLUMNS} FROM recommendations WHERE doc_id = $1 ORDER BY seq`, [docId]);
  const recsA = await recsOf(a.doc_id);
  const recsB = await recsOf(b.doc_id);
  const dim = Math.trunc(current?.dim ?? 1);
  const scored = await store.all<{ rec_a: string; rec_b: string; score: number }>(
    `WITH ra AS (
       SELECT r.rec_id, r.seq, r.text_hash, e.vector FROM recommendations r
       LEFT JOIN ${embeddingsOf(`SELECT text_hash FROM recommendations WHERE doc_id = $1`, '$4')} e ON e.text_hash = r.text_hash AND len(e.vector) = ${dim}
       WHERE r.doc_id = $1
     ), rb AS (
       SELECT r.rec_id, r.seq, r.text_hash, e.vector FROM recommendations r
       LEFT JOIN ${embeddingsOf(`SELECT text_hash FROM recommendations WHERE doc_id = $2`, '$4')} e ON e.text_hash = r.text_hash AND len(e.vector) = ${dim}
       WHERE r.doc_id = $2
     ), scored AS (
       SELECT ra.rec_id AS rec_a, rb.rec_id AS rec_b, ra.seq AS seq_a, rb.seq AS seq_b,
              CASE WHEN ra.text_hash = rb.text_hash THEN 1.0
                   WHEN ra.vector IS NULL OR rb.vector IS NULL THEN NULL
                   ELSE array_cosine_similarity(ra.vector::FLOAT[${dim}], rb.vector::FLOAT[${dim}])::DOUBLE END AS score
       FROM ra CROSS JOIN rb
     )
     SELECT rec_a, rec_b, score FROM scored WHERE score >= $3
     ORDER BY round(score, 6) DESC, seq_a, seq_b`,
    // $4: the current embedder (none: no vector, so only identical texts pair).
    [a.doc_id, b.doc_id, threshold, current?.id ?? null],
  );
  const byId = new Map([...recsA, ...recsB].map((r) => [r.rec_id, r]));
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  const shared: SharedPair[] = [];
  for (const s of scored) {
    if (usedA.has(s.rec_a) || usedB.has(s.rec_b)) continue;
    usedA.add(s.rec_a);
    usedB.add(s.rec_b);
    shared.push({ a: byId.get(s.rec_a)!, b: byId.get(s.rec_b)!, score: s.score });
  }
  shared.sort((x, y) => x.a.seq - y.a.seq);
  return {
    a,
    b,
    threshold,
    embedder: current?.id ?? null,
    shared,
    onlyA: recsA.filter((r) => !usedA.has(r.rec_id)),
    onlyB: recsB.filter((r) => !usedB.has(r.rec_id)),
  };
}

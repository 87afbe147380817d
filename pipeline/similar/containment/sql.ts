/**
 * The containment criterion (containment.ts containedPairs) as SQL over lemma sets, for the
 * incremental run: the new texts' sets beside those stored in proposal_lemmas.
 */
import type { TableRef } from '../../store/scratch.js';
import { MIN_CONTAINED_LEMMAS } from './containment.js';

/** Every text's lemma set (stored or just made), as SQL with columns text_hash, lemmas, n. */
export const lemmaSets = (fresh: TableRef) =>
  `(SELECT text_hash, lemmas, len(lemmas) AS n FROM proposal_lemmas UNION ALL SELECT text_hash, lemmas, len(lemmas) FROM ${fresh.name})`;

/**
 * Whether one of two lemma sets (aliases of lemmaSets rows) holds the other: the definition of
 * containedPairs (shorter ⊆ longer, shorter ≥ MIN_CONTAINED_LEMMAS), in SQL.
 */
export const containedSql = (x: string, y: string) =>
  `((${x}.n >= ${MIN_CONTAINED_LEMMAS} AND ${x}.n <= ${y}.n AND list_has_all(${y}.lemmas, ${x}.lemmas)) OR (${y}.n >= ${MIN_CONTAINED_LEMMAS} AND ${y}.n <= ${x}.n AND list_has_all(${x}.lemmas, ${y}.lemmas)))`;

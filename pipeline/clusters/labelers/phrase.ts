import { loadMorph } from '../../text/morph.js';
import { CtfidfLabeler } from './ctfidf.js';
import { phraseLabels } from './phrases.js';
import type { ClusterLabel, Labeler } from './types.js';

/**
 * The default labeler: the cluster's most distinctive noun phrase in the nominative (phrases.ts:
 * noun phrases found with `az` tags, class-based TF-IDF over them, MMR for diversity, no two clusters
 * with one label), so that a director reads «поддержка семей детей с ОВЗ» rather than three lemmas.
 * The c-TF-IDF lemmas stay as the terms and as `lemmaLabel`; a cluster without a usable phrase keeps
 * its lemma label.
 */
export class PhraseLabeler implements Labeler {
  readonly id = 'phrase';

  async label(textsByCluster: ReadonlyMap<number, readonly string[]>): Promise<Map<number, ClusterLabel>> {
    const lemmas = await new CtfidfLabeler().label(textsByCluster);
    const phrases = phraseLabels(textsByCluster, await loadMorph());
    const out = new Map<number, ClusterLabel>();
    for (const [c, l] of lemmas) {
      const p = phrases.get(c);
      out.set(c, { label: p?.label ?? l.label, terms: l.terms, lemmaLabel: l.label, phrases: p?.phrases ?? [] });
    }
    return out;
  }
}

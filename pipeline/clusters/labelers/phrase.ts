import { loadMorph } from '../../text/morph.js';
import { tokenize } from '../../text/tokenize.js';
import { contentLemmasOfTokens, CtfidfLabeler, labelByPreparing } from './ctfidf.js';
import { labelPhraseOccurrences, phraseLabelsOf, type VerdictCache } from './phrases.js';
import type { ClusterLabel, PreparedText, TextLabeler } from './types.js';

/**
 * The default labeler: the cluster's most distinctive noun phrase in the nominative (phrases.ts:
 * noun phrases found with `az` tags, class-based TF-IDF over them, MMR for diversity, no two clusters
 * with one label), so that a director reads «поддержка семей детей с ОВЗ» rather than three lemmas.
 * The c-TF-IDF lemmas stay as the terms and as `lemmaLabel`; a cluster without a usable phrase keeps
 * its lemma label.
 */
export class PhraseLabeler implements TextLabeler {
  readonly id = 'phrase';
  private readonly lemmas = new CtfidfLabeler();
  /** Verdicts on phrase shapes, kept between calls (pure: they depend on the phrase alone). */
  private readonly verdicts: VerdictCache = new Map();

  async prepare(texts: readonly string[]): Promise<PreparedText[]> {
    const morph = await loadMorph();
    // One tokenisation per text serves its lemmas and its phrases.
    return texts.map((t) => {
      const tokens = tokenize(t);
      return { lemmas: contentLemmasOfTokens(tokens, morph), phrases: labelPhraseOccurrences(t, morph, this.verdicts, tokens) };
    });
  }

  async labelPrepared(byCluster: ReadonlyMap<number, readonly PreparedText[]>): Promise<Map<number, ClusterLabel>> {
    const lemmas = await this.lemmas.labelPrepared(byCluster);
    const phrases = phraseLabelsOf(new Map([...byCluster].map(([c, list]) => [c, list.map((p) => p.phrases ?? [])])), await loadMorph());
    const out = new Map<number, ClusterLabel>();
    for (const [c, l] of lemmas) {
      const p = phrases.get(c);
      out.set(c, { label: p?.label ?? l.label, terms: l.terms, lemmaLabel: l.label, phrases: p?.phrases ?? [] });
    }
    return out;
  }

  label(textsByCluster: ReadonlyMap<number, readonly string[]>): Promise<Map<number, ClusterLabel>> {
    return labelByPreparing(this, textsByCluster);
  }
}

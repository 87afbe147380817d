import type { Morph } from '../text/morph.js';
import { wordTokens } from '../text/tokenize.js';
import { FRAMING_LEMMAS } from './lexicon.js';
import { analyseItem, type ItemAnalysis } from './verb.js';

/** A framing verb further in than this many words belongs to the proposal, not to its frame. */
const FRAME_WORDS = 8;

/**
 * The proposal inside a recommendation: the text without the frame that addresses it —
 * "Участники конференции рекомендуют органам управления образованием", "Рекомендовать
 * Министерству …", "Считать необходимым", a leading dative addressee. The addressee is stored in
 * its own column; what was proposed is what near-duplicates, clusters and embeddings compare, so
 * that one proposal made to two addressees reads as the same proposal.
 *
 * Returns the offset of the proposal in `text` (0 when there is no frame).
 */
export function proposalStart(text: string, morph: Morph, known?: ItemAnalysis): number {
  const words = wordTokens(text.slice(0, 200), FRAME_WORDS);
  let from = 0;
  for (const w of words) {
    const best = morph.parse(w.text)[0];
    if (!best) continue;
    const framing = FRAMING_LEMMAS.has(morph.lemma(w.text));
    if (best.pos === 'INFN' && !framing) break;
    if ((best.pos === 'VERB' || best.pos === 'INFN') && framing) {
      // "Рекомендовали расширить …" reports an earlier recommendation: no frame to take off.
      if (best.grammemes.has('past')) return 0;
      from = w.start;
      break;
    }
  }
  // The segmenter has already analysed the item from its start: no need to do it again.
  const a = from === 0 && known ? known : analyseItem(text.slice(from), morph);
  // Only a frame that leads to an operative verb of its own: "Рекомендовать обеспечить …".
  if (!a.verb || a.contentAt === 0 || (!a.framing && !a.inlineAddressee)) return 0;
  let at = from + a.contentAt;
  while (at < text.length && /[\s,:;—–-]/.test(text[at])) at++;
  // A frame with nothing after it is the whole recommendation.
  return /\p{L}{3,}/u.test(text.slice(at)) ? at : 0;
}

/** The proposal's text: see proposalStart. */
export function proposalOf(text: string, morph: Morph, known?: ItemAnalysis): string {
  return text.slice(proposalStart(text, morph, known));
}

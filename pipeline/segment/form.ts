import type { RecommendationForm } from '../store/types.js';
import type { ItemAnalysis } from './verb.js';

/**
 * What an item is made of, for the `form` column:
 * - `infinitive`: led by its operative infinitive, after adverbs or a framing verb and its addressee
 *   ("обеспечить …", "Рекомендовать органам … провести …", "Считать необходимым …", "Необходимо создать …");
 * - `imperative`: led by an imperative ("Обеспечьте участие …");
 * - `sentence`: a finite verb frames or precedes the action ("Участники рекомендуют …", "Просим вас …",
 *   "Школам следует обеспечить …");
 * - `nominal`: no verb leads it ("создание ресурсных центров …", "разработку программы …"); its verb is null.
 */
export function itemForm(a: ItemAnalysis, text: string): RecommendationForm {
  if (a.imperative) return 'imperative';
  // "Считать необходимым развитие …": a frame without an action of its own
  if (!a.verb || a.nominalFrame) return 'nominal';
  if (a.framing) return /^\P{L}*\p{L}+(?:ть|ти|ться|тись|чь|чься)(?!\p{L})/u.test(text) ? 'infinitive' : 'sentence';
  if (a.verb && a.infinitiveLed && !a.finiteLead) return 'infinitive';
  if (a.verb && (a.finiteLead || a.inlineAddressee)) return a.finiteLead ? 'sentence' : 'infinitive';
  if (a.verb && a.infinitiveLed) return 'infinitive';
  return 'nominal';
}

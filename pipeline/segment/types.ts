import type { AddresseeType, RecommendationForm } from '../store/types.js';

/** One recommendation found in a resolution, with offsets into the text it was found in. */
export interface SegmentedRecommendation {
  seq: number;
  text: string;
  /** The text without its addressing frame: what was proposed (proposal.ts). */
  proposal: string;
  charStart: number;
  charEnd: number;
  addresseeRaw: string | null;
  addressee: string | null;
  addresseeType: AddresseeType;
  verb: string | null;
  form: RecommendationForm;
  responsible: string | null;
  deadline: string | null;
  deadlineText: string | null;
  /** The rule that took the item (rules/). */
  rule: string;
  /** Changed by a hand correction. */
  corrected: boolean;
}

import type { SegmentVerdict } from '../store/types.js';
import type { SegmentedRecommendation } from './types.js';
import { defineRule } from './rules/registry.js';

export const VERDICT = defineRule({
  id: 'verdict',
  family: 'headings',
  role: 'item',
  summary: 'Each document gets a verdict: `none` (nothing found), `review` (the reasons say what to check) or `ok`. `confrec status` and the report list the documents to review.',
  example: 'review: items without verbs; operative part found only by weak cues',
  thresholds: {
    nominalShare: { value: 0.5, origin: 'resolutions of the samples and fixtures outside the nominal family have at most one verbless item in ten; half or more is a list the reader should look at' },
    manyItems: { value: 60, origin: 'the longest resolution of the fixtures has 24 items, the synthetic generator at most 40; more than 60 usually means a programme or an appendix was taken' },
  },
});

export interface VerdictInput {
  /** The operative part was opened by a lead-in, a heading or a decision table (not only by an infinitive-led list). */
  strongOpen: boolean;
  news: boolean;
  reason: string | null;
}

/** The verdict and its reasons. `weak[k]` says draft k was taken under a lead-in the rules could not name. */
export function verdictOf(recs: readonly SegmentedRecommendation[], weak: readonly boolean[], input: VerdictInput): { verdict: SegmentVerdict; reasons: string[] } {
  if (recs.length === 0) return { verdict: 'none', reasons: input.reason ? [input.reason] : [] };
  const reasons: string[] = [];
  if (!input.strongOpen) reasons.push('operative part found only by weak cues');
  const nominal = recs.filter((r) => r.form === 'nominal').length;
  if (nominal >= 2 && nominal / recs.length >= 0.5) reasons.push('items without verbs');
  if (weak.some((w, k) => w && recs[k]?.form === 'nominal')) reasons.push('trap-like list taken');
  if (input.news) reasons.push('news article: proposals as reported');
  if (recs.length > 60) reasons.push('unusually many items');
  return { verdict: reasons.length ? 'review' : 'ok', reasons };
}

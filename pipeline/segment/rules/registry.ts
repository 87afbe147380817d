import type { SegmentRule } from './types.js';

const rules: SegmentRule[] = [];
const byId = new Map<string, SegmentRule>();

/** Declares a rule; its id must be unique. Rule files call this at module load. */
export function defineRule<R extends SegmentRule>(r: R): R {
  if (byId.has(r.id)) throw new Error(`segmentation rule defined twice: ${r.id}`);
  rules.push(r);
  byId.set(r.id, r);
  return r;
}

/** Every rule, in the order their files were loaded (rules/index.ts fixes that order). */
export function allRules(): readonly SegmentRule[] {
  return rules;
}

export function ruleById(id: string): SegmentRule | undefined {
  return byId.get(id);
}

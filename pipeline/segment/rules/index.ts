/**
 * The segmentation rules, one named unit each (id, layout family, example, origin of every
 * threshold). The files are loaded in this order, which is the order `confrec segment --rules`
 * lists them. To add a rule: define it with defineRule in the file of its family, use its id where
 * segment.ts decides, and give it a fixture in tests/fixtures/layouts.
 */
import './headings.js';
import './items.js';
import './inline.js';
import './appeals.js';
import './protocol.js';
import './tables.js';
import './news.js';
import './corrections.js';
import '../verdict.js';

export { allRules, ruleById } from './registry.js';
export type { LayoutFamily, LineRole, SegmentRule, Threshold } from './types.js';

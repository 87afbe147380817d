/**
 * The shape of a segmentation rule. Types only, so that every rule file and the driver import it
 * without import cycles.
 */

/** The layout families of issue 12 (plus the base layouts the samples use). */
export type LayoutFamily =
  | 'headings'
  | 'inline'
  | 'nominal'
  | 'appeals'
  | 'protocol'
  | 'nested'
  | 'run-on'
  | 'news'
  | 'traps'
  | 'colons'
  | 'capitals'
  | 'tables'
  | 'long'
  | 'corrections';

/** What a line was taken for (`confrec segment --explain`). */
export type LineRole =
  | 'preamble'
  | 'title'
  | 'narrative'
  | 'trap'
  | 'lead-in'
  | 'addressee'
  | 'item'
  | 'continuation'
  | 'evaluative'
  | 'table-header'
  | 'closing'
  | 'appendix'
  | 'noise'
  | 'blank';

/** Where a threshold's value comes from: measured on what, or chosen why. */
export interface Threshold {
  value: number | string;
  origin: string;
}

export interface SegmentRule {
  /** Stable id, shown by --explain and in the rules listing: "heading.addressee-dative". */
  id: string;
  family: LayoutFamily;
  /** What the rule decides a line is. */
  role: LineRole;
  summary: string;
  /** A line (or lines) the rule handles, as written in real resolutions. */
  example: string;
  thresholds?: Record<string, Threshold>;
}

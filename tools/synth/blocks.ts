/**
 * What a generated resolution is made of before it becomes text: header lines, paragraphs, headings
 * and list items. Kept apart from the words so that the renderer alone decides blank lines, hard
 * wrapping and typing noise.
 */
export type DocBlock =
  | { type: 'header'; lines: string[] }
  /** Running text; may be hard-wrapped. */
  | { type: 'para'; text: string }
  /** A heading or trigger line; never wrapped. */
  | { type: 'heading'; text: string }
  /** A list item: `marker` as written ("–", "1)", "" for none), `sep` between marker and text. */
  | { type: 'item'; marker: string; sep: string; text: string; end: string };

export const para = (text: string): DocBlock => ({ type: 'para', text });
export const heading = (text: string): DocBlock => ({ type: 'heading', text });
export const item = (marker: string, text: string, end: string, sep = ' '): DocBlock => ({
  type: 'item',
  marker,
  sep: marker ? sep : '',
  text,
  end,
});

/** The first ~8 words of a passage: how gold files quote traps. */
export function quoteStart(text: string, words = 8): string {
  return text.replace(/\s+/g, ' ').trim().split(' ').slice(0, words).join(' ').replace(/[;:,.]+$/, '');
}

/**
 * The shape readers of structured formats (.docx, .pdf) produce before it becomes text. A block is a
 * paragraph, a list or a table; each of its lines is one paragraph, list item or table row. Blocks are
 * separated by a blank line, the lines inside a list or table are not, like a tight Markdown list.
 */
export type BlockKind = 'paragraph' | 'list' | 'table';

export interface Block {
  kind: BlockKind;
  lines: string[];
}

/** Collapses all whitespace (including newlines) so a paragraph is guaranteed to stay on one line. */
export function oneLine(text: string): string {
  return text.replace(/[ \t\r\n\f\v]+/g, ' ').trim();
}

export function blocksToText(blocks: readonly Block[]): string {
  return blocks
    .map((b) => b.lines.map(oneLine).filter((l) => l !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

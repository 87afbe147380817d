/**
 * Blocks → file text, the way word processors and conversions leave resolutions: blank lines or none,
 * hard-wrapped lines, doubled spaces from justified text, no-break spaces, Windows line ends. None of
 * this changes a recommendation's text once whitespace is collapsed, so the gold stays exact.
 */
import type { DocBlock } from './blocks.js';
import type { Rng } from './random.js';

export interface RenderStyle {
  /** Blank lines between all blocks, only around non-items, or none at all. */
  blank: 'all' | 'sections' | 'none';
  /** Hard-wrap paragraphs and items at this width, or not at all. */
  wrap: number | null;
  /** Indentation of wrapped item lines. */
  indent: string;
  /** Doubled spaces and no-break spaces inside running text. */
  noise: boolean;
  crlf: boolean;
  bom: boolean;
}

/**
 * Where a line may break: before a word that starts with a letter, after a word that does not end a
 * clause. Breaking after "г." or ";" would end the block early; a line opening with a dash or a
 * number would read as a new list item.
 */
export function wrapLine(line: string, width: number, indent: string): string {
  if (line.length <= width) return line;
  const words = line.split(' ');
  const out: string[] = [];
  let cur = '';
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    const prev = words[k - 1] ?? '';
    const canBreak = cur.length > 0 && /^[\p{L}«]/u.test(w) && !/^«?\p{L}\)/u.test(w) && !/[.!?:;]$/.test(prev);
    if (canBreak && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = indent + w;
    } else {
      cur = cur ? `${cur} ${w}` : w;
    }
  }
  out.push(cur);
  return out.join('\n');
}

function addNoise(text: string, rng: Rng): string {
  let s = text.replace(/(^|\s)(г\.|№) /g, (_, a: string, b: string) => `${a}${b}\u00A0`);
  // Justified text: a few spaces doubled or tripled.
  s = s.replace(/ /g, () => (rng.chance(0.04) ? (rng.chance(0.3) ? '   ' : '  ') : ' '));
  return s;
}

function blockLines(b: DocBlock, style: RenderStyle, rng: Rng): string {
  switch (b.type) {
    case 'header':
      return b.lines.join('\n');
    case 'heading':
      return b.text;
    case 'para': {
      const t = style.noise ? addNoise(b.text, rng) : b.text;
      return style.wrap ? wrapLine(t, style.wrap, '') : t;
    }
    case 'item': {
      const body = `${b.text}${b.end}`;
      const t = style.noise ? addNoise(body, rng) : body;
      const line = `${b.marker}${b.sep}${t}`;
      return style.wrap ? wrapLine(line, style.wrap, b.marker ? style.indent : '') : line;
    }
  }
}

export function renderBlocks(blocks: DocBlock[], style: RenderStyle, rng: Rng): string {
  const parts: string[] = [];
  blocks.forEach((b, k) => {
    if (k > 0) {
      const prev = blocks[k - 1];
      const gap =
        (prev.type === 'header' && style.blank !== 'none') ||
        style.blank === 'all' ||
        (style.blank === 'sections' && !(prev.type === 'item' && b.type === 'item') && !(prev.type === 'heading' && b.type === 'item'));
      parts.push(gap ? '\n\n' : '\n');
    }
    parts.push(blockLines(b, style, rng));
  });
  let text = parts.join('') + '\n';
  if (style.crlf) text = text.replace(/\n/g, '\r\n');
  if (style.bom) text = '\uFEFF' + text;
  return text;
}

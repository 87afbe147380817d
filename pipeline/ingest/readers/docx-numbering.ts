/**
 * The list markers Word draws for a .docx, counted from numbering.xml. mammoth turns numbered
 * paragraphs into <ol>/<ul> but keeps only "ordered or not" of the numbering, so a nested «а)» item,
 * a «1)» list, «1.1.» multi-level numbers and a list continued after a paragraph would all come out
 * as docx-html's depth convention (1. / 1) / а)) restarted at every <ol>. Here every numbered
 * paragraph of document.xml gets the marker Word shows — number format (decimal, letters, Roman,
 * Russian letters), level text ("%1.%2."), start and restart (w:startOverride), counters shared by
 * the lists of one abstract numbering as Word shares them — with its text, so docx-html can check
 * that the <li> it is writing is that paragraph before using the marker.
 *
 * Regular expressions over the XML, not a DOM: document.xml can be tens of MB and mammoth has already
 * built one tree of it.
 */

export interface NumberedParagraph {
  /** The paragraph's text (w:t runs joined), for matching with mammoth's list items. */
  text: string;
  marker: string;
}

interface Level {
  numFmt: string;
  lvlText: string;
  start: number;
  isLgl: boolean;
}

interface Num {
  abstractId: string;
  starts: Map<number, number>;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return XML_ENTITIES[e] ?? m;
  });
}

function attr(tag: string, name: string): string | null {
  return new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
}

function readLevels(xml: string): Map<number, Level> {
  const levels = new Map<number, Level>();
  for (const m of xml.matchAll(/<w:lvl\b([^>]*)>([\s\S]*?)<\/w:lvl>/g)) {
    const ilvl = Number(attr(m[1], 'w:ilvl') ?? '0');
    const body = m[2];
    levels.set(ilvl, {
      numFmt: attr(/<w:numFmt\b[^>]*>/.exec(body)?.[0] ?? '', 'w:val') ?? 'decimal',
      lvlText: unescapeXml(attr(/<w:lvlText\b[^>]*>/.exec(body)?.[0] ?? '', 'w:val') ?? ''),
      start: Number(attr(/<w:start\b[^>]*>/.exec(body)?.[0] ?? '', 'w:val') ?? '1'),
      isLgl: /<w:isLgl\b(?![^>]*w:val="(?:0|false)")/.test(body),
    });
  }
  return levels;
}

const RU = 'абвгдежзиклмнопрстуфхцчшщэюя';
const ROMAN: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];

export function formatWordNumber(n: number, numFmt: string): string {
  switch (numFmt) {
    case 'upperRoman':
    case 'lowerRoman': {
      let out = '';
      let k = n;
      for (const [v, s] of ROMAN) while (k >= v) (out += s), (k -= v);
      return numFmt === 'lowerRoman' ? out.toLowerCase() : out;
    }
    case 'upperLetter':
      return String.fromCharCode(65 + ((n - 1) % 26));
    case 'lowerLetter':
      return String.fromCharCode(97 + ((n - 1) % 26));
    case 'russianLower':
      return RU[(n - 1) % RU.length];
    case 'russianUpper':
      return RU[(n - 1) % RU.length].toUpperCase();
    case 'decimalZero':
      return String(n).padStart(2, '0');
    case 'none':
      return '';
    default:
      return String(n);
  }
}

/**
 * A marker as text: a bullet glyph (any character of a "bullet" level) is "-", except Word's
 * second-level «o» (Courier New), which stays «o» so that the segmenter sees the level below a «•»
 * item (segment/blocks.ts sameLevel: «…, в том числе:» over «o логопедов;»).
 */
function renderMarker(level: Level, counts: number[], levelOf: (ilvl: number) => Level | undefined): string {
  if (level.numFmt === 'bullet') return level.lvlText.trim() === 'o' ? 'o' : '-';
  const text = level.lvlText.replace(/%(\d)/g, (_, d: string) => {
    const i = Number(d) - 1;
    const lv = levelOf(i) ?? level;
    return formatWordNumber(counts[i] ?? lv.start, level.isLgl ? 'decimal' : lv.numFmt);
  });
  return text.trim();
}

export function docxNumberedParagraphs(documentXml: string, numberingXml: string | undefined, stylesXml: string | undefined): NumberedParagraph[] {
  if (!numberingXml) return [];
  const abstracts = new Map<string, Map<number, Level>>();
  for (const m of numberingXml.matchAll(/<w:abstractNum\b([^>]*)>([\s\S]*?)<\/w:abstractNum>/g)) {
    abstracts.set(attr(m[1], 'w:abstractNumId') ?? '', readLevels(m[2]));
  }
  const nums = new Map<string, Num>();
  for (const m of numberingXml.matchAll(/<w:num\b([^>]*)>([\s\S]*?)<\/w:num>/g)) {
    const abstractId = attr(/<w:abstractNumId\b[^>]*>/.exec(m[2])?.[0] ?? '', 'w:val') ?? '';
    const starts = new Map<number, number>();
    for (const o of m[2].matchAll(/<w:lvlOverride\b([^>]*)>([\s\S]*?)<\/w:lvlOverride>/g)) {
      const so = /<w:startOverride\b[^>]*>/.exec(o[2])?.[0];
      if (so) starts.set(Number(attr(o[1], 'w:ilvl') ?? '0'), Number(attr(so, 'w:val') ?? '1'));
    }
    nums.set(attr(m[1], 'w:numId') ?? '', { abstractId, starts });
  }
  // Paragraph styles that carry numbering ("List Number"), with their level.
  const styleNum = new Map<string, { numId: string; ilvl: number }>();
  for (const m of (stylesXml ?? '').matchAll(/<w:style\b([^>]*)>([\s\S]*?)<\/w:style>/g)) {
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(m[2])?.[1];
    const id = attr(m[1], 'w:styleId');
    if (!numPr || !id) continue;
    styleNum.set(id, { numId: attr(/<w:numId\b[^>]*>/.exec(numPr)?.[0] ?? '', 'w:val') ?? '', ilvl: Number(attr(/<w:ilvl\b[^>]*>/.exec(numPr)?.[0] ?? '', 'w:val') ?? '0') });
  }

  const counters = new Map<string, number[]>();
  const usedNums = new Set<string>();
  const out: NumberedParagraph[] = [];
  for (const m of documentXml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)) {
    const body = m[1];
    const pPr = /<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(body)?.[1] ?? '';
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(pPr)?.[1];
    const style = attr(/<w:pStyle\b[^>]*>/.exec(pPr)?.[0] ?? '', 'w:val');
    let numId = numPr ? attr(/<w:numId\b[^>]*>/.exec(numPr)?.[0] ?? '', 'w:val') : null;
    let ilvl = numPr ? Number(attr(/<w:ilvl\b[^>]*>/.exec(numPr)?.[0] ?? '', 'w:val') ?? '0') : 0;
    if (numId === null && style && styleNum.has(style)) ({ numId, ilvl } = styleNum.get(style)!);
    if (numId === null || numId === '0') continue;
    const num = nums.get(numId);
    const levels = num ? abstracts.get(num.abstractId) : undefined;
    const level = levels?.get(ilvl);
    if (!num || !levels || !level) continue;
    const text = unescapeXml([...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
    if (text.trim() === '') continue;
    let counts = counters.get(num.abstractId);
    if (!counts) counters.set(num.abstractId, (counts = []));
    if (!usedNums.has(numId)) {
      usedNums.add(numId);
      // (a nested list's own numbering restarts its levels, not the outer list's: pandoc gives each
      // sub-list a num that overrides every level's start, over the outer list's abstract numbering)
      for (const [lvl, start] of num.starts) if (lvl >= ilvl) counts[lvl] = start - 1;
    }
    if (level.numFmt !== 'bullet') counts[ilvl] = (counts[ilvl] ?? level.start - 1) + 1;
    counts.length = Math.max(counts.length, ilvl + 1);
    for (let l = ilvl + 1; l < counts.length; l++) counts[l] = undefined as unknown as number;
    out.push({ text, marker: renderMarker(level, counts, (i) => levels.get(i)) });
  }
  return out;
}

/**
 * The operative part of a resolution in the layouts the genre uses: addressee headings (plain,
 * numbered, roman, capitals, markdown, "Рекомендовать …:"), run-on paragraphs, numbered proposals
 * without headings and "Рекомендовать X сделать …" paragraphs. Each layout returns its blocks and the
 * gold for every recommendation, in reading order.
 */
import { headingForm, type Addressee } from './addressees.js';
import { heading, item, para, quoteStart, type DocBlock } from './blocks.js';
import type { Conference } from './conference.js';
import { capitalise, LIST_LETTERS, roman } from './forms.js';
import type { Rng } from './random.js';
import { renderRecommendation, type RecParts } from './recommendation.js';
import { evaluativeItem } from './traps.js';

export const LAYOUTS = [
  'headings',
  'headings-roman',
  'headings-numbered',
  'headings-caps',
  'headings-md',
  'recommend-headings',
  'run-on',
  'proposals',
  'framing-paragraphs',
] as const;
export type Layout = (typeof LAYOUTS)[number];

export const BULLETS = ['-', '–', '—', '•', '·', '*', '1.', '1)', 'а)', '1.1.', 'none'] as const;
export type Bullet = (typeof BULLETS)[number];

export interface OperativeStyle {
  layout: Layout;
  bullet: Bullet;
  /** Items start with a capital letter. */
  capItems: boolean;
  /** Item endings: ";" with "." on the last, "." on all, or nothing. */
  ends: 'semi' | 'dot' | 'none';
  /** Variant of the heading shape within the layout (numbering style, markdown form). */
  variant: number;
  /** Trigger line(s) before the operative part, or none. */
  trigger: string | null;
}

/** One recommendation as placed in the document, with its gold fields. */
export interface Placed {
  parts: RecParts;
  text: string;
  addressee: string | null;
  addresseeRaw: string | null;
}

export interface Operative {
  blocks: DocBlock[];
  placed: Placed[];
  /** Evaluative items inside the operative list (gold `not_recommendations`). */
  quotes: string[];
}

/** The marker of item k (0-based) in group g, as written. */
export function markerFor(bullet: Bullet, k: number, g = 0): string {
  switch (bullet) {
    case '1.':
      return `${k + 1}.`;
    case '1)':
      return `${k + 1})`;
    case 'а)':
      return `${LIST_LETTERS[k % LIST_LETTERS.length]})`;
    case '1.1.':
      return `${g + 1}.${k + 1}.`;
    case 'none':
      return '';
    default:
      return bullet;
  }
}

/** `last`: last in its group; `final`: last of the whole operative part, which ends with a full stop. */
function endOf(style: OperativeStyle, last: boolean, final: boolean): string {
  if (style.ends === 'dot' || final) return '.';
  if (style.ends === 'none' && style.bullet !== 'none') return '';
  return last ? '.' : ';';
}

/** A dative addressee inside a sentence: lower case unless a proper name; a participle clause is closed by a comma. */
function inlineDative(a: Addressee): string {
  const dat = a.proper ? a.dat : a.dat.charAt(0).toLowerCase() + a.dat.slice(1);
  return /, осуществляющим /.test(dat) ? `${dat},` : dat;
}

/**
 * Where a planted copy should go: under the addressee its original had (`same`), or under any other
 * (`avoid`, the "different addressee" edit). Keyed by the copy's parts.
 */
export type Wants = Map<RecParts, { same: string | null } | { avoid: string | null }>;

function allowed(a: Addressee, want: { same: string | null } | { avoid: string | null } | undefined): boolean {
  if (!want) return true;
  return 'same' in want ? want.same === a.nom : want.avoid !== a.nom;
}

/**
 * Puts each recommendation under one addressee, every addressee getting at least one when there are
 * enough; copies go where `wants` says if that addressee is present. Empty addressees are dropped.
 */
function assignGroups(recs: RecParts[], addressees: Addressee[], wants: Wants, rng: Rng): { a: Addressee; recs: RecParts[] }[] {
  const groups = addressees.map((a) => ({ a, recs: [] as RecParts[] }));
  const free: RecParts[] = [];
  for (const p of recs) {
    const want = wants.get(p);
    const targets = want ? groups.filter((g) => allowed(g.a, want)) : [];
    if (targets.length) rng.pick(targets).recs.push(p);
    else free.push(p);
  }
  for (const p of free) {
    const empty = groups.find((g) => g.recs.length === 0);
    (empty ?? rng.pick(groups)).recs.push(p);
  }
  const order = new Map(recs.map((p, k) => [p, k]));
  for (const g of groups) g.recs.sort((x, y) => order.get(x)! - order.get(y)!);
  return groups.filter((g) => g.recs.length > 0);
}

/** The inline addressee of a recommendation in a layout without headings, or null. */
function inlineFor(p: RecParts, addressees: Addressee[], share: number, wants: Wants, rng: Rng): Addressee | null {
  const want = wants.get(p);
  if (want && 'same' in want) return addressees.find((a) => a.nom === want.same) ?? null;
  if (want && 'avoid' in want) {
    const others = addressees.filter((a) => a.nom !== want.avoid);
    return want.avoid === null ? (others.length ? rng.pick(others) : null) : rng.chance(0.5) || !others.length ? null : rng.pick(others);
  }
  return addressees.length && rng.chance(share) ? rng.pick(addressees) : null;
}

function headingText(style: OperativeStyle, a: Addressee, g: number): { written: string; raw: string } {
  const H = headingForm(a);
  switch (style.layout) {
    case 'headings-roman':
      return { written: `${roman(g + 1)}. ${H}:`, raw: `${roman(g + 1)}. ${H}:` };
    case 'headings-numbered': {
      const h = style.variant === 1 && !a.proper ? a.dat : H;
      const written = style.variant === 0 ? `${g + 1}) ${H}:` : style.variant === 1 ? `${g + 1})${h}:` : `${g + 1}. ${H}:`;
      return { written, raw: written };
    }
    case 'headings-caps':
      return { written: a.dat.toUpperCase(), raw: a.dat.toUpperCase() };
    case 'headings-md': {
      const written = style.variant === 0 ? `**${H}:**` : style.variant === 1 ? `#### *${H}:*` : `### ${H}:`;
      return { written, raw: `${H}:` };
    }
    case 'recommend-headings': {
      const written = `Рекомендовать ${inlineDative(a).replace(/,$/, '')}:`;
      return { written, raw: written };
    }
    default:
      return { written: `${H}:`, raw: `${H}:` };
  }
}

function itemText(p: RecParts, cap: boolean): string {
  const t = renderRecommendation(p);
  return cap ? capitalise(t) : t;
}

function underHeadings(style: OperativeStyle, recs: RecParts[], addressees: Addressee[], wants: Wants, rng: Rng): Operative {
  const blocks: DocBlock[] = [];
  const placed: Placed[] = [];
  const groups = assignGroups(recs, addressees, wants, rng);
  groups.forEach(({ a, recs: mine }, g) => {
    const h = headingText(style, a, g);
    blocks.push(heading(h.written));
    mine.forEach((p, k) => {
      const text = itemText(p, style.capItems);
      const end = endOf(style, k === mine.length - 1, g === groups.length - 1 && k === mine.length - 1);
      blocks.push(item(markerFor(style.bullet, k, g), text, end, style.bullet === '•' && k === 0 && g === 0 ? '\t' : ' '));
      placed.push({ parts: p, text, addressee: a.nom, addresseeRaw: h.raw });
    });
  });
  return { blocks, placed, quotes: [] };
}

function runOn(recs: RecParts[], addressees: Addressee[], wants: Wants, rng: Rng): Operative {
  const blocks: DocBlock[] = [];
  const placed: Placed[] = [];
  for (const { a, recs: mine } of assignGroups(recs, addressees, wants, rng)) {
    const raw = `${headingForm(a)}:`;
    const texts = mine.map((p) => itemText(p, false));
    mine.forEach((p, k) => placed.push({ parts: p, text: texts[k], addressee: a.nom, addresseeRaw: raw }));
    blocks.push(para(`${raw} ${texts.join('; ')}.`));
  }
  return { blocks, placed, quotes: [] };
}

function proposals(style: OperativeStyle, recs: RecParts[], addressees: Addressee[], wants: Wants, c: Conference, rng: Rng): Operative {
  const blocks: DocBlock[] = [];
  const placed: Placed[] = [];
  const quotes: string[] = [];
  const inlineShare = rng.pick([0, 0, 0.2, 0.4]);
  // An evaluative item ("Одобрить опыт …") sometimes opens or closes the list.
  const evalAt = rng.chance(0.15) ? (rng.chance(0.5) ? 0 : recs.length) : -1;
  const lines: { text: string; rec: number | null }[] = [];
  recs.forEach((_, k) => {
    if (k === evalAt) lines.push({ text: evaluativeItem(c, rng), rec: null });
    lines.push({ text: '', rec: k });
  });
  if (evalAt === recs.length) lines.push({ text: evaluativeItem(c, rng), rec: null });
  lines.forEach((line, k) => {
    let text = line.text;
    if (line.rec !== null) {
      const p = recs[line.rec];
      const a = inlineFor(p, addressees, inlineShare, wants, rng);
      if (a) {
        const dat = inlineDative(a);
        text = `Рекомендовать ${dat} ${renderRecommendation(p)}`;
        placed.push({ parts: p, text, addressee: a.nom, addresseeRaw: dat.replace(/,$/, '') });
      } else {
        text = capitalise(renderRecommendation(p));
        placed.push({ parts: p, text, addressee: null, addresseeRaw: null });
      }
    } else {
      quotes.push(quoteStart(text));
    }
    blocks.push(item(markerFor(style.bullet, k), text, style.ends === 'semi' && k < lines.length - 1 ? ';' : '.'));
  });
  return { blocks, placed, quotes };
}

function framingParagraphs(recs: RecParts[], addressees: Addressee[], wants: Wants, c: Conference, rng: Rng): Operative {
  const blocks: DocBlock[] = [];
  const placed: Placed[] = [];
  for (const p of recs) {
    const a = inlineFor(p, addressees, 0.8, wants, rng);
    const body = renderRecommendation(p);
    let text: string;
    if (!a) text = `Рекомендовать ${body}`;
    else if (rng.chance(0.3)) text = `Участники ${c.kind.gen} рекомендуют ${inlineDative(a)} ${body}`;
    else text = `Рекомендовать ${inlineDative(a)} ${body}`;
    blocks.push(para(`${text}.`));
    placed.push({ parts: p, text, addressee: a?.nom ?? null, addresseeRaw: a ? inlineDative(a).replace(/,$/, '') : null });
  }
  return { blocks, placed, quotes: [] };
}

export function renderOperative(
  style: OperativeStyle,
  recs: RecParts[],
  addressees: Addressee[],
  wants: Wants,
  c: Conference,
  rng: Rng,
): Operative {
  const lead: DocBlock[] = style.trigger ? style.trigger.split('\n').map(heading) : [];
  let body: Operative;
  switch (style.layout) {
    case 'run-on':
      body = runOn(recs, addressees, wants, rng);
      break;
    case 'proposals':
      body = proposals(style, recs, addressees, wants, c, rng);
      break;
    case 'framing-paragraphs':
      body = framingParagraphs(recs, addressees, wants, c, rng);
      break;
    default:
      body = underHeadings(style, recs, addressees, wants, rng);
  }
  return { ...body, blocks: [...lead, ...body.blocks] };
}

/**
 * Small edits of a recommendation's text, the kinds seen when a later resolution re-uses an earlier
 * one's wording, and a splice that is not a near-duplicate. They make the labelled pairs the
 * threshold is calibrated on. The synthetic-corpus generator edits structured parts
 * (tools/synth/edits.ts); these work on plain text, so they apply to any corpus, and share the synonym
 * lists of swaps.ts with it.
 */
import { VERB_SWAPS, WORD_SWAPS } from './swaps.js';

export const EDIT_KINDS = ['word-dropped', 'synonym', 'phrase-added', 'word-order', 'two-edits'] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

type Rand = () => number;

const ADDED_PHRASES = [
  'в том числе в дистанционном формате',
  'на региональном и муниципальном уровнях',
  'с привлечением социальных партнёров',
  'в течение учебного года',
  'на системной основе',
  'с учётом лучших практик',
];

const LEADING_ADVERBS = ['ежегодно', 'систематически', 'последовательно', 'активно'];

const pick = <T>(xs: readonly T[], rand: Rand): T => xs[Math.floor(rand() * xs.length)];
const words = (text: string) => text.split(/\s+/).filter(Boolean);
const isWord = (w: string) => /\p{L}{3,}/u.test(w);
const bare = (w: string) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

function keepCase(original: string, replacement: string): string {
  return original[0] && original[0] !== original[0].toLowerCase() ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

/** One word (not the leading verb) left out. */
function dropWord(text: string, rand: Rand): string | null {
  const w = words(text);
  const at = w.map((x, i) => (i > 0 && isWord(x) ? i : -1)).filter((i) => i >= 0);
  if (w.length < 4 || at.length === 0) return null;
  const i = pick(at, rand);
  const trailing = /[,;.:]$/.exec(w[i])?.[0] ?? '';
  w.splice(i, 1);
  if (trailing && i > 0 && !/[,;.:]$/.test(w[i - 1])) w[i - 1] += trailing;
  return w.join(' ');
}

/** One word replaced by a synonym in the same form (the synthetic corpus's lists). */
function swapSynonym(text: string, rand: Rand): string | null {
  const w = words(text);
  const table: Record<string, string> = { ...WORD_SWAPS, ...VERB_SWAPS };
  const at = w.map((x, i) => (table[bare(x).toLowerCase()] ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return null;
  const i = pick(at, rand);
  const core = bare(w[i]);
  w[i] = w[i].replace(core, keepCase(core, table[core.toLowerCase()]));
  return w.join(' ');
}

/** A qualifying phrase appended, or an adverb put before the verb. */
function addPhrase(text: string, rand: Rand): string {
  const trimmed = text.replace(/[;.]+$/, '');
  if (rand() < 0.7) return `${trimmed} ${pick(ADDED_PHRASES, rand)}`;
  const w = words(trimmed);
  return [keepCase(w[0] ?? '', pick(LEADING_ADVERBS, rand)), w[0] ? w[0].toLowerCase() : '', ...w.slice(1)].filter(Boolean).join(' ');
}

/** The closing two to four words moved right after the verb: free word order, same content. */
function reorder(text: string, rand: Rand): string | null {
  const w = words(text.replace(/[;.]+$/, ''));
  if (w.length < 6) return null;
  const k = 2 + Math.floor(rand() * 3);
  const tail = w.splice(w.length - k, k);
  w.splice(1, 0, ...tail);
  return w.join(' ');
}

const SINGLE: Record<Exclude<EditKind, 'two-edits'>, (text: string, rand: Rand) => string | null> = {
  'word-dropped': dropWord,
  synonym: swapSynonym,
  'phrase-added': addPhrase,
  'word-order': reorder,
};

/** The text after an edit of this kind, or null when the text offers nothing to edit that way. */
export function editText(text: string, kind: EditKind, rand: Rand): string | null {
  if (kind !== 'two-edits') return SINGLE[kind](text, rand);
  const kinds = Object.keys(SINGLE) as (keyof typeof SINGLE)[];
  const first = pick(kinds, rand);
  const second = pick(kinds.filter((k) => k !== first), rand);
  const once = SINGLE[first](text, rand);
  return once === null ? null : SINGLE[second](once, rand);
}

/**
 * The first half of a's words followed by the second half of b's: half the content changed, so
 * not a near-duplicate of a, yet closer to it than a random recommendation. The hard negatives.
 */
export function splice(a: string, b: string): string | null {
  const wa = words(a);
  const wb = words(b);
  if (wa.length < 4 || wb.length < 4) return null;
  return [...wa.slice(0, Math.ceil(wa.length / 2)), ...wb.slice(Math.ceil(wb.length / 2))].join(' ');
}

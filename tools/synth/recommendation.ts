/**
 * One recommendation as parts (verb, lead words, objects, purpose) rather than a string, so that the
 * near-duplicate editor can swap a word, drop a phrase or reorder objects and still know the gold
 * verb and themes of the result.
 */
import { inflect, OBJECT_CASES } from './forms.js';
import { FRAMES, OBJECTS, PERFECTIVE, PREFIXES, TAILS, type Frame, type ObjectPhrase } from './phrases.js';
import type { Rng } from './random.js';
import { isTheme, type Theme, type Topic } from './themes.js';

/** A rendered phrase with the themes and topics it brings. */
export interface Chunk {
  text: string;
  themes: Theme[];
  topics: string[];
}

export interface RecParts {
  prefix: string | null;
  verb: string;
  lead: string;
  objects: Chunk[];
  tail: Chunk | null;
  /** Topics brought by the frame ("включать в программы повышения квалификации …"). */
  frameTopics: string[];
  /** The topic the recommendation was drawn for (statistics only). */
  topic: Topic;
}

/** What a recommendation's surroundings supply: its year, region and where it was presented. */
export interface RecContext {
  year: number;
  regionGen: string;
  /** "на конференции", "на форуме" … */
  at: string;
}

const inYears = (p: { from?: number; to?: number }, year: number) =>
  (p.from === undefined || year >= p.from) && (p.to === undefined || year <= p.to);

function fill(text: string, ctx: RecContext): string {
  return text
    .replace('{y}', String(ctx.year))
    .replace('{y+1}', String(ctx.year + 1))
    .replace('{region}', ctx.regionGen)
    .replace('{at}', ctx.at);
}

function objectChunk(p: ObjectPhrase, topic: Topic, c: Frame['case']): Chunk {
  const themes = new Set<Theme>(p.also ?? []);
  if (isTheme(topic)) themes.add(topic);
  return { text: inflect(p.t, c, OBJECT_CASES), themes: [...themes], topics: [topic] };
}

// Stems too common in the genre to count as repetition.
const COMMON = new Set(['образ', 'обуча', 'педаг', 'орган', 'школь', 'деяте', 'качес']);

/** Content-word stems, to keep a phrase from repeating its neighbour ("распространять опыт распространения"). */
export function stems(s: string): string[] {
  let hit = stemCache.get(s);
  if (!hit) {
    hit = (s.toLowerCase().match(/\p{L}{5,}/gu) ?? []).map((w) => w.slice(0, 5)).filter((w) => !COMMON.has(w));
    // Phrases come from fixed banks, so the cache stays small; the guard is for edited texts.
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(s, hit);
  }
  return hit;
}
const stemCache = new Map<string, string[]>();

/**
 * A purpose or means phrase. Themed ones ("с учётом особых образовательных потребностей") only join
 * recommendations on their own theme, so that a theme label always has a reason in the text.
 */
export function tailChunk(rng: Rng, ctx: RecContext, theme: Theme | null, objectText = ''): Chunk | null {
  const taken = new Set(stems(objectText));
  const usable = TAILS.filter((t) => inYears(t, ctx.year) && !stems(t.text).some((w) => taken.has(w)));
  const generic = usable.filter((t) => !t.themes);
  const themed = theme ? usable.filter((t) => t.themes?.includes(theme)) : [];
  const pool = themed.length && rng.chance(0.35) ? themed : generic;
  if (!pool.length) return null;
  const t = rng.pick(pool);
  return { text: fill(t.text, ctx), themes: t.themes ?? [], topics: t.topics ?? [] };
}

/** A phrase to open the recommendation with, fit for its verb's aspect. */
export function prefixText(rng: Rng, ctx: RecContext, verb: string): string {
  return fill(rng.pick(PREFIXES.filter((p) => !p.habitual || !PERFECTIVE.has(verb))).text, ctx);
}

const frameTexts = new WeakMap<Frame, string>();
function frameText(f: Frame): string {
  let t = frameTexts.get(f);
  if (t === undefined) frameTexts.set(f, (t = `${f.verb} ${f.lead}`));
  return t;
}

/** A fresh recommendation about `topic`; `second` (another topic) is sometimes coordinated into it. */
export function buildRecommendation(rng: Rng, topic: Topic, ctx: RecContext, second: Topic | null): RecParts {
  const objects = OBJECTS[topic].filter((p) => inYears(p, ctx.year));
  const first = rng.pick(objects);
  const objectStems = new Set(stems(first.t.replace(/\{[^}]*\}/g, '')));
  const fits = FRAMES.filter((f) => f.kinds.includes(first.kind));
  const clean = fits.filter((f) => !stems(frameText(f)).some((w) => objectStems.has(w)));
  const frame = rng.pick(clean.length ? clean : fits);
  const chunks = [objectChunk(first, topic, frame.case)];
  if (second) {
    const partners = OBJECTS[second].filter((p) => inYears(p, ctx.year) && frame.kinds.includes(p.kind) && p !== first);
    if (partners.length) chunks.push(objectChunk(rng.pick(partners), second, frame.case));
  }
  return {
    prefix: rng.chance(0.12) ? prefixText(rng, ctx, frame.verb) : null,
    verb: frame.verb,
    lead: frame.lead,
    objects: chunks,
    tail: rng.chance(0.45) ? tailChunk(rng, ctx, isTheme(topic) ? topic : null, chunks.map((c) => c.text).join(' ')) : null,
    frameTopics: frame.topics ?? [],
    topic,
  };
}

/** "A и B", or "A, а также B" when either already has an "и" inside. */
export function joinObjects(objects: Chunk[]): string {
  if (objects.length < 2) return objects[0]?.text ?? '';
  const [a, b] = objects;
  // "X, имеющих детей и Y" would read as one participle clause; "X и Y и Z" as three objects.
  const inner = / и |,/.test(a.text) || / и /.test(b.text);
  return `${a.text}${inner ? ', а также ' : ' и '}${b.text}`;
}

export function renderRecommendation(p: RecParts): string {
  return [p.prefix, p.verb, p.lead, joinObjects(p.objects), p.tail?.text].filter((s) => s).join(' ');
}

export function themesOf(p: RecParts): Theme[] {
  const s = new Set<Theme>();
  for (const c of [...p.objects, ...(p.tail ? [p.tail] : [])]) for (const t of c.themes) s.add(t);
  return [...s].sort();
}

export function topicsOf(p: RecParts): string[] {
  const s = new Set<string>();
  for (const c of [...p.objects, ...(p.tail ? [p.tail] : [])]) for (const t of c.topics) s.add(t);
  for (const t of p.frameTopics) s.add(t);
  return [...s];
}

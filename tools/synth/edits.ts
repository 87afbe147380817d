/**
 * Small edits that turn a recommendation into a planted near-duplicate: the kinds of change one sees
 * when a later resolution re-uses an earlier one's wording.
 */
import { PERFECTIVE, PREFIXES, VERB_SWAPS, WORD_SWAPS } from './phrases.js';
import type { Rng } from './random.js';
import { prefixText, tailChunk, type Chunk, type RecContext, type RecParts } from './recommendation.js';

export type EditKind = 'exact' | 'synonym' | 'phrase-added' | 'phrase-dropped' | 'word-order';

export interface Edited {
  parts: RecParts;
  kind: EditKind;
  /** Human-readable: "synonym: обучающихся → учащихся". */
  detail: string;
}

const wordRe = (w: string) => new RegExp(`(?<![\\p{L}-])${w}(?![\\p{L}-])`, 'u');

export function copyParts(p: RecParts): RecParts {
  return { ...p, objects: p.objects.map((o) => ({ ...o })), tail: p.tail ? { ...p.tail } : null };
}

function synonym(p: RecParts, rng: Rng): Edited | null {
  const options: (() => Edited)[] = [];
  const habitual = PREFIXES.some((x) => x.habitual && x.text === p.prefix);
  if (VERB_SWAPS[p.verb] && !(habitual && PERFECTIVE.has(VERB_SWAPS[p.verb]))) {
    options.push(() => {
      const q = copyParts(p);
      q.verb = VERB_SWAPS[p.verb];
      return { parts: q, kind: 'synonym', detail: `synonym: ${p.verb} → ${q.verb}` };
    });
  }
  const fields: { get: (q: RecParts) => Chunk | null }[] = [
    ...p.objects.map((_, k) => ({ get: (q: RecParts) => q.objects[k] })),
    { get: (q: RecParts) => q.tail },
  ];
  for (const f of fields) {
    const c = f.get(p);
    if (!c) continue;
    for (const [w, s] of Object.entries(WORD_SWAPS)) {
      if (!wordRe(w).test(c.text)) continue;
      options.push(() => {
        const q = copyParts(p);
        const target = f.get(q)!;
        target.text = target.text.replace(wordRe(w), s);
        return { parts: q, kind: 'synonym', detail: `synonym: ${w} → ${s}` };
      });
    }
  }
  return options.length ? rng.pick(options)() : null;
}

function added(p: RecParts, rng: Rng, ctx: RecContext): Edited | null {
  const q = copyParts(p);
  const tail = q.tail ? null : tailChunk(rng, ctx, null, q.objects.map((o) => o.text).join(' '));
  if (tail) {
    q.tail = tail;
    return { parts: q, kind: 'phrase-added', detail: `phrase-added: ${tail.text}` };
  }
  if (!q.prefix) {
    q.prefix = prefixText(rng, ctx, q.verb);
    return { parts: q, kind: 'phrase-added', detail: `phrase-added: ${q.prefix}` };
  }
  return null;
}

function dropped(p: RecParts): Edited | null {
  const q = copyParts(p);
  if (q.tail) {
    q.tail = null;
    return { parts: q, kind: 'phrase-dropped', detail: `phrase-dropped: ${p.tail!.text}` };
  }
  if (q.objects.length > 1) {
    const gone = q.objects.pop()!;
    return { parts: q, kind: 'phrase-dropped', detail: `phrase-dropped: ${gone.text}` };
  }
  if (q.prefix) {
    q.prefix = null;
    return { parts: q, kind: 'phrase-dropped', detail: `phrase-dropped: ${p.prefix}` };
  }
  return null;
}

function reordered(p: RecParts): Edited | null {
  const q = copyParts(p);
  if (q.objects.length > 1) {
    q.objects.reverse();
    return { parts: q, kind: 'word-order', detail: 'word-order: coordinated objects swapped' };
  }
  if (q.prefix && !q.prefix.includes(' ')) {
    // "ежегодно проводить …" → "проводить ежегодно …": the verb stays first.
    q.lead = [q.prefix, q.lead].filter(Boolean).join(' ');
    q.prefix = null;
    return { parts: q, kind: 'word-order', detail: `word-order: "${p.prefix}" moved after the verb` };
  }
  if (q.tail && q.lead === '' && !q.tail.text.includes(',')) {
    // "обеспечить X с привлечением партнёров" → "обеспечить с привлечением партнёров X"
    q.lead = q.tail.text;
    q.objects = [...q.objects];
    const tail = q.tail;
    q.tail = null;
    q.objects[0] = { ...q.objects[0], themes: [...new Set([...q.objects[0].themes, ...tail.themes])], topics: [...new Set([...q.objects[0].topics, ...tail.topics])] };
    return { parts: q, kind: 'word-order', detail: 'word-order: purpose phrase moved before the object' };
  }
  return null;
}

/** One small edit, or an exact copy for about one planted pair in ten. */
export function editRecommendation(p: RecParts, rng: Rng, ctx: RecContext): Edited {
  if (rng.chance(0.1)) return { parts: copyParts(p), kind: 'exact', detail: 'exact' };
  const tries = rng.shuffle([
    () => synonym(p, rng),
    () => synonym(p, rng),
    () => added(p, rng, ctx),
    () => dropped(p),
    () => reordered(p),
  ]);
  for (const t of tries) {
    const e = t();
    if (e) return e;
  }
  return { parts: copyParts(p), kind: 'exact', detail: 'exact' };
}

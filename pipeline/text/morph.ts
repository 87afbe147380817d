import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Az from 'az';

/**
 * Russian morphology through `az` (OpenCorpora dictionaries, pymorphy2-style analysis). One loaded
 * dictionary per process; parses are memoised because resolutions repeat the same words constantly.
 */
export interface WordParse {
  /** Dictionary form (lemma), lower case; infinitive for verbs, masculine nominative for participles. */
  lemma: string;
  /** OpenCorpora part of speech: NOUN, ADJF, PRTF, INFN, VERB, PREP, CONJ, ... */
  pos: string | undefined;
  /** All grammemes of this parse (case, number, gender, ...). */
  grammemes: ReadonlySet<string>;
  score: number;
  /** For participles and gerunds, the verb they come from ("отмечено" → "отметить"); else null. */
  verbLemma: string | null;
  /** Found in the dictionary (not guessed from the word's ending). */
  known: boolean;
  /** The same word in other grammemes (e.g. ['nomn']), or null when the form does not exist. */
  inflect(grammemes: string[]): string | null;
}

export interface Morph {
  /** Parses of one word, most probable first; [] for non-words. Input case is ignored. */
  parse(word: string): readonly WordParse[];
  /** The most probable lemma, or the lower-cased word when unknown. */
  lemma(word: string): string;
}

const GRAMMEME_KEYS = ['POS', 'CAse', 'NMbr', 'GNdr', 'ANim', 'ASpc', 'TRns', 'PErs', 'TEns', 'MOod', 'INvl', 'VOic'];

let loading: Promise<Morph> | undefined;

function dictsPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('az/package.json')), 'dicts');
}

function toWordParse(p: ReturnType<typeof Az.Morph>[number]): WordParse {
  const grammemes = new Set<string>();
  const tag = p.tag as unknown as Record<string, unknown>;
  for (const key of GRAMMEME_KEYS) {
    const v = tag[key];
    if (typeof v === 'string') grammemes.add(v);
  }
  // az also exposes every grammeme as a boolean property (tag.datv === true)
  for (const [k, v] of Object.entries(tag)) if (v === true) grammemes.add(k);
  // Participles keep their own dictionary form ("одарённых" → "одарённый", not "одарить"): in
  // resolutions they work as adjectives ("одарённые дети", "ограниченные возможности").
  const pos = typeof p.tag.POS === 'string' ? p.tag.POS : undefined;
  const participle = (): ReturnType<typeof p.inflect> => {
    const keep = ['PRTF', 'nomn', 'sing', 'masc'];
    for (const g of ['actv', 'pssv', 'past', 'pres']) if (grammemes.has(g)) keep.push(g);
    return p.inflect(keep);
  };
  const normal = (pos === 'PRTF' || pos === 'PRTS' ? participle() : null) || p.normalize();
  return {
    lemma: String(normal ?? p).toLowerCase().replace(/ё/g, 'е'),
    pos,
    grammemes,
    score: p.score ?? 0,
    known: p.parser === 'Dictionary',
    verbLemma: pos === 'PRTF' || pos === 'PRTS' || pos === 'GRND' ? String(p.normalize()).toLowerCase().replace(/ё/g, 'е') : null,
    inflect(wanted: string[]) {
      const r = p.inflect(wanted);
      return r ? String(r) : null;
    },
  };
}

function createMorph(): Morph {
  const cache = new Map<string, readonly WordParse[]>();
  // The same parses by the word as written: lower-casing a Cyrillic word makes a new string on every
  // call (≈ 7 % of the segmenter's time went to this function), and words recur with their case.
  const asWritten = new Map<string, readonly WordParse[]>();
  const parse = (word: string): readonly WordParse[] => {
    const seen = asWritten.get(word);
    if (seen) return seen;
    const key = word.toLowerCase();
    let hit = cache.get(key);
    if (!hit) {
      hit = /[а-яё]/i.test(key) ? Az.Morph(key).map(toWordParse) : [];
      if (cache.size > 200_000) cache.clear();
      cache.set(key, hit);
    }
    if (asWritten.size > 200_000) asWritten.clear();
    asWritten.set(word, hit);
    return hit;
  };
  return {
    parse,
    lemma: (word) => parse(word)[0]?.lemma ?? word.toLowerCase().replace(/ё/g, 'е'),
  };
}

/** Loads the dictionaries once per process (about 0.3 s). */
export function loadMorph(): Promise<Morph> {
  loading ??= new Promise<Morph>((resolve, reject) => {
    Az.Morph.init(dictsPath(), (err?: unknown) => (err ? reject(err) : resolve(createMorph())));
  });
  return loading;
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../pipeline/math/prng.js';
import { normaliseText } from '../pipeline/text/normalise.js';

/** Sentence-like fragments of the sample resolutions: list items and sentences of 6–60 words. */
export function sampleFragments(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()) {
    const text = normaliseText(readFileSync(join(dir, f), 'utf8'));
    for (const line of text.split('\n')) {
      for (const part of line.replace(/^[-•\d.)\s]+/, '').split(/(?<=[.;!?])\s+/)) {
        const clean = part.replace(/[;.]+$/, '').trim();
        const n = clean.split(/\s+/).length;
        if (n >= 6 && n <= 60) out.push(clean);
      }
    }
  }
  return [...new Set(out)];
}

/**
 * `n` distinct recommendation-length texts from the sample fragments with controlled, seeded
 * variation: word substitutions from the corpus vocabulary, dropped words, spliced clauses, an
 * occasional typo and a varying tail. Same arguments → same texts.
 */
export function generateTexts(fragments: readonly string[], n: number, seed = 1): string[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const vocab = [...new Set(fragments.flatMap((f) => f.split(/\s+/)).filter((w) => /^[а-яё-]{4,}$/i.test(w)))].sort();
  const tails = ['в 2025 году', 'на региональном уровне', 'в муниципальных образованиях', 'с участием родителей', 'для педагогов и специалистов', 'в рамках сетевого взаимодействия'];
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    let words = pick(fragments).split(/\s+/);
    if (rand() < 0.3) words = words.concat(pick(fragments).split(/\s+/).slice(0, 4 + Math.floor(rand() * 8)));
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const i = Math.floor(rand() * words.length);
      const r = rand();
      if (r < 0.5) words[i] = pick(vocab);
      else if (r < 0.7 && words.length > 8) words.splice(i, 1);
      else if (r < 0.85 && words[i].length > 4) {
        const w = Array.from(words[i]);
        const j = 1 + Math.floor(rand() * (w.length - 2));
        [w[j], w[j + 1]] = [w[j + 1], w[j]];
        words[i] = w.join('');
      } else words.splice(i, 0, pick(vocab));
    }
    if (rand() < 0.4) words.push(pick(tails));
    const text = words.join(' ');
    if (!seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  }
  return out;
}

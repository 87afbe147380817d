import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../pipeline/math/prng.js';
import { expandTextPairs, MATCH, type RecIndex, type TextPairList } from '../../pipeline/similar/expand.js';

/**
 * The definition, pair by pair: two kept recommendations (copy ≤ cap) are a pair when their texts
 * are a text pair (its similarity and match) or the same text (identical, 1); a surplus copy is
 * paired with its document's first copy only; at least one member must be new.
 */
function bruteForce(r: RecIndex, tps: TextPairList[], cap: number): string[] {
  const textPair = new Map<string, [number, number]>();
  for (const tp of tps) for (let p = 0; p < tp.length; p++) textPair.set(`${tp.i[p]}-${tp.j[p]}`, [tp.similarity[p], tp.match]);
  const out: string[] = [];
  const row = (a: number, b: number, s: number, m: number) => `${a} ${b} ${s} ${r.doc[a] === r.doc[b]} ${MATCH[m]}`;
  for (let a = 0; a < r.n; a++) {
    for (let b = a + 1; b < r.n; b++) {
      if (!r.isNew[a] && !r.isNew[b]) continue;
      const keptA = r.copy[a] <= cap;
      const keptB = r.copy[b] <= cap;
      if (keptA && keptB) {
        if (r.text[a] === r.text[b]) out.push(row(a, b, 1, 0));
        else if (r.idx[a] >= 0 && r.idx[b] >= 0) {
          const [i, j] = r.idx[a] < r.idx[b] ? [r.idx[a], r.idx[b]] : [r.idx[b], r.idx[a]];
          const tp = textPair.get(`${i}-${j}`);
          if (tp) out.push(row(a, b, tp[0], tp[1]));
        }
      } else if (r.text[a] === r.text[b] && r.doc[a] === r.doc[b] && (r.copy[a] === 1 || r.copy[b] === 1)) {
        out.push(row(a, b, 1, 0));
      }
    }
  }
  return out.sort();
}

function randomCase(seed: number) {
  const rand = mulberry32(seed);
  const texts = 30;
  const n = 150;
  // Texts 0..24 have vectors (idx = text), 25..29 none.
  const doc = new Int32Array(n);
  const text = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    doc[k] = Math.floor(rand() * 12);
    text[k] = rand() < 0.15 ? 7 : Math.floor(rand() * texts);
  }
  const copy = new Int32Array(n);
  const seen = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const key = `${doc[k]}:${text[k]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    copy[k] = seen.get(key)!;
  }
  const idx = text.map((t) => (t < 25 ? t : -1));
  const isNew = Uint8Array.from({ length: n }, () => (seed % 2 === 0 || rand() < 0.2 ? 1 : 0));
  const tps: TextPairList[] = [1, 2].map((match) => {
    const i: number[] = [];
    const j: number[] = [];
    const s: number[] = [];
    for (let a = 0; a < 25; a++) for (let b = a + 1; b < 25; b++) if ((a + b + match) % 3 === 0 && rand() < 0.3) (i.push(a), j.push(b), s.push(Math.fround(0.5 + rand() / 2)));
    return { i, j, similarity: s, length: i.length, match };
  });
  return { recs: { n, doc, text, idx, copy, isNew }, tps };
}

describe('text pairs → recommendation pairs', () => {
  it('gives exactly the pairs of the definition, each once as (smaller k, larger k)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { recs, tps } = randomCase(seed);
      for (const cap of [1, 2, 50]) {
        const r = expandTextPairs(recs, tps, cap);
        const got = Array.from({ length: r.length }, (_, k) => {
          expect(r.a[k]).toBeLessThan(r.b[k]);
          return `${r.a[k]} ${r.b[k]} ${r.similarity[k]} ${r.same[k] === 1} ${MATCH[r.match[k]]}`;
        }).sort();
        const want = bruteForce(recs, tps, cap);
        expect(want.length).toBeGreaterThan(20);
        expect(got).toEqual(want);
      }
    }
  });
});

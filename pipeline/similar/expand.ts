/**
 * Text pairs → recommendation pairs (pure). Pairs are found between distinct texts (identical texts
 * share a vector); each becomes a pair of every two recommendations carrying those texts, and two
 * recommendations with the same text are a pair of their own ('identical', similarity 1). A
 * proposal repeated within one document past the copy cap (config.nearDuplicates
 * .maxCopiesPerDocument) is linked to its document's first copy only, so one file repeating a line
 * cannot make its pairs grow with the square of its length.
 *
 * Recommendations are numbered k = 0..n-1 in rec_id order, so (smaller k, larger k) is
 * (rec_a, rec_b) and the result feeds the star groups (groups/groups.ts) without another read.
 * Until issue 16 this was one SQL statement joining half a million text pairs to recommendations
 * by text hash (5.4 s of a contended 10k run).
 */

export const MATCH = ['identical', 'similar', 'contained'] as const;
export const IDENTICAL = 0;

/** The current recommendations, k in rec_id order. */
export interface RecIndex {
  n: number;
  /** Dense document code. */
  doc: Int32Array;
  /** Dense text code (equal codes = equal text_hash). */
  text: Int32Array;
  /** The text's vector idx, or -1 (no vector: only identical pairs). */
  idx: Int32Array;
  /** 1 = the first recommendation of its text in its document (by rec_id), 2 the second, … */
  copy: Int32Array;
  /** Pairs are kept only when at least one member is new (an incremental run); all 1 in a full run. */
  isNew: Uint8Array;
}

export interface TextPairList {
  i: ArrayLike<number>;
  j: ArrayLike<number>;
  similarity: ArrayLike<number>;
  length: number;
  /** Index into MATCH. */
  match: number;
}

export interface RecPairs {
  a: Int32Array;
  b: Int32Array;
  /**
   * Float32: every similarity here is a float32 value (pairs/cosine.ts computes in float32; identical
   * pairs are 1), so the DOUBLE column gets the same numbers from half the bytes (33 million pairs at
   * 100k: 133 MB less).
   */
  similarity: Float32Array;
  same: Uint8Array;
  match: Uint8Array;
  length: number;
}

/** The result arrays, of the exact size counted beforehand (countPairs): no growing, no final copy. */
class Out {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly s: Float32Array;
  readonly same: Uint8Array;
  readonly m: Uint8Array;
  length = 0;

  constructor(n: number) {
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.s = new Float32Array(n);
    this.same = new Uint8Array(n);
    this.m = new Uint8Array(n);
  }

  push(x: number, y: number, s: number, same: boolean, m: number): void {
    const k = this.length++;
    this.a[k] = x < y ? x : y;
    this.b[k] = x < y ? y : x;
    this.s[k] = s;
    this.same[k] = same ? 1 : 0;
    this.m[k] = m;
  }
}

/** Members of each group (compressed rows): members of g are at[start[g] .. start[g + 1]), ascending; `old[g]`: how many are not new. */
function bucket(codes: Int32Array, keep: (k: number) => boolean, isNew: Uint8Array, groups: number): { start: Int32Array; at: Int32Array; old: Int32Array } {
  const start = new Int32Array(groups + 1);
  const old = new Int32Array(groups);
  for (let k = 0; k < codes.length; k++) {
    if (codes[k] >= 0 && keep(k)) {
      start[codes[k] + 1]++;
      if (!isNew[k]) old[codes[k]]++;
    }
  }
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, groups);
  const at = new Int32Array(start[groups]);
  for (let k = 0; k < codes.length; k++) if (codes[k] >= 0 && keep(k)) at[fill[codes[k]]++] = k;
  return { start, at, old };
}

export function expandTextPairs(recs: RecIndex, textPairs: readonly TextPairList[], maxCopies: number): RecPairs {
  const { n, doc, text, idx, copy, isNew } = recs;
  const kept = (k: number) => copy[k] <= maxCopies;
  let maxIdx = -1;
  let maxText = -1;
  for (let k = 0; k < n; k++) {
    if (idx[k] > maxIdx) maxIdx = idx[k];
    if (text[k] > maxText) maxText = text[k];
  }
  const byIdx = bucket(idx, kept, isNew, maxIdx + 1);
  const byText = bucket(text, kept, isNew, maxText + 1);
  const first = new Map<number, number>();
  const key = (k: number) => doc[k] * (maxText + 1) + text[k];
  for (let k = 0; k < n; k++) if (copy[k] === 1) first.set(key(k), k);

  // The pairs counted first, by arithmetic: of |A|·|B| member pairs those of two old members are left
  // out (likewise the c(c − 1)/2 pairs within a text), so the arrays are allocated once, exactly.
  let count = 0;
  // (A text idx no recommendation carries — outside the buckets — has no members.)
  const size = (g: number, b: { start: Int32Array; old: Int32Array }) => (g >= 0 && g < b.old.length ? b.start[g + 1] - b.start[g] : 0);
  const old = (g: number, b: { old: Int32Array }) => (g >= 0 && g < b.old.length ? b.old[g] : 0);
  for (const tp of textPairs) {
    for (let p = 0; p < tp.length; p++) {
      const i = tp.i[p];
      const j = tp.j[p];
      count += size(i, byIdx) * size(j, byIdx) - old(i, byIdx) * old(j, byIdx);
    }
  }
  for (let t = 0; t <= maxText; t++) {
    const c = size(t, byText);
    const o = byText.old[t];
    count += (c * (c - 1)) / 2 - (o * (o - 1)) / 2;
  }
  for (let k = 0; k < n; k++) {
    if (copy[k] <= maxCopies) continue;
    const f = first.get(key(k));
    if (f !== undefined && (isNew[k] || isNew[f])) count++;
  }
  const out = new Out(count);

  // Text pairs: every kept recommendation of one text with every kept one of the other.
  for (const tp of textPairs) {
    for (let p = 0; p < tp.length; p++) {
      const i = tp.i[p];
      const j = tp.j[p];
      const s = tp.similarity[p];
      for (let x = byIdx.start[i]; x < byIdx.start[i + 1]; x++) {
        const ra = byIdx.at[x];
        for (let y = byIdx.start[j]; y < byIdx.start[j + 1]; y++) {
          const rb = byIdx.at[y];
          if (isNew[ra] || isNew[rb]) out.push(ra, rb, s, doc[ra] === doc[rb], tp.match);
        }
      }
    }
  }
  // Identical proposals: every two kept recommendations of one text.
  for (let t = 0; t <= maxText; t++) {
    for (let x = byText.start[t]; x < byText.start[t + 1]; x++) {
      const a = byText.at[x];
      for (let y = x + 1; y < byText.start[t + 1]; y++) {
        const b = byText.at[y];
        if (isNew[a] || isNew[b]) out.push(a, b, 1, doc[a] === doc[b], IDENTICAL);
      }
    }
  }
  // Surplus copies: each linked to its document's first copy of the text.
  for (let k = 0; k < n; k++) {
    if (copy[k] <= maxCopies) continue;
    const f = first.get(key(k));
    if (f !== undefined && (isNew[k] || isNew[f])) out.push(f, k, 1, true, IDENTICAL);
  }
  if (out.length !== count) throw new Error(`expandTextPairs: counted ${count} pair(s), made ${out.length}`);
  return { a: out.a, b: out.b, similarity: out.s, same: out.same, match: out.m, length: count };
}

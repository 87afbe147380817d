import type { Adjacency } from './incremental.js';

/**
 * Stored pairs (a[k], b[k], similarity s[k]) on codes 0 … n − 1, indexed by both ends: the pair rows
 * of each code, laid end to end (compressed sparse rows). What the incremental cover's asks read in
 * memory once a cascade has asked the stored pairs too often to scan them each time (regroup.ts).
 */
export class PairIndex {
  /** Pair rows of code x: rows[start[x]] … rows[start[x + 1] − 1], in row order. */
  private readonly start: Int32Array;
  private readonly rows: Int32Array;

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
    private readonly s: Float64Array,
    readonly n: number,
  ) {
    const m = a.length;
    if (b.length !== m || s.length !== m) throw new Error(`PairIndex: columns of different lengths (${m}, ${b.length}, ${s.length})`);
    const start = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) {
      if (!(a[k] >= 0 && a[k] < n && b[k] >= 0 && b[k] < n)) throw new Error(`PairIndex: pair ${k} (${a[k]}, ${b[k]}) outside codes 0…${n - 1}`);
      start[a[k] + 1]++;
      start[b[k] + 1]++;
    }
    for (let x = 0; x < n; x++) start[x + 1] += start[x];
    const fill = start.slice(0, n);
    const rows = new Int32Array(2 * m);
    for (let k = 0; k < m; k++) {
      rows[fill[a[k]]++] = k;
      rows[fill[b[k]]++] = k;
    }
    this.start = start;
    this.rows = rows;
  }

  /** Every pair of each id, as (other end, similarity) ascending by the other end; ids without pairs are left out. */
  adjacency(ids: Iterable<number>): Map<number, Adjacency> {
    return this.lists(ids, null);
  }

  /** The pairs with both ends among `among`, listed from both ends (ascending by the other end). */
  links(among: Iterable<number>): Map<number, Adjacency> {
    const within = new Set(among);
    return this.lists(within, within);
  }

  private lists(ids: Iterable<number>, within: ReadonlySet<number> | null): Map<number, Adjacency> {
    const out = new Map<number, Adjacency>();
    const m = this.a.length;
    for (const id of ids) {
      if (out.has(id) || !(id >= 0 && id < this.n)) continue;
      const from = this.start[id];
      const to = this.start[id + 1];
      // Sort keys other·m + row: ascending by the other end, ties (a pair stored twice) by row.
      const keys: number[] = [];
      for (let j = from; j < to; j++) {
        const r = this.rows[j];
        const other = this.a[r] === id ? this.b[r] : this.a[r];
        if (within === null || within.has(other)) keys.push(other * m + r);
      }
      if (keys.length === 0) continue;
      const sorted = Float64Array.from(keys).sort();
      const others = new Int32Array(sorted.length);
      const sims = new Float64Array(sorted.length);
      for (let j = 0; j < sorted.length; j++) {
        const r = sorted[j] % m;
        others[j] = (sorted[j] - r) / m;
        sims[j] = this.s[r];
      }
      out.set(id, { ids: others, sims });
    }
    return out;
  }
}

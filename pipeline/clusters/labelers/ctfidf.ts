/**
 * Class-based TF-IDF (as BERTopic labels topics), over lemmas: a term weighs by its frequency in the
 * cluster times log(1 + A / f), where A is the average number of words per cluster and f the term's
 * frequency over all clusters. Words common everywhere ("обеспечить", "работа") sink; words that
 * set a cluster apart rise. Pure.
 */
export function classTfIdf(docsByClass: ReadonlyMap<number, readonly string[][]>, top = 8): Map<number, { term: string; weight: number }[]> {
  const tf = new Map<number, Map<string, number>>();
  const total = new Map<string, number>();
  let words = 0;
  for (const [c, docs] of docsByClass) {
    const counts = new Map<string, number>();
    for (const doc of docs) {
      for (const t of doc) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        total.set(t, (total.get(t) ?? 0) + 1);
        words++;
      }
    }
    tf.set(c, counts);
  }
  const avg = words / Math.max(1, docsByClass.size);
  const out = new Map<number, { term: string; weight: number }[]>();
  for (const [c, counts] of tf) {
    const size = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
    const scored = [...counts].map(([term, n]) => ({ term, weight: (n / size) * Math.log(1 + avg / (total.get(term) ?? 1)) }));
    // Ties broken alphabetically so labels are stable.
    scored.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    out.set(c, scored.slice(0, top));
  }
  return out;
}

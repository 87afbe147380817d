/**
 * Per-cluster statistics of an assignment, pure: what the clusters table says about each cluster
 * (size, documents, conferences, years, medoid). They were a GROUP BY over a scratch table joined
 * with the documents (0.5–0.9 s on the 10,000-resolution corpus, plus 1.6 s for a window query that
 * sampled the labeler's texts); the assignment is in JS already, so they are counted here.
 */

/** The members of an assignment, one entry per recommendation (parallel arrays of numbers). */
export interface Members {
  /** Each member's rank in rec_id order: a tie of the medoid goes to the smaller. */
  recRank: Int32Array;
  /** Each member's document: an index into the documents' facts. */
  doc: Int32Array;
  /** Cluster index of each recommendation. */
  cluster: Int32Array;
  /** Cosine to the cluster's centroid. */
  similarity: Float32Array;
}

/** What is known of a document: the conference it belongs to (its title, else its id) and its year. */
export interface DocumentFacts {
  conference: string;
  year: number | null;
}

export interface ClusterStatistics {
  c: number;
  size: number;
  n_documents: number;
  n_conferences: number;
  first_year: number | null;
  last_year: number | null;
  /** The member (index) nearest its centroid; ties to the smaller rec_id. */
  medoid: number;
}

/**
 * Statistics of every cluster with at least `minSize` members, largest first, then by medoid's rec_id
 * (the order cluster ids are given in, so ids stay stable between runs). `documents[d]` are the facts
 * of document d.
 */
export function clusterStatistics(members: Members, documents: readonly DocumentFacts[], minSize: number): ClusterStatistics[] {
  interface Acc {
    size: number;
    docs: Set<number>;
    conferences: Set<string>;
    first: number | null;
    last: number | null;
    medoid: number;
  }
  const acc = new Map<number, Acc>();
  const { recRank, similarity } = members;
  for (let i = 0; i < members.cluster.length; i++) {
    const c = members.cluster[i];
    let a = acc.get(c);
    if (!a) acc.set(c, (a = { size: 0, docs: new Set(), conferences: new Set(), first: null, last: null, medoid: i }));
    a.size++;
    const doc = members.doc[i];
    a.docs.add(doc);
    const facts = documents[doc];
    a.conferences.add(facts.conference);
    const year = facts.year;
    if (year !== null) {
      if (a.first === null || year < a.first) a.first = year;
      if (a.last === null || year > a.last) a.last = year;
    }
    const best = a.medoid;
    if (similarity[i] > similarity[best] || (similarity[i] === similarity[best] && recRank[i] < recRank[best])) a.medoid = i;
  }
  const out: ClusterStatistics[] = [];
  for (const [c, a] of acc) {
    if (a.size < minSize) continue;
    out.push({ c, size: a.size, n_documents: a.docs.size, n_conferences: a.conferences.size, first_year: a.first, last_year: a.last, medoid: a.medoid });
  }
  return out.sort((x, y) => y.size - x.size || recRank[x.medoid] - recRank[y.medoid]);
}

/**
 * The labeler's sample: for each cluster, its first `perCluster` members (indices) in the given order
 * (the stage passes members in md5(rec_id) order: a deterministic spread over documents).
 */
export function sampleMembers(cluster: Int32Array, perCluster: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < cluster.length; i++) {
    const c = cluster[i];
    let list = out.get(c);
    if (!list) out.set(c, (list = []));
    if (list.length < perCluster) list.push(i);
  }
  return out;
}

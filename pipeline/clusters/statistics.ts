/**
 * Per-cluster statistics of an assignment, pure: what the clusters table says about each cluster
 * (size, documents, conferences, years, medoid). They were a GROUP BY over a scratch table joined
 * with the documents (0.5–0.9 s on the 10,000-resolution corpus, plus 1.6 s for a window query that
 * sampled the labeler's texts); the assignment is in JS already, so they are counted here.
 */

/** The members of an assignment, one entry per recommendation (parallel arrays). */
export interface Members {
  recId: readonly string[];
  docId: readonly string[];
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
  /** The member nearest its centroid; ties to the smaller rec_id. */
  medoid: string;
}

/**
 * Statistics of every cluster with at least `minSize` members, largest first, then by medoid (the
 * order cluster ids are given in, so ids stay stable between runs).
 */
export function clusterStatistics(members: Members, documents: ReadonlyMap<string, DocumentFacts>, minSize: number): ClusterStatistics[] {
  interface Acc {
    size: number;
    docs: Set<string>;
    conferences: Set<string>;
    first: number | null;
    last: number | null;
    medoid: number;
  }
  const acc = new Map<number, Acc>();
  for (let i = 0; i < members.recId.length; i++) {
    const c = members.cluster[i];
    let a = acc.get(c);
    if (!a) acc.set(c, (a = { size: 0, docs: new Set(), conferences: new Set(), first: null, last: null, medoid: i }));
    a.size++;
    const doc = members.docId[i];
    a.docs.add(doc);
    const facts = documents.get(doc);
    a.conferences.add(facts?.conference ?? doc);
    const year = facts?.year ?? null;
    if (year !== null) {
      if (a.first === null || year < a.first) a.first = year;
      if (a.last === null || year > a.last) a.last = year;
    }
    const best = a.medoid;
    if (members.similarity[i] > members.similarity[best] || (members.similarity[i] === members.similarity[best] && members.recId[i] < members.recId[best])) a.medoid = i;
  }
  const out: ClusterStatistics[] = [];
  for (const [c, a] of acc) {
    if (a.size < minSize) continue;
    out.push({ c, size: a.size, n_documents: a.docs.size, n_conferences: a.conferences.size, first_year: a.first, last_year: a.last, medoid: members.recId[a.medoid] });
  }
  return out.sort((x, y) => y.size - x.size || (x.medoid < y.medoid ? -1 : x.medoid > y.medoid ? 1 : 0));
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

/** Per-cluster statistics and the labeler's sample (clusters/statistics.ts), against their definitions. */
import { describe, expect, it } from 'vitest';
import { clusterStatistics, sampleMembers } from '../../pipeline/clusters/statistics.js';

describe('cluster statistics', () => {
  // Documents d1 … d4 as codes 0 … 3.
  const documents = [
    { conference: 'Форум 2021', year: 2021 },
    { conference: 'Форум 2021', year: 2021 }, // a second document of the same conference
    { conference: 'Совещание', year: 2023 },
    { conference: 'd4', year: null }, // no title, no year
  ];
  // rec_ids r5, r2, r9, r1, r3, r7, r8 as their ranks in rec_id order.
  const recIds = ['r5', 'r2', 'r9', 'r1', 'r3', 'r7', 'r8'];
  const sorted = [...recIds].sort();
  const members = {
    recRank: Int32Array.from(recIds, (r) => sorted.indexOf(r)),
    doc: Int32Array.from([0, 1, 2, 3, 0, 2, 3]),
    cluster: Int32Array.from([0, 0, 0, 1, 1, 1, 2]),
    similarity: Float32Array.from([0.9, 0.95, 0.95, 0.5, 0.7, 0.6, 0.99]),
  };

  it('counts size, documents, conferences and years, and picks the medoid (ties to the smaller rec_id)', () => {
    const stats = clusterStatistics(members, documents, 2).map((s) => ({ ...s, medoid: recIds[s.medoid] }));
    expect(stats).toEqual([
      // Same size: ordered by medoid.
      { c: 0, size: 3, n_documents: 3, n_conferences: 2, first_year: 2021, last_year: 2023, medoid: 'r2' },
      { c: 1, size: 3, n_documents: 3, n_conferences: 3, first_year: 2021, last_year: 2023, medoid: 'r3' },
    ]);
  });

  it('dissolves clusters below the minimum size and orders the rest by size', () => {
    const stats = clusterStatistics({ ...members, cluster: Int32Array.from([0, 0, 0, 0, 1, 1, 2]) }, documents, 1);
    expect(stats.map((s) => [s.c, s.size])).toEqual([[0, 4], [1, 2], [2, 1]]);
    expect(clusterStatistics(members, documents, 4)).toEqual([]);
    // A cluster of documents without a year has no year span.
    expect(clusterStatistics(members, documents, 1).find((s) => s.c === 2)).toMatchObject({ first_year: null, last_year: null, n_conferences: 1 });
  });

  it('samples the first members of each cluster in the given order', () => {
    const sample = sampleMembers(Int32Array.from([1, 0, 0, 1, 0, 2, 1, 1]), 2);
    expect([...sample]).toEqual([[1, [0, 3]], [0, [1, 2]], [2, [5]]]);
  });
});

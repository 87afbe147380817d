/** The map's projection: deterministic for a seed, faithful to clear structure, placement inside the picture. */
import { describe, expect, it } from 'vitest';
import { mulberry32, normalish } from '../../pipeline/math/prng.js';
import { buildSampleModel, MAP_PARAMS, partitionLabels, partitionMembers, placePoints, sampleRows } from '../../pipeline/map/layout.js';
import { sampleModelKey } from '../../pipeline/map/model.js';
import { covariance, normaliseLayout, placeAmong, umapLayout } from '../../pipeline/map/project.js';

/** n unit vectors in `dim` dimensions around `k` random centres (tight clusters). */
function blobs(n: number, dim: number, k: number, seed: number): { data: Float32Array; label: Int32Array } {
  const rand = mulberry32(seed);
  const gauss = normalish(rand);
  const centres = Array.from({ length: k }, () => Float32Array.from({ length: dim }, () => gauss()));
  const data = new Float32Array(n * dim);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    label[i] = c;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = centres[c][d] + 0.15 * gauss();
      data[i * dim + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < dim; d++) data[i * dim + d] /= Math.sqrt(norm);
  }
  return { data, label };
}

/** Share of points whose nearest other point in 2D has the same label. */
function purity(xy: Float32Array, label: Int32Array): number {
  const n = label.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d = (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (label[best] === label[i]) same++;
  }
  return same / n;
}

describe('map layout', () => {
  const { data, label } = blobs(600, 32, 4, 11);
  const p = { ...MAP_PARAMS, sample: 300, nEpochs: 80, pcaComponents: 16 };
  const keys = Array.from({ length: 600 }, (_, i) => `k${String((i * 7919) % 600).padStart(4, '0')}`);

  it('is the same for the same seed and input, different for another seed', () => {
    const rows = sampleRows(keys, p.sample);
    const a = buildSampleModel(data, 32, rows, p).layout;
    const b = buildSampleModel(data, 32, rows, p).layout;
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = buildSampleModel(data, 32, rows, { ...p, seed: 7 }).layout;
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('keeps clusters apart, for the sample and for the points placed among it', () => {
    const rows = sampleRows(keys, p.sample);
    const model = buildSampleModel(data, 32, rows, p);
    const inSample = new Set(rows);
    const rest = keys.map((_, i) => i).filter((i) => !inSample.has(i));
    const placed = placePoints(model, data, 32, rest, p);
    const xy = new Float32Array(600 * 2);
    rows.forEach((r, i) => xy.set(model.layout.subarray(2 * i, 2 * i + 2), 2 * r));
    rest.forEach((r, i) => xy.set(placed.subarray(2 * i, 2 * i + 2), 2 * r));
    expect(purity(xy, label)).toBeGreaterThan(0.95);
    // Placed points stay inside the picture ([-1, 1] after normalisation, with a little slack).
    for (const v of placed) expect(Math.abs(v)).toBeLessThanOrEqual(1.001);
  });

  it('puts a point that coincides with a sampled one on it', () => {
    const sample = Float32Array.from([0, 0, 1, 1, 5, 5]);
    const layout = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.9, 0.9]);
    expect(placeAmong(Float32Array.from([1, 1]), 0, sample, [0, 1, 2], 2, layout, 3)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('partitions as labels and back give the same members (what map_models stores)', () => {
    const model = buildSampleModel(data, 32, sampleRows(keys, p.sample), p);
    const labels = partitionLabels(model.members, p.sample);
    expect(partitionMembers(labels, model.members.length)).toEqual(model.members);
    expect(model.members.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: p.sample }, (_, i) => i));
  });

  it('keys a stored sample model by version, parameters, space, dimension and sampled texts', () => {
    const hashes = ['a1', 'b2', 'c3'];
    const key = sampleModelKey('map-2', p, 'lexical-v1:x', 32, hashes);
    expect(sampleModelKey('map-2', { ...p }, 'lexical-v1:x', 32, [...hashes])).toBe(key);
    // The parameters' order does not matter, their values do.
    const reordered = Object.fromEntries(Object.entries(p).reverse()) as typeof p;
    expect(sampleModelKey('map-2', reordered, 'lexical-v1:x', 32, hashes)).toBe(key);
    for (const other of [
      sampleModelKey('map-3', p, 'lexical-v1:x', 32, hashes),
      sampleModelKey('map-2', { ...p, pcaComponents: 8 }, 'lexical-v1:x', 32, hashes),
      sampleModelKey('map-2', { ...p, seed: 1 }, 'lexical-v1:x', 32, hashes),
      sampleModelKey('map-2', p, 'lexical-v1:y', 32, hashes),
      sampleModelKey('map-2', p, 'lexical-v1:x', 16, hashes),
      sampleModelKey('map-2', p, 'lexical-v1:x', 32, ['a1', 'b2']),
      sampleModelKey('map-2', p, 'lexical-v1:x', 32, ['a1', 'b2', 'c4']),
    ]) expect(other).not.toBe(key);
  });

  it('sums the covariance four rows at a time to exactly the row-by-row sums', () => {
    // Zero and negative-zero coordinates, a dimension that is zero throughout, and a row count that is not a multiple of four.
    const dim = 24;
    const rand = mulberry32(5);
    const x = Float32Array.from({ length: 103 * dim }, (_, k) => (k % dim === 3 ? 0 : k % 7 === 0 ? (k % 2 ? -0 : 0) : rand() * 2 - 1));
    for (const rows of [Array.from({ length: 103 }, (_, i) => i), [5, 2, 99, 7, 7, 40, 1], [3]]) {
      const mean = new Float64Array(dim);
      for (const r of rows) for (let d = 0; d < dim; d++) mean[d] += x[r * dim + d];
      for (let d = 0; d < dim; d++) mean[d] /= rows.length;
      // The definition: row after row, each product added to its entry.
      const expected = new Float64Array(dim * dim);
      for (const r of rows) {
        for (let a = 0; a < dim; a++) {
          const ca = x[r * dim + a] - mean[a];
          if (ca === 0) continue;
          for (let b = a; b < dim; b++) expected[a * dim + b] += ca * (x[r * dim + b] - mean[b]);
        }
      }
      const got = covariance(x, dim, rows, mean);
      expect(Array.from(got).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(expected).map((v) => Object.is(v, -0) ? '-0' : v));
    }
  });

  it('handles tiny inputs: nothing, one or two points', () => {
    expect(umapLayout(new Float32Array(0), 0, 2, { seed: 1, nNeighbors: 15, minDist: 0.1, nEpochs: 10 })).toHaveLength(0);
    expect(Array.from(normaliseLayout(umapLayout(Float32Array.from([1, 0, 0, 1]), 2, 2, { seed: 1, nNeighbors: 15, minDist: 0.1, nEpochs: 10 })))).toEqual([-1, 0, 1, 0]);
  });
});

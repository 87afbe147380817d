import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import run from '../../pipeline/similar/pairs/worker.js';
import { allocateSignatures, lshParams, simhash } from '../../pipeline/similar/pairs/lsh.js';
import { sumsOfSquares } from '../../pipeline/similar/pairs/cosine.js';
import { runBandPairsTask } from '../../pipeline/similar/pairs/parallel.js';
import { mulberry32 } from '../../pipeline/math/prng.js';

/** Every module a source file loads at run time (type-only imports left out), transitively. */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1];
      visit(spec.startsWith('.') ? resolve(dirname(file), spec.replace(/\.js$/, '.ts')) : spec);
    }
  };
  visit(entry);
  return seen;
}

describe('the pair workers’ entry (similar/pairs/worker.ts)', () => {
  it('loads neither DuckDB nor ingest, segment or morphology modules', () => {
    const graph = [...runtimeGraph(resolve('pipeline/similar/pairs/worker.ts'))];
    expect(graph.some((f) => f.endsWith('parallel.ts'))).toBe(true);
    expect(graph.filter((f) => !f.startsWith('/'))).toEqual([]);
    expect(graph.filter((f) => /\/(ingest|segment|text|store)\//.test(f))).toEqual([]);
  });

  it('runs both kinds of task as the functions it wraps', () => {
    const rand = mulberry32(5);
    const n = 200;
    const dim = 16;
    const data = new Float32Array(n * dim).map((_, k) => (k % dim < 4 ? 1 : 0) + 0.3 * rand());
    const params = lshParams(0.9, dim, { seed: 3 });
    const sig = allocateSignatures(n, params.bands);
    expect(run({ kind: 'signatures', data, dim, params, sig, lo: 0, hi: n })).toBeUndefined();
    expect(sig.keys).toEqual(simhash(data, n, dim, params).keys);
    const vectors = { data, dim, sq: sumsOfSquares(data, n, dim), count: n };
    const task = { sig, params, fromBand: 0, toBand: params.bands, vectors, threshold: 0.9 };
    const got = run({ kind: 'band-pairs', ...task }) as ReturnType<typeof runBandPairsTask>;
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(runBandPairsTask(task));
  });
});

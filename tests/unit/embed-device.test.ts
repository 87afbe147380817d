import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CUDA_PROVIDER_LIB, checkDevice, cudaProviderPath } from '../../pipeline/embed/transformers/device.js';
import { parseEmbedOptions } from '../../pipeline/embed/stage.js';
import { ConfrecError, UsageError } from '../../pipeline/errors.js';
import { tempDir } from '../helpers/tmp.js';

describe('--device: which onnxruntime-node build is installed', () => {
  const root = tempDir('confrec-ort-');
  const cpuOnly = join(root, 'cpu', 'napi-v6', 'linux', 'x64');
  const withCuda = join(root, 'gpu', 'napi-v6', 'linux', 'x64');
  mkdirSync(cpuOnly, { recursive: true });
  mkdirSync(withCuda, { recursive: true });
  writeFileSync(join(withCuda, CUDA_PROVIDER_LIB), 'stub');

  it('cpu needs nothing', () => {
    expect(() => checkDevice('cpu', [])).not.toThrow();
  });

  it('cuda on the CPU-only build: what is missing and the command that installs it', () => {
    expect(cudaProviderPath([cpuOnly])).toBeNull();
    let err: unknown;
    try {
      checkDevice('cuda', [cpuOnly], 'linux/x64');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfrecError);
    expect((err as ConfrecError).message).toContain(CUDA_PROVIDER_LIB);
    expect((err as ConfrecError).toLine()).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node');
  });

  it('cuda with the provider library installed passes the check', () => {
    expect(cudaProviderPath([cpuOnly, withCuda])).toBe(join(withCuda, CUDA_PROVIDER_LIB));
    expect(() => checkDevice('cuda', [withCuda], 'linux/x64')).not.toThrow();
  });

  it('cuda on a platform onnxruntime-node has no CUDA build for', () => {
    expect(() => checkDevice('cuda', [withCuda], 'darwin/arm64')).toThrow(/only on Linux x64/);
  });

  it('embed flags: --device and --threads are checked when parsed', () => {
    expect(parseEmbedOptions({ device: 'cuda', threads: '3' })).toMatchObject({ device: 'cuda', threads: 3 });
    expect(parseEmbedOptions({})).toMatchObject({ device: undefined, threads: undefined });
    expect(() => parseEmbedOptions({ device: 'gpu' })).toThrow(UsageError);
    expect(() => parseEmbedOptions({ threads: '0' })).toThrow(UsageError);
  });
});

describe('poolRows: mean over real tokens, unit length', () => {
  it('ignores padding positions and normalises', async () => {
    const { poolRows } = await import('../../pipeline/embed/transformers/embedder.js');
    // Two rows, seq 3, dim 2; row 0 has 2 real tokens, row 1 has 3. Padding holds large numbers.
    const hidden = Float32Array.from([1, 0, 3, 0, 99, 99, 0, 1, 0, 2, 0, 3]);
    const [a, b] = poolRows(hidden, [2, 3], 3, 2);
    expect(Array.from(a)).toEqual([1, 0]);
    expect(b[0]).toBeCloseTo(0, 6);
    expect(b[1]).toBeCloseTo(1, 6);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfrecError } from '../../errors.js';

export const DEVICES = ['cpu', 'cuda'] as const;
export type Device = (typeof DEVICES)[number];

/** The CUDA execution provider's library, which onnxruntime-node's npm package does not bundle. */
export const CUDA_PROVIDER_LIB = 'libonnxruntime_providers_cuda.so';

/** The folders holding onnxruntime-node's native binding for this platform (bin/napi-v*&#47;<os>/<arch>). */
export function onnxruntimeBinaryDirs(): string[] {
  let root: string;
  try {
    // Resolved from transformers.js, whose dependency it is (the one copy the embedder loads).
    const fromTransformers = createRequire(createRequire(import.meta.url).resolve('@huggingface/transformers'));
    root = dirname(dirname(fromTransformers.resolve('onnxruntime-node')));
  } catch {
    return [];
  }
  const bin = join(root, 'bin');
  if (!existsSync(bin)) return [];
  return readdirSync(bin)
    .filter((d) => d.startsWith('napi-v'))
    .map((d) => join(bin, d, process.platform, process.arch))
    .filter((d) => existsSync(d));
}

/** Where the CUDA provider is installed, or null (the CPU-only build npm installs by default). */
export function cudaProviderPath(dirs: readonly string[] = onnxruntimeBinaryDirs()): string | null {
  for (const d of dirs) if (existsSync(join(d, CUDA_PROVIDER_LIB))) return join(d, CUDA_PROVIDER_LIB);
  return null;
}

/**
 * Checks that `--device cuda` can work before any model is loaded: onnxruntime-node ships CUDA
 * support only for Linux x64 and only when its install script downloaded the CUDA provider (CUDA 12
 * build, from NuGet); the default npm install, and ONNXRUNTIME_NODE_INSTALL=skip, leave it out.
 */
export function checkDevice(device: Device, dirs: readonly string[] = onnxruntimeBinaryDirs(), platform = `${process.platform}/${process.arch}`): void {
  if (device === 'cpu') return;
  if (platform !== 'linux/x64') {
    throw new ConfrecError(`--device cuda is not available on ${platform}: onnxruntime-node has CUDA support only on Linux x64`, {
      hint: 'leave out --device (the CPU is used; q8 weights are the fast choice there)',
    });
  }
  if (!cudaProviderPath(dirs)) {
    throw new ConfrecError(`--device cuda needs onnxruntime-node's CUDA build, and only the CPU build is installed (${CUDA_PROVIDER_LIB} is missing)`, {
      file: dirs[0],
      hint:
        'on a Linux x64 machine with an NVIDIA GPU, CUDA 12 and cuDNN 9, install it with ' +
        '`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (downloads the CUDA provider from NuGet), ' +
        'then run again; without a GPU leave out --device',
    });
  }
}

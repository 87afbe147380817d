/**
 * The worker entry of the near-duplicate search's pool (`WorkerPool.open(threads, { entry: 'pairs' })`):
 * only the pure pair code, so a worker is ready in ≈ 0.1 s of CPU. The general entry
 * (workers/tasks.ts) also loads ingest's readers and the segmenter, and pairs.ts loads DuckDB's
 * binding: starting two such workers cost 1.4–1.6 s of CPU, more than the whole signature pass at 20k.
 */
import { runBandPairsTask, runSignatureTask, type BandPairsResult, type BandPairsTask, type SignatureTask } from './parallel.js';

export type PairTask = SignatureTask | BandPairsTask;

export default function run(task: PairTask): unknown {
  switch (task.kind) {
    case 'signatures':
      return runSignatureTask(task);
    case 'band-pairs':
      return runBandPairsTask(task) satisfies BandPairsResult;
  }
}

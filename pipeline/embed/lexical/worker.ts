/**
 * The helper thread's side of parallel.ts (run by workers/tasks.ts for task kind `lexical`). State
 * lives in the worker between tasks: the analyzer (its dictionary is loaded when the worker starts),
 * the feature table being counted, and the model whose vectors it computes. The pool has one worker
 * for this, so every task of a fit reaches the same state.
 */
import { loadMorph } from '../../text/morph.js';
import { LexicalAnalyzer } from './features.js';
import { countTexts, LexicalModel, newFeatureCounts, type FeatureCounts } from './model.js';
import type { CountedFeatures, LexicalTask } from './parallel.js';
import { orthonormalizeShare, ORTH_DONE, ORTH_FAILED, ORTH_STARTED, runFactoredStep } from './svd.js';

let analyzer: { key: string; value: LexicalAnalyzer } | null = null;
let counts: FeatureCounts | null = null;
let model: LexicalModel | null = null;

async function analyzerFor(charMin: number, charMax: number): Promise<LexicalAnalyzer> {
  const key = `${charMin}:${charMax}`;
  if (analyzer?.key !== key) analyzer = { key, value: new LexicalAnalyzer(await loadMorph(), { charMin, charMax }) };
  return analyzer.value;
}

export async function runLexicalTask(task: LexicalTask): Promise<unknown> {
  switch (task.op) {
    case 'count': {
      const a = await analyzerFor(task.charMin, task.charMax);
      counts ??= newFeatureCounts();
      countTexts(counts, task.texts, task.first, task.sampleSize, a);
      return null;
    }
    case 'counts': {
      const c = counts ?? newFeatureCounts();
      counts = null;
      const out: CountedFeatures = { names: c.names, df: Int32Array.from(c.df), sampleDf: Int32Array.from(c.sampleDf) };
      return out;
    }
    case 'svd':
      runFactoredStep(task.f, task.step, task.l, task.j0, task.j1);
      return null;
    case 'orth': {
      const { ctrl } = task.s;
      Atomics.store(ctrl, ORTH_STARTED, 1);
      Atomics.notify(ctrl, ORTH_STARTED);
      try {
        orthonormalizeShare(task.s, 1);
      } catch (err) {
        Atomics.store(ctrl, ORTH_FAILED, 1);
        Atomics.notify(ctrl, ORTH_DONE);
        throw err;
      }
      return null;
    }
    case 'model': {
      const p = task.model.params;
      model = new LexicalModel(task.model, await analyzerFor(p.charMin, p.charMax));
      return null;
    }
    case 'embed': {
      if (!model || model.id !== task.id) throw new Error(`lexical helper: model ${task.id} was not sent`);
      const dim = model.dim;
      const out = new Float32Array(task.texts.length * dim);
      task.texts.forEach((t, i) => out.set(model!.embed(t), i * dim));
      return out;
    }
  }
}

/** The helper thread's entry (WorkerPool.open(…, { entry: 'lexical' })): every task is a lexical one. */
export default function run(task: LexicalTask): Promise<unknown> {
  return runLexicalTask(task);
}

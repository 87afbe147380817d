/**
 * The clusters stage's labelling helper (WorkerPool.open(1, { entry: 'labels' })): prepares the texts
 * of the head of the members (their first rows in md5(rec_id) order, where each cluster's label
 * sample mostly lies) while the main thread fits the clusters, then labels the clusters from the
 * prepared texts. State lives in the worker between the two tasks of one labelling. Pure text work:
 * no database.
 */
import { createLabeler, isTextLabeler } from './index.js';
import type { ClusterLabel, PreparedText, TextLabeler } from './types.js';

export type LabelTask =
  | {
      op: 'prepare';
      labeler: string;
      /** Texts of members 0 … texts.length − 1. */
      texts: string[];
      /**
       * Int32 flag, then one byte per member: once the flag is 1 (the main thread knows the label
       * sample) only the members whose byte is 1 are still prepared.
       */
      need: SharedArrayBuffer;
    }
  | {
      op: 'label';
      labeler: string;
      /** Cluster id and its sampled members, in the order the labeler reads them. */
      clusters: [number, number[]][];
      /** Sampled members outside the head: index and text. */
      extra: [number, string][];
    };

let state: { labeler: TextLabeler; prepared: Map<number, PreparedText> } | null = null;

function stateFor(id: string): { labeler: TextLabeler; prepared: Map<number, PreparedText> } {
  if (state?.labeler.id !== id) {
    const labeler = createLabeler(id);
    if (!isTextLabeler(labeler)) throw new Error(`labeler ${id} cannot prepare texts on its own`);
    state = { labeler, prepared: new Map() };
  }
  return state;
}

export async function runLabelTask(task: LabelTask): Promise<unknown> {
  const s = stateFor(task.labeler);
  if (task.op === 'prepare') {
    const flag = new Int32Array(task.need, 0, 1);
    const wanted = new Uint8Array(task.need, 4);
    for (let i = 0; i < task.texts.length; i++) {
      if (Atomics.load(flag, 0) === 1 && wanted[i] === 0) continue;
      s.prepared.set(i, (await s.labeler.prepare([task.texts[i]]))[0]);
    }
    return s.prepared.size;
  }
  const missing = task.extra.filter(([i]) => !s.prepared.has(i));
  const more = await s.labeler.prepare(missing.map(([, text]) => text));
  missing.forEach(([i], k) => s.prepared.set(i, more[k]));
  const byCluster = new Map(task.clusters.map(([c, list]) => [c, list.map((i) => {
        const p = s.prepared.get(i);
        if (!p) throw new Error(`labelling helper: member ${i} was neither prepared nor sent`);
        return p;
      })]));
  const labels: Map<number, ClusterLabel> = await s.labeler.labelPrepared(byCluster);
  state = null;
  return [...labels];
}

/** The helper thread's entry: every task is a labelling one. */
export default function run(task: LabelTask): Promise<unknown> {
  return runLabelTask(task);
}

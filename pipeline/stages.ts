import type { Store } from './store/db.js';
import type { Logger } from './progress.js';

/** What a downstream stage gets when it runs, alone or as part of `confrec run`. */
export interface StageContext {
  log: Logger;
  quiet: boolean;
  /** Stage-specific options from the command line (e.g. embedder, batch size). */
  options: Record<string, unknown>;
}

export interface StageSummary {
  runId: number;
  durationMs: number;
  counts: Record<string, unknown>;
  /** One line for people, printed by the CLI. */
  line: string;
}

/** A stage after ingest: reads its input tables, writes its output tables, can be re-run alone. */
export interface PipelineStage {
  name: string;
  run(store: Store, ctx: StageContext): Promise<StageSummary>;
}

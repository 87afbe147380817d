import type { ParseArgsConfig } from 'node:util';
import type { Store } from './store/db.js';
import type { Fingerprint } from './store/freshness.js';
import type { Logger } from './progress.js';
import type { SegmentHandoff } from './segment/handoff.js';
import type { SharedPool } from './workers/pool.js';

/** Command-line flags as node:util parseArgs declares them. */
export type Flags = NonNullable<ParseArgsConfig['options']>;
/** Parsed flag values, as parseArgs returns them. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/**
 * What a stage gets when it runs, alone or as part of `confrec run`. `options` are the stage's own,
 * typed (PipelineStage<O>); what is not given takes the stage's default.
 */
export interface StageContext<O extends object = Record<string, never>> {
  log: Logger;
  quiet: boolean;
  options?: Partial<O>;
  /** Worker threads shared by the stages of one command (`confrec run`); a stage opens its own otherwise. */
  workers?: SharedPool;
  /** Segmentations ingest made for the segment stage of the same command (`confrec run`; segment/handoff.ts). */
  segmentations?: SegmentHandoff;
}

export interface StageSummary {
  runId: number;
  durationMs: number;
  counts: Record<string, unknown>;
  /** One line for people, printed by the CLI. */
  line: string;
}

/**
 * A stage after ingest: reads its input tables, writes its output tables in one transaction, can be
 * re-run alone. It declares its own flags and how they become its typed options, so `confrec <stage>`
 * and `confrec run` parse them the same way; freshness (store/freshness.ts) is declared beside it in
 * its folder's fingerprint.ts.
 */
export interface PipelineStage<O extends object = object> {
  name: string;
  /** The stages whose output this one reads: when one of them is stale, so is this one. */
  after: readonly string[];
  /** The command that brings this stage's output up to date (what a stale reader tells people). */
  refresh: string;
  /** Flags this stage reads (offered by its own command and by `confrec run`). */
  flags: Flags;
  /** Flag values → options (defaults for what is absent); a UsageError names the flag when a value is wrong. */
  parseOptions(values: FlagValues): O;
  /**
   * Everything the stage's output depends on (store/freshness.ts): the stage records it with each
   * run, compares it with the last one to decide what to do, and readers compare it to say "stale".
   */
  fingerprint(store: Store, options: O): Promise<Fingerprint>;
  run(store: Store, ctx: StageContext<O>): Promise<StageSummary>;
  /**
   * Optional: starts loading, in the background, modules its run needs that are slow to load.
   * `confrec run` calls it for every stage once ingest is done, so that the loading overlaps the
   * earlier stages' waits for DuckDB instead of adding to the run; run() must not depend on it.
   */
  preload?(): void;
}

/** The options a run uses: the stage's defaults, overridden by what the context gives. */
export function stageOptions<O extends object>(stage: PipelineStage<O>, ctx: StageContext<O>): O {
  const given = Object.fromEntries(Object.entries(ctx.options ?? {}).filter(([, v]) => v !== undefined));
  return { ...stage.parseOptions({}), ...given } as O;
}

/** Any stage, whatever its options (the list `confrec run` walks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStage = PipelineStage<any>;

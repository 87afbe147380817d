import type { ParseArgsConfig } from 'node:util';
import type { Logger } from './progress.js';
import type { PipelineStage } from './stages.js';
import { withStore } from './store/db.js';

/** What every command receives besides its own arguments. */
export interface CommandContext {
  /** Database file (--db, CONFREC_DB, or ./confrec.duckdb). */
  dbPath: string;
  quiet: boolean;
  verbose: boolean;
  log: Logger;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** One CLI command. Commands parse nothing themselves and hold no logic beyond calling a stage. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. "confrec ingest <dir> [--db FILE]" */
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals the command takes: [min, max]. */
  positionals?: [number, number];
  run(args: ParsedArgs, ctx: CommandContext): Promise<number | void>;
}

/**
 * The command of a stage that needs nothing but its own flags: parses them with the stage's
 * parseOptions, runs it on the database and prints its line.
 */
export function stageCommand<O extends object>(stage: PipelineStage<O>, text: { summary: string; usage: string }): CommandSpec {
  return {
    name: stage.name,
    ...text,
    options: stage.flags,
    positionals: [0, 0],
    async run({ values }, ctx) {
      const summary = await withStore(ctx.dbPath, (store) => stage.run(store, { log: ctx.log, quiet: ctx.quiet, options: stage.parseOptions(values) }));
      ctx.log.info(summary.line);
    },
  };
}

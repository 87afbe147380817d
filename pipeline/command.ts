import type { ParseArgsConfig } from 'node:util';
import type { Logger } from './progress.js';

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

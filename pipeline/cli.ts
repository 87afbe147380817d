import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { config } from './config.js';
import { ConfrecError, UsageError, errorMessage, escapeControl } from './errors.js';
import { createLogger } from './progress.js';
import type { CommandSpec } from './command.js';

/**
 * The command of this name. `run` is imported alone: a re-run after adding one file is the command
 * whose start-up counts, and importing every command (the explorer's server, Arrow for export, the
 * eval and synth tools) cost ≈ 0.5 s of it. The others, and the help, import them all (commands.ts).
 */
async function findCommand(name: string): Promise<CommandSpec | undefined> {
  if (name === 'run') return (await import('./run/command.js')).runCommand;
  return (await import('./commands.js')).COMMANDS.find((c) => c.name === name);
}

const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function helpText(): Promise<string> {
  const { COMMANDS } = await import('./commands.js');
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `confrec ${config.version} — compare the recommendations of Russian education conferences`,
    '',
    'Usage: confrec <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command:',
    `  --db FILE     database file (default: ./confrec.duckdb, or $CONFREC_DB)`,
    '  --quiet, -q   no progress and no summary lines',
    '  --verbose     stack traces on errors',
    '  --help        help for a command: confrec <command> --help',
  ].join('\n');
}

function commandHelp(cmd: CommandSpec): string {
  const opts = Object.entries(cmd.options ?? {}).map(([k, o]) => `  --${k}${o.type === 'string' ? ' VALUE' : ''}`);
  return [cmd.usage, '', cmd.summary, ...(opts.length ? ['', 'Options:', ...opts] : [])].join('\n');
}

/** Entry point: returns the process exit code. Errors become one line (stack with --verbose). */
export async function main(argv: string[]): Promise<number> {
  // `confrec similar … | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await helpText()) + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(config.version + '\n');
    return 0;
  }
  const cmd = await findCommand(name);
  if (!cmd) {
    process.stderr.write(`confrec: unknown command "${escapeControl(name)}"\n\n${await helpText()}\n`);
    return 2;
  }
  let verbose = rest.includes('--verbose') || rest.includes('-v');
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...(cmd.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values.help) {
      process.stdout.write(commandHelp(cmd) + '\n');
      return 0;
    }
    verbose = Boolean(values.verbose);
    const [min, max] = cmd.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`wrong number of arguments`, `usage: ${cmd.usage}`);
    }
    const quiet = Boolean(values.quiet);
    const dbPath = resolve(typeof values.db === 'string' ? values.db : config.dbPath);
    const code = await cmd.run({ positionals: parsed.positionals, values }, { dbPath, quiet, verbose, log: createLogger(quiet) });
    return code ?? 0;
  } catch (err) {
    const isUsage = err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (isUsage) {
      process.stderr.write(`confrec ${name}: ${escapeControl((err as Error).message)}\nusage: ${cmd.usage}\n`);
      return 2;
    }
    process.stderr.write(`confrec ${name}: ${errorMessage(err)}\n`);
    if (verbose && err instanceof Error) process.stderr.write((err.stack ?? '') + '\n');
    else if (!(err instanceof ConfrecError)) process.stderr.write('(run with --verbose for details)\n');
    return err instanceof ConfrecError ? err.exitCode : 1;
  }
}

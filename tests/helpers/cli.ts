import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export const BIN = join(__dirname, '..', '..', 'bin', 'confrec.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Where the CLI's reports go: a temporary folder of the test file, removed after it. */
const REPORTS = tempDir('confrec-e2e-reports-');

/** Runs the built CLI (npm test builds dist/ first); reports go to a temporary folder, never into the checkout. */
export function confrec(args: string[], env: Record<string, string> = {}, cwd?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    cwd,
    env: { ...process.env, CONFREC_REPORTS: REPORTS, ...env },
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

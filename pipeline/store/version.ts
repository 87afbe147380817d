import { execFileSync } from 'node:child_process';
import { config, ROOT } from '../config.js';

let cachedVersion: string | undefined;

/** Package version plus the git commit when the code runs from a checkout. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a checkout */
  }
  cachedVersion = commit ? `${config.version}+${commit}` : config.version;
  return cachedVersion;
}

import { escapeControl } from '../../errors.js';

export { numberFlag } from '../../flags.js';

/** Output the command produces goes to stdout even with --quiet; JSON is one document. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Listings are several lines by design; other control characters (escape sequences in file names) are escaped. */
export function print(text: string): void {
  const safe = escapeControl(text, { keepLines: true });
  process.stdout.write(safe + (safe.endsWith('\n') ? '' : '\n'));
}

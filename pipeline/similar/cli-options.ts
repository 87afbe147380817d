import { UsageError, escapeControl } from '../errors.js';

/** A numeric command-line option: undefined when absent, a UsageError when not a number in range. */
export function numberFlag(value: unknown, name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const { min = -Infinity, max = Infinity, integer = false } = opts;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const what = integer ? 'a whole number' : 'a number';
    const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` ≥ ${min}` : '';
    throw new UsageError(`--${name} must be ${what}${range}`, `got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Output the command produces goes to stdout even with --quiet; JSON is one document. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Listings are several lines by design; other control characters (escape sequences in file names) are escaped. */
export function print(text: string): void {
  const safe = escapeControl(text, { keepLines: true });
  process.stdout.write(safe + (safe.endsWith('\n') ? '' : '\n'));
}

import { resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Readers of parsed command-line values, shared by every stage's parseOptions and the commands. */

/** A numeric flag: undefined when absent, a UsageError when not a number in range. */
export function numberFlag(value: unknown, name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const { min = -Infinity, max = Infinity, integer = false } = opts;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const what = integer ? 'a whole number' : 'a number';
    const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` ≥ ${min}` : '';
    throw new UsageError(`--${name} must be ${what}${range}`, `got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A string flag: undefined when absent or empty. */
export function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A path flag, resolved against the working folder. */
export function pathFlag(value: unknown): string | undefined {
  const s = stringFlag(value);
  return s === undefined ? undefined : resolve(s);
}

/** One of a closed set of values; `fallback` when absent. */
export function choiceFlag<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  const s = stringFlag(value) ?? fallback;
  if (!(choices as readonly string[]).includes(s)) throw new UsageError(`unknown ${name} "${s}"`, `use one of ${choices.join(', ')}`);
  return s as T;
}

import { config } from '../config.js';
import { ConfrecError, UsageError } from '../errors.js';

/**
 * The per-file resource budget (defaults, with their reasons, in config.limits) and the one way a
 * reader says a file is over it: "<what> …: not read", with the flag that raises the limit.
 */
export type ReadLimits = { -readonly [K in keyof typeof config.limits]: number };

export type LimitName = keyof ReadLimits;

/** maxUnpackedMb → --max-unpacked-mb */
export function limitFlag(name: LimitName): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export const LIMIT_NAMES = Object.keys(config.limits) as LimitName[];

/** parseArgs options for every limit flag (ingest and run take them). */
export const LIMIT_OPTIONS: Record<string, { type: 'string' }> = Object.fromEntries(LIMIT_NAMES.map((n) => [limitFlag(n).slice(2), { type: 'string' as const }]));

/** The defaults, with any limit flags given on the command line applied. */
export function readLimits(values: Record<string, unknown> = {}): ReadLimits {
  const limits = { ...config.limits } as ReadLimits;
  for (const name of LIMIT_NAMES) {
    const raw = values[limitFlag(name).slice(2)];
    if (raw === undefined || raw === null) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${limitFlag(name)} must be a positive number, got ${JSON.stringify(raw)}`);
    limits[name] = n;
  }
  return limits;
}

export const MB = 1024 * 1024;

export function mb(bytes: number): string {
  const v = bytes / MB;
  return v >= 10 ? `${Math.round(v)} MB` : `${v.toFixed(1)} MB`;
}

/**
 * A file over its budget. `what` says what is too big ("unpacks to more than 24 MB"); the message ends
 * in ": not read" and the hint names the flag, so the user knows both why and how to go on.
 */
export function overLimit(file: string, what: string, limit: LimitName, limits: ReadLimits): ConfrecError {
  const suggested = limits[limit] * 4;
  return new ConfrecError(`${what}: not read`, {
    file,
    hint: `nothing else is affected; if it is a genuine document, raise the limit with ${limitFlag(limit)} ${suggested}`,
  });
}

/** Throws when a decoded text is larger than maxTextMb (UTF-8). */
export function checkTextSize(file: string, text: string, limits: ReadLimits): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so most texts pass without measuring.
  if (text.length * 3 <= limits.maxTextMb * MB) return;
  if (Buffer.byteLength(text, 'utf8') > limits.maxTextMb * MB) {
    throw overLimit(file, `text of more than ${limits.maxTextMb} MB`, 'maxTextMb', limits);
  }
}

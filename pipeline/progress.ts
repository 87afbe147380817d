import { escapeControl } from './errors.js';

/**
 * One progress helper for long work. Draws a single updating line on a TTY (stderr), and stays silent
 * when stderr is not a terminal or when quiet is set, so logs and CI output stay clean.
 */
export interface Progress {
  tick(n?: number, label?: string): void;
  done(summary?: string): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between redraws. */
  intervalMs?: number;
}

export function createProgress(title: string, total: number | undefined, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = !opts.quiet && Boolean(stream.isTTY);
  const interval = opts.intervalMs ?? 100;
  const started = Date.now();
  let count = 0;
  let last = 0;
  const draw = (label?: string) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? ` ${Math.round(count / secs)}/s` : '';
    const of = total ? `/${total} (${Math.floor((100 * count) / Math.max(total, 1))}%)` : '';
    const shown = label ? escapeControl(label) : '';
    const tail = shown ? ` ${shown.length > 40 ? shown.slice(0, 39) + '…' : shown}` : '';
    stream.write(`\r\x1b[2K${title}: ${count}${of}${rate}${tail}`);
  };
  return {
    tick(n = 1, label) {
      count += n;
      if (!enabled) return;
      const now = Date.now();
      if (now - last >= interval || (total !== undefined && count >= total)) {
        last = now;
        draw(label);
      }
    },
    done(summary) {
      if (!enabled) return;
      stream.write(`\r\x1b[2K${summary ? `${title}: ${summary}\n` : ''}`);
    },
  };
}

/**
 * A logger for one-line messages that respects --quiet. Warnings always go to stderr. Every line is
 * one line: control characters (a newline or an escape sequence in a file name) are escaped here,
 * the one place all messages pass.
 */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

export function createLogger(quiet = false): Logger {
  return {
    info: (line) => {
      if (!quiet) process.stdout.write(escapeControl(line) + '\n');
    },
    warn: (line) => process.stderr.write(escapeControl(line) + '\n'),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

/**
 * Characters that must not reach a terminal or a log unescaped: C0 controls (newline, carriage
 * return, ESC that starts colour and cursor sequences…), DEL, C1 controls (U+009B is a one-byte CSI),
 * Unicode line/paragraph separators and bidirectional overrides (which reorder what is shown). File
 * names may hold any of them; a message must stay one line and show what is there.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
}

/**
 * Text with control characters shown as escapes (\n, \e, \x9b, \u{202e}). `keepLines` leaves
 * newlines and tabs alone, for output that is several lines by design (listings).
 */
export function escapeControl(text: string, opts: { keepLines?: boolean } = {}): string {
  return text.replace(opts.keepLines ? CONTROL_KEEP_LINES : CONTROL, escapeOne);
}

/**
 * The one error type for failures a user can act on. `message` says what was wrong, `file` names the
 * input (when there is one) and `hint` says what to do. The CLI prints these as one line; stacks only
 * with --verbose.
 */
export class ConfrecError extends Error {
  readonly file?: string;
  readonly hint?: string;
  /** Process exit code the CLI uses: 2 for usage errors, 1 for everything else. */
  readonly exitCode: number;

  constructor(message: string, opts: { file?: string; hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ConfrecError';
    this.file = opts.file;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
  }

  /** One line for people: "file: message (hint)", control characters (in file names…) escaped. */
  toLine(): string {
    const where = this.file ? `${this.file}: ` : '';
    const hint = this.hint ? ` — ${this.hint}` : '';
    return escapeControl(`${where}${this.message}${hint}`);
  }
}

export class UsageError extends ConfrecError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** One line for any error (control characters escaped). */
export function errorMessage(err: unknown): string {
  if (err instanceof ConfrecError) return err.toLine();
  return escapeControl(err instanceof Error ? err.message : String(err));
}

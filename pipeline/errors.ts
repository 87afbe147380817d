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

  /** One line for people: "file: message (hint)". */
  toLine(): string {
    const where = this.file ? `${this.file}: ` : '';
    const hint = this.hint ? ` — ${this.hint}` : '';
    return `${where}${this.message}${hint}`;
  }
}

export class UsageError extends ConfrecError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof ConfrecError) return err.toLine();
  if (err instanceof Error) return err.message;
  return String(err);
}

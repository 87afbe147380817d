export { numberFlag } from '../../flags.js';

/** Output the command produces goes to stdout even with --quiet; JSON is one document. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function print(text: string): void {
  process.stdout.write(text + (text.endsWith('\n') ? '' : '\n'));
}

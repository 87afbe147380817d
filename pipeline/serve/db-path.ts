/**
 * `--db` naming a folder instead of the database file: DuckDB's own answer is a raw "IO Error: Could
 * not read from file … Is a directory". The explorer and the draft check are run by methodologists,
 * so they get a Russian sentence saying what to pass instead (the .duckdb files in that folder, if any).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfrecError } from '../errors.js';

export function refuseFolderAsDatabase(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return;
  let found: string[] = [];
  try {
    found = readdirSync(path).filter((f) => f.endsWith('.duckdb')).sort();
  } catch {
    /* unreadable folder: no suggestions */
  }
  const hint = found.length
    ? `укажите в --db сам файл базы: ${found.slice(0, 5).map((f) => join(path, f)).join(', ')}${found.length > 5 ? ' …' : ''}`
    : `укажите в --db файл базы (например, ${join(path, 'confrec.duckdb')}, его создаёт \`confrec run <папка> --db ${join(path, 'confrec.duckdb')}\`)`;
  throw new ConfrecError('это папка, а не файл базы данных', { file: path, hint });
}

import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ConfrecError } from '../errors.js';
import { META_FIELDS, type ConferenceMeta, type MetaField, type MetaSource } from '../store/types.js';
import { FORMATS, LEVELS } from './metadata/vocab.js';

/**
 * Hand-written metadata that overrides what the text states: `<name>.meta.json` beside the
 * document, or a row of `metadata.csv` in its folder. The per-document JSON is the more specific of
 * the two, so when it exists the CSV is not read for that document.
 */
export interface Sidecar {
  values: Partial<ConferenceMeta>;
  /** The file the values came from. */
  source: string;
}

const FIELD_SET = new Set<string>(META_FIELDS);

function fail(file: string, message: string, hint?: string): never {
  throw new ConfrecError(message, { file, hint });
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A name at the file-system limit leaves no room for ".meta.json": such a sidecar cannot exist.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return null;
    throw new ConfrecError(`cannot read sidecar (${code ?? (err as Error).message})`, { file: path, cause: err });
  }
}

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * One field's value, checked. JSON gives typed values; CSV gives strings, so numbers are accepted as
 * digit strings. An empty string means "no value" (a blank CSV cell); JSON null clears the field.
 */
function validateField(file: string, where: string, field: MetaField, raw: unknown): ConferenceMeta[MetaField] | undefined {
  if (raw === null) return null;
  if (typeof raw === 'string' && raw.trim() === '') return undefined;
  const bad = (what: string): never => fail(file, `${where}invalid ${field}: ${JSON.stringify(raw)} (${what})`, `fix "${field}" in the sidecar`);
  switch (field) {
    case 'year':
    case 'participants': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < 0) bad('expected a non-negative integer');
      if (field === 'year' && (n < 1900 || n > 2100)) bad('expected a year between 1900 and 2100');
      return n;
    }
    case 'date_start':
    case 'date_end': {
      if (typeof raw !== 'string' || !isIsoDate(raw.trim())) bad('expected a date as YYYY-MM-DD');
      return (raw as string).trim();
    }
    case 'level': {
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (!(LEVELS as readonly string[]).includes(v)) bad(`expected one of ${LEVELS.join(', ')}`);
      return v;
    }
    case 'format': {
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (!(FORMATS as readonly string[]).includes(v)) bad(`expected one of ${FORMATS.join(', ')}`);
      return v;
    }
    case 'kind': {
      if (typeof raw !== 'string') bad('expected text');
      return (raw as string).trim().toLowerCase();
    }
    default: {
      if (typeof raw !== 'string') bad('expected text');
      return (raw as string).trim();
    }
  }
}

/** Validates a whole record: known fields, valid values, dates in order and agreeing with the year. */
export function validateSidecar(file: string, record: Record<string, unknown>, where = ''): Partial<ConferenceMeta> {
  const values: Partial<Record<MetaField, unknown>> = {};
  for (const [key, raw] of Object.entries(record)) {
    if (!FIELD_SET.has(key)) fail(file, `${where}unknown field "${key}"`, `sidecar fields are: ${META_FIELDS.join(', ')}`);
    const v = validateField(file, where, key as MetaField, raw);
    if (v !== undefined) values[key as MetaField] = v;
  }
  const { date_start: start, date_end: end, year } = values as Partial<ConferenceMeta>;
  if (start && end && end < start) fail(file, `${where}invalid date_end: ${end} is before date_start ${start}`, 'fix "date_end" in the sidecar');
  if (start && typeof year === 'number' && Number(start.slice(0, 4)) !== year) {
    fail(file, `${where}invalid year: ${year} disagrees with date_start ${start}`, 'fix "year" in the sidecar');
  }
  return values as Partial<ConferenceMeta>;
}

async function readJsonSidecar(path: string): Promise<Sidecar | null> {
  const raw = await readIfExists(path);
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    fail(path, `malformed JSON (${(err as Error).message})`, 'the sidecar must be one JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(path, 'malformed sidecar: expected a JSON object', `e.g. {"city": "Вологда", "year": 2024}`);
  }
  return { values: validateSidecar(path, parsed as Record<string, unknown>), source: path };
}

/**
 * Strict RFC 4180 CSV: comma separated, "quoted" fields with "" escapes and line breaks inside quotes.
 * Anything else is an error naming the line, because a quoting slip that happens to close later
 * (`"Благо "Дарю"`, a quote left open until the next row's quote) would otherwise shift or swallow
 * values silently: a quote inside an unquoted field, text after a closing quote, a quote never
 * closed, a row whose number of fields differs from the header's, and a quoted field running over
 * a line that starts like a row of its own ("name.ext,…": the missing quote made it swallow a row
 * and still close, with the right number of fields). Blank lines are skipped.
 */
const SWALLOWED_ROW = /^\s*[^",\n]+\.[A-Za-z0-9]{1,5}\s*,/;

export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  const s = text.replace(/^\uFEFF/, '');
  let line = 1;
  let i = 0;
  const bad = (what: string, at: number, hint = 'quote a field that holds commas, quotes or line breaks ("…"), and double the quotes inside it ("")'): never =>
    fail(file, `malformed CSV at line ${at}: ${what}`, hint);
  while (i < s.length) {
    const rowLine = line;
    const row: string[] = [];
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= s.length) bad('unterminated quoted field (the quote that opens it is never closed)', opened);
          const ch = s[i];
          if (ch === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') bad(`text after the closing quote of a field (${JSON.stringify(field.slice(-20))}…)`, line);
        const swallowed = field.split('\n').slice(1).findIndex((l) => SWALLOWED_ROW.test(l));
        if (swallowed >= 0) bad(`the quoted field opened here runs over line ${opened + swallowed + 1}, which starts like a row of its own`, opened);
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') bad('a quote inside a field that does not start with one', line);
          field += s[i++];
        }
      }
      row.push(field);
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '\r') i++;
      if (s[i] === '\n') i++;
      line++;
      break;
    }
    if (row.every((c) => c.trim() === '')) continue;
    if (rows.length && row.length !== rows[0].length) {
      bad(`${row.length} field(s) where the header row has ${rows[0].length}`, rowLine, 'every row needs one value per column (leave a value empty, but keep its comma)');
    }
    rows.push(row);
  }
  return rows;
}

async function readCsvSidecar(path: string, docName: string): Promise<Sidecar | null> {
  const raw = await readIfExists(path);
  if (raw === null) return null;
  const rows = parseCsv(raw, path);
  if (!rows.length) return null;
  const header = rows[0].map((h) => h.trim());
  const fileCol = header.indexOf('file');
  if (fileCol < 0) fail(path, 'malformed CSV: no "file" column in the header row', `header: file,${META_FIELDS.join(',')}`);
  for (const h of header) {
    if (h !== 'file' && !FIELD_SET.has(h)) fail(path, `unknown column "${h}"`, `columns are file and any of: ${META_FIELDS.join(', ')}`);
  }
  // The row names the document by file name; the name without extension is accepted too.
  const stem = basename(docName, extname(docName));
  const matches = rows.slice(1).filter((r) => {
    const f = (r[fileCol] ?? '').trim();
    return f === docName || f === stem;
  });
  if (!matches.length) return null;
  if (matches.length > 1) fail(path, `${matches.length} rows for ${docName}`, 'keep one row per document');
  const record: Record<string, unknown> = {};
  header.forEach((h, k) => {
    if (k !== fileCol) record[h] = matches[0][k] ?? '';
  });
  return { values: validateSidecar(path, record, `row for ${docName}: `), source: path };
}

/** The sidecar for a document, or null when there is none; throws ConfrecError when it is invalid. */
/** The files readSidecar looks at for a document, so a caller that listed the folder can skip it. */
export function sidecarCandidates(docPath: string): string[] {
  const dir = dirname(docPath);
  const stem = basename(docPath, extname(docPath));
  return [join(dir, `${stem}.meta.json`), join(dir, 'metadata.csv')];
}

export async function readSidecar(docPath: string): Promise<Sidecar | null> {
  const dir = dirname(docPath);
  const name = basename(docPath);
  const stem = basename(name, extname(name));
  return (await readJsonSidecar(join(dir, `${stem}.meta.json`))) ?? (await readCsvSidecar(join(dir, 'metadata.csv'), name));
}

/**
 * Text values overridden by the sidecar's. A sidecar that sets either date owns both (a missing end
 * is the start), and its start date gives the year unless it sets one: mixing a hand-set start with
 * an extracted end or year could produce a range that no source states. For the same reason a
 * sidecar year that contradicts the extracted dates clears them.
 */
export function mergeMeta(
  fromText: ConferenceMeta,
  sidecar: Sidecar | null,
): { meta: ConferenceMeta; sources: Partial<Record<MetaField, MetaSource>> } {
  const meta: ConferenceMeta = { ...fromText };
  const origin: Partial<Record<MetaField, MetaSource>> = {};
  for (const f of META_FIELDS) origin[f] = 'text';
  if (sidecar) {
    const v: Partial<ConferenceMeta> = { ...sidecar.values };
    if (v.date_start !== undefined || v.date_end !== undefined) {
      v.date_start ??= v.date_end ?? null;
      v.date_end ??= v.date_start;
      if (v.year === undefined && v.date_start) v.year = Number(v.date_start.slice(0, 4));
    } else if (typeof v.year === 'number' && meta.date_start && Number(meta.date_start.slice(0, 4)) !== v.year) {
      v.date_start = null;
      v.date_end = null;
    }
    for (const f of META_FIELDS) {
      if (v[f] === undefined) continue;
      (meta as unknown as Record<MetaField, unknown>)[f] = v[f];
      origin[f] = 'sidecar';
    }
  }
  const sources: Partial<Record<MetaField, MetaSource>> = {};
  for (const f of META_FIELDS) if (meta[f] !== null && meta[f] !== undefined) sources[f] = origin[f];
  return { meta, sources };
}

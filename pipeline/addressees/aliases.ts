/**
 * The user's alias file, data/addressee-aliases.json: what an abbreviation or a variant name stands
 * for, where no document says so. Editable without code; validated with messages that name the entry
 * and the field. Example:
 *
 *   { "aliases": [
 *       { "form": "СОИРО", "name": "Смоленский областной институт развития образования", "region": "Смоленская область" },
 *       { "form": "Департамент Смоленской области по образованию, науке и делам молодежи",
 *         "name": "Департамент Смоленской области по образованию и науке" } ] }
 *
 * `form` is compared with an addressee's name after its legal form («ГАУ ДПО»), quotes and case are
 * set aside; `region` (optional) limits the alias to documents of that region, because «ИРО» or
 * «СОИРО» mean different institutes in different regions.
 */
import { readFileSync } from 'node:fs';
import { JaroWinklerDistance } from 'natural/lib/natural/distance/index.js';
import { ConfrecError } from '../errors.js';
import { REGIONS, FEDERAL_CITIES } from '../ingest/metadata/gazetteer.js';

export interface AddresseeAlias {
  form: string;
  name: string;
  region: string | null;
  /** 1-based position in the file, for messages. */
  entry: number;
}

const KNOWN_REGIONS: readonly string[] = [...REGIONS.map(([r]) => r), ...FEDERAL_CITIES];

/** The comparison form of an alias or a name core: quotes, case, ё and spacing set aside. */
export function aliasKey(s: string): string {
  return s.replace(/[«»"“”„']/g, '').replace(/\s+/g, ' ').trim().toLowerCase().replace(/ё/g, 'е');
}

function closestRegion(region: string): string {
  let best = KNOWN_REGIONS[0];
  let score = -1;
  for (const r of KNOWN_REGIONS) {
    const s = JaroWinklerDistance(region.toLowerCase(), r.toLowerCase(), { ignoreCase: true });
    if (s > score) [best, score] = [r, s];
  }
  return best;
}

/** Parses and validates the alias file's text. Every problem names the entry and the field. */
export function parseAliases(json: string, file: string): AddresseeAlias[] {
  const fail = (what: string, hint = 'each entry is {"form": "…", "name": "…", "region": "… (optional)"}'): never => {
    throw new ConfrecError(`invalid addressee aliases: ${what}`, { file, hint });
  };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    fail(`not JSON (${(err as Error).message})`, 'check the commas and quotes, or restore the file from git');
  }
  const list = (data as { aliases?: unknown } | null)?.aliases;
  if (!Array.isArray(list)) fail('"aliases" must be an array');
  const seen = new Map<string, AddresseeAlias>();
  return (list as unknown[]).map((raw, i) => {
    const entry = i + 1;
    const e = raw as Record<string, unknown>;
    const where = `entry #${entry}`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) fail(`${where} is not an object`);
    const unknown = Object.keys(e).filter((k) => !['form', 'name', 'region', 'note'].includes(k));
    if (unknown.length) fail(`${where}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`);
    const form = typeof e.form === 'string' ? e.form.trim() : '';
    if (!form) fail(`${where}: "form" must be a non-empty string`);
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (!name) fail(`${where} (${form}): "name" must be a non-empty string`);
    if (aliasKey(form) === aliasKey(name)) fail(`${where} (${form}): "form" and "name" are the same`);
    let region: string | null = null;
    if (e.region !== undefined && e.region !== null) {
      if (typeof e.region !== 'string') fail(`${where} (${form}): "region" must be a string`);
      const wanted = String(e.region).trim();
      region = KNOWN_REGIONS.find((x) => x.toLowerCase() === wanted.toLowerCase()) ?? null;
      if (!region) fail(`${where} (${form}): unknown region "${wanted}"`, `write the region as ingest does, e.g. "${closestRegion(wanted)}"`);
    }
    const alias: AddresseeAlias = { form, name, region, entry };
    const id = `${aliasKey(alias.form)}|${region ?? ''}`;
    const twin = seen.get(id);
    if (twin && aliasKey(twin.name) !== aliasKey(alias.name)) {
      fail(`${where} (${alias.form}) contradicts entry #${twin.entry}: «${twin.name}» or «${alias.name}»?`, 'keep one of them, or give each a "region"');
    }
    seen.set(id, alias);
    return alias;
  });
}

/** Reads the alias file; a missing file means no aliases. */
export function loadAliases(file: string): AddresseeAlias[] {
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfrecError(`cannot read addressee aliases: ${(err as Error).message}`, { file });
  }
  return parseAliases(json, file);
}

/** The alias for a name core in a document of `region`: one limited to that region first, then a general one. */
export function findAlias(aliases: readonly AddresseeAlias[], core: string, region: string | null): AddresseeAlias | undefined {
  const k = aliasKey(core);
  return aliases.find((a) => a.region !== null && a.region === region && aliasKey(a.form) === k) ?? aliases.find((a) => a.region === null && aliasKey(a.form) === k);
}

import { readFile } from 'node:fs/promises';
import { ConfrecError } from '../errors.js';

/** A seeded theme as users write it in data/themes.json. */
export interface ThemeDefinition {
  id: string;
  label_ru: string;
  description: string;
  /** Phrases embedded and compared with every recommendation. */
  seeds: string[];
  /** Lemma or lemma-phrase → weight (negative weights cancel, e.g. "без попечения родителей"). */
  terms: Record<string, number>;
}

function fail(file: string, what: string): never {
  throw new ConfrecError(`invalid theme definitions: ${what}`, { file, hint: 'see data/themes.json for the expected shape' });
}

/** Reads and validates theme definitions; every problem names the theme and the field. */
export function parseThemes(json: string, file: string): ThemeDefinition[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    fail(file, `not JSON (${(err as Error).message})`);
  }
  const themes = (data as { themes?: unknown }).themes;
  if (!Array.isArray(themes) || themes.length === 0) fail(file, '"themes" must be a non-empty array');
  const seen = new Set<string>();
  return themes.map((t: Record<string, unknown>, i) => {
    const where = `theme #${i + 1}${typeof t.id === 'string' ? ` (${t.id})` : ''}`;
    if (typeof t.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(t.id)) fail(file, `${where}: "id" must be snake_case`);
    if (seen.has(t.id)) fail(file, `${where}: duplicate id`);
    seen.add(t.id);
    if (typeof t.label_ru !== 'string' || !t.label_ru) fail(file, `${where}: "label_ru" is required`);
    const seeds = t.seeds ?? [];
    if (!Array.isArray(seeds) || seeds.some((s) => typeof s !== 'string')) fail(file, `${where}: "seeds" must be strings`);
    const terms = t.terms ?? {};
    if (typeof terms !== 'object' || Object.values(terms as object).some((w) => typeof w !== 'number')) {
      fail(file, `${where}: "terms" must map phrases to numbers`);
    }
    if (seeds.length === 0 && Object.keys(terms as object).length === 0) fail(file, `${where}: give seeds or terms`);
    return {
      id: t.id,
      label_ru: t.label_ru,
      description: typeof t.description === 'string' ? t.description : '',
      seeds: seeds as string[],
      terms: terms as Record<string, number>,
    };
  });
}

export async function loadThemes(file: string): Promise<ThemeDefinition[]> {
  const json = await readFile(file, 'utf8').catch(() => {
    throw new ConfrecError('theme definitions not found', { file, hint: 'create it, or pass --themes FILE' });
  });
  return parseThemes(json, file);
}

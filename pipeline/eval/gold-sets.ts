/**
 * Every annotated document set the project has, found on disk so that a new one counts the moment
 * it is added: the sample corpus (data/resolutions with tests/fixtures/gold) and every folder under
 * tests/fixtures that holds a `gold/` and a `docs/` side by side (gold/<family>/x.json annotates
 * docs/<family>/x.<ext>), such as the layout-family fixtures and the theme test documents.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../config.js';

export interface GoldSet {
  /** Folder relative to the project: «tests/fixtures/layouts». */
  name: string;
  goldDir: string;
  docsDir: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function discoverGoldSets(root = ROOT): GoldSet[] {
  const sets: GoldSet[] = [];
  const samplesGold = join(root, 'tests', 'fixtures', 'gold');
  const samplesDocs = join(root, 'data', 'resolutions');
  if (isDir(samplesGold) && isDir(samplesDocs)) sets.push({ name: 'samples', goldDir: samplesGold, docsDir: samplesDocs });
  const fixtures = join(root, 'tests', 'fixtures');
  const walk = (dir: string, depth: number) => {
    if (depth > 3 || !isDir(dir)) return;
    const gold = join(dir, 'gold');
    const docs = join(dir, 'docs');
    if (dir !== fixtures && isDir(gold) && isDir(docs)) {
      sets.push({ name: relative(root, dir), goldDir: gold, docsDir: docs });
      return;
    }
    for (const name of readdirSync(dir).sort()) {
      const sub = join(dir, name);
      if (name !== 'gold' && name !== 'docs' && !name.startsWith('.') && isDir(sub)) walk(sub, depth + 1);
    }
  };
  if (existsSync(fixtures)) walk(fixtures, 0);
  return sets;
}

/** Every .json file under a gold folder (family sub-folders included), in a stable order. */
export function goldFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (isDir(p)) walk(p);
      else if (name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

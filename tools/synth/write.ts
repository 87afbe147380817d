/**
 * Writes a generated corpus to a folder as it is generated (memory stays bounded whatever --docs is):
 * documents by year under docs/, one gold JSON per document under gold/, planted_pairs.json,
 * documents.jsonl and manifest.json.
 * Output is a function of (seed, docs) only: no timestamps, no absolute paths.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfrecError } from '../../pipeline/errors.js';
import { generateDocuments, SYNTH_VERSION, type SynthOptions } from './generate.js';
import { LAYOUTS, BULLETS } from './layout.js';
import { THEMES, weightsByYear } from './themes.js';

export interface Manifest {
  generator: string;
  version: string;
  seed: number;
  docs: number;
  md_share: number;
  planted_share: number;
  counts: {
    documents: number;
    txt: number;
    md: number;
    recommendations: number;
    not_recommendations: number;
    planted_pairs: number;
    by_year: Record<string, number>;
    by_layout: Record<string, number>;
    by_bullet: Record<string, number>;
    by_trap: Record<string, number>;
    planted_by_edit: Record<string, number>;
    /** Recommendations carrying each theme, per year: the realised trend. */
    themes_by_year: Record<string, Record<string, number>>;
    recommendations_by_year: Record<string, number>;
  };
  /** Topic shares each recommendation's topic was drawn from, per year. */
  theme_weights_by_year: ReturnType<typeof weightsByYear>;
  files: { documents: string; gold: string; planted_pairs: string; index: string };
  notes: string[];
}

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

const zeroed = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;

/** Refuses to mix a new corpus into a folder that already has files, unless asked to. */
export function prepareOutDir(out: string, force: boolean): void {
  if (existsSync(out) && readdirSync(out).length > 0 && !force) {
    throw new ConfrecError('output folder is not empty', { file: out, hint: 'choose a new folder or pass --force' });
  }
  mkdirSync(join(out, 'gold'), { recursive: true });
}

export function writeCorpus(out: string, opts: SynthOptions, onDoc?: (done: number) => void): Manifest {
  const md_share = opts.mdShare ?? 0.08;
  const planted_share = opts.plantedShare ?? 0.08;
  const counts: Manifest['counts'] = {
    documents: 0,
    txt: 0,
    md: 0,
    recommendations: 0,
    not_recommendations: 0,
    planted_pairs: 0,
    by_year: {},
    by_layout: zeroed(LAYOUTS),
    by_bullet: zeroed(BULLETS),
    by_trap: {},
    planted_by_edit: {},
    themes_by_year: {},
    recommendations_by_year: {},
  };
  const madeDirs = new Set<string>();
  const pairsFd = openSync(join(out, 'planted_pairs.json'), 'w');
  const indexFd = openSync(join(out, 'documents.jsonl'), 'w');
  try {
    writeSync(pairsFd, '[');
    let firstPair = true;
    for (const doc of generateDocuments(opts)) {
      const { info, gold } = doc;
      const dir = join(out, 'docs', String(info.year));
      if (!madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        madeDirs.add(dir);
      }
      writeFileSync(join(out, info.path), doc.text);
      writeFileSync(join(out, 'gold', info.file.replace(/\.(txt|md)$/, '.json')), JSON.stringify(gold, null, 2) + '\n');
      writeSync(indexFd, JSON.stringify(info) + '\n');
      for (const p of doc.planted) {
        writeSync(pairsFd, `${firstPair ? '' : ','}\n  ${JSON.stringify(p)}`);
        firstPair = false;
        bump(counts.planted_by_edit, p.edit.split(':')[0]);
      }

      const y = String(info.year);
      counts.documents++;
      if (info.md) counts.md++;
      else counts.txt++;
      counts.recommendations += gold.recommendations.length;
      counts.not_recommendations += gold.not_recommendations.length;
      counts.planted_pairs += doc.planted.length;
      bump(counts.by_year, y);
      bump(counts.by_layout, info.layout);
      if (info.layout !== 'run-on' && info.layout !== 'framing-paragraphs') bump(counts.by_bullet, info.bullet);
      for (const t of info.traps) bump(counts.by_trap, t);
      bump(counts.recommendations_by_year, y, gold.recommendations.length);
      counts.themes_by_year[y] ??= zeroed(THEMES);
      for (const r of gold.recommendations) for (const t of r.themes) bump(counts.themes_by_year[y], t);
      onDoc?.(counts.documents);
    }
    writeSync(pairsFd, firstPair ? ']\n' : '\n]\n');
  } finally {
    closeSync(pairsFd);
    closeSync(indexFd);
  }
  const manifest: Manifest = {
    generator: 'confrec synth',
    version: SYNTH_VERSION,
    seed: opts.seed,
    docs: opts.docs,
    md_share,
    planted_share,
    counts,
    theme_weights_by_year: weightsByYear(),
    files: {
      documents: 'docs/<year>/resolution-NNNNN.(txt|md)',
      gold: 'gold/resolution-NNNNN.json',
      planted_pairs: 'planted_pairs.json',
      index: 'documents.jsonl',
    },
    notes: [
      'theme_weights_by_year are the shares each recommendation\'s primary topic is drawn from (half the time via the document focus, itself drawn from the same weights). A recommendation can gain further themes from a coordinated second object or a themed purpose phrase, so the realised shares (counts.themes_by_year / counts.recommendations_by_year) run higher; both move the same way over the years.',
      'Themes are ovz, giftedness, parental_competence, upbringing; the other topics carry no theme.',
      'planted_pairs lists every deliberate near-duplicate (seq is 1-based in the gold list). Exact-text repeats occur only as planted pairs, but recommendations built from the same phrase bank can be similar by chance.',
      'not_recommendations quote the first words of trap passages: goals, tasks, agenda, problems, observations, links, reports of earlier recommendations, evaluative items.',
    ],
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

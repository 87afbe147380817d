import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { testMorph } from '../helpers/morph.js';
import { prepareOutDir, writeCorpus, type Manifest } from '../../tools/synth/write.js';
import type { DocInfo, PlantedPair, SynthGold } from '../../tools/synth/generate.js';
import { BULLETS, LAYOUTS } from '../../tools/synth/layout.js';
import { TRAP_KINDS } from '../../tools/synth/traps.js';
import { THEMES } from '../../tools/synth/themes.js';
import { synthCommand } from '../../tools/synth/command.js';
import { ConfrecError, UsageError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/progress.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { scoreDocument, summarise, type DocScore, type GoldFile } from '../../pipeline/eval/score.js';

/** Every file under dir, as sorted relative paths. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, name)).isDirectory()) out.push(...listFiles(join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}

/** The gold README's verbatim rule: markdown bold removed, whitespace collapsed. */
const norm = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();

/** A recommendation without the "Рекомендовать X" / "Участники … рекомендуют X" that places it in a sentence. */
function core(r: SynthGold['recommendations'][number]): string {
  let t = r.text.replace(/^(?:Рекомендовать|Участники .+? рекомендуют) /, '');
  if (r.addressee_raw && t.startsWith(r.addressee_raw)) t = t.slice(r.addressee_raw.length).replace(/^,?\s+/, '');
  return t.toLowerCase();
}

function generate(docs: number, seed: number): string {
  const dir = tempDir('confrec-synth-');
  prepareOutDir(dir, false);
  writeCorpus(dir, { docs, seed });
  return dir;
}

interface Corpus {
  dir: string;
  manifest: Manifest;
  docs: { info: DocInfo; text: string; gold: SynthGold }[];
  pairs: PlantedPair[];
}

function readCorpus(dir: string): Corpus {
  const infos = readFileSync(join(dir, 'documents.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DocInfo);
  return {
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest,
    docs: infos.map((info) => ({
      info,
      text: readFileSync(join(dir, info.path), 'utf8'),
      gold: JSON.parse(readFileSync(join(dir, 'gold', info.file.replace(/\.\w+$/, '.json')), 'utf8')) as SynthGold,
    })),
    pairs: JSON.parse(readFileSync(join(dir, 'planted_pairs.json'), 'utf8')) as PlantedPair[],
  };
}

describe('confrec synth: determinism', () => {
  it('the same seed gives byte-identical files; another seed gives another corpus', () => {
    const a = generate(60, 42);
    const b = generate(60, 42);
    const c = generate(60, 43);
    const files = listFiles(a);
    expect(files).toEqual(listFiles(b));
    expect(files).toContain('manifest.json');
    expect(files).toContain('planted_pairs.json');
    expect(files.filter((f) => f.startsWith('gold/'))).toHaveLength(60);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const differing = listFiles(c).filter((f) => existsSync(join(a, f)) && !readFileSync(join(c, f)).equals(readFileSync(join(a, f))));
    expect(differing.length).toBeGreaterThan(50);
  });
});

describe('confrec synth: a 240-document corpus', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = readCorpus(generate(240, 7));
  });

  it('writes one document and one gold file per document, spread by year', () => {
    expect(corpus.docs).toHaveLength(240);
    const years = new Set(corpus.docs.map((d) => d.info.year));
    expect([...years].sort()).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    for (const d of corpus.docs) {
      expect(d.info.path).toBe(`docs/${d.info.year}/${d.info.file}`);
      expect(d.gold.file).toBe(d.info.file);
      expect(d.gold.conference.year).toBe(d.info.year);
      expect(d.gold.recommendations.length).toBeGreaterThan(0);
    }
    expect(corpus.docs.filter((d) => d.info.md).length).toBeGreaterThan(5);
  });

  it('every gold text, addressee heading and trap quote is verbatim in its document', () => {
    for (const { text, gold } of corpus.docs) {
      const src = norm(text);
      for (const r of gold.recommendations) {
        expect(src, `${gold.file}: ${r.text}`).toContain(norm(r.text));
        expect(r.text).not.toMatch(/^[-–—•·*]|^\d+[.)]|[;.]$|\s{2}|\*\*/);
        expect(r.text.toLowerCase(), gold.file).toContain(r.verb);
        if (r.addressee_raw) expect(src, gold.file).toContain(norm(r.addressee_raw));
        expect(r.addressee === null).toBe(r.addressee_raw === null);
        for (const t of r.themes) expect(THEMES).toContain(t);
      }
      for (const q of gold.not_recommendations) expect(src, `${gold.file}: ${q}`).toContain(norm(q));
      expect(src).toContain(gold.conference.title);
    }
  });

  it('every planted pair points at existing gold items in an earlier document', () => {
    const byFile = new Map(corpus.docs.map((d, k) => [d.info.file, { ...d, k }]));
    expect(corpus.pairs.length).toBeGreaterThan(40);
    for (const p of corpus.pairs) {
      const a = byFile.get(p.a.file)!;
      const b = byFile.get(p.b.file)!;
      expect(a, p.a.file).toBeDefined();
      expect(b, p.b.file).toBeDefined();
      expect(a.k).toBeLessThan(b.k);
      expect(a.info.year).toBeLessThanOrEqual(b.info.year);
      const ra = a.gold.recommendations[p.a.seq - 1];
      const rb = b.gold.recommendations[p.b.seq - 1];
      expect(ra, `${p.a.file}#${p.a.seq}`).toBeDefined();
      expect(rb, `${p.b.file}#${p.b.seq}`).toBeDefined();
      const textEdited = !/^(exact|addressee)(:|$)/.test(p.edit);
      if (textEdited) expect(core(rb), p.edit).not.toBe(core(ra));
      else expect(core(rb), p.edit).toBe(core(ra));
      if (p.edit.includes('addressee')) expect(rb.addressee).not.toBe(ra.addressee);
    }
    const kinds = new Set(corpus.pairs.map((p) => p.edit.split(/[:+]/)[0]));
    for (const k of ['synonym', 'phrase-added', 'phrase-dropped', 'word-order']) expect(kinds).toContain(k);
  });

  it('covers every layout, list marker and trap kind', () => {
    const layouts = new Set(corpus.docs.map((d) => d.info.layout));
    for (const l of LAYOUTS) expect(layouts, l).toContain(l);
    const bullets = new Set(corpus.docs.map((d) => d.info.bullet));
    for (const b of BULLETS) expect(bullets, b).toContain(b);
    const traps = new Set(corpus.docs.flatMap((d) => d.info.traps));
    for (const t of TRAP_KINDS) expect(traps, t).toContain(t);
    const kinds = new Set(corpus.docs.map((d) => d.gold.conference.kind));
    expect(kinds.size).toBe(6);
  });

  it('the manifest counts what was written and records the theme drift', () => {
    const { manifest, docs, pairs } = corpus;
    expect(manifest.seed).toBe(7);
    expect(manifest.counts.documents).toBe(240);
    expect(manifest.counts.recommendations).toBe(docs.reduce((s, d) => s + d.gold.recommendations.length, 0));
    expect(manifest.counts.planted_pairs).toBe(pairs.length);
    const w = manifest.theme_weights_by_year;
    for (const y of Object.keys(w)) expect(Object.values(w[y]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(w['2025'].upbringing).toBeGreaterThan(2 * w['2015'].upbringing);
    expect(w['2025'].ovz).toBeLessThan(w['2015'].ovz);
    // The realised corpus follows the weights: upbringing's share grows from the early to the late years.
    const share = (years: string[], theme: string) =>
      years.reduce((s, y) => s + (manifest.counts.themes_by_year[y]?.[theme] ?? 0), 0) /
      years.reduce((s, y) => s + (manifest.counts.recommendations_by_year[y] ?? 0), 0);
    expect(share(['2023', '2024', '2025'], 'upbringing')).toBeGreaterThan(share(['2015', '2016', '2017'], 'upbringing'));
    expect(share(['2023', '2024', '2025'], 'ovz')).toBeLessThan(share(['2015', '2016', '2017'], 'ovz'));
  });

  it('the segmenter reaches F1 ≥ 0.9 on the generated documents', async () => {
    const morph = await testMorph();
    const scores: (DocScore & { layout: string })[] = [];
    for (const { info, text, gold } of corpus.docs) {
      const seg = segmentResolution(normaliseText(text), morph);
      const predicted = seg.recommendations.map((r) => ({ text: r.text, addressee: r.addressee, verb: r.verb }));
      scores.push({ ...scoreDocument(gold as unknown as GoldFile, null, predicted), layout: info.layout });
    }
    const s = summarise(scores);
    const byLayout = LAYOUTS.map((l) => {
      const sub = summarise(scores.filter((d) => d.layout === l));
      return `  ${l.padEnd(20)} docs ${String(sub.documents).padStart(3)}  F1 ${sub.f1.toFixed(3)}  addressee ${sub.addresseeAccuracy.toFixed(3)}`;
    });
    const worst = [...scores]
      .sort((a, b) => b.fp + b.fn - (a.fp + a.fn))
      .slice(0, 8)
      .map((d) => `  ${d.file} [${d.layout}] fp ${d.fp} fn ${d.fn}\n${d.errors.filter((e) => !e.startsWith('meta')).slice(0, 4).map((e) => `      ${e}`).join('\n')}`);
    console.log(
      [
        `synthetic corpus (240 docs): F1 ${s.f1.toFixed(3)} (P ${s.precision.toFixed(3)}, R ${s.recall.toFixed(3)}), ` +
          `addressee ${s.addresseeAccuracy.toFixed(3)}, verb ${s.verbAccuracy.toFixed(3)}, trap items taken ${s.trapHits}`,
        ...byLayout,
        'worst documents:',
        ...worst,
      ].join('\n'),
    );
    expect(s.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.verbAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('confrec synth command', () => {
  const ctx = { dbPath: '', quiet: true, verbose: false, log: silentLogger };

  it('writes a corpus and refuses to write into a non-empty folder without --force', async () => {
    const out = join(tempDir('confrec-synth-cmd-'), 'corpus');
    await synthCommand.run({ positionals: [], values: { docs: '5', seed: '3', out } }, ctx);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).counts.documents).toBe(5);
    await expect(synthCommand.run({ positionals: [], values: { docs: '5', seed: '3', out } }, ctx)).rejects.toThrow(ConfrecError);
    await synthCommand.run({ positionals: [], values: { docs: '5', seed: '3', out, force: true } }, ctx);
  });

  it('rejects a missing --out and a malformed --docs', async () => {
    await expect(synthCommand.run({ positionals: [], values: { docs: '5' } }, ctx)).rejects.toThrow(UsageError);
    const out = tempDir('confrec-synth-cmd-');
    await expect(synthCommand.run({ positionals: [], values: { docs: 'many', out } }, ctx)).rejects.toThrow(UsageError);
  });
});

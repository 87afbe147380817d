import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findCycles, importsOf } from '../helpers/imports.js';

// The house rules that code review keeps missing, checked on the source tree (docs/architecture.md).

const ROOT = join(__dirname, '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (e.endsWith('.ts') && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');
const FILES = ['pipeline', 'tools', 'bench'].flatMap((d) => sources(join(ROOT, d)));
const GRAPH = new Map(FILES.map((f) => [rel(f), importsOf(readFileSync(f, 'utf8')).filter((s) => s.startsWith('.')).map((s) => rel(resolve(dirname(f), s.replace(/\.js$/, '.ts'))))]));

describe('imports', () => {
  it('every relative import names a file that exists', () => {
    const missing = [...GRAPH].flatMap(([from, to]) => to.filter((t) => !existsSync(join(ROOT, t))).map((t) => `${from} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('no import circle in pipeline/, tools/ or bench/ (type-only imports included)', () => {
    expect(findCycles(GRAPH).map((c) => c.join(' → '))).toEqual([]);
  });

  it('the cycle finder finds a circle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(importsOf(`import type { X } from './x.js';\nexport { y } from "../y.js";\nconst z = await import('./z.js');`)).toEqual(['./x.js', '../y.js', './z.js']);
  });

  it('pipeline/ is runtime: only command files reach into tools/ (synth, the tiny model builder)', () => {
    const reach = [...GRAPH].flatMap(([from, to]) => (from.startsWith('pipeline/') ? to.filter((t) => t.startsWith('tools/')).map((t) => `${from} → ${t}`) : []));
    const allowed = (edge: string) => /^pipeline\/(commands\.ts|[^/]+\/command\.ts) → /.test(edge);
    expect(reach.filter((e) => !allowed(e))).toEqual([]);
  });

  it('an embed backend imports the interface, never the registry', () => {
    const bad = [...GRAPH].flatMap(([from, to]) =>
      /^pipeline\/embed\/(lexical|transformers)\//.test(from) ? to.filter((t) => t === 'pipeline/embed/registry.ts').map((t) => `${from} → ${t}`) : [],
    );
    expect(bad).toEqual([]);
    // The interface file holds types only: nothing it imports runs.
    const iface = readFileSync(join(ROOT, 'pipeline', 'embed', 'types.ts'), 'utf8');
    expect(iface.match(/^import (?!type )/gm) ?? []).toEqual([]);
  });

  it("no stage reaches into an embed backend's folder: shared maths lives in pipeline/math", () => {
    const reach = [...GRAPH].flatMap(([from, to]) =>
      from.startsWith('pipeline/') && !from.startsWith('pipeline/embed/')
        ? to.filter((t) => /^pipeline\/embed\/(lexical|transformers)\//.test(t)).map((t) => `${from} → ${t}`)
        : [],
    );
    expect(reach).toEqual([]);
  });
});

describe('state', () => {
  it('no module reads a temp table another module created (intermediate data are handles: store/scratch.ts)', () => {
    const created = new Map<string, string>();
    const texts = new Map(FILES.map((f) => [rel(f), readFileSync(f, 'utf8')]));
    for (const [file, text] of texts) {
      for (const m of text.matchAll(/TEMP\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi)) created.set(m[1].toLowerCase(), file);
    }
    const shared: string[] = [];
    for (const [name, owner] of created) {
      // Read in SQL (FROM / JOIN / INTO / TABLE / UPDATE name) or appended to by name.
      const use = new RegExp(`(?:\\b(?:FROM|JOIN|INTO|TABLE|UPDATE)\\s+${name}\\b)|append\\(\\s*'${name}'`, 'i');
      for (const [file, text] of texts) if (file !== owner && use.test(text)) shared.push(`${name}: made in ${owner}, read in ${file}`);
    }
    expect(shared).toEqual([]);
  });

  it('appenders get a column spec, not a positional type list', () => {
    const positional = [...FILES].filter((f) => /\.append\(\s*'[^']+'\s*,\s*\[/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(positional).toEqual([]);
  });
});

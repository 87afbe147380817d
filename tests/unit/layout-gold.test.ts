/**
 * The layout-family fixtures (tests/fixtures/layouts, tests/fixtures/heldout) are scored by
 * `npm run eval` and reused by the theme evaluation and the format fixtures, so their gold must obey
 * the rules of /work/shared/eval/gold/README.md exactly. These are the README's verification checks,
 * plus the optional fields this project adds (form, responsible, deadline, source_kind).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readDocument } from '../../pipeline/ingest/readers.js';

const ROOT = join(__dirname, '..', 'fixtures');
const SETS = ['layouts', 'heldout'].map((s) => join(ROOT, s)).filter((d) => existsSync(join(d, 'gold')));

const norm = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
const THEMES = new Set(['ovz', 'giftedness', 'parental_competence', 'upbringing']);
const FORMS = new Set(['infinitive', 'imperative', 'nominal', 'sentence']);
const ISO = /^\d{4}-\d{2}-\d{2}$/;

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

interface GoldRec {
  addressee: string | null;
  addressee_raw: string | null;
  text: string;
  verb: string | null;
  themes: string[];
  topics: string[];
  form?: string;
  responsible?: string | null;
  deadline?: string | null;
}

describe.each(SETS.map((s) => [relative(ROOT, s), s]))('gold of %s', (_name, set) => {
  const golds = walk(join(set, 'gold'), '.json');
  const docs = new Map(walk(join(set, 'docs'), '').filter((p) => !p.endsWith('.json')).map((p) => [p.split('/').pop()!, p]));

  it('has one document per gold file and one gold file per document', () => {
    const names = golds.map((g) => JSON.parse(readFileSync(g, 'utf8')).file as string);
    expect(new Set(names).size).toBe(names.length);
    expect([...docs.keys()].sort()).toEqual([...names].sort());
  });

  it.each(golds.map((g) => [relative(set, g), g]))('%s follows the gold rules', async (_rel, path) => {
    const gold = JSON.parse(readFileSync(path, 'utf8'));
    const docPath = docs.get(gold.file)!;
    expect(docPath, gold.file).toBeDefined();
    const src = norm((await readDocument(docPath, readFileSync(docPath))).text);
    expect(['resolution', 'news', undefined]).toContain(gold.source_kind);
    if (gold.conference.title) expect(src).toContain(norm(gold.conference.title));
    for (const f of ['date_start', 'date_end']) if (gold.conference[f]) expect(gold.conference[f]).toMatch(ISO);
    for (const r of gold.recommendations as GoldRec[]) {
      expect(src, r.text).toContain(norm(r.text));
      expect(r.text, 'no list marker, no trailing ; or .').not.toMatch(/^(?:[-–—•·*]\s|\d+[.)]\s|[а-я]\)\s)|[;.]$/);
      if (r.addressee_raw !== null) expect(src, r.addressee_raw).toContain(norm(r.addressee_raw));
      expect(r.addressee === null, r.text).toBe(r.addressee_raw === null);
      for (const t of r.themes) expect(THEMES, r.text).toContain(t);
      expect(Array.isArray(r.topics)).toBe(true);
      if (r.form !== undefined) {
        expect(FORMS).toContain(r.form);
        expect(r.verb === null, `verb is null exactly when the item is nominal: ${r.text}`).toBe(r.form === 'nominal');
      }
      if (r.verb !== null && r.form !== 'imperative') expect(r.text.toLowerCase(), r.verb).toContain(r.verb);
      if (r.deadline) expect(r.deadline).toMatch(ISO);
      if (r.responsible) expect(src, r.responsible).toContain(norm(r.responsible));
    }
    for (const q of gold.not_recommendations as string[]) expect(src, q).toContain(norm(q));
  });
});

/**
 * Segmentation quality per file format on the format fixtures (tests/fixtures/formats): every
 * rendering of the ten fixture resolutions is read by its reader (OCR included when tesseract is
 * installed), normalised and segmented, and its recommendations are matched leniently (token F1 ≥ 0.8,
 * one to one) with the gold written alongside the resolutions. The .txt rendering (typed markers) is
 * the baseline: a format reads well when it scores what the text scores.
 *
 *   npm run bench -- formats [--ocr off]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { readDocument } from '../pipeline/ingest/readers.js';
import { ocrAvailable } from '../pipeline/ingest/readers/ocr.js';
import { segmentResolution } from '../pipeline/segment/segment.js';
import { loadMorph } from '../pipeline/text/morph.js';
import { normaliseText } from '../pipeline/text/normalise.js';
import { f1, familyOf, matchLenient, resolutionOf, type Counts } from '../tests/fixtures/formats/score.js';
import { machineInfo, printMachine, table } from './machine.js';

const DIR = join(ROOT, 'tests', 'fixtures', 'formats');

export interface FormatScore {
  family: string;
  files: number;
  tp: number;
  fp: number;
  fn: number;
  f1: number;
  /** F1 on the resolutions whose .txt the segmenter gets fully right: what the reader is answerable for. */
  f1WhereTextIsRight: number;
  /** Lenient F1 between this format's recommendations and the .txt's. */
  agreementWithText: number;
  seconds: number;
  /** Mean OCR confidence over the family's files, when its text came from OCR. */
  ocrConfidence: number | null;
}

export async function scoreFormats(options: { ocr: boolean; log?: (line: string) => void }): Promise<{ families: FormatScore[]; failures: string[] }> {
  const morph = await loadMorph();
  const gold = new Map<string, string[]>();
  for (const f of readdirSync(join(DIR, 'gold'))) {
    const g = JSON.parse(readFileSync(join(DIR, 'gold', f), 'utf8')) as { recommendations: { text: string }[] };
    gold.set(f.replace(/\.json$/, ''), g.recommendations.map((r) => r.text));
  }
  const byFamily = new Map<string, { counts: Counts[]; solved: Counts[]; agreement: Counts[]; seconds: number; conf: number[] }>();
  const failures: string[] = [];
  // The .txt renderings first: the baseline each format is compared with.
  const fromText = new Map<string, string[]>();
  for (const res of gold.keys()) {
    const raw = await readDocument(`${res}.txt`, new Uint8Array(readFileSync(join(DIR, 'files', `${res}.txt`))));
    fromText.set(res, segmentResolution(normaliseText(raw.text), morph).recommendations.map((r) => r.text));
  }
  const textIsRight = new Set([...gold.keys()].filter((r) => {
    const c = matchLenient(fromText.get(r)!, gold.get(r)!);
    return c.fp + c.fn === 0;
  }));
  for (const file of readdirSync(join(DIR, 'files')).sort()) {
    const res = resolutionOf(file);
    if (!res || !gold.has(res)) continue;
    const family = familyOf(file);
    if (!options.ocr && family.includes('OCR')) continue;
    const t = Date.now();
    let predicted: string[] = [];
    let conf: number | null = null;
    try {
      const raw = await readDocument(join(DIR, 'files', file), new Uint8Array(readFileSync(join(DIR, 'files', file))), { ocr: options.ocr ? 'auto' : 'off' });
      conf = raw.ocrConfidence;
      predicted = segmentResolution(normaliseText(raw.text), morph).recommendations.map((r) => r.text);
    } catch (err) {
      failures.push(`${file}: ${(err as Error).message}`);
    }
    const counts = matchLenient(predicted, gold.get(res)!);
    const entry = byFamily.get(family) ?? { counts: [], solved: [], agreement: [], seconds: 0, conf: [] };
    entry.counts.push(counts);
    if (textIsRight.has(res)) entry.solved.push(counts);
    entry.agreement.push(matchLenient(predicted, fromText.get(res)!));
    entry.seconds += (Date.now() - t) / 1000;
    if (conf !== null) entry.conf.push(conf);
    byFamily.set(family, entry);
    if (counts.fp + counts.fn > 0) {
      failures.push(`${file}: ${counts.tp} matched, missed [${counts.missed.map((m) => m.slice(0, 50)).join(' | ')}], extra [${counts.extra.map((m) => m.slice(0, 50)).join(' | ')}]`);
    }
    options.log?.(`${file}: F1 ${f1(counts).toFixed(3)}`);
  }
  const sum = (cs: Counts[]) => ({ tp: cs.reduce((a, c) => a + c.tp, 0), fp: cs.reduce((a, c) => a + c.fp, 0), fn: cs.reduce((a, c) => a + c.fn, 0) });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const families = [...byFamily.entries()].map(([family, e]) => {
    const { tp, fp, fn } = sum(e.counts);
    return {
      family,
      files: e.counts.length,
      tp,
      fp,
      fn,
      f1: round(f1({ tp, fp, fn })),
      f1WhereTextIsRight: round(f1(sum(e.solved))),
      agreementWithText: round(f1(sum(e.agreement))),
      seconds: Math.round(e.seconds * 10) / 10,
      ocrConfidence: e.conf.length ? Math.round((e.conf.reduce((a, b) => a + b, 0) / e.conf.length) * 10) / 10 : null,
    };
  });
  families.sort((a, b) => a.family.localeCompare(b.family));
  return { families, failures };
}

export async function runFormatsBenchmark(flags: { ocr: boolean }): Promise<void> {
  const available = await ocrAvailable();
  const ocr = flags.ocr && available.ok;
  printMachine();
  if (flags.ocr && !available.ok) process.stdout.write(`OCR families skipped: ${available.reason}\n`);
  const { families, failures } = await scoreFormats({ ocr });
  process.stdout.write(
    `${table(
      ['format', 'files', 'matched', 'extra', 'missed', 'F1', 'F1 where .txt is right', 'agreement with .txt', 'OCR conf.', 'read+segment s'],
      families.map((f) => [f.family, f.files, f.tp, f.fp, f.fn, f.f1.toFixed(3), f.f1WhereTextIsRight.toFixed(3), f.agreementWithText.toFixed(3), f.ocrConfidence ?? '', f.seconds]),
    )}\n`,
  );
  if (failures.length) process.stdout.write(`\nfiles with differences:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  const out = join(ROOT, 'bench', 'results', 'formats.json');
  writeFileSync(out, `${JSON.stringify({ machine: machineInfo(), ocr, families, failures }, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${out}\n`);
}

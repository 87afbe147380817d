/**
 * Pathological inputs, timed: a 10 MB file on one line (with and without an operative heading),
 * 9,000 deeply nested list items, 3,000 addressee headings. Normalisation, segmentation and
 * metadata each get their own time. The tests (tests/unit/fuzz.test.ts) check these inputs come out
 * right; how long they take is measured here, where a regression shows as a number, not a flaky test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { extractMetadata } from '../pipeline/ingest/metadata.js';
import { segmentResolution } from '../pipeline/segment/segment.js';
import { loadMorph } from '../pipeline/text/morph.js';
import { normaliseText } from '../pipeline/text/normalise.js';
import { machineInfo, printMachine, rssMb, table } from './machine.js';

interface Case {
  name: string;
  text: () => string;
}

const UNIT = 'обеспечить повышение квалификации педагогов; ';
const repeatTo = (bytes: number) => UNIT.repeat(Math.ceil(bytes / Buffer.byteLength(UNIT)));

const CASES: Case[] = [
  { name: '10 MB on one line, no heading', text: () => repeatTo(10 * 1024 * 1024) },
  { name: '10 MB on one line after «рекомендуют:»', text: () => `РЕЗОЛЮЦИЯ\n\nУчастники конференции рекомендуют: ${repeatTo(10 * 1024 * 1024)}` },
  {
    name: '9,000 nested list items',
    text: () => {
      const lines = ['Участники конференции рекомендуют:'];
      for (let i = 0; i < 3000; i++) {
        const depth = (i % 12) + 1;
        lines.push(`${Array.from({ length: depth }, (_, d) => ((d + i) % 9) + 1).join('.')}. обеспечить уровень ${depth} пункта ${i};`, `а) продолжить работу ${i}`, `- развивать направление ${i}:`);
      }
      return lines.join('\n');
    },
  },
  {
    name: '3,000 addressee headings',
    text: () => {
      const lines = ['Участники конференции рекомендуют:'];
      for (let i = 0; i < 3000; i++) lines.push(i % 2 ? 'Образовательным организациям:' : `ОРГАНАМ МЕСТНОГО САМОУПРАВЛЕНИЯ ГОРОДА ${i}`, `- обеспечить выполнение решения № ${i};`);
      return lines.join('\n');
    },
  },
];

const ms = (t: number) => Math.round(performance.now() - t);

export async function runPathologicalBenchmark(): Promise<void> {
  printMachine();
  const morph = await loadMorph();
  const rows: { case: string; mb: number; normalise_ms: number; segment_ms: number; metadata_ms: number; recommendations: number }[] = [];
  for (const c of CASES) {
    const raw = c.text();
    let t = performance.now();
    const text = normaliseText(raw);
    const normaliseMs = ms(t);
    t = performance.now();
    const seg = segmentResolution(text, morph);
    const segmentMs = ms(t);
    t = performance.now();
    extractMetadata(text, morph);
    const metadataMs = ms(t);
    rows.push({ case: c.name, mb: +(Buffer.byteLength(raw) / 1048576).toFixed(1), normalise_ms: normaliseMs, segment_ms: segmentMs, metadata_ms: metadataMs, recommendations: seg.recommendations.length });
    process.stderr.write(`${c.name}: ${normaliseMs + segmentMs + metadataMs} ms\n`);
  }
  process.stdout.write(
    '\n' +
      table(
        ['case', 'MB', 'normalise ms', 'segment ms', 'metadata ms', 'recommendations'],
        rows.map((r) => [r.case, r.mb, r.normalise_ms, r.segment_ms, r.metadata_ms, r.recommendations]),
      ) +
      `\npeak RSS ${rssMb()} MB\n`,
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'pathological.json'), JSON.stringify({ machine: machineInfo(), rows, peakRssMb: rssMb() }, null, 2) + '\n');
}

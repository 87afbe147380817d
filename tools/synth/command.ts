import { join, resolve } from 'node:path';
import type { CommandSpec } from '../../pipeline/command.js';
import { UsageError } from '../../pipeline/errors.js';
import { createProgress } from '../../pipeline/progress.js';
import { refuseDatabaseTarget } from '../../pipeline/store/outputs.js';
import { prepareOutDir, writeCorpus } from './write.js';

function intOption(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`, `got ${JSON.stringify(value ?? null)}`);
  }
  return n;
}

export const synthCommand: CommandSpec = {
  name: 'synth',
  summary: 'generate a synthetic corpus of resolutions with gold annotations and planted near-duplicates',
  usage: 'confrec synth --docs N --seed S --out DIR [--force]',
  options: {
    docs: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values }, ctx) {
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out DIR is required', 'usage: ' + synthCommand.usage);
    const docs = intOption(values.docs ?? '100', 'docs', 1, 10_000_000);
    const seed = intOption(values.seed ?? '1', 'seed', 0, 0xffffffff);
    const out = resolve(values.out);
    for (const target of [out, join(out, 'manifest.json')]) refuseDatabaseTarget(target, ctx.dbPath);
    prepareOutDir(out, Boolean(values.force));
    const progress = createProgress('synth', docs, { quiet: ctx.quiet });
    const started = Date.now();
    const manifest = writeCorpus(out, { docs, seed }, () => progress.tick());
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    progress.done();
    const c = manifest.counts;
    ctx.log.info(
      `synth: ${c.documents} document(s) (${c.md} .md), ${c.recommendations} recommendation(s), ${c.planted_pairs} planted pair(s), ` +
        `${c.not_recommendations} trap(s) → ${out} in ${secs}s`,
    );
    ctx.log.info(`score the segmenter on it: confrec run ${out}/docs && confrec eval --gold ${out}/gold`);
  },
};

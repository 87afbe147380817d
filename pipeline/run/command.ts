import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { INGEST_OPTIONS, ingestReadOptions } from '../ingest/options.js';
import { ingestFolder } from '../ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline.js';

/** Options every downstream stage may read from ctx.options (stages ignore the ones not theirs). */
const STAGE_OPTIONS = {
  all: { type: 'boolean' },
  embedder: { type: 'string' },
  model: { type: 'string' },
  'model-dir': { type: 'string' },
  'batch-size': { type: 'string' },
  'allow-download': { type: 'boolean' },
  dtype: { type: 'string' },
  refit: { type: 'boolean' },
  rehash: { type: 'boolean' },
  out: { type: 'string' },
  ...INGEST_OPTIONS,
} as const;

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'run every stage on a folder: ingest, segment and the analysis stages',
  usage: 'confrec run <dir> [--db FILE] [--embedder auto|transformers|lexical] [--ocr auto|off|force] [--quiet]',
  options: STAGE_OPTIONS,
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const started = Date.now();
    const options: Record<string, unknown> = {
      all: values.all,
      embedder: values.embedder,
      model: values.model,
      modelDir: values['model-dir'],
      batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
      allowDownload: values['allow-download'],
      dtype: values.dtype,
      refit: values.refit,
      rehash: values.rehash,
      out: values.out,
      ...(await ingestReadOptions(values)),
    };
    await withStore(ctx.dbPath, async (store) => {
      const stageCtx = { log: ctx.log, quiet: ctx.quiet, options };
      // Each line ends with the stage's wall time, so a slow stage is visible at a glance.
      let t = Date.now();
      const timed = (line: string) => {
        ctx.log.info(`${line} [${((Date.now() - t) / 1000).toFixed(1)} s]`);
        t = Date.now();
      };
      timed((await ingestFolder(store, positionals[0], stageCtx)).line);
      for (const stage of DOWNSTREAM_STAGES) timed((await stage.run(store, stageCtx)).line);
    });
    ctx.log.info(`done in ${((Date.now() - started) / 1000).toFixed(1)} s — database: ${ctx.dbPath}`);
  },
};

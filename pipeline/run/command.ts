import type { CommandSpec } from '../command.js';
import { withStore } from '../store/db.js';
import { settleRecommendations } from '../store/freshness.js';
import { INGEST_OPTIONS, ingestReadOptions } from '../ingest/options.js';
import { ingestFolder } from '../ingest/stage.js';
import { DOWNSTREAM_STAGES } from '../pipeline.js';
import type { Flags } from '../stages.js';
import { config } from '../config.js';
import { SegmentHandoff } from '../segment/handoff.js';
import { SharedPool } from '../workers/pool.js';

/** Every stage's flags (each stage reads its own), and ingest's (--rehash, --ocr, the limits). */
const RUN_FLAGS: Flags = Object.assign({ rehash: { type: 'boolean' } }, INGEST_OPTIONS, ...DOWNSTREAM_STAGES.map((s) => s.flags));

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'run every stage on a folder: ingest, segment and the analysis stages',
  usage: 'confrec run <dir> [--db FILE] [--embedder auto|transformers|lexical] [--ocr auto|off|force] [--all] [--quiet]   (and any stage flag)',
  options: RUN_FLAGS,
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const started = Date.now();
    // Every stage parses its own flags before anything runs, so a bad value stops the run at once.
    const ingestOptions = { rehash: values.rehash === true, ...(await ingestReadOptions(values)) };
    const plan = DOWNSTREAM_STAGES.map((stage) => ({ stage, options: stage.parseOptions(values) }));
    await withStore(ctx.dbPath, async (store) => {
      // Each line ends with the stage's wall time, so a slow stage is visible at a glance.
      let t = Date.now();
      const timed = (line: string) => {
        ctx.log.info(`${line} [${((Date.now() - t) / 1000).toFixed(1)} s]`);
        t = Date.now();
      };
      // Ingest and segment share one pool of worker threads (each worker loads the dictionary once);
      // it is closed after segment, so its memory is given back before the analysis stages.
      const workers = new SharedPool(ingestOptions.threads);
      // Ingest segments the documents it reads once, for metadata and for the segment stage (segment/handoff.ts).
      const segmentations = new SegmentHandoff(config.segmentHandoffMb * 1024 * 1024);
      try {
        timed((await ingestFolder(store, positionals[0], { log: ctx.log, quiet: ctx.quiet, options: ingestOptions, workers, segmentations })).line);
        // Slow-to-load modules of later stages (the report's charts) load while these stages wait for DuckDB.
        for (const { stage } of plan) stage.preload?.();
        for (const { stage, options } of plan) {
          timed((await stage.run(store, { log: ctx.log, quiet: ctx.quiet, options, workers, segmentations })).line);
          if (stage.name === 'segment') {
            await workers.close();
            segmentations.clear();
            // No stage after segment writes recommendations or documents: their signature is computed once.
            settleRecommendations(store);
          }
        }
      } finally {
        await workers.close();
      }
    });
    ctx.log.info(`done in ${((Date.now() - started) / 1000).toFixed(1)} s — database: ${ctx.dbPath}`);
  },
};

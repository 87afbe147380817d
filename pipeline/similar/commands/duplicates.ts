import type { CommandSpec } from '../../command.js';
import { numberFlag } from '../../flags.js';
import { createLogger } from '../../progress.js';
import { withStore } from '../../store/db.js';
import { NEAR_DUPLICATE_CALIBRATION_FILE } from '../calibration/thresholds.js';
import { calibrateNearDuplicates } from '../calibration/calibrate.js';
import { refuseDatabaseTarget } from '../../store/outputs.js';
import { print, printJson } from './cli-options.js';
import { listDuplicateGroups } from '../queries/duplicates.js';
import { formatGroups } from './format.js';
import { nearDuplicatesStage } from '../stage.js';
import { refreshNearDuplicates } from '../refresh.js';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export const duplicatesCommand: CommandSpec = {
  name: 'duplicates',
  summary: 'near-duplicate recommendation groups across documents, largest first; --calibrate fits the threshold for the current embedder',
  usage:
    'confrec duplicates [--min-docs N] [--limit N] [--json] [--threshold X] [--method auto|exhaustive|lsh] [--all] [--threads N] [--calibrate [--seed N]] [--db FILE]',
  options: {
    ...nearDuplicatesStage.flags,
    'min-docs': { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    calibrate: { type: 'boolean' },
    seed: { type: 'string' },
  },
  positionals: [0, 0],
  async run({ values }, ctx) {
    const minDocs = numberFlag(values['min-docs'], 'min-docs', { min: 1, integer: true }) ?? 2;
    const limit = numberFlag(values.limit, 'limit', { min: 1, integer: true });
    const seed = numberFlag(values.seed, 'seed', { min: 0, integer: true });
    const options = nearDuplicatesStage.parseOptions(values);
    // With --json, stdout carries only the JSON document; progress lines go to stderr.
    const toStderr = (line: string) => {
      if (!ctx.quiet) process.stderr.write(line + '\n');
    };
    if (values.calibrate) refuseDatabaseTarget(NEAR_DUPLICATE_CALIBRATION_FILE, ctx.dbPath, 'the calibration file');
    const log = values.json ? { info: toStderr, warn: createLogger().warn } : ctx.log;
    const groups = await withStore(ctx.dbPath, async (store) => {
      if (values.calibrate) {
        const { family, entry } = await calibrateNearDuplicates(store, { seed, modelDir: options.modelDir, log });
        const edits = Object.entries(entry.recallByEdit).map(([k, v]) => `${k} ${pct(v)}`).join(', ');
        const negatives = Object.entries(entry.falsePositiveRateByKind).map(([k, v]) => `${k} ${pct(v)}`).join(', ');
        log.info(
          `calibrated ${family} on ${entry.positives} edited and ${entry.negatives} unrelated pair(s) from ${entry.bases} recommendation(s): ` +
            `threshold ${entry.threshold.toFixed(3)} (margin ${entry.margin.toFixed(3)}), precision ${pct(entry.precision)}, recall ${pct(entry.recall)}; ` +
            `recall by edit: ${edits}; above threshold among negatives: ${negatives} → ${NEAR_DUPLICATE_CALIBRATION_FILE}`,
        );
      }
      // The listing is of fresh pairs; an option asking for another result than the stored one recomputes.
      const force = Boolean(values.calibrate) || ['all', 'threshold', 'method', 'lsh-bits', 'lsh-bands', 'lsh-seed'].some((k) => values[k] !== undefined);
      await refreshNearDuplicates(store, options, { log, quiet: ctx.quiet, force });
      return listDuplicateGroups(store, { minDocs, limit });
    });
    if (values.json) return printJson(groups);
    if (groups.length === 0) return ctx.log.info(`duplicates: no near-duplicate group spans ${minDocs} or more documents`);
    print(formatGroups(groups));
  },
};

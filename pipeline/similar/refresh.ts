import { stageFreshness, staleLine, type StageFreshness } from '../freshness.js';
import type { Logger } from '../progress.js';
import type { Store } from '../store/db.js';
import type { NearDuplicateOptions } from './options.js';
import { nearDuplicatesStage } from './stage.js';

/**
 * What `confrec duplicates` (and any reader of the near-duplicate tables that may write) does first:
 * run the similar stage when its output is not fresh — the recommendations, the embedding space, the
 * threshold or the synonym groups changed since its last run (pipeline/freshness.ts) — or when
 * `force` asks for another result than the stored one. A stale input stage (new recommendations
 * not embedded yet) cannot be fixed here: that is said, with the command that fixes it.
 */
export async function refreshNearDuplicates(
  store: Store,
  options: Partial<NearDuplicateOptions>,
  opts: { log: Logger; quiet: boolean; force?: boolean },
): Promise<StageFreshness> {
  const freshness = await stageFreshness(store, nearDuplicatesStage.name);
  if (opts.force || freshness.status !== 'fresh') {
    if (!opts.force) {
      const own = freshness.reason.split('; ').filter((r) => !/ stale$/.test(r));
      opts.log.info(`similar: recomputing near-duplicates: ${own.join('; ')}`);
    }
    const summary = await nearDuplicatesStage.run(store, { log: opts.log, quiet: opts.quiet, options });
    opts.log.info(summary.line);
  }
  if (freshness.staleUpstream.length) opts.log.warn(`duplicates: ${staleLine('the near-duplicates', freshness)}`);
  return freshness;
}

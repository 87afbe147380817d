import type { CommandSpec } from '../../command.js';
import { warnIfStale } from '../../freshness.js';
import { withStore } from '../../store/db.js';
import { numberFlag, print, printJson } from './cli-options.js';
import { compareDocuments } from '../queries/compare.js';
import { formatComparison } from './format.js';

export const compareCommand: CommandSpec = {
  name: 'compare',
  summary: 'what two documents share (near-duplicate recommendations, matched one to one) and what is unique to each',
  usage: 'confrec compare <docA> <docB> [--threshold X] [--json] [--db FILE]   (a document: file name, path or doc_id)',
  options: { threshold: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [2, 2],
  async run({ positionals, values }, ctx) {
    const threshold = numberFlag(values.threshold, 'threshold', { min: -1, max: 1 });
    const [a, b] = positionals;
    const result = await withStore(
      ctx.dbPath,
      async (store) => {
        await warnIfStale(store, 'embed', 'the embeddings compared', ctx.log, 'compare');
        return compareDocuments(store, a, b, { threshold });
      },
      { readOnly: true },
    );
    if (values.json) return printJson(result);
    print(formatComparison(result));
  },
};

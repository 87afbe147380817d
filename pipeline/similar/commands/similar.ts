import { resolve } from 'node:path';
import type { CommandSpec } from '../../command.js';
import { warnIfStale } from '../../freshness.js';
import { withStore } from '../../store/db.js';
import { numberFlag, print, printJson } from './cli-options.js';
import { formatHits } from './format.js';
import { searchSimilar } from '../queries/search.js';

export const similarCommand: CommandSpec = {
  name: 'similar',
  summary: 'the recommendations most similar to a free text, best first (in the current embedding space)',
  usage: 'confrec similar "<text>" [--top K] [--min-score X] [--json] [--model-dir DIR] [--db FILE]',
  options: { top: { type: 'string' }, 'min-score': { type: 'string' }, json: { type: 'boolean' }, 'model-dir': { type: 'string' } },
  positionals: [1, 1],
  async run({ positionals, values }, ctx) {
    const top = numberFlag(values.top, 'top', { min: 1, integer: true }) ?? 10;
    const minScore = numberFlag(values['min-score'], 'min-score', { min: -1, max: 1 });
    const modelDir = typeof values['model-dir'] === 'string' ? resolve(values['model-dir']) : undefined;
    const result = await withStore(
      ctx.dbPath,
      async (store) => {
        await warnIfStale(store, 'embed', 'the embeddings searched', ctx.log, 'similar');
        return searchSimilar(store, positionals[0], { top, minScore, modelDir, log: ctx.log });
      },
      { readOnly: true },
    );
    if (result.emptyQuery) ctx.log.warn('similar: no word of the query is known to the embedder, so nothing can be similar to it');
    if (values.json) return printJson(result.hits);
    if (result.hits.length === 0) return ctx.log.info('similar: no recommendation found');
    print(formatHits(result.hits));
  },
};

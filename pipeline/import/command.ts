import type { CommandSpec } from '../command.js';
import { UsageError } from '../errors.js';
import { withStore } from '../store/db.js';
import { importEmbeddings } from './embeddings.js';

/** What can be imported (one today: vectors computed elsewhere). */
const IMPORTABLE = ['embeddings'] as const;

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'bring back vectors computed elsewhere (GPU machine, Ray/Spark job): checked, only new texts written, made the current space',
  usage: 'confrec import embeddings FILE.parquet [--embedder ID] [--skip-unknown] [--db FILE]',
  options: { embedder: { type: 'string' }, 'skip-unknown': { type: 'boolean' } },
  positionals: [2, 2],
  async run({ positionals, values }, ctx) {
    const [what, file] = positionals;
    if (!(IMPORTABLE as readonly string[]).includes(what)) {
      throw new UsageError(`cannot import "${what}"`, `confrec can import: ${IMPORTABLE.join(', ')} — usage: ${importCommand.usage}`);
    }
    const embedder = typeof values.embedder === 'string' ? values.embedder : undefined;
    const result = await withStore(ctx.dbPath, (store) => importEmbeddings(store, { file, embedder, skipUnknown: values['skip-unknown'] === true }));
    ctx.log.info(result.line);
    if (result.current_missing > 0) {
      ctx.log.warn(
        `import: ${result.current_missing} current text(s) have no ${result.embedder} vector: export them (\`confrec export recommendations --format parquet\`), embed them with the same model and import again; until then themes, clusters and near-duplicates leave them out`,
      );
    }
  },
};

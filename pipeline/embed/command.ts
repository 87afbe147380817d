import { resolve } from 'node:path';
import { stageCommand, type CommandSpec } from '../command.js';
import { config } from '../config.js';
import { UsageError } from '../errors.js';
import { refuseDatabaseTarget } from '../store/outputs.js';
import { EMBEDDER_CHOICES } from './registry.js';
import { DEFAULT_MODEL, DTYPE_FILES, listModels, type Dtype } from './transformers/models.js';
import { embedStage } from './stage.js';

export const embedCommand: CommandSpec = stageCommand(embedStage, {
  summary: 'embed every current recommendation (lexical offline, or a local transformer model)',
  usage: `confrec embed [--embedder ${EMBEDDER_CHOICES.join('|')}] [--model ID] [--model-dir DIR] [--batch-size N] [--dtype q8|fp32] [--allow-download] [--refit] [--db FILE]`,
});

function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} KB`;
}

export const modelCommand: CommandSpec = {
  name: 'model',
  summary: 'manage local transformer models: pull <id>, list, make-tiny <dir>',
  usage: `confrec model pull <id> [--dtype q8|fp32] [--model-dir DIR] | confrec model list [--model-dir DIR] | confrec model make-tiny <dir> [--seed N] [--dtype fp32|q8|fp32,q8] [--shape tiny|e5-small]`,
  options: { 'model-dir': { type: 'string' }, dtype: { type: 'string' }, seed: { type: 'string' }, shape: { type: 'string' } },
  positionals: [1, 2],
  async run({ positionals, values }, ctx) {
    const [action, arg] = positionals;
    const modelDir = resolve(typeof values['model-dir'] === 'string' ? values['model-dir'] : config.modelDir);
    const dtype = values.dtype as Dtype | undefined;
    if (action === 'make-tiny') return makeTiny(arg, values, ctx);
    if (dtype && !(dtype in DTYPE_FILES)) throw new UsageError(`unknown dtype "${dtype}"`, `use one of ${Object.keys(DTYPE_FILES).join(', ')}`);
    if (action === 'pull') {
      const id = arg ?? DEFAULT_MODEL;
      const { pullModel } = await import('./transformers/pull.js');
      const files = await pullModel(id, modelDir, { dtype, quiet: ctx.quiet });
      ctx.log.info(`model: ${id} (${files.dtype}) is in ${files.folder}`);
      return;
    }
    if (action === 'list') {
      const models = listModels(modelDir);
      if (models.length === 0) {
        ctx.log.info(`model: no models in ${modelDir} (fetch one with \`confrec model pull ${DEFAULT_MODEL}\`)`);
        return;
      }
      // The listing is the command's output, so it goes to stdout even with --quiet.
      const width = Math.max(...models.map((m) => m.id.length));
      for (const m of models) {
        process.stdout.write(`${m.id.padEnd(width)}  ${(m.dtypes.join(',') || 'no onnx weights').padEnd(10)}  ${formatBytes(m.bytes)}\n`);
      }
      return;
    }
    throw new UsageError(`unknown action "${action}"`, `usage: ${modelCommand.usage}`);
  },
};

/**
 * `model make-tiny <dir>`: the generated BERT of tests and benchmarks. `--shape e5-small` gives
 * multilingual-e5-small's exact shape (random weights, ~470 MB fp32 / ~120 MB q8: write it under
 * /tmp or .cache); `--dtype fp32,q8` writes both weight files from the same weights.
 */
async function makeTiny(arg: string | undefined, values: Record<string, unknown>, ctx: Parameters<CommandSpec['run']>[1]): Promise<void> {
  if (!arg) throw new UsageError('make-tiny needs the folder to write', `usage: ${modelCommand.usage}`);
  const dtypes = (typeof values.dtype === 'string' ? values.dtype : 'fp32').split(',').map((d) => d.trim());
  for (const d of dtypes) if (d !== 'fp32' && d !== 'q8') throw new UsageError(`make-tiny writes fp32 or q8 weights, not "${d}"`, 'use --dtype fp32, q8 or fp32,q8');
  const shape = typeof values.shape === 'string' ? values.shape : 'tiny';
  if (shape !== 'tiny' && shape !== 'e5-small') throw new UsageError(`unknown shape "${shape}"`, 'use --shape tiny or --shape e5-small');
  const { writeTinyBertModel, E5_SMALL_SHAPE } = await import('../../tools/tiny-model/tinymodel.js');
  refuseDatabaseTarget(resolve(arg), ctx.dbPath);
  const seed = typeof values.seed === 'string' ? Number(values.seed) : undefined;
  const m = writeTinyBertModel(resolve(arg), { ...(shape === 'e5-small' ? E5_SMALL_SHAPE : {}), seed, dtypes: dtypes as ('fp32' | 'q8')[] });
  const sizes = Object.entries(m.weights).map(([d, n]) => `${d} ${formatBytes(n)}`).join(', ');
  ctx.log.info(`model: ${shape === 'e5-small' ? 'e5-small-shaped' : 'tiny'} BERT (vocab ${m.vocabSize}, hidden ${m.hidden}; ${sizes} of ONNX) written to ${m.dir}`);
}

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
  usage: `confrec model pull <id> [--dtype q8|fp32] [--model-dir DIR] | confrec model list [--model-dir DIR] | confrec model make-tiny <dir> [--seed N]`,
  options: { 'model-dir': { type: 'string' }, dtype: { type: 'string' }, seed: { type: 'string' } },
  positionals: [1, 2],
  async run({ positionals, values }, ctx) {
    const [action, arg] = positionals;
    const modelDir = resolve(typeof values['model-dir'] === 'string' ? values['model-dir'] : config.modelDir);
    const dtype = values.dtype as Dtype | undefined;
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
    if (action === 'make-tiny') {
      if (!arg) throw new UsageError('make-tiny needs the folder to write', `usage: ${modelCommand.usage}`);
      const { writeTinyBertModel } = await import('../../tools/tiny-model/tinymodel.js');
      refuseDatabaseTarget(resolve(arg), ctx.dbPath);
      const seed = typeof values.seed === 'string' ? Number(values.seed) : undefined;
      const m = writeTinyBertModel(resolve(arg), { seed, dtype: dtype === 'q8' ? 'q8' : 'fp32' });
      ctx.log.info(`model: tiny BERT (vocab ${m.vocabSize}, hidden ${m.hidden}, ${formatBytes(m.onnxBytes)} of ONNX) written to ${m.dir}`);
      return;
    }
    throw new UsageError(`unknown action "${action}"`, `usage: ${modelCommand.usage}`);
  },
};

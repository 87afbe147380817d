import { resolve } from 'node:path';
import { ConfrecError } from '../../errors.js';
import { createProgress, type Progress } from '../../progress.js';
import { checkModelFolder, modelFolder, modelRule, type Dtype, type ModelFiles } from './models.js';
import { configureTransformersEnv, sessionOptions } from './embedder.js';

interface DownloadEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/**
 * Downloads a sentence model from the Hugging Face hub into `<modelDir>/<id>` through transformers.js
 * itself (so exactly the files it will later load offline), with one progress line per file, then
 * checks the folder.
 */
export async function pullModel(
  model: string,
  modelDirIn: string,
  opts: { dtype?: Dtype; quiet?: boolean } = {},
): Promise<ModelFiles> {
  const modelDir = resolve(modelDirIn);
  const dtype = opts.dtype ?? modelRule(model).dtypes[0];
  const { pipeline, env } = await import('@huggingface/transformers');
  configureTransformersEnv(env, modelDir, true);
  const bars = new Map<string, { bar: Progress; loaded: number }>();
  const onEvent = (e: DownloadEvent) => {
    if (!e.file) return;
    if (e.status === 'progress' && typeof e.loaded === 'number') {
      let entry = bars.get(e.file);
      if (!entry) {
        entry = { bar: createProgress(`download ${e.file}`, e.total || undefined, { quiet: opts.quiet }), loaded: 0 };
        bars.set(e.file, entry);
      }
      if (e.loaded > entry.loaded) {
        entry.bar.tick(e.loaded - entry.loaded);
        entry.loaded = e.loaded;
      }
    } else if (e.status === 'done') {
      const entry = bars.get(e.file);
      entry?.bar.done(`${(entry.loaded / 1e6).toFixed(1)} MB`);
    }
  };
  try {
    const extractor = await pipeline('feature-extraction', model, {
      dtype,
      progress_callback: onEvent as never,
      session_options: sessionOptions(),
    });
    await extractor.dispose();
  } catch (err) {
    throw new ConfrecError(`cannot download ${model}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`, {
      file: modelFolder(modelDir, model),
      hint: 'check the model id and your network connection (huggingface.co must be reachable)',
      cause: err,
    });
  }
  return checkModelFolder(modelDir, model, dtype);
}

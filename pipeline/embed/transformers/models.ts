import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfrecError } from '../../errors.js';
import type { EmbedKind } from '../types.js';

/** The sentence model `auto` and `transformers` use unless --model says otherwise. */
export const DEFAULT_MODEL = 'Xenova/multilingual-e5-small';

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

/** Weight file per dtype, as transformers.js names them under `onnx/`. */
export const DTYPE_FILES: Record<Dtype, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q4: 'model_q4.onnx',
};

/** How to use one family of sentence models. The first rule whose pattern matches the model id wins. */
export interface ModelRule {
  name: string;
  pattern: RegExp;
  /** Prepended to every text; e5 models were trained with these and lose quality without them. */
  prefix?: Record<EmbedKind, string>;
  /** Weight files to look for, preferred first (quantised is ~4× smaller and faster on CPU). */
  dtypes: Dtype[];
}

export const MODEL_RULES: readonly ModelRule[] = [
  { name: 'e5', pattern: /(^|[/_-])e5[-_]/i, prefix: { passage: 'passage: ', query: 'query: ' }, dtypes: ['q8', 'fp32'] },
  { name: 'default', pattern: /.*/, dtypes: ['q8', 'fp32'] },
];

export function modelRule(model: string): ModelRule {
  return MODEL_RULES.find((r) => r.pattern.test(model)) ?? MODEL_RULES[MODEL_RULES.length - 1];
}

/** The texts as the model must see them (with the model family's passage/query prefix). */
export function modelInputs(model: string, texts: readonly string[], kind: EmbedKind): string[] {
  const prefix = modelRule(model).prefix?.[kind] ?? '';
  return texts.map((t) => prefix + t);
}

/** Where a model lives: `<modelDir>/<org>/<name>`, the layout transformers.js reads with localModelPath. */
export function modelFolder(modelDir: string, model: string): string {
  return join(modelDir, ...model.split('/'));
}

export interface ModelFiles {
  folder: string;
  dtype: Dtype;
  /** Relative to the folder, e.g. onnx/model_quantized.onnx. */
  weights: string;
}

function readJson(folder: string, file: string, hint: string): unknown {
  const path = join(folder, file);
  if (!existsSync(path)) throw new ConfrecError(`${file} is missing from the model folder`, { file: folder, hint });
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfrecError(`${file} in the model folder is not valid JSON (incomplete download?)`, { file: folder, hint, cause: err });
  }
}

/**
 * Checks that a model folder holds what transformers.js will load, and picks the dtype. Errors name
 * the folder and the missing file, so a half-copied model is reported before any run starts.
 */
export function checkModelFolder(modelDir: string, model: string, dtype?: Dtype): ModelFiles {
  const folder = modelFolder(modelDir, model);
  const hint = `fetch it with \`confrec model pull ${model}\` (or pass --model-dir)`;
  if (!existsSync(folder)) throw new ConfrecError(`model ${model} is not in the model folder`, { file: folder, hint });
  const cfg = readJson(folder, 'config.json', hint) as { model_type?: unknown };
  if (typeof cfg?.model_type !== 'string') {
    throw new ConfrecError('config.json has no model_type (not a transformers model config)', { file: folder, hint });
  }
  readJson(folder, 'tokenizer.json', hint);
  readJson(folder, 'tokenizer_config.json', hint);
  const candidates = dtype ? [dtype] : modelRule(model).dtypes;
  for (const d of candidates) {
    const weights = `onnx/${DTYPE_FILES[d]}`;
    const path = join(folder, weights);
    if (!existsSync(path)) continue;
    if (statSync(path).size < 64) throw new ConfrecError(`${weights} is empty or truncated`, { file: folder, hint });
    return { folder, dtype: d, weights };
  }
  const wanted = candidates.map((d) => `onnx/${DTYPE_FILES[d]}`).join(' or ');
  throw new ConfrecError(`${wanted} is missing from the model folder`, { file: folder, hint });
}

/** True when the model folder is complete (used by `auto` to choose a backend without throwing). */
export function modelOnDisk(modelDir: string, model: string): boolean {
  try {
    checkModelFolder(modelDir, model);
    return true;
  } catch {
    return false;
  }
}

export interface LocalModel {
  id: string;
  folder: string;
  dtypes: Dtype[];
  bytes: number;
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return n;
}

/** Models found in the model folder: any `<id>` or `<org>/<id>` folder with a config.json. */
export function listModels(modelDir: string): LocalModel[] {
  if (!existsSync(modelDir)) return [];
  const found: LocalModel[] = [];
  const visit = (rel: string[], depth: number) => {
    const dir = join(modelDir, ...rel);
    if (rel.length > 0 && existsSync(join(dir, 'config.json'))) {
      const dtypes = (Object.keys(DTYPE_FILES) as Dtype[]).filter((d) => existsSync(join(dir, 'onnx', DTYPE_FILES[d])));
      found.push({ id: rel.join('/'), folder: dir, dtypes, bytes: folderBytes(dir) });
      return;
    }
    if (depth >= 2) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.')) visit([...rel, e.name], depth + 1);
    }
  };
  visit([], 0);
  return found.sort((a, b) => (a.id < b.id ? -1 : 1));
}

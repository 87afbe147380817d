import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedderIdProblem, looksLikeParquet, transformersIdParts, vectorTypeProblem } from '../../pipeline/import/embeddings.js';
import { tempDir } from '../helpers/tmp.js';

describe('import embeddings: the pure checks', () => {
  it('accepts the model ids confrec and the hubs use, and refuses spaces, quotes, control characters and empty ids', () => {
    for (const id of ['transformers:intfloat/multilingual-e5-large@fp32', 'lexical-v1:8b0ed2f5ec903c87', 'BAAI/bge-m3', 'openai:text-embedding-3-small']) {
      expect(embedderIdProblem(id)).toBeNull();
    }
    expect(embedderIdProblem('')).toMatch(/empty/);
    expect(embedderIdProblem('my model')).toMatch(/characters a model id does not/);
    expect(embedderIdProblem('model"; DROP TABLE embeddings; --')).toMatch(/characters/);
    expect(embedderIdProblem('model\u001b[2J')).toMatch(/characters/);
    expect(embedderIdProblem('a'.repeat(201))).toMatch(/over 200/);
  });

  it('takes lists of floats as vectors, fixed-size or not, and nothing else', () => {
    for (const t of ['FLOAT[]', 'DOUBLE[]', 'FLOAT[384]', 'DOUBLE[1024]']) expect(vectorTypeProblem(t)).toBeNull();
    for (const t of ['VARCHAR', 'INTEGER[]', 'FLOAT[][]', 'BLOB', 'STRUCT(x FLOAT)']) expect(vectorTypeProblem(t)).toMatch(/not a list of floats/);
  });

  it('reads model and dtype out of a transformers id, so queries can re-open the model', () => {
    expect(transformersIdParts('transformers:intfloat/multilingual-e5-small@q8')).toEqual({ model: 'intfloat/multilingual-e5-small', dtype: 'q8' });
    expect(transformersIdParts('transformers:Xenova/a@b@fp32')).toEqual({ model: 'Xenova/a@b', dtype: 'fp32' });
    expect(transformersIdParts('BAAI/bge-m3')).toBeNull();
    expect(transformersIdParts('lexical-v1:8b0ed2f5ec903c87')).toBeNull();
  });

  it('recognises Parquet by its magic bytes at both ends', () => {
    const dir = tempDir('confrec-magic-');
    const write = (name: string, bytes: Buffer) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    expect(looksLikeParquet(write('ok.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100), Buffer.from('PAR1')])))).toBe(true);
    expect(looksLikeParquet(write('csv.parquet', Buffer.from('text_hash,vector\nabc,"[1,2]"\n')))).toBe(false);
    expect(looksLikeParquet(write('cut.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100)])))).toBe(false);
    expect(looksLikeParquet(write('tiny.parquet', Buffer.from('PAR1PAR1')))).toBe(false);
  });
});

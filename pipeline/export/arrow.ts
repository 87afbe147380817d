import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBListVector, type DuckDBVector } from '@duckdb/node-api';
import {
  Field,
  FixedSizeList,
  Float32,
  Int32,
  Schema,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { ConfrecError, UsageError } from '../errors.js';
import type { Store } from '../store/db.js';

export interface EmbeddingsExportOptions {
  /** parquet and arrow write fixed-size vectors; jsonl and csv write plain lists. */
  format: 'parquet' | 'arrow' | 'jsonl' | 'csv';
  out: string;
  /** Only this embedder's vectors (default: all, which must then share one dimension). */
  embedder?: string;
}

/**
 * The Arrow schema of an embeddings export: `vector` is FixedSizeList<Float32>[dim], which pyarrow,
 * polars and numpy read as a 2-D array without conversion.
 */
export function embeddingsSchema(dim: number): Schema {
  return new Schema([
    new Field('text_hash', new Utf8(), true),
    new Field('embedder', new Utf8(), true),
    new Field('dim', new Int32(), true),
    new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), true),
  ]);
}

/**
 * The schema as an encapsulated IPC message, base64: the `ARROW:schema` key Parquet writers of the
 * Arrow project store. Parquet has no fixed-size list; readers (pyarrow, polars, arrow-rs) restore
 * FixedSizeList from this key, while DuckDB reads the column as FLOAT[].
 */
export function arrowSchemaMetadata(schema: Schema): string {
  const stream = tableToIPC(new Table(schema), 'stream');
  const metaLength = new DataView(stream.buffer, stream.byteOffset).getInt32(4, true);
  return Buffer.from(stream.subarray(0, 8 + metaLength)).toString('base64');
}

async function chooseDim(store: Store, embedder: string | undefined): Promise<number> {
  const groups = await store.all<{ embedder: string; dim: number; n: number }>(
    `SELECT embedder, dim, count(*) AS n FROM embeddings WHERE $1::VARCHAR IS NULL OR embedder = $1 GROUP BY ALL ORDER BY embedder`,
    [embedder ?? null],
  );
  if (groups.length === 0) {
    const known = await store.all<{ embedder: string }>(`SELECT DISTINCT embedder FROM embeddings ORDER BY 1`);
    throw new ConfrecError(embedder ? `no embeddings from embedder "${embedder}"` : 'no embeddings in the database yet', {
      hint: known.length ? `embedders present: ${known.map((k) => k.embedder).join(', ')}` : 'run `confrec embed` first',
    });
  }
  const dims = [...new Set(groups.map((g) => g.dim))];
  if (dims.length > 1) {
    throw new UsageError(
      `the embeddings have several dimensions (${groups.map((g) => `${g.embedder}: ${g.dim}`).join(', ')})`,
      'export one embedder at a time (pass its id as the embedder option)',
    );
  }
  return dims[0];
}

/** A SQL string literal, for COPY's target path and options, which DuckDB cannot take as parameters. */
function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function writeArrowFile(store: Store, where: string, params: unknown[], dim: number, path: string): Promise<number> {
  const result = await store.conn.stream(
    `SELECT text_hash, embedder, vector FROM embeddings ${where} ORDER BY embedder, text_hash`,
    params as never,
  );
  const hashes: string[] = [];
  const embedders: string[] = [];
  let values = new Float32Array(1024 * dim);
  let n = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const hashCol = chunk.getColumnVector(0);
    const embCol = chunk.getColumnVector(1);
    const vecCol = chunk.getColumnVector(2) as DuckDBListVector;
    const child = vecCol.childVector as DuckDBVector<number>;
    for (let r = 0; r < chunk.rowCount; r++) {
      if (vecCol.getEntryLength(r) !== dim) throw new ConfrecError(`a stored vector has ${vecCol.getEntryLength(r)} numbers, not ${dim}`);
      if ((n + 1) * dim > values.length) {
        const grown = new Float32Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      const off = vecCol.getEntryOffset(r);
      for (let k = 0; k < dim; k++) values[n * dim + k] = child.getItem(off + k) ?? 0;
      hashes.push(String(hashCol.getItem(r)));
      embedders.push(String(embCol.getItem(r)));
      n++;
    }
  }
  const schema = embeddingsSchema(dim);
  const listType = schema.fields[3].type as FixedSizeList<Float32>;
  const child = makeData({ type: new Float32(), length: n * dim, data: values.subarray(0, n * dim) });
  const vectors = makeVector(makeData({ type: listType, length: n, nullCount: 0, child }));
  const table = new Table(schema, {
    text_hash: vectorFromArray(hashes, new Utf8()),
    embedder: vectorFromArray(embedders, new Utf8()),
    dim: makeVector(new Int32Array(n).fill(dim)),
    vector: vectors,
  });
  await writeFile(path, tableToIPC(table, 'file'));
  return n;
}

/**
 * Writes the embeddings table (text_hash, embedder, dim, vector) to a file. For parquet and arrow the
 * vectors are fixed-size float lists; returns the number of rows written.
 */
export async function exportEmbeddings(store: Store, opts: EmbeddingsExportOptions): Promise<number> {
  const path = resolve(opts.out);
  // An embedder that is not there is a mistake (a typo, another database), not an empty export.
  if (opts.embedder !== undefined && (await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [opts.embedder])) === 0) {
    const known = await store.all<{ embedder: string; n: number }>(`SELECT embedder, count(*) AS n FROM embeddings GROUP BY embedder ORDER BY embedder`);
    throw new UsageError(`no embeddings from embedder ${JSON.stringify(opts.embedder)} in this database`, known.length
      ? `embedders present: ${known.map((k) => `${k.embedder} (${k.n} vectors)`).join(', ')}`
      : 'the database has no embeddings yet: run `confrec embed` first');
  }
  const where = opts.embedder ? 'WHERE embedder = $1' : '';
  const params = opts.embedder ? [opts.embedder] : [];
  const fixed = opts.format === 'parquet' || opts.format === 'arrow';
  // Plain lists (jsonl, csv) may mix dimensions; fixed-size lists need exactly one.
  const dim = fixed ? await chooseDim(store, opts.embedder) : 0;
  if (fixed && (!Number.isInteger(dim) || dim < 1)) throw new ConfrecError(`invalid stored dimension ${dim}`);
  await mkdir(dirname(path), { recursive: true });
  try {
    if (opts.format === 'arrow') return await writeArrowFile(store, where, params, dim, path);
    // dim is an integer read from the table, so splicing it into the cast is safe.
    const vector = fixed ? `vector::FLOAT[${dim}] AS vector` : 'vector';
    const query = `SELECT text_hash, embedder, dim, ${vector} FROM embeddings ${where} ORDER BY embedder, text_hash`;
    const options =
      opts.format === 'parquet'
        ? `FORMAT parquet, KV_METADATA {'ARROW:schema': ${sqlLiteral(arrowSchemaMetadata(embeddingsSchema(dim)))}}`
        : opts.format === 'csv'
          ? 'FORMAT csv, HEADER true'
          : 'FORMAT json';
    await store.run(`COPY (${query}) TO ${sqlLiteral(path)} (${options})`, params);
    return await store.scalar<number>(`SELECT count(*) FROM embeddings ${where}`, params);
  } catch (err) {
    if (err instanceof ConfrecError) throw err;
    throw new ConfrecError(`cannot write ${opts.format} file: ${(err as Error).message}`, { file: path, cause: err });
  }
}

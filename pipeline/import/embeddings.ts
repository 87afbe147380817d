/**
 * `confrec import embeddings FILE.parquet`: vectors computed elsewhere (a GPU machine, a Ray or Spark
 * job reading `confrec export recommendations`) brought back into the database, so that themes,
 * clusters and near-duplicates work in that space.
 *
 * The file is what `confrec export embeddings --format parquet` writes: text_hash, embedder, dim,
 * vector (FLOAT[] or DOUBLE[], fixed-size or not). Everything is checked before anything is written
 * (the model id, one dimension, finite numbers, text hashes that belong to this database, no hash
 * twice); only text hashes the database has no vector for in that space are written, in one
 * transaction with the run that makes the space current.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { embedStage } from '../embed/stage.js';
import { ConfrecError } from '../errors.js';
import type { Store } from '../store/db.js';
import { fingerprintParams } from '../store/freshness.js';
import { withRun } from '../store/runs.js';
import { withScratch, type TableRef } from '../store/scratch.js';

export interface ImportEmbeddingsOptions {
  file: string;
  /** The model id the vectors come from, when the file has no `embedder` column or holds several. */
  embedder?: string;
  /** Drop vectors of texts this database does not have (instead of refusing the file). */
  skipUnknown?: boolean;
}

export type ImportEmbeddingsCounts = {
  file: string;
  embedder: string;
  dim: number;
  /** Rows of the file for this embedder. */
  rows: number;
  /** Vectors written now. */
  imported: number;
  /** Text hashes that already had a vector in this space (kept as they were). */
  already_present: number;
  /** Rows dropped because no recommendation has that text (--skip-unknown). */
  unknown_skipped: number;
  /** Current texts that still have no vector in this space. */
  current_missing: number;
  texts: number;
  source: 'import';
};

/** What the export writes; the error for a file without them names them. */
const EXPECTED = 'text_hash (VARCHAR), vector (FLOAT[] or DOUBLE[]), and embedder (VARCHAR) unless --embedder is given; dim is optional';
const EXPORT_HINT = 'the layout `confrec export embeddings --format parquet` writes: ' + EXPECTED;
const TEXT_HASH = /^[0-9a-f]{64}$/;
/** A model id: printable, no spaces, as transformers (`transformers:org/name@q8`) and other tools name models. */
const EMBEDDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,199}$/;

/** Parquet files begin and end with the magic bytes "PAR1". */
export function looksLikeParquet(path: string): boolean {
  const size = statSync(path).size;
  if (size < 12) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    readSync(fd, tail, 0, 4, size - 4);
    return head.toString('latin1') === 'PAR1' && tail.toString('latin1') === 'PAR1';
  } finally {
    closeSync(fd);
  }
}

/** Checks an embedder id's spelling; returns the problem or null. */
export function embedderIdProblem(id: string): string | null {
  if (id.trim() === '') return 'the model id is empty';
  if (!EMBEDDER_ID.test(id)) return `the model id ${JSON.stringify(id.slice(0, 80))} has characters a model id does not (spaces, quotes, control characters) or is over 200 characters`;
  return null;
}

/** Checks a vector column's DuckDB type; returns the problem or null. */
export function vectorTypeProblem(type: string): string | null {
  return /^(FLOAT|DOUBLE)\[\d*\]$/.test(type) ? null : `the vector column is ${type}, not a list of floats (FLOAT[] or DOUBLE[])`;
}

/** The transformers backend's id (`transformers:MODEL@DTYPE`), parsed so queries can re-open the model. */
export function transformersIdParts(id: string): { model: string; dtype: string } | null {
  const m = /^transformers:(.+)@([a-z0-9]+)$/.exec(id);
  return m ? { model: m[1], dtype: m[2] } : null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function describe(store: Store, path: string): Promise<Map<string, string>> {
  try {
    const rows = await store.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet($1)`, [path]);
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (err) {
    throw new ConfrecError(`cannot read the Parquet file: ${(err as Error).message.split('\n')[0]}`, {
      file: path,
      hint: 'the file may be damaged or cut short; write it again',
      cause: err,
    });
  }
}

/** One sample value for a message, e.g. ` (first: "abc")`. */
async function example(store: Store, sql: string, params: unknown[]): Promise<string> {
  const v = await store.scalar<string | null>(sql, params as never);
  return v === null || v === undefined ? '' : ` (e.g. ${JSON.stringify(String(v).slice(0, 80))})`;
}

/**
 * Validates the file and imports its vectors. Throws a ConfrecError naming the file and what to do
 * for every kind of bad file; writes nothing unless every check passes.
 */
export async function importEmbeddings(store: Store, opts: ImportEmbeddingsOptions): Promise<ImportEmbeddingsCounts & { runId: number; line: string }> {
  const path = resolve(opts.file);
  if (!existsSync(path)) throw new ConfrecError('no such file', { file: path, hint: 'give the Parquet file written by the embedding job' });
  if (statSync(path).isDirectory()) throw new ConfrecError('this is a folder, not a Parquet file', { file: path, hint: 'give one .parquet file' });
  if (!looksLikeParquet(path)) {
    throw new ConfrecError('not a Parquet file (it does not begin and end with "PAR1")', { file: path, hint: `write it as Parquet, in ${EXPORT_HINT}` });
  }
  const columns = await describe(store, path);
  const found = [...columns].map(([n, t]) => `${n} ${t}`).join(', ');
  for (const col of ['text_hash', 'vector']) {
    if (!columns.has(col)) throw new ConfrecError(`the file has no "${col}" column (it has: ${found})`, { file: path, hint: EXPORT_HINT });
  }
  if (columns.get('text_hash') !== 'VARCHAR') throw new ConfrecError(`the text_hash column is ${columns.get('text_hash')}, not text`, { file: path, hint: EXPORT_HINT });
  const vectorProblem = vectorTypeProblem(columns.get('vector')!);
  if (vectorProblem) throw new ConfrecError(vectorProblem, { file: path, hint: EXPORT_HINT });
  const hasEmbedder = columns.has('embedder');
  if (hasEmbedder && columns.get('embedder') !== 'VARCHAR') throw new ConfrecError(`the embedder column is ${columns.get('embedder')}, not text`, { file: path, hint: EXPORT_HINT });
  const hasDim = columns.has('dim');
  if (hasDim && !/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT)$/.test(columns.get('dim')!)) {
    throw new ConfrecError(`the dim column is ${columns.get('dim')}, not an integer`, { file: path, hint: EXPORT_HINT });
  }
  if (!hasEmbedder && opts.embedder === undefined) {
    throw new ConfrecError('the file does not say which model made the vectors (no "embedder" column)', {
      file: path,
      hint: 'pass the model id: --embedder ID (e.g. transformers:intfloat/multilingual-e5-large@fp32)',
    });
  }

  return withScratch(store, 'import', async (scratch) => {
    // The file once, into a temporary table; every check below is SQL over it.
    const rows: TableRef = await scratch.query(
      'rows',
      `SELECT text_hash, ${hasEmbedder ? 'embedder' : '$2::VARCHAR'} AS embedder, ${hasDim ? 'dim::BIGINT' : 'NULL::BIGINT'} AS dim,
              vector::DOUBLE[] AS vector FROM read_parquet($1)`,
      hasEmbedder ? [path] : [path, opts.embedder ?? null],
    );
    const t = rows.name;
    const total = await store.scalar<number>(`SELECT count(*) FROM ${t}`);
    if (total === 0) throw new ConfrecError('the file holds no vectors', { file: path, hint: 'was the embedding job given the texts?' });

    // The model id: one per import.
    const nullEmbedders = await store.scalar<number>(`SELECT count(*) FROM ${t} WHERE embedder IS NULL`);
    if (nullEmbedders > 0) throw new ConfrecError(`${plural(nullEmbedders, 'row')} of the file name no model (embedder is empty)`, { file: path, hint: 'fill the embedder column or drop it and pass --embedder ID' });
    const embedders = (await store.all<{ embedder: string; n: number }>(`SELECT embedder, count(*)::INTEGER AS n FROM ${t} GROUP BY embedder ORDER BY embedder`));
    let embedder: string;
    if (opts.embedder !== undefined) {
      embedder = opts.embedder;
      if (!embedders.some((e) => e.embedder === embedder)) {
        throw new ConfrecError(`the file has no vectors from ${JSON.stringify(embedder)}: its vectors come from ${embedders.map((e) => `${e.embedder} (${e.n})`).join(', ')}`, {
          file: path,
          hint: 'pass the id the file names, or leave --embedder out',
        });
      }
    } else if (embedders.length > 1) {
      throw new ConfrecError(`the file holds vectors of ${embedders.length} models: ${embedders.map((e) => `${e.embedder} (${e.n})`).join(', ')}`, {
        file: path,
        hint: 'import one at a time: --embedder ID',
      });
    } else {
      embedder = embedders[0].embedder;
    }
    const idProblem = embedderIdProblem(embedder);
    if (idProblem) throw new ConfrecError(idProblem, { file: path, hint: 'name the model as `org/name` or `transformers:org/name@dtype`' });
    // A lexical space is fitted on this database's corpus: its vectors mean something only with its
    // fitted model (lexical_models), which queries need too.
    if (embedder.startsWith('lexical')) {
      const known = await store.scalar<number>(`SELECT count(*) FROM lexical_models WHERE model_id = $1`, [embedder]);
      if (known === 0) {
        throw new ConfrecError(`${embedder} is a lexical space fitted on another corpus; its vectors cannot be used without its fitted model`, {
          file: path,
          hint: 'lexical vectors are computed here by `confrec embed --embedder lexical`; import vectors of a sentence model instead',
        });
      }
    }
    const mine = `FROM ${t} WHERE embedder = $1`;

    // One dimension, finite numbers, a dim column that agrees, the dimension the database already has for this model.
    const nullVectors = await store.scalar<number>(`SELECT count(*) ${mine} AND vector IS NULL`, [embedder]);
    if (nullVectors > 0) throw new ConfrecError(`${plural(nullVectors, 'row')} of the file ${nullVectors === 1 ? 'has' : 'have'} no vector`, { file: path, hint: 'every row needs its vector' });
    const dims = await store.all<{ d: number; n: number }>(`SELECT len(vector)::INTEGER AS d, count(*)::INTEGER AS n ${mine} GROUP BY d ORDER BY n DESC, d`, [embedder]);
    if (dims.length > 1) {
      throw new ConfrecError(`the vectors do not all have one dimension: ${dims.map((d) => `${plural(d.n, 'vector')} of ${d.d}`).join(', ')}`, {
        file: path,
        hint: 'one model gives one dimension; was the file assembled from several jobs?',
      });
    }
    const dim = dims[0].d;
    if (dim < 1) throw new ConfrecError('the vectors are empty (dimension 0)', { file: path, hint: 'was the embedding job given the texts?' });
    const wrongDim = await store.scalar<number>(`SELECT count(*) ${mine} AND dim IS NOT NULL AND dim <> len(vector)`, [embedder]);
    if (wrongDim > 0) throw new ConfrecError(`${plural(wrongDim, 'row')} ${wrongDim === 1 ? 'says' : 'say'} dim differs from the length of its vector (${dim})`, { file: path, hint: 'the dim column must equal the number of values in vector' });
    const nonFinite = await store.scalar<number>(`SELECT count(*) ${mine} AND list_bool_or(list_transform(vector, x -> x IS NULL OR isnan(x) OR isinf(x)))`, [embedder]);
    if (nonFinite > 0) throw new ConfrecError(`${plural(nonFinite, 'vector')} ${nonFinite === 1 ? 'holds' : 'hold'} NaN, infinite or missing numbers`, { file: path, hint: 'the embedding job failed on those texts; embed them again' });
    const storedDim = await store.scalar<number | null>(`SELECT max(dim) FROM embeddings WHERE embedder = $1`, [embedder]);
    if (storedDim !== null && storedDim !== dim) {
      throw new ConfrecError(`the database holds ${embedder} vectors of dimension ${storedDim}, the file's have ${dim}`, {
        file: path,
        hint: 'the same model id must give the same dimension: is the id right?',
      });
    }

    // Text hashes: spelled as confrec writes them, each once, of texts this database has.
    const badHash = await store.scalar<number>(`SELECT count(*) ${mine} AND (text_hash IS NULL OR NOT regexp_full_match(text_hash, '${TEXT_HASH.source.slice(1, -1)}'))`, [embedder]);
    if (badHash > 0) {
      const e = await example(store, `SELECT any_value(text_hash) ${mine} AND text_hash IS NOT NULL AND NOT regexp_full_match(text_hash, '${TEXT_HASH.source.slice(1, -1)}')`, [embedder]);
      throw new ConfrecError(`${plural(badHash, 'text_hash value')} ${badHash === 1 ? 'is' : 'are'} not a sha256 in lowercase hex${e}`, {
        file: path,
        hint: 'keep text_hash exactly as `confrec export recommendations` gave it',
      });
    }
    const twice = await store.scalar<number>(`SELECT count(*) FROM (SELECT text_hash ${mine} GROUP BY text_hash HAVING count(*) > 1)`, [embedder]);
    if (twice > 0) {
      const e = await example(store, `SELECT any_value(text_hash) FROM (SELECT text_hash ${mine} GROUP BY text_hash HAVING count(*) > 1)`, [embedder]);
      throw new ConfrecError(`${plural(twice, 'text_hash')} ${twice === 1 ? 'appears' : 'appear'} more than once${e}`, { file: path, hint: 'one vector per text: drop the repeated rows' });
    }
    const unknownSql = `${mine} AND text_hash NOT IN (SELECT text_hash FROM recommendations)`;
    const unknown = await store.scalar<number>(`SELECT count(*) ${unknownSql}`, [embedder]);
    if (unknown > 0 && !opts.skipUnknown) {
      const e = await example(store, `SELECT any_value(text_hash) ${unknownSql}`, [embedder]);
      throw new ConfrecError(`${plural(unknown, 'text_hash', 'text_hashes')} of the file ${unknown === 1 ? 'is' : 'are'} not the text of any recommendation in this database${e}`, {
        file: path,
        hint: 'was the file made from another database? pass --skip-unknown to import the rest',
      });
    }

    const fileRows = embedders.find((x) => x.embedder === embedder)!.n;
    const present = await store.scalar<number>(`SELECT count(*) ${mine} AND text_hash IN (SELECT text_hash FROM embeddings WHERE embedder = $1)`, [embedder]);
    // Current texts that will still have no vector in this space after the import.
    const missingAfter = await store.scalar<number>(
      `SELECT count(*) FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) c
        WHERE c.text_hash NOT IN (SELECT text_hash FROM embeddings WHERE embedder = $1) AND c.text_hash NOT IN (SELECT text_hash ${mine})`,
      [embedder],
    );
    // The embed fingerprint only when the space is complete: then the stages after embed see a fresh
    // embed; with texts missing, `status` keeps showing embed as stale.
    const fingerprint = missingAfter === 0 ? fingerprintParams(await embedStage.fingerprint(store, embedStage.parseOptions({}))) : {};
    const parts = transformersIdParts(embedder);
    const importedParams = {
      source: 'import',
      file: path,
      embedder,
      dim,
      // What `similar` and `themes` need to re-open the model for queries (embed/current.ts).
      ...(parts ? { backend: 'transformers', model: parts.model, dtype: parts.dtype } : { backend: embedder.startsWith('lexical') ? 'lexical' : 'import' }),
      ...fingerprint,
    };
    const result = await withRun(store, 'embed', importedParams, async () => {
      const imported = await store.transaction(async () => {
        const before = await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [embedder]);
        await store.run(
          `INSERT INTO embeddings (text_hash, embedder, dim, vector)
           SELECT text_hash, embedder, $2::INTEGER, vector::FLOAT[] ${mine}
             AND text_hash IN (SELECT text_hash FROM recommendations)
             AND text_hash NOT IN (SELECT text_hash FROM embeddings WHERE embedder = $1)`,
          [embedder, dim],
        );
        return (await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [embedder])) - before;
      });
      const texts = await store.scalar<number>(`SELECT count(DISTINCT r.text_hash) FROM recommendations r JOIN current_documents USING (doc_id)`);
      const missing = await store.scalar<number>(
        `SELECT count(*) FROM (SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)) c
          WHERE c.text_hash NOT IN (SELECT text_hash FROM embeddings WHERE embedder = $1)`,
        [embedder],
      );
      const counts: ImportEmbeddingsCounts = {
        file: path,
        embedder,
        dim,
        rows: fileRows,
        imported,
        already_present: present,
        unknown_skipped: opts.skipUnknown ? unknown : 0,
        current_missing: missing,
        texts,
        source: 'import',
      };
      const line =
        `import: ${plural(imported, 'vector')} of ${embedder} (${dim} dims) imported` +
        (present ? `, ${present} already present` : '') +
        (counts.unknown_skipped ? `, ${counts.unknown_skipped} of unknown texts skipped` : '') +
        `; ${embedder} is now the current embedding space` +
        (missing ? ` — ${plural(missing, 'current text')} ${missing === 1 ? 'has' : 'have'} no vector in it yet` : ` (all ${texts} current texts have a vector)`);
      return { counts, line };
    });
    return { ...result.counts, runId: result.runId, line: result.line };
  });
}

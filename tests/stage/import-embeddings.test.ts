import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentEmbedding } from '../../pipeline/embed/current.js';
import { ConfrecError } from '../../pipeline/errors.js';
import { exportEmbeddings } from '../../pipeline/export/arrow.js';
import { importEmbeddings } from '../../pipeline/import/embeddings.js';
import type { Store } from '../../pipeline/store/db.js';
import { openSampleCopy } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const FOREIGN = 'transformers:test/e5-like@fp32';
const CURRENT_HASHES = `SELECT DISTINCT r.text_hash FROM recommendations r JOIN current_documents USING (doc_id)`;
/** Deterministic 16-number vectors, different per text: what a GPU job would send back. */
const VECTOR_16 = `list_transform(range(16), i -> (((hash(text_hash || i::VARCHAR) % 2000)::DOUBLE / 1000.0) - 1.0)::FLOAT)`;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

describe('confrec import embeddings', () => {
  let store: Store;
  let dir: string;
  const file = (name: string) => join(dir, name);
  /** Writes a Parquet file from a query, as an outside job would. */
  const parquet = async (name: string, query: string) => {
    await store.run(`COPY (${query}) TO ${lit(file(name))} (FORMAT parquet)`);
    return file(name);
  };
  const embedRuns = () => store.scalar<number>(`SELECT count(*) FROM runs WHERE stage = 'embed'`);
  const vectors = () => store.scalar<number>(`SELECT count(*) FROM embeddings`);

  beforeEach(async () => {
    store = await openSampleCopy();
    dir = tempDir('confrec-import-');
  });
  afterEach(() => store.close());

  it('round-trips with `export embeddings --format parquet` and writes only the text hashes that are missing', async () => {
    const lexical = (await currentEmbedding(store))!;
    expect(lexical.id).toMatch(/^lexical-v1:/);
    const exported = file('lexical.parquet');
    const n = await exportEmbeddings(store, { format: 'parquet', out: exported, embedder: lexical.id });
    const original = await store.all<{ text_hash: string; vector: number[] }>(`SELECT text_hash, vector FROM embeddings WHERE embedder = $1 ORDER BY text_hash`, [lexical.id]);
    expect(original.length).toBe(n);
    // Lose every other vector, then bring them back from the file.
    const lost = original.filter((_, i) => i % 2 === 0);
    await store.run(
      `DELETE FROM embeddings WHERE embedder = $1 AND text_hash IN (
         SELECT text_hash FROM (SELECT text_hash, row_number() OVER (ORDER BY text_hash) AS k FROM embeddings WHERE embedder = $1) WHERE k % 2 = 1)`,
      [lexical.id],
    );
    expect(await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE embedder = $1`, [lexical.id])).toBe(n - lost.length);
    const r = await importEmbeddings(store, { file: exported });
    expect(r.embedder).toBe(lexical.id);
    expect(r.dim).toBe(lexical.dim);
    expect(r.imported).toBe(lost.length);
    expect(r.already_present).toBe(n - lost.length);
    expect(r.current_missing).toBe(0);
    const back = await store.all<{ text_hash: string; vector: number[] }>(`SELECT text_hash, vector FROM embeddings WHERE embedder = $1 ORDER BY text_hash`, [lexical.id]);
    expect(back).toEqual(original);
    // A second import finds everything present and writes nothing.
    const again = await importEmbeddings(store, { file: exported });
    expect(again.imported).toBe(0);
    expect(again.already_present).toBe(n);
  });

  it('imports a sentence model from elsewhere, makes it the current space, and exports it back unchanged', async () => {
    const texts = await store.scalar<number>(`SELECT count(*) FROM (${CURRENT_HASHES})`);
    // Half first (a job that has not finished), then the whole file: only the new half is written.
    const half = await parquet('half.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder, 16 AS dim, ${VECTOR_16} AS vector FROM (${CURRENT_HASHES}) ORDER BY text_hash LIMIT ${Math.floor(texts / 2)}`);
    const whole = await parquet('whole.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder, 16 AS dim, ${VECTOR_16} AS vector FROM (${CURRENT_HASHES})`);
    const first = await importEmbeddings(store, { file: half });
    expect(first.imported).toBe(Math.floor(texts / 2));
    expect(first.current_missing).toBe(texts - Math.floor(texts / 2));
    const second = await importEmbeddings(store, { file: whole });
    expect(second.imported).toBe(texts - Math.floor(texts / 2));
    expect(second.already_present).toBe(Math.floor(texts / 2));
    expect(second.current_missing).toBe(0);
    const current = (await currentEmbedding(store))!;
    expect(current.id).toBe(FOREIGN);
    expect(current.dim).toBe(16);
    expect(current.params.backend).toBe('transformers');
    expect(current.params.model).toBe('test/e5-like');
    expect(await store.scalar<number>(`SELECT count(*) FROM current_embeddings`)).toBe(texts);
    // The lexical vectors stay (another space, not replaced).
    expect(await store.scalar<number>(`SELECT count(*) FROM embeddings WHERE embedder LIKE 'lexical%'`)).toBeGreaterThan(0);

    const out = file('back.parquet');
    await exportEmbeddings(store, { format: 'parquet', out, embedder: FOREIGN });
    const diff = await store.scalar<number>(
      `SELECT count(*) FROM (
         (SELECT text_hash, embedder, dim::INTEGER AS dim, vector::FLOAT[] AS vector FROM read_parquet($1)
          EXCEPT SELECT text_hash, embedder, dim::INTEGER, vector::FLOAT[] FROM read_parquet($2))
         UNION ALL
         (SELECT text_hash, embedder, dim::INTEGER, vector::FLOAT[] FROM read_parquet($2)
          EXCEPT SELECT text_hash, embedder, dim::INTEGER, vector::FLOAT[] FROM read_parquet($1)))`,
      [whole, out],
    );
    expect(diff).toBe(0);
  });

  it('takes the model id from --embedder when the file has no embedder column, and drops unknown texts only when asked', async () => {
    const path = await parquet(
      'no-embedder.parquet',
      `SELECT text_hash, ${VECTOR_16} AS vector FROM (${CURRENT_HASHES}) UNION ALL SELECT repeat('ab', 32), ${VECTOR_16.replace(/text_hash/g, "'x'")}`,
    );
    await expect(importEmbeddings(store, { file: path, embedder: FOREIGN })).rejects.toThrow(/1 text_hash of the file is not the text of any recommendation/);
    const r = await importEmbeddings(store, { file: path, embedder: FOREIGN, skipUnknown: true });
    expect(r.unknown_skipped).toBe(1);
    expect(r.imported).toBe(await store.scalar<number>(`SELECT count(*) FROM (${CURRENT_HASHES})`));
  });

  describe('refuses every kind of bad file with a ConfrecError and writes nothing', () => {
    const hashes = `(${CURRENT_HASHES} ORDER BY text_hash LIMIT 20)`;
    const ok = (extra = '') => `SELECT text_hash, ${lit(FOREIGN)} AS embedder, 16 AS dim, ${VECTOR_16} AS vector${extra} FROM ${hashes}`;
    const cases: { name: string; make: () => Promise<string>; embedder?: string; error: RegExp }[] = [
      { name: 'a missing file', make: async () => file('nowhere.parquet'), error: /no such file/ },
      {
        name: 'a CSV named .parquet',
        make: async () => {
          writeFileSync(file('fake.parquet'), 'text_hash,vector\nabc,"[1,2]"\n');
          return file('fake.parquet');
        },
        error: /not a Parquet file/,
      },
      {
        name: 'a Parquet file cut short',
        make: async () => {
          const p = await parquet('whole.parquet', ok());
          const { readFileSync } = await import('node:fs');
          const bytes = readFileSync(p);
          // Keep both magic numbers, lose the middle: a damaged file, not another format.
          writeFileSync(file('cut.parquet'), Buffer.concat([bytes.subarray(0, 64), bytes.subarray(bytes.length - 64)]));
          return file('cut.parquet');
        },
        error: /cannot read the Parquet file/,
      },
      { name: 'no vector column', make: () => parquet('a.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder FROM ${hashes}`), error: /no "vector" column/ },
      { name: 'vectors as text', make: () => parquet('a.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder, ${VECTOR_16}::VARCHAR AS vector FROM ${hashes}`), error: /not a list of floats/ },
      { name: 'no model named', make: () => parquet('a.parquet', `SELECT text_hash, ${VECTOR_16} AS vector FROM ${hashes}`), error: /does not say which model/ },
      {
        name: 'two models in one file',
        make: () => parquet('a.parquet', `${ok()} UNION ALL SELECT text_hash, 'other/model' AS embedder, 16, ${VECTOR_16} FROM ${hashes}`),
        error: /vectors of 2 models: other\/model \(20\), transformers:test\/e5-like@fp32 \(20\)/,
      },
      { name: 'another model than --embedder', make: () => parquet('a.parquet', ok()), embedder: 'org/else', error: /no vectors from "org\/else"/ },
      { name: 'a model id with a space', make: () => parquet('a.parquet', `SELECT text_hash, 'my model' AS embedder, ${VECTOR_16} AS vector FROM ${hashes}`), error: /characters a model id does not/ },
      {
        name: 'a lexical space fitted elsewhere',
        make: () => parquet('a.parquet', `SELECT text_hash, 'lexical-v1:0000000000000000' AS embedder, ${VECTOR_16} AS vector FROM ${hashes}`),
        error: /lexical space fitted on another corpus/,
      },
      {
        name: 'two dimensions',
        make: () => parquet('a.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder, CASE WHEN k <= 10 THEN ${VECTOR_16} ELSE ${VECTOR_16}[1:8] END AS vector
             FROM (SELECT text_hash, row_number() OVER (ORDER BY text_hash) AS k FROM ${hashes})`),
        error: /do not all have one dimension: 10 vectors of 8, 10 vectors of 16/,
      },
      { name: 'a dim column that disagrees', make: () => parquet('a.parquet', ok().replace('16 AS dim', '384 AS dim')), error: /dim differs from the length of its vector \(16\)/ },
      {
        name: 'NaN in a vector',
        make: () => parquet('a.parquet', `SELECT text_hash, ${lit(FOREIGN)} AS embedder, list_concat(${VECTOR_16}[1:15], ['NaN'::FLOAT]) AS vector FROM ${hashes}`),
        error: /20 vectors hold NaN/,
      },
      {
        name: 'another dimension than the stored vectors of that model',
        make: async () => {
          // The sample's lexical vectors are 256-dimensional; the same id with 16 numbers is a mistake.
          const id = (await currentEmbedding(store))!.id;
          return parquet('a.parquet', `SELECT text_hash, ${lit(id)} AS embedder, ${VECTOR_16} AS vector FROM ${hashes}`);
        },
        error: /holds lexical-v1:\w+ vectors of dimension 256, the file's have 16/,
      },
      { name: 'hashes that are not sha256', make: () => parquet('a.parquet', ok().replace('SELECT text_hash,', 'SELECT upper(text_hash) AS text_hash,')), error: /20 text_hash values are not a sha256 in lowercase hex/ },
      { name: 'a hash twice', make: () => parquet('a.parquet', `${ok()} UNION ALL (${ok()} LIMIT 1)`), error: /1 text_hash appears more than once/ },
      {
        name: 'texts of another database',
        make: () => parquet('a.parquet', `SELECT sha256(text_hash) AS text_hash, ${lit(FOREIGN)} AS embedder, ${VECTOR_16} AS vector FROM ${hashes}`),
        error: /20 text_hashes of the file are not the text of any recommendation/,
      },
      { name: 'no rows', make: () => parquet('a.parquet', `${ok()} LIMIT 0`), error: /holds no vectors/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const path = await c.make();
        const before = { runs: await embedRuns(), vectors: await vectors() };
        const err = await importEmbeddings(store, { file: path, embedder: c.embedder }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ConfrecError);
        expect((err as ConfrecError).message).toMatch(c.error);
        expect((err as ConfrecError).file).toBe(path);
        expect((err as ConfrecError).hint).toBeTruthy();
        expect({ runs: await embedRuns(), vectors: await vectors() }).toEqual(before);
      });
    }
  });
});

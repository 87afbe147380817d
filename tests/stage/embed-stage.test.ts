import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, Type, type FixedSizeList } from 'apache-arrow';
import { embedFingerprint, embedStage, parseEmbedOptions } from '../../pipeline/embed/stage.js';
import { readCorpusHashes } from '../../pipeline/embed/corpus.js';
import { UsageError } from '../../pipeline/errors.js';
import { createEmbedder } from '../../pipeline/embed/registry.js';
import { writeTinyBertModel } from '../../tools/tiny-model/tinymodel.js';
import { dot } from '../../pipeline/math/vectors.js';
import { exportEmbeddings } from '../../pipeline/export/arrow.js';
import { silentLogger, type Logger } from '../../pipeline/progress.js';
import { Store } from '../../pipeline/store/db.js';
import { GOLD_DIR, tempDir } from '../helpers/tmp.js';
import { copyDatabase } from '../helpers/db.js';
import { loadLexicalModel } from '../../pipeline/embed/lexical/store.js';
import { lexicalParams } from '../../pipeline/embed/lexical/embedder.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The gold recommendations, grouped by file, as segment would have stored them. */
const goldFiles = readdirSync(GOLD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    file: f,
    texts: (JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as { recommendations: { text: string }[] }).recommendations.map((r) => r.text),
  }));

async function addDocument(store: Store, docId: string, texts: string[]): Promise<void> {
  await store.run(
    `INSERT INTO documents (doc_id, sha256, source_path, source_file, file_type, bytes, text, ingested_at)
     VALUES ($1, $2, $3, $4, 'txt', 0, $5, now()::TIMESTAMP)`,
    [docId, sha(docId), `/tmp/${docId}.txt`, `${docId}.txt`, texts.join('\n')],
  );
  for (const [i, text] of texts.entries()) {
    await store.run(
      `INSERT INTO recommendations (rec_id, doc_id, seq, addressee_type, text, char_start, char_end, line_start, line_end, text_hash)
       VALUES ($1, $2, $3, 'none', $4, 0, 0, 1, 1, $5)`,
      [`${docId}-${i + 1}`, docId, i + 1, text, sha(text)],
    );
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (l) => lines.push(l), warn: (l) => lines.push(l) };
}

const run = (store: Store, options: Record<string, unknown>, log: Logger = silentLogger) =>
  embedStage.run(store, { log, quiet: true, options });

const vectorCount = (store: Store, embedder?: string) =>
  store.scalar<number>(`SELECT count(*) FROM embeddings WHERE $1::VARCHAR IS NULL OR embedder = $1`, [embedder ?? null]);

describe('embed stage', () => {
  // The documents are stored once; each test embeds on its own copy, so no test depends on another.
  let base: string;
  let store: Store;
  const work = tempDir('confrec-embed-');
  const modelDir = join(work, 'models');
  const distinct = new Set(goldFiles.flatMap((g) => g.texts)).size;
  const copy = () => Store.open(copyDatabase(base, 'embed.duckdb'));
  /** A copy with the lexical space fitted on the documents. */
  const embedded = async () => {
    const s = await copy();
    await run(s, { embedder: 'lexical' });
    return s;
  };
  const inOwn = async (make: () => Promise<Store>, fn: (s: Store) => Promise<void>) => {
    const s = await make();
    try {
      await fn(s);
    } finally {
      s.close();
    }
  };

  beforeAll(async () => {
    base = join(work, 'db.duckdb');
    const built = await Store.open(base);
    for (const [i, g] of goldFiles.entries()) await addDocument(built, `doc${i + 1}`, g.texts);
    // The same recommendation in a second, superseded version of a document must not count.
    await addDocument(built, 'old1', ['устаревшая рекомендация из прежней версии документа']);
    await built.run(`UPDATE documents SET is_current = false, superseded_by = 'doc1' WHERE doc_id = 'old1'`);
    built.close();
    store = await copy();
    writeTinyBertModel(join(modelDir, 'test', 'tiny-bert'), { seed: 5 });
  });
  afterAll(() => store?.close());

  it('auto without the default model uses lexical and names the command that fetches the model', () =>
    inOwn(copy, async (store) => {
      const log = recordingLogger();
      const s = await run(store, { embedder: 'auto', modelDir }, log);
      expect(log.lines.join('\n')).toMatch(/confrec model pull Xenova\/multilingual-e5-small/);
      expect(s.counts).toMatchObject({ texts: distinct, embedded: distinct, cached: 0, refitted: true });
      expect(String(s.counts.embedder)).toMatch(/^lexical-v1:/);
      expect(await vectorCount(store)).toBe(distinct);
      expect(await store.scalar<number>(`SELECT count(*) FROM lexical_models`)).toBe(1);
    }));

  it('a second run embeds nothing new and records the run', () =>
    inOwn(embedded, async (store) => {
      const s = await run(store, { embedder: 'lexical' });
      expect(s.counts).toMatchObject({ texts: distinct, embedded: 0, cached: distinct, refitted: false });
      const last = await store.one<{ status: string; params: string; counts: string }>(
        `SELECT status, params::VARCHAR AS params, counts::VARCHAR AS counts FROM runs WHERE stage = 'embed' ORDER BY run_id DESC LIMIT 1`,
      );
      expect(last?.status).toBe('ok');
      const params = JSON.parse(last!.params);
      expect(params.embedder).toMatch(/^lexical-v1:/);
      expect(params.batch_size).toBe(32);
      expect(JSON.parse(last!.counts)).toMatchObject({ texts: distinct, embedded: 0, cached: distinct });
      // The current_embeddings view is this embedder's vectors, every current text once.
      expect(await store.scalar(`SELECT count(DISTINCT embedder) FROM current_embeddings`)).toBe(1);
      expect(await store.scalar(`SELECT any_value(embedder) FROM current_embeddings`)).toBe(params.embedder);
      expect(await store.scalar(`SELECT count(*) FROM current_embeddings`)).toBe(distinct);
    }));

  it('the fingerprint the stage records is the one the freshness API computes, and follows the set of texts', () =>
    inOwn(embedded, async (store) => {
      const sql = await embedFingerprint(store);
      const corpus = await readCorpusHashes(store);
      expect(corpus.length).toBe(distinct);
      expect(sql.inputs.texts).toMatch(new RegExp(`^${distinct}:-?[0-9]+$`));
      // What the stage recorded is that fingerprint: freshness says fresh.
      const { stageFreshness } = await import('../../pipeline/freshness.js');
      expect((await stageFreshness(store, 'embed')).status).toBe('fresh');
      // Another set, another fingerprint, whatever the order; none, 'empty'.
      const set = (hashes: string[]) => `SELECT unnest([${hashes.map((h) => `'${h}'`).join(', ')}]::VARCHAR[]) AS text_hash`;
      const hashes = corpus.map((t) => t.hash);
      expect((await embedFingerprint(store, undefined, set(hashes))).inputs.texts).toBe(sql.inputs.texts);
      expect((await embedFingerprint(store, undefined, set([...hashes].reverse()))).inputs.texts).toBe(sql.inputs.texts);
      expect((await embedFingerprint(store, undefined, set(hashes.slice(1)))).inputs.texts).not.toBe(sql.inputs.texts);
      expect((await embedFingerprint(store, undefined, `SELECT text_hash FROM embeddings WHERE false`)).inputs.texts).toBe('empty');
    }));

  it('a query embedded later lands in the stored space', () =>
    inOwn(embedded, async (store) => {
      const embedder = await createEmbedder(store, { embedder: 'lexical' });
      const text = goldFiles[0].texts[1];
      const [q] = await embedder.embed([text], 'query');
      const rows = await store.all<{ text_hash: string; vector: number[] }>(`SELECT text_hash, vector FROM embeddings WHERE embedder = $1`, [embedder.id]);
      const best = rows.reduce((a, b) => (dot(q, b.vector) > dot(q, a.vector) ? b : a));
      expect(best.text_hash).toBe(sha(text));
    }));

  it('a later stage of the same process opens the model embed saved, equal to the one another process reads', async () => {
    const path = copyDatabase(base, 'embed.duckdb');
    const s = await Store.open(path);
    let kept: Awaited<ReturnType<typeof loadLexicalModel>>;
    try {
      await run(s, { embedder: 'lexical' });
      kept = await loadLexicalModel(s, lexicalParams());
    } finally {
      s.close();
    }
    const other = await Store.open(path);
    try {
      const read = (await loadLexicalModel(other, lexicalParams()))!;
      expect(read).not.toBe(kept); // read from the table
      const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      const { idf, projection, features, ...rest } = read;
      expect(rest).toEqual({ id: kept!.id, corpusHash: kept!.corpusHash, params: kept!.params, nTexts: kept!.nTexts, nWordFeatures: kept!.nWordFeatures });
      expect(features.join('\n')).toBe(kept!.features.join('\n'));
      expect(bytes(idf).equals(bytes(kept!.idf))).toBe(true);
      expect(bytes(projection).equals(bytes(kept!.projection))).toBe(true);
    } finally {
      other.close();
    }
  });

  it('a refit that fails leaves the old model and vectors untouched (one transaction)', () =>
    inOwn(embedded, async (store) => {
      const before = await store.scalar<string>(`SELECT model_id FROM lexical_models`);
      // Enough new texts to need a refit.
      await addDocument(store, 'doc9', Array.from({ length: 8 }, (_, k) => `организовать конкурс ${k + 1} для одарённых детей и их наставников`));
      const append = store.append.bind(store);
      store.append = async () => {
        throw new Error('disk full (simulated)');
      };
      try {
        await expect(run(store, { embedder: 'lexical' })).rejects.toThrow(/disk full/);
      } finally {
        store.append = append;
      }
      expect(await store.scalar<string>(`SELECT model_id FROM lexical_models`)).toBe(before);
      // The rolled-back model is not what a later stage of the same process opens.
      expect((await createEmbedder(store, { embedder: 'lexical' })).id).toBe(before);
      expect(await vectorCount(store, before)).toBe(distinct);
      expect(await vectorCount(store)).toBe(distinct);
      const failed = await store.scalar<string>(`SELECT status FROM runs WHERE stage = 'embed' ORDER BY run_id DESC LIMIT 1`);
      expect(failed).toBe('failed');
    }));

  it('a few new texts are embedded into the existing lexical space; --refit replaces space and vectors', () =>
    inOwn(embedded, async (store) => {
      const before = await store.scalar<string>(`SELECT model_id FROM lexical_models`);
      await addDocument(store, 'doc9', ['организовать конкурс для одарённых детей и их наставников']);
      // One new text in 40 is under the 10% drift that triggers a refit: only the new work is done.
      const small = await run(store, { embedder: 'lexical' });
      expect(small.counts).toMatchObject({ texts: distinct + 1, embedded: 1, refitted: false, embedder: before });
      expect(await vectorCount(store, before)).toBe(distinct + 1);

      const s = await run(store, { embedder: 'lexical', refit: true });
      expect(s.counts).toMatchObject({ texts: distinct + 1, embedded: distinct + 1, refitted: true, replaced: [before] });
      const after = String(s.counts.embedder);
      expect(after).not.toBe(before);
      expect(await vectorCount(store, before)).toBe(0);
      expect(await vectorCount(store, after)).toBe(distinct + 1);
      expect(await store.all(`SELECT model_id FROM lexical_models`)).toEqual([{ model_id: after }]);
      expect(await store.scalar(`SELECT count(*) FROM lexical_fit_texts WHERE model_id = $1`, [after])).toBe(distinct + 1);
    }));

  it('switching embedders keeps both sets; the current one is the last embedded with', () =>
    inOwn(embedded, async (store) => {
      const lexicalId = await store.scalar<string>(`SELECT model_id FROM lexical_models`);
      const t = await run(store, { embedder: 'transformers', model: 'test/tiny-bert', modelDir, batchSize: 8 });
      expect(t.counts).toMatchObject({ embedded: distinct, cached: 0, embedder: 'transformers:test/tiny-bert@fp32', dim: 32 });
      expect(await vectorCount(store, lexicalId)).toBe(distinct);
      expect(await vectorCount(store, 'transformers:test/tiny-bert@fp32')).toBe(distinct);
      expect(await store.scalar(`SELECT any_value(embedder) FROM current_embeddings`)).toBe('transformers:test/tiny-bert@fp32');
      const again = await run(store, { embedder: 'transformers', model: 'test/tiny-bert', modelDir });
      expect(again.counts).toMatchObject({ embedded: 0, cached: distinct });
      const lex = await run(store, { embedder: 'lexical' });
      expect(lex.counts).toMatchObject({ embedded: 0, refitted: false });
      expect(await store.scalar(`SELECT any_value(embedder) FROM current_embeddings`)).toBe(lexicalId);
      // Downstream SQL can cast to a fixed-size array for DuckDB's vector functions.
      const sim = await store.scalar<number>(
        `SELECT array_cosine_similarity(a.vector::FLOAT[32], b.vector::FLOAT[32]) FROM embeddings a, embeddings b
          WHERE a.embedder = $1 AND b.embedder = $1 AND a.text_hash = b.text_hash LIMIT 1`,
        ['transformers:test/tiny-bert@fp32'],
      );
      expect(sim).toBeCloseTo(1, 5);
    }));

  it('rejects bad options with a usage error', async () => {
    expect(() => parseEmbedOptions({ embedder: 'word2vec' })).toThrow(UsageError);
    expect(() => parseEmbedOptions({ embedder: 'word2vec' })).toThrow(/unknown embedder "word2vec"/);
    expect(() => parseEmbedOptions({ embedder: 'lexical', 'batch-size': '0' })).toThrow(/--batch-size must be a whole number ≥ 1/);
    expect(() => parseEmbedOptions({ dtype: 'fp64' })).toThrow(/unknown dtype "fp64"/);
    expect(parseEmbedOptions({ embedder: 'lexical', 'batch-size': '7' })).toMatchObject({ embedder: 'lexical', batchSize: 7 });
    // An embedder name that reaches the registry unparsed is refused there too.
    await expect(run(store, { embedder: 'word2vec' as never })).rejects.toThrow(/unknown embedder/);
  });

  describe('export', () => {
    const transformersId = 'transformers:test/tiny-bert@fp32';
    // Both embedders' vectors, in the file's own copy of the documents.
    beforeAll(async () => {
      await run(store, { embedder: 'lexical' });
      await run(store, { embedder: 'transformers', model: 'test/tiny-bert', modelDir, batchSize: 8 });
    });

    it('writes Arrow IPC with FixedSizeList<Float32> vectors', async () => {
      const out = join(work, 'emb.arrow');
      const n = await exportEmbeddings(store, { format: 'arrow', out, embedder: transformersId });
      expect(n).toBe(distinct);
      const table = tableFromIPC(readFileSync(out));
      expect(table.numRows).toBe(n);
      const field = table.schema.fields.find((f) => f.name === 'vector')!;
      expect(field.type.typeId).toBe(Type.FixedSizeList);
      expect((field.type as FixedSizeList).listSize).toBe(32);
      expect(String((field.type as FixedSizeList).children[0].type)).toBe('Float32');
      const first = table.get(0)!.toJSON() as { text_hash: string; vector: { toArray(): Float32Array } };
      const stored = await store.one<{ vector: number[] }>(`SELECT vector FROM embeddings WHERE embedder = $1 AND text_hash = $2`, [
        transformersId,
        first.text_hash,
      ]);
      expect(Array.from(first.vector.toArray())).toEqual(stored!.vector.map((x) => Math.fround(x)));
    });

    it('writes Parquet whose vectors read back as fixed-size float lists', async () => {
      const out = join(work, 'emb.parquet');
      const lexicalId = await store.scalar<string>(`SELECT model_id FROM lexical_models`);
      const n = await exportEmbeddings(store, { format: 'parquet', out, embedder: lexicalId });
      expect(n).toBe(distinct);
      // DuckDB reads Parquet lists as FLOAT[]; the fixed size lives in the Arrow schema that Arrow readers apply.
      const cols = await store.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet($1)`, [out]);
      expect(cols.map((c) => c.column_name)).toEqual(['text_hash', 'embedder', 'dim', 'vector']);
      expect(cols[3].column_type).toBe('FLOAT[]');
      const lengths = await store.all(`SELECT DISTINCT len(vector) AS n FROM read_parquet($1)`, [out]);
      expect(lengths).toEqual([{ n: 256 }]);
      const meta = await store.scalar<string>(
        `SELECT value::VARCHAR FROM parquet_kv_metadata($1) WHERE key::VARCHAR = 'ARROW:schema'`,
        [out],
      );
      const eos = Buffer.from([255, 255, 255, 255, 0, 0, 0, 0]);
      const schema = tableFromIPC(Buffer.concat([Buffer.from(meta, 'base64'), eos])).schema;
      const vector = schema.fields[3];
      expect(vector.name).toBe('vector');
      expect(vector.type.typeId).toBe(Type.FixedSizeList);
      expect((vector.type as FixedSizeList).listSize).toBe(256);
      // And the values survive: cast back to a fixed-size array and compare with the table.
      const same = await store.scalar<number>(
        `SELECT count(*) FROM read_parquet($1) p JOIN embeddings e USING (text_hash, embedder)
          WHERE p.vector::FLOAT[256] = e.vector::FLOAT[256]`,
        [out],
      );
      expect(same).toBe(n);
    });

    it('writes JSON Lines of every embedder (plain lists may mix dimensions)', async () => {
      const out = join(work, 'emb.jsonl');
      const n = await exportEmbeddings(store, { format: 'jsonl', out });
      expect(n).toBe(await vectorCount(store));
      const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dim: number; vector: number[] });
      expect(rows).toHaveLength(n);
      expect(new Set(rows.map((r) => r.dim))).toEqual(new Set([32, 256]));
      expect(rows.every((r) => r.vector.length === r.dim)).toBe(true);
    });

    it('refuses to mix dimensions without an embedder filter, and an embedder that is not there in any format', async () => {
      await expect(exportEmbeddings(store, { format: 'parquet', out: join(work, 'mixed.parquet') })).rejects.toThrow(/several dimensions/);
      for (const format of ['arrow', 'parquet', 'jsonl', 'csv'] as const) {
        const out = join(work, `nope.${format}`);
        await expect(exportEmbeddings(store, { format, out, embedder: "x' OR 1=1 --" })).rejects.toThrow(
          /^no embeddings from embedder "x' OR 1=1 --" in this database$/,
        );
        expect(existsSync(out)).toBe(false);
      }
    });
  });
});

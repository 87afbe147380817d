import { createHash } from 'node:crypto';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DuckDBInstance,
  DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  JSToDuckDBValueConverter,
  listValue,
} from '@duckdb/node-api';
import { ConfrecError } from '../errors.js';
import { ROOT } from '../config.js';
import { setNumericColumn, type TableSpec } from './columns.js';
import { explainDatabaseError } from './diagnose.js';
import { foreignDatabaseError, identifyDatabase, newerSchemaError, SCHEMA_VERSION } from './identity.js';
import { verifyIntegrity, type IntegrityReport } from './integrity.js';
import { needsUpgrade, prepareSchema } from './migrate.js';
import { codeVersion } from './version.js';

export type Params = Record<string, unknown> | unknown[];

/** A LIST(FLOAT) column for Store.appendVectors: `dim` floats per row, packed row after row. */
export interface PackedVectors {
  packed: Float32Array;
  dim: number;
}

const SCHEMA_FILES = ['schema.sql'];

/** DuckDB values that JS handles awkwardly (bigint, Date) become numbers and ISO strings. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/**
 * Fault-injection hook for the crash tests: with CONFREC_CRASH_AT=<stage>:commit the process kills
 * itself with SIGKILL just before that stage commits — the worst moment for a crash. Never set in use.
 */
export function crashPoint(point: string): void {
  if (process.env.CONFREC_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

/** The statements of schema.sql, comments dropped. */
function schemaStatements(schema: string): string[] {
  return schema
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const isViewStatement = (s: string) => /^CREATE OR REPLACE VIEW/i.test(s);
const viewName = (s: string) => /^CREATE OR REPLACE VIEW\s+(\w+)/i.exec(s)![1];

/** The CREATE VIEW statements of schema.sql (its views section), comments dropped. */
export function viewStatements(schema: string): string[] {
  return schemaStatements(schema).filter(isViewStatement);
}

/**
 * The DuckDB connection and the only place SQL is executed. Stages go through it; nothing else opens
 * the database. Queries are always parameterised ($1 or $name); values are never spliced into SQL.
 */
export class Store {
  private inTransaction = false;
  /** The stage whose run is in progress (set by withRun), for the crash-test hook below. */
  stage: string | null = null;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /** Set when the database was opened with `verify`: what the integrity probe read. */
  integrity: IntegrityReport | null = null;

  /**
   * Opens a confrec database. Before anything is written: a DuckDB file of another program is
   * refused, an older confrec database is upgraded (pipeline/store/migrate.ts; a read-only open
   * upgrades it first through a short read-write open), a newer one refused. With `verify`, every
   * table is read so that a damaged block is reported now (pipeline/store/integrity.ts).
   */
  static async open(path: string, opts: { readOnly?: boolean; verify?: boolean } = {}): Promise<Store> {
    if (path !== ':memory:') {
      if (opts.readOnly && !existsSync(path)) {
        throw new ConfrecError('no database here yet', { file: path, hint: 'run `confrec run <folder>` first, or pass --db' });
      }
      mkdirSync(dirname(path), { recursive: true });
    }
    const store = await Store.connect(path, Boolean(opts.readOnly));
    try {
      const kind = await identifyDatabase(store.conn);
      if (kind.kind === 'foreign') throw foreignDatabaseError(path, kind.tables);
      if (kind.kind === 'confrec' && kind.version > SCHEMA_VERSION) throw newerSchemaError(path, kind.version);
      if (opts.readOnly && kind.kind === 'empty') {
        throw new ConfrecError('the database is empty', { file: path, hint: 'run `confrec run <folder>` first, or pass --db' });
      }
      if (opts.readOnly && needsUpgrade(kind)) {
        store.close();
        (await Store.open(path)).close();
        return await Store.open(path, opts);
      }
      if (!opts.readOnly) {
        await prepareSchema(store, kind, () => store.applySchema(), codeVersion());
      } else {
        await store.applyViewsReadOnly();
      }
      if (opts.verify) store.integrity = await verifyIntegrity(store.conn, path);
      return store;
    } catch (err) {
      store.close();
      throw explainDatabaseError(path, err);
    }
  }

  private static async connect(path: string, readOnly: boolean): Promise<Store> {
    try {
      const options: Record<string, string> = readOnly ? { access_mode: 'READ_ONLY' } : {};
      if (process.env.CONFREC_DUCKDB_MEMORY) options.memory_limit = process.env.CONFREC_DUCKDB_MEMORY;
      const instance = await DuckDBInstance.create(path, options);
      return new Store(path, instance, await instance.connect());
    } catch (err) {
      throw explainDatabaseError(path, err);
    }
  }

  /**
   * A read-only connection cannot replace the stored views, so it defines them as temporary views
   * (which DuckDB allows read-only and looks up first): a database written by an older confrec
   * gets the views too. A view whose tables the file lacks is left out. The explorer calls it on its
   * in-memory connection while an attached copy is the default database (serve/snapshot.ts).
   */
  async applyViewsReadOnly(): Promise<void> {
    const sql = readFileSync(join(ROOT, 'pipeline', 'store', 'schema.sql'), 'utf8');
    for (const statement of viewStatements(sql)) {
      await this.conn.run(statement.replace(/^CREATE OR REPLACE VIEW/, 'CREATE OR REPLACE TEMP VIEW')).catch(() => {});
    }
  }

  /**
   * Tables and columns first (idempotent: CREATE … IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, so an
   * open that changes nothing writes nothing), then the views — replaced only when their definitions
   * or the columns under them changed (the key is kept as the views' comment), because replacing a
   * view rewrites the catalogue and a command that writes nothing must leave the file as it was.
   */
  private async applySchema(): Promise<void> {
    for (const file of SCHEMA_FILES) {
      const sql = readFileSync(join(ROOT, 'pipeline', 'store', file), 'utf8');
      const statements = schemaStatements(sql);
      const views = statements.filter(isViewStatement);
      await this.conn.run(statements.filter((x) => !isViewStatement(x)).join(';\n'));
      if (views.length) await this.applyViews(views);
    }
  }

  private async applyViews(views: string[]): Promise<void> {
    const names = views.map(viewName);
    // The columns of the tables the views read (a view's `*` is fixed when it is made).
    const words = [...new Set(views.join(' ').match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])];
    const columns = (
      await this.conn.runAndReadAll(
        `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' AND list_contains($1::VARCHAR[], c.table_name)
         ORDER BY c.table_name, c.ordinal_position`,
        [listValue(words)] as never,
      )
    ).getRowsJS();
    const key = createHash('sha256').update(JSON.stringify([views, columns])).digest('hex').slice(0, 16);
    const current = (
      await this.conn.runAndReadAll(
        `SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND NOT temporary
           AND list_contains($1::VARCHAR[], view_name) AND comment = $2`,
        [listValue(names), key] as never,
      )
    ).getRowsJS()[0]?.[0];
    if (Number(current) === views.length) return;
    for (const [i, v] of views.entries()) {
      await this.conn.run(v);
      // The key is hex digits: safe in the literal.
      await this.conn.run(`COMMENT ON VIEW ${names[i]} IS '${key}'`);
    }
  }

  /** DuckDB errors a user can act on (damaged file, disk full) become one ConfrecError; others pass through. */
  private explain(err: unknown): unknown {
    return explainDatabaseError(this.path, err);
  }

  async run(sql: string, params?: Params, types?: Record<string, DuckDBType> | DuckDBType[]): Promise<void> {
    const t = traceStart();
    await this.conn.run(sql, params as never, types as never).catch((err: unknown) => {
      throw this.explain(err);
    });
    traceEnd(t, sql);
  }

  /** A query's whole result, with errors explained and the time traced (CONFREC_TRACE_SQL). */
  private async read(sql: string, params?: Params) {
    const t = traceStart();
    const reader = await this.conn.runAndReadAll(sql, params as never).catch((err: unknown) => {
      throw this.explain(err);
    });
    traceEnd(t, sql);
    return reader;
  }

  async all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.read(sql, params);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = plain(v);
      return out as T;
    });
  }

  async one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * A result as columns (name → values, plain JS like `all`): for results of hundreds of thousands
   * of rows, where an object per row costs more than the query.
   */
  async columns<T extends Record<string, unknown[]>>(sql: string, params?: Params): Promise<T> {
    const reader = await this.read(sql, params);
    const names = reader.columnNames();
    const cols = reader.getColumnsJS();
    const out: Record<string, unknown[]> = {};
    names.forEach((name, i) => {
      const col = cols[i] ?? [];
      out[name] = col.some((v) => typeof v === 'bigint' || v instanceof Date || Array.isArray(v)) ? col.map(plain) : col;
    });
    return out as T;
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const reader = await this.read(sql, params);
    return plain(reader.getRowsJS()[0]?.[0]) as T;
  }

  /**
   * Runs fn inside one transaction: all of a stage's writes land together or not at all, so a crash
   * or error leaves the previous state intact.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn();
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn();
      crashPoint(`${this.stage ?? 'none'}:commit`);
      const t = traceStart();
      await this.conn.run('COMMIT');
      traceEnd(t, 'COMMIT');
      return result;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      throw this.explain(err);
    } finally {
      this.inTransaction = false;
    }
  }

  /**
   * Bulk insert through DuckDB's appender, in chunks: row objects turned into values by the table's
   * column spec (store/columns.ts), so the order and types of the columns are declared once.
   */
  async append<R extends object>(spec: TableSpec<R>, rows: readonly R[]): Promise<void> {
    await this.appendValues(spec, rows.map((r) => spec.values(r)));
  }

  /**
   * The same with rows already as values in the spec's column order, for hot paths (millions of
   * rows) where building an object per row would cost more than the insert.
   */
  async appendValues<R extends object>(spec: TableSpec<R>, rows: readonly unknown[][]): Promise<void> {
    await this.appendChunks(spec, rows.length, (chunk, i, m) =>
      chunk.setRowsConverted(rows.slice(i, i + m) as never, JSToDuckDBValueConverter),
    );
  }

  /**
   * Appends numeric columns (typed arrays or arrays, `count` rows) without making a JS array per
   * row: 1.6 million pairs go in as 2,048-row slices of the columns themselves.
   */
  async appendColumns<R extends object>(spec: TableSpec<R>, columns: readonly ArrayLike<number>[], count: number): Promise<void> {
    if (columns.length !== spec.types.length) throw new Error(`appendColumns(${spec.table}): ${columns.length} column(s) for ${spec.types.length}`);
    await this.appendChunks(spec, count, (chunk, i, m) => {
      columns.forEach((c, k) => {
        // A typed array into a numeric column: its slice copied into the chunk's own storage in one
        // call (store/columns.ts setNumericColumn), no JS number per value.
        if (!setNumericColumn(chunk, k, c, i, m)) chunk.setColumnValues(k, Array.prototype.slice.call(c, i, i + m) as number[]);
      });
    });
  }

  /**
   * Appends `count` rows given column by column: arrays of values, and for LIST(FLOAT) columns
   * `{ packed, dim }` — `dim` floats per row packed row after row in one Float32Array, each row's list
   * a view of it (no JS number per float): 72,654 × 256 floats took 8.6 s through row arrays and
   * 1.6 s this way (measured under load 4 on the 10,000-resolution corpus).
   */
  async appendVectors<R extends object>(spec: TableSpec<R>, columns: readonly (readonly DuckDBValue[] | PackedVectors)[], count: number): Promise<void> {
    if (columns.length !== spec.types.length) throw new Error(`appendVectors(${spec.table}): ${columns.length} column(s) for ${spec.types.length}`);
    for (const c of columns) {
      if ('packed' in c && c.packed.length < count * c.dim) throw new Error(`appendVectors(${spec.table}): ${c.packed.length} floats for ${count} rows of ${c.dim}`);
    }
    await this.appendChunks(spec, count, (chunk, i, m) => {
      columns.forEach((c, k) => {
        if (!('packed' in c)) return chunk.setColumnValues(k, c.slice(i, i + m) as DuckDBValue[]);
        const lists: DuckDBValue[] = new Array(m);
        for (let r = 0; r < m; r++) lists[r] = listValue(c.packed.subarray((i + r) * c.dim, (i + r + 1) * c.dim) as unknown as DuckDBValue[]);
        chunk.setColumnValues(k, lists);
      });
    });
  }

  /** `count` rows through DuckDB's appender in chunks of 2,048, each filled by `fill` (rows i .. i+m). */
  private async appendChunks<R extends object>(
    spec: TableSpec<R>,
    count: number,
    fill: (chunk: DuckDBDataChunk, i: number, m: number) => void,
  ): Promise<void> {
    if (count === 0) return;
    try {
      const appender = await this.conn.createAppender(spec.table);
      const types = [...spec.types];
      const size = 2048;
      for (let i = 0; i < count; i += size) {
        const m = Math.min(size, count - i);
        const chunk = DuckDBDataChunk.create(types, m);
        fill(chunk, i, m);
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
    } catch (err) {
      throw this.explain(err);
    }
  }

  /**
   * Starts DuckDB writing what this command committed into the file — the checkpoint a close would
   * do — and returns at once; await it before the next statement. For a caller with JS work and no
   * SQL ahead (the report renders for ≈ 0.5 s at 10k): DuckDB writes on its own thread meanwhile, and
   * the close has little left to write. Nothing to do inside a transaction; a failed checkpoint is
   * left to the close, which checkpoints again (and reports what fails).
   */
  checkpointInBackground(): Promise<void> {
    if (this.inTransaction) return Promise.resolve();
    return this.run('CHECKPOINT').catch(() => {});
  }

  /** Closes the connection; DuckDB checkpoints what was written here (traced as `CLOSE` with CONFREC_TRACE_SQL). */
  close(): void {
    const t = traceStart();
    try {
      this.conn.closeSync();
    } catch {
      /* already closed */
    }
    try {
      this.instance.closeSync();
    } catch {
      /* already closed */
    }
    traceEnd(t, 'CLOSE (checkpoint)');
  }
}

export type { DuckDBValue };

/**
 * CONFREC_TRACE_SQL=N prints every statement that took N ms or more to stderr, with its time: where
 * a stage's database time goes, without a profiler (which shows DuckDB's work as idle time).
 */
const TRACE_MS = Number(process.env.CONFREC_TRACE_SQL ?? NaN);
const traceStart = () => (Number.isFinite(TRACE_MS) ? performance.now() : 0);
function traceEnd(started: number, sql: string): void {
  if (!Number.isFinite(TRACE_MS)) return;
  const ms = performance.now() - started;
  if (ms >= TRACE_MS) process.stderr.write(`[sql ${ms.toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').trim().slice(0, 160)}\n`);
}

/** Opens the database for one command and always closes it. */
export async function withStore<T>(
  path: string,
  fn: (store: Store) => Promise<T>,
  opts: { readOnly?: boolean; verify?: boolean } = {},
): Promise<T> {
  const store = await Store.open(path, opts);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * Lets DuckDB drop the table blocks it keeps cached after a scan (they stay in its buffer pool, up to
 * its memory limit — 80 % of RAM by default — long after the stage has read them): the limit is
 * lowered for a moment, which evicts unpinned blocks, and set back to what the Store opened with.
 * For a stage that has read a large table once and will not read it again (themes at 100,000
 * resolutions: 1.6 GB of cached documents and vectors). Outside transactions only; a failure to
 * evict changes nothing. Temporary tables would be written out to disk: call it when there are none.
 */
export async function releaseCachedBlocks(store: Store): Promise<void> {
  const configured = process.env.CONFREC_DUCKDB_MEMORY?.trim();
  // A limit given as an amount is set again as given; one in another form is left alone.
  if (configured && !/^\d+(?:\.\d+)?\s*[KMGT]i?B$/i.test(configured)) return;
  // DuckDB's default, in bytes: 80 % of the memory it sees (the cgroup's limit when there is one).
  // `RESET memory_limit` shows the default again but leaves the buffer pool at the lowered limit
  // (DuckDB 1.5: the next large sort ran out of memory at 64 MB), so the value is set explicitly.
  const cgroup = process.constrainedMemory?.() ?? 0;
  const system = cgroup > 0 && cgroup < totalmem() ? cgroup : totalmem();
  const restore = configured ?? `${Math.floor((system * 8) / 10)}B`;
  const before = await store.scalar<string>(`SELECT current_setting('memory_limit')`);
  try {
    await store.run(`SET memory_limit = '64MB'`);
  } catch {
    /* could not evict enough: what was evicted is gone, nothing else changed */
  } finally {
    await store.run(`SET memory_limit = '${restore}'`);
    // Not what it was (a limit DuckDB worked out otherwise): its own rendering, within 0.1 GiB.
    if ((await store.scalar<string>(`SELECT current_setting('memory_limit')`)) !== before) await store.run(`SET memory_limit = '${before}'`);
  }
}

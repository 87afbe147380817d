import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DuckDBInstance,
  DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import { ConfrecError } from '../errors.js';
import { ROOT } from '../config.js';
import type { TableSpec } from './columns.js';

export type Params = Record<string, unknown> | unknown[];

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

/** Explains the DuckDB errors a user can do something about. */
function explainOpenError(path: string, err: unknown): ConfrecError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(msg)) {
    const pid = /PID (\d+)/.exec(msg)?.[1];
    return new ConfrecError(`the database is in use by another confrec process${pid ? ` (PID ${pid})` : ''}`, {
      file: path,
      hint: 'wait for it to finish, or use another --db file',
      cause: err,
    });
  }
  if (/not a valid DuckDB database|Corrupt|invalid|magic|checksum|Serialization/i.test(msg)) {
    return new ConfrecError('this file is not a readable DuckDB database (corrupt, or written by another program)', {
      file: path,
      hint: 'move it aside and re-run `confrec run <folder>` to rebuild it from the source files',
      cause: err,
    });
  }
  return new ConfrecError(`cannot open the database: ${msg}`, { file: path, cause: err });
}

/** The CREATE VIEW statements of schema.sql (its views section), comments dropped. */
export function viewStatements(schema: string): string[] {
  return schema
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => /^CREATE OR REPLACE VIEW/i.test(s));
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

  static async open(path: string, opts: { readOnly?: boolean } = {}): Promise<Store> {
    if (path !== ':memory:') {
      if (opts.readOnly && !existsSync(path)) {
        throw new ConfrecError('no database here yet', { file: path, hint: 'run `confrec run <folder>` first, or pass --db' });
      }
      mkdirSync(dirname(path), { recursive: true });
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (err) {
      throw explainOpenError(path, err);
    }
    const conn = await instance.connect();
    const store = new Store(path, instance, conn);
    if (!opts.readOnly) await store.applySchema();
    else await store.applyViewsReadOnly();
    return store;
  }

  /**
   * A read-only connection cannot replace the stored views, so it defines them as temporary views
   * (which DuckDB allows read-only and looks up first): a database written by an older confrec
   * gets the views too. A view whose tables the file lacks is left out.
   */
  private async applyViewsReadOnly(): Promise<void> {
    const sql = readFileSync(join(ROOT, 'pipeline', 'store', 'schema.sql'), 'utf8');
    for (const statement of viewStatements(sql)) {
      await this.conn.run(statement.replace(/^CREATE OR REPLACE VIEW/, 'CREATE OR REPLACE TEMP VIEW')).catch(() => {});
    }
  }

  private async applySchema(): Promise<void> {
    for (const file of SCHEMA_FILES) {
      const sql = readFileSync(join(ROOT, 'pipeline', 'store', file), 'utf8');
      await this.conn.run(sql);
    }
  }

  async run(sql: string, params?: Params, types?: Record<string, DuckDBType> | DuckDBType[]): Promise<void> {
    await this.conn.run(sql, params as never, types as never);
  }

  async all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = plain(v);
      return out as T;
    });
  }

  async one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const reader = await this.conn.runAndReadAll(sql, params as never);
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
      await this.conn.run('COMMIT');
      return result;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      throw err;
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
    if (rows.length === 0) return;
    const appender = await this.conn.createAppender(spec.table);
    const types = [...spec.types];
    const size = 2048;
    for (let i = 0; i < rows.length; i += size) {
      const chunk = DuckDBDataChunk.create(types);
      chunk.setRowsConverted(rows.slice(i, i + size) as never, JSToDuckDBValueConverter);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  }

  close(): void {
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
  }
}

export type { DuckDBValue };

/** Opens the database for one command and always closes it. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const store = await Store.open(path, opts);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * Intermediate data of one stage run: temporary tables held as handles. A run creates its Scratch,
 * passes the handles it makes to the functions that need them (as arguments, never as table names
 * agreed on by convention) and drops everything in `finally`. Names are generated, so two runs, or
 * two parts of one run, never meet in a table they did not pass each other.
 */
import type { Params, Store } from './db.js';
import { TableSpec, type Columns } from './columns.js';

let counter = 0;

/** What SQL needs of a table handle: its name. Functions that only read a table take this. */
export interface TableRef {
  readonly name: string;
}

/** A temporary table owned by a Scratch. `name` is an identifier confrec made, safe to put in SQL. */
export class TempTable<R extends object = Record<string, unknown>> {
  constructor(
    private readonly store: Store,
    readonly name: string,
    readonly spec: TableSpec<R> | null,
  ) {}

  async append(rows: readonly R[]): Promise<void> {
    if (!this.spec) throw new Error(`temp table ${this.name} has no column spec to append with`);
    await this.store.append(this.spec, rows);
  }

  /** Rows as values in column order (hot paths). */
  async appendValues(rows: readonly unknown[][]): Promise<void> {
    if (!this.spec) throw new Error(`temp table ${this.name} has no column spec to append with`);
    await this.store.appendValues(this.spec, rows);
  }

  /** Appends numeric columns, `count` rows (see Store.appendColumns). */
  async appendColumns(columns: readonly ArrayLike<number>[], count: number): Promise<void> {
    if (!this.spec) throw new Error(`temp table ${this.name} has no column spec to append with`);
    await this.store.appendColumns(this.spec, columns, count);
  }

  async count(): Promise<number> {
    return this.store.scalar<number>(`SELECT count(*) FROM ${this.name}`);
  }

  toString(): string {
    return this.name;
  }
}

export class Scratch {
  private readonly tables: TempTable<object>[] = [];

  constructor(
    private readonly store: Store,
    /** Prefix of the generated names, e.g. the stage: "similar" → similar_pairs_7. */
    private readonly prefix: string,
  ) {}

  private nameFor(label: string): string {
    if (!/^[a-z][a-z0-9_]*$/.test(label)) throw new Error(`bad temp table label "${label}"`);
    return `${this.prefix}_${label}_${++counter}`;
  }

  /** An empty temporary table with these columns, to append to. */
  async table<R extends object>(label: string, columns: Columns<R>): Promise<TempTable<R>> {
    const name = this.nameFor(label);
    const spec = new TableSpec<R>(name, columns);
    await this.store.run(`CREATE TEMP TABLE ${name} (${spec.ddl()})`);
    return this.keep(new TempTable<R>(this.store, name, spec));
  }

  /** A temporary table holding the result of a query. */
  async query<R extends object = Record<string, unknown>>(label: string, sql: string, params?: Params): Promise<TempTable<R>> {
    const name = this.nameFor(label);
    await this.store.run(`CREATE TEMP TABLE ${name} AS ${sql}`, params);
    return this.keep(new TempTable<R>(this.store, name, null));
  }

  private keep<R extends object>(t: TempTable<R>): TempTable<R> {
    this.tables.push(t as unknown as TempTable<object>);
    return t;
  }

  /** Drops one table before the end of the run (large intermediates). */
  async drop(t: { readonly name: string }): Promise<void> {
    const i = this.tables.findIndex((x) => x.name === t.name);
    if (i >= 0) this.tables.splice(i, 1);
    await this.store.run(`DROP TABLE IF EXISTS ${t.name}`);
  }

  /** Drops every table this scratch made. */
  async dispose(): Promise<void> {
    for (const t of this.tables.splice(0).reverse()) await this.store.run(`DROP TABLE IF EXISTS ${t.name}`).catch(() => {});
  }
}

/** Runs `fn` with a fresh Scratch and drops its tables afterwards, whatever happens. */
export async function withScratch<T>(store: Store, prefix: string, fn: (scratch: Scratch) => Promise<T>): Promise<T> {
  const scratch = new Scratch(store, prefix);
  try {
    return await fn(scratch);
  } finally {
    await scratch.dispose();
  }
}

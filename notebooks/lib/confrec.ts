/**
 * Small helpers shared by the confrec notebooks: find and query the DuckDB file, put a free-text
 * query into the stored embedding space, and show charts (Observable Plot → SVG) and tables inline.
 *
 * The notebooks import it as `./lib/confrec`; tslab compiles it with the notebook. Everything here is
 * plain SQL over the database, so a cell can always be replaced by your own query.
 */
import { DOUBLE, DuckDBInstance, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import * as tslab from 'tslab';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

export { Plot };

/** The project root (the folder whose package.json is confrec's), searched upwards from the notebook's folder. */
export function projectRoot(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'confrec') return dir;
    } catch {
      /* keep walking up */
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '..');
    dir = up;
  }
}

/**
 * Where the database is: $CONFREC_DB when set (relative paths are taken from the folder Jupyter was
 * started in, then from the notebook's folder), else ./confrec.duckdb next to the notebook, else the
 * project's ./confrec.duckdb (what `npm start` writes).
 */
export function databaseCandidates(): string[] {
  const env = process.env.CONFREC_DB;
  const root = projectRoot();
  const pwd = process.env.PWD;
  if (env) {
    const list = path.isAbsolute(env) ? [env] : [...(pwd ? [path.resolve(pwd, env)] : []), path.resolve(env), path.resolve(root, env)];
    return [...new Set(list)];
  }
  return [...new Set([path.resolve('confrec.duckdb'), path.join(root, 'confrec.duckdb')])];
}

/** The CREATE VIEW statements of the project's schema.sql (the same split as pipeline/store/db.ts). */
function viewStatements(): string[] {
  const schema = readFileSync(path.join(projectRoot(), 'pipeline', 'store', 'schema.sql'), 'utf8');
  return schema
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((x) => x.trim())
    .filter((x) => /^CREATE OR REPLACE VIEW/i.test(x));
}

/** A row as plain JS: bigints become numbers, dates ISO strings, lists arrays. */
export type Row = Record<string, any>;

/** Query parameters: named (`$name`) or positional (`$1`); values are strings, numbers, booleans, null or arrays. */
export type Params = Record<string, unknown> | unknown[];

/** Turns JS arrays into typed DuckDB lists (DuckDB would otherwise guess the type from the first item). */
function bindable(params?: Params): [unknown, unknown] {
  if (!params) return [undefined, undefined];
  const convert = (v: unknown): [unknown, DuckDBType | undefined] => {
    if (!Array.isArray(v)) return [v, undefined];
    const numeric = v.length > 0 && v.every((x) => typeof x === 'number' || x === null);
    const items = v.map((x) => (x === null || x === undefined ? null : numeric ? x : String(x)));
    return [listValue(items as DuckDBValue[]), LIST(numeric ? DOUBLE : VARCHAR)];
  };
  if (Array.isArray(params)) {
    const pairs = params.map(convert);
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }
  const values: Record<string, unknown> = {};
  const types: Record<string, DuckDBType | undefined> = {};
  for (const [k, v] of Object.entries(params)) [values[k], types[k]] = convert(v);
  return [values, types];
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso; // a DATE stays a date
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/**
 * One confrec database, opened read-only for each query and closed right after, so a notebook never
 * holds the file locked: you can re-run `confrec run` while the notebook is open.
 */
export class ConfrecDb {
  /** The views of schema.sql (current_documents, current_recommendations, …), when the file lacks them. */
  private tempViews: string[] | undefined;

  constructor(readonly path: string) {}

  /**
   * A database written by an older confrec has no views; defined here as temporary views on each
   * connection (read-only files allow those), so notebook queries can always use them.
   */
  private async views(conn: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>; run(sql: string): Promise<unknown> }): Promise<void> {
    if (this.tempViews === undefined) {
      const present = Number((await conn.runAndReadAll(`SELECT count(*) FROM duckdb_views() WHERE view_name = 'current_recommendations'`)).getRows()[0][0]);
      this.tempViews = present > 0 ? [] : viewStatements();
    }
    for (const v of this.tempViews) await conn.run(v.replace(/^CREATE OR REPLACE VIEW/, 'CREATE OR REPLACE TEMP VIEW')).catch(() => {});
  }

  /**
   * Runs one SQL statement and returns its rows. Parameters are `$name` (an object) or `$1` (an array);
   * a JS array becomes a DuckDB list (numbers → DOUBLE[], anything else → VARCHAR[]): cast it in SQL
   * as needed, e.g. `unnest($ids::VARCHAR[])` or `$v::FLOAT[256]`.
   */
  async query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(this.path, { access_mode: 'READ_ONLY' });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // DuckDB's lock error, matched by its wording: "block" in a corruption message is not a lock.
      if (/Could not set lock on file/.test(msg)) {
        throw new Error(`${this.path} is being written by a confrec process right now; re-run this cell when it has finished.\n(${msg})`);
      }
      if (/Corrupt database file|does not match stored checksum|Could not read enough bytes/.test(msg)) {
        throw new Error(`${this.path} is damaged: move it aside and re-run \`confrec run <folder>\` to rebuild it from the source files.\n(${msg})`);
      }
      throw new Error(`cannot open ${this.path} as a DuckDB database: ${msg}`);
    }
    try {
      const conn = await instance.connect();
      try {
        await this.views(conn);
        const [values, types] = bindable(params);
        const reader = await conn.runAndReadAll(sql, values as never, types as never);
        return reader.getRowObjectsJS().map((row) => {
          const out: Row = {};
          for (const [k, v] of Object.entries(row)) out[k] = plain(v);
          return out as T;
        });
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /** Names of the tables in the file (near_duplicates appears once the `similar` stage exists and has run). */
  async tables(): Promise<Set<string>> {
    const rows = await this.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'`);
    return new Set(rows.map((r) => r.name));
  }

  /**
   * The embedding space every stage uses: the current_embeddings view (schema.sql), one definition
   * for the pipeline and the notebooks.
   */
  async space(): Promise<{ embedder: string; dim: number } | null> {
    const row = await this.one<{ embedder: string | null; dim: number | null }>(
      `SELECT any_value(embedder) AS embedder, max(dim) AS dim FROM current_embeddings`,
    );
    return row?.embedder && row.dim ? { embedder: row.embedder, dim: row.dim } : null;
  }

  /**
   * The near-duplicate threshold: the one the last `similar` run used, else the calibrated one for
   * the embedder family (data/near-duplicate-calibration.json), else 0.95 (the pipeline's default).
   */
  async nearDuplicateThreshold(): Promise<{ threshold: number; source: string }> {
    if ((await this.tables()).has('near_duplicates')) {
      const t = await this.scalar<number | null>(
        `SELECT TRY_CAST(json_extract(params, '$.threshold') AS DOUBLE) FROM latest_runs WHERE stage = 'similar'`,
      );
      if (typeof t === 'number') return { threshold: t, source: 'the last `similar` run' };
    }
    const space = await this.space();
    const family = space ? (space.embedder.startsWith('lexical') ? space.embedder.split(':')[0] : space.embedder) : 'none';
    try {
      const file = path.join(projectRoot(), 'data', 'near-duplicate-calibration.json');
      const cal = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { threshold?: number }>;
      const t = cal[family]?.threshold;
      if (typeof t === 'number') return { threshold: t, source: `calibrated for ${family}` };
    } catch {
      /* no calibration file yet */
    }
    return { threshold: 0.95, source: 'default' };
  }

  /**
   * Embeds a free-text query in the space the stored vectors live in, with the embedder that made
   * them (the project's compiled code in dist/: run `npm run build` once). Returns a unit vector.
   */
  async embedQuery(text: string): Promise<number[]> {
    const root = projectRoot();
    const dist = path.join(root, 'dist', 'pipeline');
    if (!existsSync(path.join(dist, 'embed', 'current.js'))) {
      throw new Error(`to embed free text the notebook needs the compiled project: run \`npm run build\` in ${root}`);
    }
    // Loaded at run time (not type-checked by the kernel): the project's own embedder code.
    const storeMod: any = await import(path.join(dist, 'store', 'db.js'));
    const currentMod: any = await import(path.join(dist, 'embed', 'current.js'));
    const store = await storeMod.Store.open(this.path, { readOnly: true });
    try {
      return await this.embedWith(store, currentMod, text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(
        `could not embed the text with the embedder of ${this.path}: ${msg}\n` +
          '(a database written by an older confrec? re-run `confrec run <folder>` on it, or pick a REC_ID instead of a text)',
      );
    } finally {
      store.close();
    }
  }

  private async embedWith(store: any, currentMod: any, text: string): Promise<number[]> {
    const current = await currentMod.currentEmbedding(store);
    if (!current) throw new Error(`no embeddings in ${this.path} yet: run \`confrec run <folder>\` first`);
    const embedder = await currentMod.openCurrentEmbedder(store, current);
    if (!embedder) throw new Error(`cannot open the embedder that made the stored vectors (${current.id}); re-run \`confrec embed\``);
    try {
      const [vector] = (await embedder.embed([text], 'query')) as Float32Array[];
      return Array.from(vector);
    } finally {
      await embedder.dispose?.();
    }
  }
}

/**
 * Opens the confrec database the notebook works on: `file`, else $CONFREC_DB, else ./confrec.duckdb.
 * Fails with a message that says where it looked and how to make one.
 */
export async function openConfrec(file?: string): Promise<ConfrecDb> {
  const candidates = file ? [path.resolve(file)] : databaseCandidates();
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    const msg =
      `No confrec database found (looked for ${candidates.join(', ')}).\n` +
      `Build one with \`npm start\` in ${projectRoot()} (sample corpus → ./confrec.duckdb) or ` +
      '`npx confrec run <your folder> --db /path/to/file.duckdb`, then start Jupyter with ' +
      '`CONFREC_DB=/path/to/file.duckdb jupyter notebook notebooks/` (or pass the path to openConfrec() in this cell).';
    tslab.display.markdown(`**${msg.split('\n')[0]}**\n\n${msg.split('\n')[1]}`);
    throw new Error(msg);
  }
  const db = new ConfrecDb(found);
  const tables = await db.tables();
  if (!tables.has('recommendations') || !tables.has('documents')) {
    throw new Error(`${found} is a DuckDB file but not a confrec database (no documents/recommendations tables); run \`confrec run <folder> --db ${found}\``);
  }
  return db;
}

// ------------------------------------------------------------------------------------------------
// Display

const { document: svgDocument } = parseHTML('<!DOCTYPE html><html><head></head><body></body></html>');

/**
 * Plot draws continuous colour legends on a 256×1 canvas, which linkedom has not got: this stand-in
 * records the filled pixels and returns them as an SVG image, so `color: { legend: true }` works for
 * continuous scales too.
 */
function pixelCanvas(): unknown {
  const rects: string[] = [];
  const canvas = {
    width: 300,
    height: 150,
    getContext: () => ctx,
    toDataURL: () => {
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}" ` +
        `viewBox="0 0 ${canvas.width} ${canvas.height}" preserveAspectRatio="none" shape-rendering="crispEdges">${rects.join('')}</svg>`;
      return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    },
  };
  const ctx = {
    fillStyle: 'black',
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${escapeHtml(String(ctx.fillStyle))}"/>`);
    },
  };
  return canvas;
}
const createElement = svgDocument.createElement.bind(svgDocument);
(svgDocument as any).createElement = (name: string, ...rest: any[]) =>
  String(name).toLowerCase() === 'canvas' ? pixelCanvas() : (createElement as any)(name, ...rest);

/**
 * Renders an Observable Plot chart to markup without showing it: an <svg>, or a <figure> holding the
 * title, legend and <svg>. Write it to a file to keep a chart: `writeFileSync('chart.svg', renderChart({…}))`.
 */
export function renderChart(options: Plot.PlotOptions): string {
  const el = Plot.plot({ ...options, document: svgDocument as any }) as unknown as { outerHTML: string };
  return el.outerHTML;
}

/**
 * Draws an Observable Plot chart inline: rendered to SVG in the kernel (linkedom stands in for the
 * browser's DOM) and shown as HTML output. Takes the options of Plot.plot
 * (https://observablehq.com/plot/); `Plot` (the marks) is exported from here too.
 */
export function chart(options: Plot.PlotOptions): void {
  tslab.display.html(renderChart(options));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '<span style="color:#999">—</span>';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
  if (typeof v === 'object') return escapeHtml(JSON.stringify(v));
  return escapeHtml(String(v));
}

/** Shows rows as an HTML table (the first `limit` rows; long texts wrap). */
export function table(rows: readonly Row[], opts: { columns?: string[]; limit?: number; caption?: string } = {}): void {
  const limit = opts.limit ?? 20;
  if (rows.length === 0) {
    tslab.display.markdown(`${opts.caption ? `**${opts.caption}**: ` : ''}_no rows_`);
    return;
  }
  const columns = opts.columns ?? Object.keys(rows[0]);
  const head = columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .slice(0, limit)
    .map((r) => `<tr>${columns.map((c) => `<td style="text-align:left;vertical-align:top;max-width:40em;white-space:normal">${cell(r[c])}</td>`).join('')}</tr>`)
    .join('\n');
  const more = rows.length > limit ? `<p style="color:#666">… ${rows.length - limit} more row(s) not shown</p>` : '';
  const caption = opts.caption ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>` : '';
  tslab.display.html(`<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`);
}

/** Shows preformatted text (source excerpts) as it is. */
export function pre(text: string): void {
  tslab.display.html(`<pre style="white-space:pre-wrap">${escapeHtml(text)}</pre>`);
}

/** Shows Markdown. */
export function md(text: string): void {
  tslab.display.markdown(text);
}

/** Shortens a text for chart labels. */
export function short(text: string | null | undefined, n = 60): string {
  if (!text) return '';
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

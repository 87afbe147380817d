import { Store } from '../../pipeline/store/db.js';

/** Columns that record when or in which run a row was written, not what it says. */
const VOLATILE = new Set(['run_id', 'ingested_at', 'fitted_at', 'reported_at', 'started_at', 'finished_at', 'source_path']);

/**
 * Columns of one table that hash run ids by design: the addressees stage's per-document input
 * signature includes the segment run of each recommendation (a re-segmented document must look
 * changed), so a run interrupted and run again stores other signatures for the same content.
 */
const VOLATILE_IN: Record<string, ReadonlySet<string>> = { addressee_inputs: new Set(['signature']) };

/**
 * The content of every analysis table, in a canonical order, for comparing two databases: vectors
 * by a hash of their values, doubles rounded, bookkeeping columns left out.
 */
export async function snapshotDatabase(path: string): Promise<Record<string, unknown[]>> {
  const store = await Store.open(path, { readOnly: true });
  try {
    const tables = (
      await store.all<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name <> 'runs' ORDER BY 1`,
      )
    ).map((t) => t.table_name);
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      const cols = await store.all<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const select = cols
        .filter((c) => !VOLATILE.has(c.column_name) && !VOLATILE_IN[table]?.has(c.column_name))
        .map((c) =>
          c.data_type.includes('[]') || c.data_type === 'BLOB'
            ? `md5(CAST("${c.column_name}" AS VARCHAR)) AS "${c.column_name}"`
            : c.data_type === 'DOUBLE' || c.data_type === 'FLOAT'
              ? `round("${c.column_name}", 6) AS "${c.column_name}"`
              : `"${c.column_name}"`,
        );
      out[table] = await store.all(`SELECT ${select.join(', ')} FROM "${table}" ORDER BY ALL`);
    }
    return out;
  } finally {
    store.close();
  }
}

/**
 * Generated hostile databases (see README.md): a DuckDB file of another program, an empty DuckDB
 * file, and damaged copies of a real confrec database — one flipped byte inside a data block, zeroed
 * blocks, a file cut short. Block positions come from DuckDB itself (pragma_storage_info), so the
 * damage lands where it is meant to.
 */
import { closeSync, copyFileSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * DuckDB's file layout (storage version 64+, DuckDB 1.x): three 4 KiB headers, then blocks of
 * block_size bytes, each starting with its 8-byte checksum. Checked by the tests: a byte flipped at
 * blockOffset(id) + 8 + k makes DuckDB report "…checksum… in block at location blockOffset(id)".
 */
export const HEADER_BYTES = 3 * 4096;

async function withDb<T>(path: string, fn: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>, readOnly = false): Promise<T> {
  const instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A DuckDB file another program made: a small sales schema with rows. */
export async function writeForeignDatabase(path: string): Promise<void> {
  await withDb(path, async (run) => {
    await run(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR, city VARCHAR)`);
    await run(`CREATE TABLE sales (id INTEGER, customer_id INTEGER, amount DECIMAL(10,2), sold_on DATE)`);
    await run(`INSERT INTO customers VALUES (1, 'ООО Ромашка', 'Вологда'), (2, 'ИП Петров', 'Череповец')`);
    await run(`INSERT INTO sales SELECT i, 1 + i % 2, i * 10.5, DATE '2024-01-01' + (i % 365)::INTEGER FROM range(1000) t(i)`);
    await run(`CHECKPOINT`);
  });
}

/** A DuckDB file with nothing in it (as `duckdb new.duckdb` leaves it): confrec may adopt it. */
export async function writeEmptyDuckDB(path: string): Promise<void> {
  await withDb(path, async (run) => {
    await run(`CHECKPOINT`);
  });
}

/** Writes everything in the WAL into the file, so damage to the file's blocks is damage to the data. */
export async function checkpoint(path: string): Promise<void> {
  await withDb(path, async (run) => {
    await run(`CHECKPOINT`);
  });
}

/** Block size and the data blocks of one table (its column segments), from DuckDB's own catalogue. */
export async function dataBlocks(path: string, table: string): Promise<{ blockSize: number; blocks: number[] }> {
  return withDb(
    path,
    async (run) => {
      const [[blockSize]] = await run(`SELECT block_size FROM pragma_database_size()`);
      const rows = await run(`SELECT DISTINCT block_id FROM pragma_storage_info('${table}') WHERE block_id >= 0 ORDER BY 1`);
      return { blockSize: Number(blockSize), blocks: rows.map(([b]) => Number(b)) };
    },
    true,
  );
}

export function blockOffset(block: number, blockSize: number): number {
  return HEADER_BYTES + block * blockSize;
}

/** Copies src to dst and flips one bit of the byte at `offset`. */
export function flipByte(src: string, dst: string, offset: number): void {
  copyFileSync(src, dst);
  const fd = openSync(dst, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0x10;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

/** Copies src to dst and overwrites `count` blocks from `first` with zeros (a failed disk sector, a sparse copy). */
export function zeroBlocks(src: string, dst: string, first: number, count: number, blockSize: number): void {
  copyFileSync(src, dst);
  const fd = openSync(dst, 'r+');
  try {
    writeSync(fd, Buffer.alloc(count * blockSize), 0, count * blockSize, blockOffset(first, blockSize));
  } finally {
    closeSync(fd);
  }
}

/** Copies src to dst cut to a fraction of its length (an interrupted copy or download). */
export function truncatedCopy(src: string, dst: string, fraction: number): void {
  copyFileSync(src, dst);
  truncateSync(dst, Math.floor(statSync(src).size * fraction));
}

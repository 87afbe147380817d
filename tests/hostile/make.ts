/**
 * Writes the hostile inputs of this folder for looking at by hand (the tests generate their own):
 *
 *   npx tsx tests/hostile/make.ts <dir> [--db confrec.duckdb]
 *
 * <dir>/identical, astral, names, long-name: input folders; <dir>/databases: sales.duckdb (another
 * program's), empty.duckdb, and — from --db, a database confrec made — flipped-byte, zeroed-blocks and
 * truncated copies.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { blockOffset, checkpoint, dataBlocks, flipByte, truncatedCopy, writeEmptyDuckDB, writeForeignDatabase, zeroBlocks } from './databases.js';
import { writeAstralFile, writeControlCharacterNames, writeIdenticalFiles, writeLongName } from './files.js';

const [dirArg, flag, dbArg] = process.argv.slice(2);
if (!dirArg) {
  process.stderr.write('usage: npx tsx tests/hostile/make.ts <dir> [--db confrec.duckdb]\n');
  process.exit(2);
}
const dir = resolve(dirArg);
writeIdenticalFiles(join(dir, 'identical'));
writeAstralFile(join(dir, 'astral'));
writeControlCharacterNames(join(dir, 'names'));
writeLongName(join(dir, 'long-name'));
const dbs = join(dir, 'databases');
mkdirSync(dbs, { recursive: true });
await writeForeignDatabase(join(dbs, 'sales.duckdb'));
await writeEmptyDuckDB(join(dbs, 'empty.duckdb'));
if (flag === '--db' && dbArg) {
  const src = resolve(dbArg);
  await checkpoint(src);
  const { blockSize, blocks } = await dataBlocks(src, 'documents');
  flipByte(src, join(dbs, 'flipped-byte.duckdb'), blockOffset(blocks[0], blockSize) + 8 + 1000);
  zeroBlocks(src, join(dbs, 'zeroed-blocks.duckdb'), 0, 2, blockSize);
  truncatedCopy(src, join(dbs, 'truncated.duckdb'), 0.5);
}
process.stdout.write(`hostile inputs → ${dir}\n`);

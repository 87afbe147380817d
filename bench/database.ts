/**
 * The database guard's costs on a real-sized database: opening (catalogue check for the confrec
 * marker), the integrity probe that `status` and `export` run (every block read and checksummed), and
 * the one-time migration of a database made before the marker (documents rebuilt, offsets scanned
 * for astral characters). `npm run bench -- database [--docs N] [--db FILE]`: with --db an existing
 * database is measured (on a copy), otherwise one of N synthetic resolutions (default 10,000) is built.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { Store } from '../pipeline/store/db.js';
import { identifyDatabase } from '../pipeline/store/identity.js';
import { verifyIntegrity } from '../pipeline/store/integrity.js';
import { machineInfo, printMachine, table } from './machine.js';

const CLI = join(ROOT, 'bin', 'confrec.js');

function confrec(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CONFREC_REPORTS: join(tmpdir(), 'confrec-bench-reports') } });
  if (r.status !== 0) throw new Error(`confrec ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runDatabaseBenchmark(opts: { docs: number; db?: string; seed: number }): Promise<void> {
  printMachine();
  const work = mkdtempSync(join(tmpdir(), 'confrec-bench-db-'));
  try {
    const db = join(work, 'bench.duckdb');
    if (opts.db) {
      if (!existsSync(opts.db)) throw new Error(`no database at ${opts.db}`);
      copyFileSync(opts.db, db);
      if (existsSync(`${opts.db}.wal`)) copyFileSync(`${opts.db}.wal`, `${db}.wal`);
    } else {
      process.stdout.write(`building a database of ${opts.docs} synthetic resolutions…\n`);
      confrec(['synth', '--docs', String(opts.docs), '--seed', String(opts.seed), '--out', join(work, 'synth'), '--quiet']);
      confrec(['run', join(work, 'synth', 'docs'), '--db', db, '--quiet', '--embedder', 'lexical']);
    }
    // Everything in the file, not in the WAL: the probe then reads what a later open would.
    (await Store.open(db)).close();
    const bytes = statSync(db).size;

    const open: number[] = [];
    const probe: number[] = [];
    const probeCpu: number[] = [];
    let perTable: [string, number][] = [];
    let tables = 0;
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      const store = await Store.open(db, { readOnly: true });
      await identifyDatabase(store.conn);
      open.push(performance.now() - t);
      t = performance.now();
      // CPU time (user + system, all of DuckDB's threads) says more than wall time on a busy machine.
      const cpu = process.cpuUsage();
      const report = await verifyIntegrity(store.conn, db);
      probe.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      probeCpu.push((used.user + used.system) / 1000);
      tables = report.tables;
      if (i === 0) {
        const names = await store.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE NOT temporary`);
        perTable = [];
        for (const { table_name } of names) {
          const s = performance.now();
          await store.all(`SELECT bit_xor(hash(COLUMNS(*))) FROM "${table_name}"`);
          perTable.push([table_name, performance.now() - s]);
        }
        perTable.sort((a, b) => b[1] - a[1]);
      }
      store.close();
    }
    const statusS = median([0, 1, 2].map(() => confrec(['status', '--db', db, '--quiet'])));

    // The migration a database made before the marker goes through: the marker removed, it is
    // recognised by its tables as schema version 1 and upgraded on the next open.
    const legacy = join(work, 'legacy.duckdb');
    copyFileSync(db, legacy);
    const s = await Store.open(legacy);
    await s.run(`DROP TABLE confrec_meta`);
    s.close();
    const t = performance.now();
    (await Store.open(legacy)).close();
    const migrateMs = performance.now() - t;

    const figures = {
      database_mb: Math.round(bytes / 1048576),
      tables,
      open_ms: Math.round(median(open)),
      integrity_probe_ms: Math.round(median(probe)),
      integrity_probe_mb_per_s: Math.round(bytes / 1048576 / (median(probe) / 1000)),
      integrity_probe_cpu_ms: Math.round(median(probeCpu)),
      status_s: Number(statusS.toFixed(2)),
      migration_v1_ms: Math.round(migrateMs),
      slowest_tables_ms: Object.fromEntries(perTable.slice(0, 5).map(([n, ms]) => [n, Math.round(ms)])),
    };
    process.stdout.write(
      '\n' +
        table(
          ['figure', 'value'],
          [
            ['database size', `${figures.database_mb} MB (${tables} tables)`],
            ['open + marker check (median of 3)', `${figures.open_ms} ms`],
            ['integrity probe (median of 3)', `${figures.integrity_probe_ms} ms (${figures.integrity_probe_mb_per_s} MB/s)`],
            ['  of which CPU, all threads', `${figures.integrity_probe_cpu_ms} ms`],
            ['confrec status, whole process', `${figures.status_s} s`],
            ['migration of a pre-marker database', `${figures.migration_v1_ms} ms`],
            ...perTable.slice(0, 5).map(([n, ms]) => [`  probe of ${n}`, `${Math.round(ms)} ms`]),
          ],
        ) +
        '\n',
    );
    const out = join(ROOT, 'bench', 'results', 'database.json');
    writeFileSync(out, JSON.stringify({ machine: machineInfo(), docs: opts.db ? null : opts.docs, source: opts.db ?? 'synth', figures }, null, 2) + '\n');
    process.stdout.write(`→ ${out}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

import { DuckDBInstance } from '@duckdb/node-api';
const [db, sql] = process.argv.slice(2);
const i = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' }); const c = await i.connect();
const r = await c.runAndReadAll(sql);
for (const row of r.getRowObjectsJS()) console.log(Object.values(row).map((v) => typeof v === 'bigint' ? Number(v) : (typeof v === 'object' && v !== null ? JSON.stringify(v, (k, x) => typeof x === 'bigint' ? Number(x) : x) : v)).join(' | '));

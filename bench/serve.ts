/**
 * Explorer benchmark on a 10,000-resolution synthetic database (~75,000 recommendations): the map
 * stage's time, then `confrec serve` in its own process — warm search and recommendation-page
 * latencies (distinct queries and pages, so no answer is served from a cache), 20 concurrent clients
 * for 60 s, the server's peak memory, and a reload after the database changed.
 *
 *   npm run bench -- serve [--db FILE] [--docs N] [--seed N] [--clients N] [--seconds N]
 *
 * Without --db it builds (once, cached in .cache/bench-serve/) `confrec synth --docs N --seed S` and
 * `confrec run` on it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';
import { mapStage } from '../pipeline/map/stage.js';
import { silentLogger } from '../pipeline/progress.js';
import { Store } from '../pipeline/store/db.js';
import { machineInfo, printMachine, table } from './machine.js';

export interface ServeBenchOptions {
  db?: string;
  docs: number;
  seed: number;
  clients: number;
  seconds: number;
}

const BIN = join(ROOT, 'bin', 'confrec.js');

function confrec(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`confrec ${args.join(' ')} failed (${r.status})`);
}

/** The benchmark database: given, or built once from the synthetic corpus. */
function database(o: ServeBenchOptions): string {
  if (o.db) return o.db;
  const dir = join(ROOT, '.cache', 'bench-serve');
  const db = join(dir, `s${o.docs}-seed${o.seed}.duckdb`);
  if (existsSync(db)) return db;
  mkdirSync(dir, { recursive: true });
  const corpus = join(dir, `s${o.docs}-seed${o.seed}`);
  process.stdout.write(`building the benchmark database (once): ${o.docs} synthetic resolutions → ${db}\n`);
  confrec(['synth', '--docs', String(o.docs), '--seed', String(o.seed), '--out', corpus]);
  confrec(['run', join(corpus, 'docs'), '--db', db, '--embedder', 'lexical', '--out', join(dir, 'report'), '--quiet']);
  return db;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;

/** Peak and current resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
}

function startServer(db: string): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /explorer at (http:\/\/\S+?)\/? /.exec(out);
      if (m) resolve({ child, url: m[1].replace(/\/$/, ''), readyMs: Date.now() - started });
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

async function timed(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status, bytes: body.byteLength };
}

/** Queries a methodologist types: theme phrases, and pairs of words drawn from the corpus. */
function queries(n: number): string[] {
  const base = [
    'помощь семьям детей-инвалидов', 'наставничество молодых педагогов', 'профориентация школьников', 'цифровая образовательная среда',
    'патриотическое воспитание', 'одарённые дети олимпиады', 'инклюзивное образование', 'родительская компетентность',
    'психолого-педагогическое сопровождение', 'повышение квалификации педагогов', 'дополнительное образование детей',
    'профилактика правонарушений', 'ранняя помощь', 'детский отдых и оздоровление', 'школьные музеи', 'сетевое взаимодействие',
    'методические рекомендации', 'консультирование родителей', 'функциональная грамотность', 'здоровьесберегающие технологии',
  ];
  const words = ['развитие', 'система', 'педагог', 'родитель', 'ребёнок', 'школа', 'программа', 'центр', 'поддержка', 'практика', 'проект', 'конкурс', 'ресурс', 'модель', 'служба', 'форум'];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(i < base.length ? base[i] : `${words[i % words.length]} ${words[(i * 7 + 3) % words.length]} ${base[i % base.length].split(' ')[0]}`);
  return out;
}

export async function runServeBenchmark(o: ServeBenchOptions) {
  printMachine();
  const db = database(o);

  // 1. The map stage, laid out from scratch on a copy (the benchmark database stays as it is).
  mkdirSync(join(ROOT, '.cache', 'bench-serve'), { recursive: true });
  const copy = join(ROOT, '.cache', 'bench-serve', 'map-copy.duckdb');
  copyFileSync(db, copy);
  rmSync(`${copy}.wal`, { force: true });
  const store = await Store.open(copy);
  const t0 = Date.now();
  const map = await mapStage.run(store, { log: silentLogger, quiet: true, options: { all: true } });
  const mapMs = Date.now() - t0;
  store.close();
  rmSync(copy, { force: true });
  process.stdout.write(`${map.line} in ${(mapMs / 1000).toFixed(1)} s\n`);

  // 2. The server in its own process.
  const server = await startServer(db);
  const { child, url } = server;
  process.stdout.write(`serve: ready in ${(server.readyMs / 1000).toFixed(1)} s at ${url}\n`);
  try {
    const qs = queries(120);
    // Warm-up: the JIT and the OS cache, with queries not measured afterwards.
    for (const q of qs.slice(100)) await timed(`${url}/search?q=${encodeURIComponent(q)}`);
    const search: number[] = [];
    for (const q of qs.slice(0, 100)) {
      const r = await timed(`${url}/search?q=${encodeURIComponent(q)}`);
      if (r.status !== 200) throw new Error(`search "${q}" answered ${r.status}`);
      search.push(r.ms);
    }
    // Recommendation pages: 100 distinct recommendations spread over the corpus.
    const browse = (await (await fetch(`${url}/search?format=csv`)).text()).trim().split('\r\n').slice(1);
    const ids = browse.map((l) => l.split(',')[1]).filter((_, k, all) => k % Math.max(1, Math.floor(all.length / 110)) === 0).slice(0, 110);
    for (const id of ids.slice(100)) await timed(`${url}/rec/${id}`);
    const rec: number[] = [];
    for (const id of ids.slice(0, 100)) {
      const r = await timed(`${url}/rec/${id}`);
      if (r.status !== 200) throw new Error(`rec ${id} answered ${r.status}`);
      rec.push(r.ms);
    }
    const memAfterWarm = memoryOf(child.pid!);

    // 3. Concurrent clients: a mix of what methodologists open.
    const mix = (k: number) => {
      const q = encodeURIComponent(qs[k % qs.length]);
      switch (k % 8) {
        case 0:
        case 1:
        case 2:
          return `/search?q=${q}`;
        case 3:
          return `/search?q=${q}&year_from=2018&year_to=2022`;
        case 4:
        case 5:
          return `/rec/${ids[k % ids.length]}`;
        case 6:
          return `/groups?sort=${['size', 'span', 'conferences'][k % 3]}`;
        default:
          return ['/trends', '/conferences', `/trends?level=${encodeURIComponent('региональная')}`][k % 3];
      }
    };
    const until = Date.now() + o.seconds * 1000;
    const load: number[] = [];
    const errors: string[] = [];
    let k = 0;
    await Promise.all(
      Array.from({ length: o.clients }, async () => {
        while (Date.now() < until) {
          const path = mix(k++);
          try {
            const r = await timed(`${url}${path}`);
            if (r.status !== 200) errors.push(`${r.status} ${path}`);
            load.push(r.ms);
          } catch (err) {
            errors.push(`${(err as Error).message} ${path}`);
          }
        }
      }),
    );
    const mem = memoryOf(child.pid!);

    const info = machineInfo();
    const contended = info.load_1m > info.cpus;
    const results = {
      machine: info,
      contended,
      database: db,
      recommendations: map.counts.recommendations,
      map_stage_s: round(mapMs / 1000),
      server_ready_s: round(server.readyMs / 1000),
      search_ms: { p50: round(pct(search, 0.5)), p95: round(pct(search, 0.95)), n: search.length },
      recommendation_ms: { p50: round(pct(rec, 0.5)), p95: round(pct(rec, 0.95)), n: rec.length },
      concurrent: { clients: o.clients, seconds: o.seconds, requests: load.length, per_second: round(load.length / o.seconds), p95_ms: round(pct(load, 0.95)), errors: errors.length, first_errors: errors.slice(0, 5) },
      server_rss_mb: { after_warm_up: memAfterWarm.now, after_load: mem.now, peak: mem.peak },
      targets: {
        search_p95_ms: { value: round(pct(search, 0.95)), target: 150, met: pct(search, 0.95) <= 150 },
        recommendation_p95_ms: { value: round(pct(rec, 0.95)), target: 200, met: pct(rec, 0.95) <= 200 },
        concurrent_errors: { value: errors.length, target: 0, met: errors.length === 0 },
        server_peak_rss_mb: { value: mem.peak, target: 1536, met: mem.peak <= 1536 },
        map_stage_s: { value: round(mapMs / 1000), target: 60, met: mapMs <= 60_000 },
      },
    };
    process.stdout.write(
      '\n' +
        table(
          ['target', 'measured', 'limit', 'met'],
          Object.entries(results.targets).map(([name, v]) => [name, v.value, v.target, v.met ? 'yes' : 'NO']),
        ) +
        `\n\nsearch p50 ${results.search_ms.p50} ms · recommendation page p50 ${results.recommendation_ms.p50} ms · ` +
        `${o.clients} clients: ${results.concurrent.requests} requests in ${o.seconds} s (${results.concurrent.per_second}/s), p95 ${results.concurrent.p95_ms} ms, ${errors.length} error(s)` +
        `\nserver ready in ${results.server_ready_s} s; RSS after warm-up ${memAfterWarm.now} MB, after the load ${mem.now} MB, peak ${mem.peak} MB` +
        (contended ? `\nNOTE: measured under contention (load ${info.load_1m} on ${info.cpus} cores): latencies are inflated` : '') +
        '\n',
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'serve.json'), JSON.stringify(results, null, 2) + '\n');
    return results;
  } finally {
    child.kill('SIGTERM');
  }
}

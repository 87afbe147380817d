/**
 * Child processes for the peer and scaling benchmarks: the confrec CLI (or any node script) in its
 * own process, as users run it, with its wall time, peak RSS and the machine's load when it started
 * and ended — a figure measured while other work ran must say so.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../pipeline/config.js';

export const CLI = join(ROOT, 'dist', 'pipeline', 'cli.js');

export interface ChildResult {
  wallS: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  /** 1-minute load average when the process started and when it ended. */
  load: [number, number];
}

const load1 = () => Number(loadavg()[0].toFixed(2));

/**
 * Runs a command; its peak RSS comes from GNU time's format when the command is not node, and from
 * the process's own report (PEAK_RSS_KB= on stderr) for confrec. Asynchronous, so a benchmark can
 * print progress while a long child runs. Throws with the child's stderr when it fails.
 */
export function runChild(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const loadStart = load1();
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallS = Number(process.hrtime.bigint() - t) / 1e9;
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${stderr.slice(-4000)}`));
        return;
      }
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0);
      resolvePromise({ wallS, peakRssMb: Math.round(kb / 1024), stdout, stderr, load: [loadStart, load1()] });
    });
  });
}

/** `confrec ARGS` in a child node process that reports its peak RSS on exit. */
export function confrec(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const script = `const { main } = await import(${JSON.stringify(CLI)});
    const code = await main(${JSON.stringify(args)});
    process.stderr.write('\\nPEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n');
    process.exit(code);`;
  return runChild(process.execPath, ['--input-type=module', '-e', script], { env: { DOTENV_CONFIG_QUIET: 'true', ...env } });
}

/** Growth exponent between two sizes: log(t2/t1) / log(n2/n1) — 1 is linear, 2 quadratic. */
export function growthExponent(n1: number, t1: number, n2: number, t2: number): number | null {
  if (!(t1 > 0 && t2 > 0 && n1 > 0 && n2 > n1)) return null;
  return Number((Math.log(t2 / t1) / Math.log(n2 / n1)).toFixed(2));
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

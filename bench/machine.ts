import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** What every benchmark prints first: the figures mean little without the machine they came from. */
export function machineInfo() {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    free_gb: Math.round(freemem() / 1024 ** 3),
    load_1m: Number(loadavg()[0].toFixed(2)),
    node: process.version,
  };
}

export function printMachine(): void {
  const m = machineInfo();
  process.stdout.write(`machine: ${m.cpus} cores (${m.cpu_model}), ${m.memory_gb} GB RAM, load ${m.load_1m}, node ${m.node}\n`);
}

/** A plain text table: header row and rows of cells, columns padded. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Peak resident memory of this process so far, in MB. */
export const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

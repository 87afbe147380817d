// Prints the error output of every cell of an executed notebook (used by run.sh when a notebook fails).
// tslab writes errors, TypeScript diagnostics included, to the cell's stderr stream.
import { readFileSync } from 'node:fs';

const nb = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const text = (t) => (Array.isArray(t) ? t.join('') : String(t ?? ''));
let n = 0;
nb.cells.forEach((cell, i) => {
  if (cell.cell_type !== 'code') return;
  const errors = (cell.outputs ?? [])
    .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))
    .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : text(o.text)).trim())
    .filter(Boolean);
  if (errors.length === 0) return;
  n++;
  const first = text(cell.source).split('\n').find((l) => l.trim()) ?? '';
  console.log(`  cell ${i + 1} (${first.trim().slice(0, 80)}):`);
  for (const e of errors) console.log(e.split('\n').map((l) => `    ${l}`).join('\n'));
});
if (n === 0) console.log('  (no cell wrote an error; see the log)');

#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, `npm start` and `npm test`).
// Dependencies' and our own install scripts do not run (.npmrc: ignore-scripts), so after a bare
// `npm install` the first command compiles it once.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'pipeline', 'cli.js'))) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write(`confrec: not built yet and TypeScript is missing — run \`npm install && npm run build\` in ${root}\n`);
    process.exit(1);
  }
  process.stderr.write('confrec: first run — compiling to dist/ (npm run build)…\n');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { main } = await import('../dist/pipeline/cli.js');
process.exitCode = await main(process.argv.slice(2));

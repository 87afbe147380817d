#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { main } = await import('./dist/pipeline/cli.js');
process.exitCode = await main(process.argv.slice(2));

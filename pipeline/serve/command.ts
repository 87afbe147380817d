import { resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { explorerConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { refuseFolderAsDatabase } from './db-path.js';

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'the explorer: search, recommendations in their source, near-duplicate groups, map, conferences, trends, draft check (a local web app)',
  usage: 'confrec serve [--db FILE] [--port N] [--host 127.0.0.1] [--model-dir DIR]',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'model-dir': { type: 'string' } },
  async run({ values }, ctx) {
    const port = values.port === undefined ? explorerConfig.port : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0–65535), not ${String(values.port)}`);
    const host = typeof values.host === 'string' && values.host !== '' ? values.host : '127.0.0.1';
    refuseFolderAsDatabase(ctx.dbPath);
    // Loaded on demand: other commands do not pay for the web stack.
    const { isLoopback, startServer } = await import('./server.js');
    if (!isLoopback(host)) {
      ctx.log.warn(`serve: listening on ${host}: anyone who can reach this address can read the whole database — the explorer has no authentication`);
    }
    const modelDir = typeof values['model-dir'] === 'string' ? resolve(values['model-dir']) : undefined;
    const server = await startServer({ dbPath: ctx.dbPath, host, port, modelDir, log: ctx.log });
    ctx.log.info(`serve: explorer at ${server.url}/ (database ${ctx.dbPath}, read-only; Ctrl+C to stop)`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

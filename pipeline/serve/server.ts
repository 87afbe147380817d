/**
 * `confrec serve`: the explorer on a real socket. Loopback by default; another --host is allowed but
 * warned about, because the explorer has no authentication. The database file is only ever attached
 * read-only, for the seconds a snapshot takes to load (see snapshot.ts).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ConfrecError } from '../errors.js';
import type { Logger } from '../progress.js';
import { createApp } from './app.js';
import { SnapshotSource } from './source.js';

export interface ServeOptions {
  dbPath: string;
  host: string;
  port: number;
  modelDir?: string;
  log: Logger;
  /** ms between checks of the database file (0: never). */
  pollMs?: number;
}

export interface RunningServer {
  url: string;
  source: SnapshotSource;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\./.test(host);
}

/**
 * A 100 KB query arrives in the URL; Node's default header limit (16 KB) would drop such a request
 * with a bare 431 before the application could explain. 1 MB lets it through to a Russian 414.
 */
const MAX_HEADER_BYTES = 1024 * 1024;

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const source = new SnapshotSource(o.dbPath, { modelDir: o.modelDir, log: o.log, pollMs: o.pollMs });
  await source.start();
  const allowedHosts = isLoopback(o.host) ? ['127.0.0.1', 'localhost', '::1', o.host] : [];
  const app = createApp(source, { log: o.log, allowedHosts });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, hostname: o.host, port: o.port, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', (err: NodeJS.ErrnoException) => {
      void source.close();
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfrecError(`port ${o.port} is already in use`, { hint: 'stop the other server or pass --port N' })
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
            ? new ConfrecError(`cannot listen on ${o.host}: no such address on this machine`, { hint: 'use --host 127.0.0.1 (the default)' })
            : err,
      );
    });
  });
  // Browsers and fetch keep connections open between page loads; Node's 5 s default closed them under
  // clients that came back a little later ("other side closed" on the next request).
  server.keepAliveTimeout = 65_000;
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}`,
    source,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await source.close();
    },
  };
}

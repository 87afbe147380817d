/**
 * What route modules get from the app (types only): the app builds a RouteKit and hands it to every
 * route module, so routes never import the app itself (no import circle).
 */
import type { Context } from 'hono';
import type { parseFilters } from './filters.js';
import type { Safe } from './html/h.js';
import type { PageContext, PageOptions } from './html/layout.js';
import type { Snapshot } from './snapshot.js';

export type Format = 'html' | 'csv' | 'json';

/** What every route handler gets. */
export interface RouteKit {
  snapshot(): Snapshot;
  pageContext(): PageContext;
  format(c: Context): Format;
  /** Sends a page, or its rows as CSV/JSON. */
  respond(c: Context, o: Responder): Response | Promise<Response>;
  html(c: Context, o: PageOptions, body: Safe, status?: number): Response;
  filters(c: Context): ReturnType<typeof parseFilters>;
  origin(c: Context): string;
}

export interface Responder {
  page: () => { options: PageOptions; body: Safe };
  /** The list the page shows, for CSV (and for JSON unless `json` is given). */
  rows?: () => Record<string, unknown>[];
  json?: () => unknown;
  filename: string;
}

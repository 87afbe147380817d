import { ConfrecError } from '../errors.js';
import { readDocument } from './readers.js';
import type { ReadReply, ReadRequest } from './sandbox.js';

/**
 * The reader process (see sandbox.ts): one request at a time, replies with the document or the
 * error, and its own peak RSS so benchmarks can report it. It exits when ingest disconnects.
 */
const send = (r: ReadReply) => process.send?.(r);
const rss = () => process.resourceUsage().maxRSS;

process.on('message', (req: ReadRequest) => {
  readDocument(req.path, req.bytes, {
    ocr: req.ocr,
    limits: req.limits,
    onProgress: (note) => send({ id: req.id, kind: 'progress', note }),
  }).then(
    (doc) => send({ id: req.id, kind: 'done', doc, maxRssKb: rss() }),
    (err: unknown) =>
      send({
        id: req.id,
        kind: 'failed',
        message: err instanceof Error ? err.message : String(err),
        hint: err instanceof ConfrecError ? err.hint : undefined,
        confrec: err instanceof ConfrecError,
        maxRssKb: rss(),
      }),
  );
});
process.on('disconnect', () => process.exit(0));

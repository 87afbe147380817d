import { parentPort } from 'node:worker_threads';
import { ConfrecError } from '../errors.js';
import { readDocument } from './readers.js';
import type { ReadReply, ReadRequest } from './sandbox.js';

/** The reader worker (see sandbox.ts): one request at a time, replies with the document or the error. */
const port = parentPort!;

port.on('message', (req: ReadRequest) => {
  const reply = (r: ReadReply) => port.postMessage(r);
  readDocument(req.path, req.bytes, {
    ocr: req.ocr,
    limits: req.limits,
    onProgress: (note) => reply({ id: req.id, kind: 'progress', note }),
  }).then(
    (doc) => reply({ id: req.id, kind: 'done', doc }),
    (err: unknown) =>
      reply({
        id: req.id,
        kind: 'failed',
        message: err instanceof Error ? err.message : String(err),
        hint: err instanceof ConfrecError ? err.hint : undefined,
        confrec: err instanceof ConfrecError,
      }),
  );
});

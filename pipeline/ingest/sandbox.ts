import { Worker } from 'node:worker_threads';
import { ConfrecError } from '../errors.js';
import { overLimit, type ReadLimits } from './limits.js';
import { readDocument, type OcrMode, type RawDocument } from './readers.js';
import { detectFormat } from './sniff.js';

/**
 * Reads files in a worker thread with a capped heap, so that an input which gets past every budget
 * check and still balloons — a format quirk nobody foresaw — kills only the worker: that file is
 * skipped with a message, a fresh worker reads the next one, and the run goes on (before this, a
 * 1.2 MB .docx took the whole ingest down with a heap overflow and left the run row `running`).
 * A reader that stops making progress for readerTimeoutSeconds is stopped the same way.
 *
 * Plain text (.txt, .md) is read in the main thread: its cost is bounded by the text budget, and a
 * folder of 10,000 of them should not pay a round trip each.
 *
 * The worker is one persistent thread: the readers' libraries (pdf.js, mammoth, linkedom, the
 * dictionary) load once. The performance engineer can grow this into a pool (piscina) later; the
 * request/reply shapes below are what a pool would carry.
 */

export interface ReadRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
  ocr: OcrMode;
  limits: ReadLimits;
}

export type ReadReply =
  | { id: number; kind: 'done'; doc: RawDocument }
  | { id: number; kind: 'failed'; message: string; hint?: string; confrec: boolean }
  | { id: number; kind: 'progress'; note: string };

interface Pending {
  resolve(doc: RawDocument): void;
  reject(err: unknown): void;
  path: string;
  timer: NodeJS.Timeout | null;
}

/** The worker's entry, as compiled JS or (under vitest/tsx) as TypeScript loaded through tsx. */
function startWorker(limits: ReadLimits): Worker {
  const here = import.meta.url;
  const resourceLimits = { maxOldGenerationSizeMb: limits.readerMemoryMb, maxYoungGenerationSizeMb: 48 };
  if (here.endsWith('.ts')) {
    const target = new URL('./sandbox-worker.ts', here).href;
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
    return new Worker(code, { eval: true, resourceLimits });
  }
  return new Worker(new URL('./sandbox-worker.js', here), { resourceLimits });
}

export interface FileReaderOptions {
  ocr: OcrMode;
  limits: ReadLimits;
  /** Read everything in the main thread (tests of the readers themselves, debugging). */
  inProcess?: boolean;
}

export class SandboxedReader {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly options: FileReaderOptions) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.options.limits);
    worker.on('message', (reply: ReadReply) => this.onReply(reply));
    worker.on('error', (err: Error & { code?: string }) => this.onCrash(worker, err));
    worker.on('exit', (code) => this.onCrash(worker, new Error(`reader stopped (exit code ${code})`)));
    // The worker must not keep the process alive once ingest is done with it.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private armTimer(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    const { limits } = this.options;
    p.timer = setTimeout(() => {
      this.pending.delete(id);
      p.reject(
        overLimit(p.path, `reading made no progress for ${limits.readerTimeoutSeconds} s`, 'readerTimeoutSeconds', limits),
      );
      void this.worker?.terminate();
      this.worker = null;
    }, limits.readerTimeoutSeconds * 1000);
  }

  private onReply(reply: ReadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.kind === 'progress') {
      this.armTimer(reply.id);
      return;
    }
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(reply.id);
    if (reply.kind === 'done') p.resolve(reply.doc);
    else p.reject(reply.confrec ? new ConfrecError(reply.message, { file: p.path, hint: reply.hint }) : new Error(reply.message));
  }

  private onCrash(worker: Worker, err: Error & { code?: string }): void {
    if (worker !== this.worker) return;
    this.worker = null;
    const { limits } = this.options;
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(id);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        p.reject(overLimit(p.path, `reading needs more than ${limits.readerMemoryMb} MB of memory`, 'readerMemoryMb', limits));
      } else {
        p.reject(new ConfrecError(`the reader crashed on this file (${err.message})`, { file: p.path, hint: 'open it and save it again, or convert it to .docx or .pdf' }));
      }
    }
  }

  /** Reads one file; rejects with a ConfrecError naming the file when it cannot be read. */
  async read(path: string, bytes: Uint8Array): Promise<RawDocument> {
    try {
      return await this.readRaw(path, bytes);
    } catch (err) {
      if (err instanceof ConfrecError) throw err;
      // A reader bug or a library's own exception: still one line naming the file, and the batch goes on.
      throw new ConfrecError(`could not be read (${err instanceof Error ? err.message : String(err)})`, {
        file: path,
        hint: 'open it and save it again, or convert it to .docx or .pdf',
        cause: err,
      });
    }
  }

  private async readRaw(path: string, bytes: Uint8Array): Promise<RawDocument> {
    const { ocr, limits, inProcess } = this.options;
    const format = detectFormat(path, bytes);
    if (inProcess || format === 'txt' || format === 'md' || format === null || format === 'archive') {
      return readDocument(path, bytes, { ocr, limits });
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<RawDocument>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, path, timer: null });
      this.armTimer(id);
      // A copy is transferred: the caller keeps its bytes (for hashing), the worker owns the copy.
      const copy = new Uint8Array(bytes);
      const request: ReadRequest = { id, path, bytes: copy, ocr, limits };
      worker.ref();
      worker.postMessage(request, [copy.buffer]);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { ConfrecError } from '../errors.js';
import { overLimit, type ReadLimits } from './limits.js';
import { readDocument, type OcrMode, type RawDocument } from './readers.js';
import { detectFormat } from './sniff.js';

/**
 * Reads files in a child process with a capped heap, so that an input which gets past every budget
 * check and still balloons — a format quirk nobody foresaw — kills only that process: the file is
 * skipped with a message, a fresh reader takes the next one, and the run goes on (before this, a
 * 1.2 MB .docx took the whole ingest down with a heap overflow and left the run row `running`).
 * A reader that makes no progress for readerTimeoutSeconds is killed the same way.
 *
 * A process, not a worker thread: a worker's resourceLimits cap its heap, but some V8 failures in a
 * worker ("Fatal JavaScript invalid size error", seen on a .doc whose OLE sector chain loops) abort the
 * whole process; a child process's crash is only the child's.
 *
 * Plain text (.txt, .md) is read in the ingest process: its cost is bounded by the text budget, and a
 * folder of 10,000 of them should not pay a round trip each. The reader process is persistent, so
 * pdf.js, mammoth, linkedom and the dictionary load once per run; the request/reply shapes below are
 * what a pool of readers (for parallel ingest) would carry.
 */

export interface ReadRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
  ocr: OcrMode;
  limits: ReadLimits;
}

export type ReadReply =
  | { id: number; kind: 'done'; doc: RawDocument; maxRssKb: number }
  | { id: number; kind: 'failed'; message: string; hint?: string; confrec: boolean; maxRssKb: number }
  | { id: number; kind: 'progress'; note: string };

interface Pending {
  resolve(doc: RawDocument): void;
  reject(err: unknown): void;
  path: string;
  timer: NodeJS.Timeout | null;
}

/** The reader's entry, as compiled JS or (under vitest/tsx) as TypeScript loaded through tsx. */
function startChild(limits: ReadLimits): ChildProcess {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const entry = new URL(ts ? './sandbox-child.ts' : './sandbox-child.js', here);
  return fork(entry, [], {
    execArgv: [...(ts ? ['--import', 'tsx'] : []), `--max-old-space-size=${limits.readerMemoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

export interface FileReaderOptions {
  ocr: OcrMode;
  limits: ReadLimits;
  /** Read everything in this process (tests of the readers themselves, debugging). */
  inProcess?: boolean;
  /** Long work advancing in the reader ("OCR page 3/12"), for the progress line. */
  onProgress?: (path: string, note: string) => void;
}

export class SandboxedReader {
  private child: ChildProcess | null = null;
  private stderrTail = '';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Peak RSS of the reader processes so far (KB), for benchmarks. */
  maxChildRssKb = 0;

  constructor(private readonly options: FileReaderOptions) {}

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = startChild(this.options.limits);
    this.stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-4096);
    });
    // An idle reader must not keep ingest alive (if ingest stops early, the reader exits on disconnect).
    this.hold(child, false);
    child.on('message', (reply: ReadReply) => this.onReply(reply));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', () => this.onExit(child, null, null));
    this.child = child;
    return child;
  }

  /** Keeps the event loop alive for the reader while a request is out, and only then. */
  private hold(child: ChildProcess, busy: boolean): void {
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  }

  private armTimer(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    const { limits } = this.options;
    p.timer = setTimeout(() => {
      this.pending.delete(id);
      p.reject(overLimit(p.path, `reading made no progress for ${limits.readerTimeoutSeconds} s`, 'readerTimeoutSeconds', limits));
      const child = this.child;
      this.child = null;
      child?.kill('SIGKILL');
    }, limits.readerTimeoutSeconds * 1000);
  }

  private onReply(reply: ReadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.kind === 'progress') {
      this.armTimer(reply.id);
      this.options.onProgress?.(p.path, reply.note);
      return;
    }
    this.maxChildRssKb = Math.max(this.maxChildRssKb, reply.maxRssKb);
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && this.child) this.hold(this.child, false);
    if (reply.kind === 'done') p.resolve(reply.doc);
    else p.reject(reply.confrec ? new ConfrecError(reply.message, { file: p.path, hint: reply.hint }) : new Error(reply.message));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child === this.child) this.child = null;
    const { limits } = this.options;
    const outOfMemory = /heap out of memory|Reached heap limit|invalid size error|Allocation failed/i.test(this.stderrTail);
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      this.pending.delete(id);
      if (outOfMemory) {
        p.reject(overLimit(p.path, `reading needs more than ${limits.readerMemoryMb} MB of memory`, 'readerMemoryMb', limits));
      } else {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        p.reject(new ConfrecError(`the reader crashed on this file (${how})`, { file: p.path, hint: 'nothing else is affected; open it and save it again, or convert it to .docx or .pdf' }));
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
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<RawDocument>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, path, timer: null });
      this.armTimer(id);
      const request: ReadRequest = { id, path, bytes, ocr, limits };
      this.hold(child, true);
      child.send(request, (err) => {
        if (err) this.onExit(child, null, null);
      });
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.ref();
      child.disconnect();
      // A reader stuck in a library call is not waited for.
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
}

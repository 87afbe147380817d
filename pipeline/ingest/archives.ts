import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ConfrecError } from '../errors.js';
import { isSidecarOrHidden } from './walk.js';
import { mb, MB, overLimit, type ReadLimits } from './limits.js';
import { checkRatio } from './readers/package.js';
import { extractEntry, isZip, readZipDirectory, ZipFormatError, ZipLimitError, type ZipEntry } from './zip.js';

/**
 * .zip archives read as if unpacked: each member becomes an input of its own, at the path it would
 * have if the archive were unpacked into a folder of the same name — `corpus/2019.zip/секция 1/
 * резолюция.docx` — so messages, `documents.source_path` and provenance name the member. Nothing is
 * written to disk. An archive inside an archive is read too, one level deep (maxArchiveDepth = 2);
 * deeper ones are reported, because they are how recursive "zip quines" multiply.
 *
 * Budget, checked on the directory before anything is inflated: member count, the total unpacked
 * size, and every member's size and packing ratio; each member is then inflated with a hard cap
 * (zip.ts), so a directory that lies is caught too. An archive over a limit as a whole is skipped
 * with its message; a single member over a limit is skipped alone and the others are read.
 */

interface Member {
  /** Path of the archive holding it (a real file, or a member path for a nested archive). */
  archive: string;
  entry: ZipEntry;
  /** mtime of the real file at the top, so an unchanged archive's members are skipped unread. */
  mtimeMs: number;
}

export interface InputIssue {
  path: string;
  reason: string;
}

/** Member names as path segments: no absolute paths and no "..", so a member can never name a place outside its archive. */
export function memberPath(archive: string, name: string): string {
  const segments = name
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '_' : s));
  return `${archive}/${segments.join('/')}`;
}

function isArchiveName(path: string): boolean {
  return extname(path).toLowerCase() === '.zip';
}

/** Folders and files archivers add that are not documents (macOS resource forks, Windows thumbnails). */
function isArchiveJunk(name: string): boolean {
  return /(?:^|\/)__MACOSX\//.test(name) || /(?:^|\/)(?:Thumbs\.db|desktop\.ini|\.DS_Store)$/i.test(name);
}

function describe(err: unknown, path: string): string {
  if (err instanceof ConfrecError) return err.message + (err.hint ? ` — ${err.hint}` : '');
  if (err instanceof ZipFormatError) return `not a valid .zip (${err.message}) — re-pack the folder as .zip, or unpack it and ingest the folder`;
  return `cannot read archive ${path}: ${err instanceof Error ? err.message : String(err)}`;
}

export class ArchiveInputs {
  private readonly members = new Map<string, Member>();
  /** Bytes of the archives read last (top-level and one nested): members come in order, archive by archive. */
  private cache = new Map<string, { bytes: Uint8Array; entries: ZipEntry[] }>();

  constructor(private readonly limits: ReadLimits) {}

  /** True for a path that names a member of an archive. */
  isMember(path: string): boolean {
    return this.members.has(path);
  }

  private remember(path: string, bytes: Uint8Array, entries: ZipEntry[]): void {
    if (this.cache.size >= 2) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(path, { bytes, entries });
  }

  private async bytesOf(path: string): Promise<{ bytes: Uint8Array; entries: ZipEntry[] }> {
    const hit = this.cache.get(path);
    if (hit) return hit;
    const bytes = this.members.has(path) ? await this.read(path) : new Uint8Array(await readFile(path));
    const entries = readZipDirectory(bytes);
    this.remember(path, bytes, entries);
    return { bytes, entries };
  }

  /**
   * Replaces every .zip in `files` by the paths of its members (recursively up to maxArchiveDepth),
   * in place of the archive so the order stays sorted. Archives that cannot be read are reported.
   */
  async expand(files: readonly string[], onIssue: (issue: InputIssue) => void): Promise<string[]> {
    const out: string[] = [];
    for (const f of files) {
      if (!isArchiveName(f)) {
        out.push(f);
        continue;
      }
      try {
        const info = await stat(f);
        if (info.size > this.limits.maxFileMb * MB) {
          throw overLimit(f, `archive of ${mb(info.size)} (limit ${this.limits.maxFileMb} MB)`, 'maxFileMb', this.limits);
        }
        const bytes = new Uint8Array(await readFile(f));
        out.push(...(await this.expandArchive(f, bytes, info.mtimeMs, 1, onIssue, { total: 0, count: 0 })));
      } catch (err) {
        onIssue({ path: f, reason: describe(err, f) });
      }
    }
    return out;
  }

  private async expandArchive(
    path: string,
    bytes: Uint8Array,
    mtimeMs: number,
    depth: number,
    onIssue: (issue: InputIssue) => void,
    /** Shared by an archive and the archives inside it: the budget is for the whole tree. */
    budget: { total: number; count: number },
  ): Promise<string[]> {
    const { limits } = this;
    if (!isZip(bytes)) throw new ZipFormatError('no ZIP signature');
    const entries = readZipDirectory(bytes);
    const files = entries.filter((e) => !e.isDirectory && !isArchiveJunk(e.name));
    budget.count += files.length;
    if (budget.count > limits.maxArchiveMembers) {
      throw overLimit(path, `archive of more than ${limits.maxArchiveMembers} files`, 'maxArchiveMembers', limits);
    }
    for (const e of files) budget.total += e.size;
    if (budget.total > limits.maxArchiveMb * MB) {
      throw overLimit(path, `archive unpacks to more than ${limits.maxArchiveMb} MB (${mb(budget.total)})`, 'maxArchiveMb', limits);
    }
    this.remember(path, bytes, entries);
    const out: string[] = [];
    const seen = new Set<string>();
    for (const entry of files) {
      const p = memberPath(path, entry.name);
      if (isSidecarOrHidden(p)) continue;
      if (seen.has(p)) {
        onIssue({ path: p, reason: 'the archive holds two files of this name; the first was read' });
        continue;
      }
      seen.add(p);
      this.members.set(p, { archive: path, entry, mtimeMs });
      try {
        checkRatio(p, entry, limits);
        if (entry.size > limits.maxUnpackedMb * MB) {
          throw overLimit(p, `unpacks to more than ${limits.maxUnpackedMb} MB (${mb(entry.size)})`, 'maxUnpackedMb', limits);
        }
        if (isArchiveName(p)) {
          if (depth >= limits.maxArchiveDepth) {
            throw overLimit(p, `archive nested ${depth + 1} deep`, 'maxArchiveDepth', limits);
          }
          const inner = await this.read(p);
          out.push(...(await this.expandArchive(p, inner, mtimeMs, depth + 1, onIssue, budget)));
          continue;
        }
        out.push(p);
      } catch (err) {
        onIssue({ path: p, reason: describe(err, p) });
      }
    }
    return out;
  }

  /** Size and mtime of a member as the stat cache sees them: its unpacked size, its archive's mtime. */
  stat(path: string): { size: number; mtimeMs: number } | null {
    const m = this.members.get(path);
    return m ? { size: m.entry.size, mtimeMs: m.mtimeMs } : null;
  }

  /** A member's bytes, inflated within maxUnpackedMb. */
  async read(path: string): Promise<Uint8Array> {
    const m = this.members.get(path);
    if (!m) throw new ConfrecError('not a member of an archive', { file: path });
    const { bytes } = await this.bytesOf(m.archive);
    try {
      return extractEntry(bytes, m.entry, this.limits.maxUnpackedMb * MB);
    } catch (err) {
      if (err instanceof ZipLimitError) throw overLimit(path, `unpacks to more than ${this.limits.maxUnpackedMb} MB`, 'maxUnpackedMb', this.limits);
      if (err instanceof ZipFormatError) {
        throw new ConfrecError(`cannot unpack (${err.message})`, { file: path, hint: 'unpack the archive with another tool and ingest the folder' });
      }
      throw err;
    }
  }
}

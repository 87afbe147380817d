import { Inflate } from 'fflate';
import iconv from 'iconv-lite';

/**
 * A small ZIP reader that looks before it inflates. .docx, .odt and .zip are all ZIP archives, and a
 * ZIP can promise kilobytes and deliver gigabytes (a 1.2 MB .docx holding 200 MB of XML killed ingest
 * with a heap overflow). So the central directory is read first — names, sizes, methods, nothing
 * inflated — the caller checks its budget against the declared sizes, and each member is then inflated
 * in chunks with a hard cap, so a directory that lies about sizes is caught after at most the cap.
 *
 * fflate inflates; the directory is parsed here because fflate's unzip gives no member offsets and no
 * way to stop an inflation that has grown past a limit.
 */

export interface ZipEntry {
  /** Path inside the archive, '/'-separated, decoded (UTF-8 flag, Info-ZIP Unicode path, else cp866). */
  name: string;
  /** 0 stored, 8 deflate; anything else cannot be read. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** Declared unpacked size (checked against the real one while inflating). */
  size: number;
  localHeaderOffset: number;
  isDirectory: boolean;
}

/** Thrown for archives that cannot be read at all; callers turn it into a ConfrecError for their format. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

/** Thrown when a member unpacks to more than the cap it was inflated with. */
export class ZipLimitError extends Error {
  constructor(
    readonly entry: string,
    readonly limit: number,
  ) {
    super(`${entry} unpacks to more than ${limit} bytes`);
    this.name = 'ZipLimitError';
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_COMMENT = 0xffff;

export function isZip(bytes: Uint8Array): boolean {
  // Local header first; an empty archive is only its end record.
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndRecord(dv: DataView): number {
  const min = Math.max(0, dv.byteLength - 22 - MAX_COMMENT);
  for (let i = dv.byteLength - 22; i >= min; i--) {
    if (dv.getUint32(i, true) === EOCD_SIG) return i;
  }
  throw new ZipFormatError('no end-of-archive record (not a ZIP archive, or cut short)');
}

function u64(dv: DataView, at: number): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('impossible size in the archive directory');
  return Number(v);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Member names: UTF-8 when the archive says so (flag bit 11) or when the bytes are valid UTF-8; else
 * the DOS code page, which for Russian Windows is cp866 ("Резолюция.docx" zipped by Explorer).
 */
function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return new TextDecoder('utf-8').decode(raw);
  try {
    return UTF8.decode(raw);
  } catch {
    return iconv.decode(Buffer.from(raw), 'cp866');
  }
}

/** Reads the central directory. Nothing is inflated. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  if (bytes.length < 22) throw new ZipFormatError('too short to be a ZIP archive');
  const dv = view(bytes);
  const eocd = findEndRecord(dv);
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_LOCATOR_SIG) throw new ZipFormatError('damaged ZIP64 archive directory');
    const z64 = u64(dv, loc + 8);
    if (z64 + 56 > bytes.length || dv.getUint32(z64, true) !== ZIP64_EOCD_SIG) throw new ZipFormatError('damaged ZIP64 archive directory');
    count = u64(dv, z64 + 32);
    cdSize = u64(dv, z64 + 40);
    cdOffset = u64(dv, z64 + 48);
  }
  if (cdOffset + cdSize > bytes.length) throw new ZipFormatError('the archive directory points past the end of the file (cut short?)');
  // Every directory record is at least 46 bytes: a count larger than that is a lie, not a reason to loop.
  if (count * 46 > cdSize) throw new ZipFormatError('the archive directory is damaged');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CD_SIG) throw new ZipFormatError('the archive directory is damaged');
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    let name = decodeName(nameBytes, (flags & 0x800) !== 0);
    // Extra fields: ZIP64 sizes (0x0001) and the Info-ZIP Unicode path (0x7075).
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd && extraEnd <= bytes.length) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      let q = e + 4;
      if (id === 0x0001) {
        if (size === 0xffffffff && q + 8 <= e + 4 + len) (size = u64(dv, q)), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = u64(dv, q)), (q += 8);
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = u64(dv, q);
      } else if (id === 0x7075 && len > 5) {
        name = new TextDecoder('utf-8').decode(bytes.subarray(e + 9, e + 4 + len));
      }
      e += 4 + len;
    }
    name = name.replace(/\\/g, '/');
    entries.push({
      name,
      method,
      encrypted: (flags & 1) !== 0,
      compressedSize,
      size,
      localHeaderOffset,
      isDirectory: name.endsWith('/'),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function dataStart(bytes: Uint8Array, entry: ZipEntry): number {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== LOCAL_SIG) throw new ZipFormatError(`damaged member ${entry.name}`);
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipFormatError(`member ${entry.name} is cut short`);
  return start;
}

/** Compressed bytes are fed to the inflater in slices this big, so a bomb is stopped soon after its cap. */
const CHUNK = 64 * 1024;

/**
 * Inflates one member, stopping with ZipLimitError as soon as it grows past maxBytes (or past its
 * declared size, which a well-formed archive never does). Memory is the output only.
 */
export function extractEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  if (entry.encrypted) throw new ZipFormatError(`member ${entry.name} is encrypted (password-protected archive)`);
  if (entry.size > maxBytes) throw new ZipLimitError(entry.name, maxBytes);
  const start = dataStart(bytes, entry);
  const packed = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new ZipFormatError(`damaged member ${entry.name}`);
    return packed;
  }
  if (entry.method !== 8) throw new ZipFormatError(`member ${entry.name} uses compression method ${entry.method}, which cannot be read (re-pack it as an ordinary ZIP)`);
  // The declared size bounds the buffer; more output than declared is a lie and stops the inflation.
  const cap = Math.min(maxBytes, entry.size);
  const out = new Uint8Array(cap);
  let written = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > cap) {
      throw written + chunk.length > maxBytes || entry.size >= maxBytes
        ? new ZipLimitError(entry.name, maxBytes)
        : new ZipFormatError(`member ${entry.name} unpacks to more than the archive directory says (damaged, or built to mislead)`);
    }
    out.set(chunk, written);
    written += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < packed.length; i += CHUNK) inflater.push(packed.subarray(i, i + CHUNK), i + CHUNK >= packed.length);
    if (packed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ZipLimitError || err instanceof ZipFormatError) throw err;
    throw new ZipFormatError(`member ${entry.name} is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!ended || written !== entry.size) throw new ZipFormatError(`member ${entry.name} is damaged (unpacked ${written} of ${entry.size} bytes)`);
  return out;
}

/** Looks a member up by exact name, then case-insensitively (some tools upper-case "[Content_Types].xml"). */
export function findEntry(entries: readonly ZipEntry[], name: string): ZipEntry | undefined {
  return entries.find((e) => e.name === name) ?? entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

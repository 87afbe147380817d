import { mb, MB, overLimit, type ReadLimits } from '../limits.js';
import { extractEntry, readZipDirectory, ZipFormatError, ZipLimitError, type ZipEntry } from '../zip.js';

/**
 * A ZIP-packaged document (.docx, .odt) opened within its budget: the directory is read, the parts
 * the reader needs are chosen by name, and their declared sizes and packing ratios are checked before
 * any is inflated. Images and embedded objects are never unpacked (no reader needs them).
 */
export interface OpenPackage {
  entries: ZipEntry[];
  /** The parts chosen for reading, inflated within what is left of the budget. */
  parts: Map<string, Uint8Array>;
}

/** Members smaller than this are not ratio-checked: a 40 KB styles.xml packed 300:1 harms nobody. */
const RATIO_FLOOR_BYTES = 1 * MB;

/**
 * Checks one member's packing ratio. Office XML packs 5–30:1; a member packed beyond the limit is a
 * decompression bomb (a repeated paragraph packs 1000:1), whatever its declared size says.
 */
export function checkRatio(path: string, entry: ZipEntry, limits: ReadLimits): void {
  if (entry.size < RATIO_FLOOR_BYTES) return;
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (ratio > limits.maxCompressionRatio) {
    throw overLimit(path, `${entry.name} is packed ${Math.round(ratio)}:1, a decompression bomb`, 'maxCompressionRatio', limits);
  }
}

/**
 * Opens a package and inflates the parts `wanted` selects. Throws ZipFormatError when the archive is
 * damaged (the caller words it for its format) and a ConfrecError when it is over budget.
 */
export function openPackage(path: string, bytes: Uint8Array, limits: ReadLimits, wanted: (name: string) => boolean): OpenPackage {
  const entries = readZipDirectory(bytes);
  if (entries.length > limits.maxArchiveMembers) {
    throw overLimit(path, `package of ${entries.length} parts (limit ${limits.maxArchiveMembers})`, 'maxArchiveMembers', limits);
  }
  const chosen = entries.filter((e) => !e.isDirectory && wanted(e.name));
  const budget = limits.maxUnpackedMb * MB;
  let declared = 0;
  for (const e of chosen) {
    checkRatio(path, e, limits);
    declared += e.size;
  }
  if (declared > budget) throw overLimit(path, `unpacks to more than ${limits.maxUnpackedMb} MB (${mb(declared)})`, 'maxUnpackedMb', limits);
  const parts = new Map<string, Uint8Array>();
  let used = 0;
  for (const e of chosen) {
    try {
      const data = extractEntry(bytes, e, budget - used);
      used += data.length;
      parts.set(e.name, data);
    } catch (err) {
      if (err instanceof ZipLimitError) throw overLimit(path, `unpacks to more than ${limits.maxUnpackedMb} MB`, 'maxUnpackedMb', limits);
      throw err;
    }
  }
  return { entries, parts };
}

export { ZipFormatError };

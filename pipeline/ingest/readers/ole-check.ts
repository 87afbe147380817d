/**
 * A structural check of an OLE compound file (.doc) before word-extractor opens it: every sector
 * chain it will follow — the allocation table itself, the directory, the mini-stream table and each
 * stream — must stay inside the file, end, and not loop. word-extractor follows chains without a
 * visited set; a chain that loops (1 → 2 → 1) made it collect sector numbers until V8 aborted the
 * process (a 2 KB file, 1.7 GB of memory). Returns a reason when the file is damaged, else null.
 */

const FREE = -1;
const END_OF_CHAIN = -2;

export function oleProblem(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 512) return 'too short for an OLE file';
  const shift = b.readUInt16LE(30);
  if (shift !== 9 && shift !== 12) return 'unknown sector size';
  const sector = 1 << shift;
  const sectors = Math.floor((b.length - sector) / sector) + 1;
  const offsetOf = (id: number) => (id + 1) * sector;
  const inFile = (id: number) => id >= 0 && offsetOf(id) < b.length;

  // The FAT's own sectors: 109 in the header, then DIFAT sectors (each ends with the next one's id).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const id = b.readInt32LE(76 + i * 4);
    if (id >= 0) fatSectors.push(id);
  }
  let difat = b.readInt32LE(68);
  const seenDifat = new Set<number>();
  while (difat >= 0) {
    if (!inFile(difat) || seenDifat.has(difat)) return 'damaged sector table';
    seenDifat.add(difat);
    const at = offsetOf(difat);
    for (let i = 0; i < sector / 4 - 1; i++) {
      const id = b.readInt32LE(at + i * 4);
      if (id >= 0) fatSectors.push(id);
    }
    difat = b.readInt32LE(at + sector - 4);
  }
  const fat: number[] = [];
  for (const id of fatSectors) {
    if (!inFile(id)) return 'sector table outside the file';
    const at = offsetOf(id);
    for (let i = 0; i < sector / 4 && at + i * 4 + 4 <= b.length; i++) fat.push(b.readInt32LE(at + i * 4));
  }
  /** Length of the chain from start, or a reason; a chain is at most as long as the file has sectors. */
  const chain = (start: number, table: number[], limit: number): number[] | string => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let id = start; id !== END_OF_CHAIN && id !== FREE; id = table[id]) {
      if (id < 0 || id >= table.length || id >= limit) return 'a sector chain leaves the file';
      if (seen.has(id)) return 'a sector chain loops';
      seen.add(id);
      out.push(id);
    }
    return out;
  };
  const dir = chain(b.readInt32LE(48), fat, sectors);
  if (typeof dir === 'string') return dir;
  const miniFat = chain(b.readInt32LE(60), fat, sectors);
  if (typeof miniFat === 'string') return miniFat;
  const cutoff = b.readUInt32LE(56);
  // Directory entries (128 bytes): type at 66, start sector at 116, size at 120.
  let root: { start: number; size: number } | null = null;
  const streams: { start: number; size: number }[] = [];
  for (const id of dir) {
    const at = offsetOf(id);
    for (let e = 0; e < sector / 128; e++) {
      const p = at + e * 128;
      if (p + 128 > b.length) break;
      const type = b[p + 66];
      const start = b.readInt32LE(p + 116);
      const size = b.readUInt32LE(p + 120);
      if (type === 5) root = { start, size };
      else if (type === 2) streams.push({ start, size });
    }
  }
  if (!root) return 'no root entry';
  const rootChain = chain(root.start, fat, sectors);
  if (typeof rootChain === 'string') return rootChain;
  const miniTable: number[] = [];
  for (const id of miniFat) for (let i = 0; i < sector / 4; i++) miniTable.push(b.readInt32LE(offsetOf(id) + i * 4));
  const miniSectors = Math.ceil(root.size / 64);
  for (const s of streams) {
    const c = s.size < cutoff ? chain(s.start, miniTable, miniSectors) : chain(s.start, fat, sectors);
    if (typeof c === 'string') return c;
  }
  return null;
}

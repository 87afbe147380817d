/**
 * Builds decompression bombs in milliseconds instead of deflating gigabytes: a DEFLATE stream whose
 * first block spells out `head` and one `unit`, and whose following blocks are nothing but "copy 258
 * bytes from `unit.length` back" — identical, byte-aligned blocks (each ends with an empty stored
 * block, a sync flush), so they are written once and repeated. 200 MB of XML packs into ~200 KB, the
 * ratio of the real bombs, and the result is a valid stream any inflater accepts.
 */

class BitWriter {
  private bytes: number[] = [];
  private cur = 0;
  private n = 0;

  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.cur |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }

  /** Huffman codes go most significant bit first. */
  code(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }

  private flushByte(): void {
    this.bytes.push(this.cur);
    this.cur = 0;
    this.n = 0;
  }

  align(): void {
    if (this.n > 0) this.flushByte();
  }

  take(): Uint8Array {
    this.align();
    const out = new Uint8Array(this.bytes);
    this.bytes = [];
    return out;
  }
}

/** Fixed-Huffman literal/length symbol. */
function symbol(w: BitWriter, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function match(w: BitWriter, length: number, distance: number): void {
  let li = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[li] > length) li--;
  symbol(w, 257 + li);
  w.bits(length - LENGTH_BASE[li], LENGTH_EXTRA[li]);
  let di = DIST_BASE.length - 1;
  while (DIST_BASE[di] > distance) di--;
  w.code(di, 5);
  w.bits(distance - DIST_BASE[di], DIST_EXTRA[di]);
}

/** End of a fixed block, then an empty stored block: the stream is byte-aligned afterwards. */
function syncFlush(w: BitWriter): void {
  symbol(w, 256);
  w.bits(0, 1);
  w.bits(0, 2);
  w.align();
  w.bits(0x0000, 16);
  w.bits(0xffff, 16);
}

export interface Bomb {
  /** Raw DEFLATE data. */
  deflated: Uint8Array;
  /** Size once inflated. */
  size: number;
  /** Calls fn with the inflated content in order, without building it (for checksums). */
  forEachChunk(fn: (chunk: Uint8Array) => void): void;
}

const MATCHES_PER_BLOCK = 4096;

/** head + unit × repeats + tail, deflated. unit.length must be at most 32,768 (DEFLATE's window). */
export function deflateBomb(head: Uint8Array, unit: Uint8Array, repeats: number, tail: Uint8Array): Bomb {
  if (unit.length > 32768 || unit.length < 3) throw new Error('unit must be 3..32768 bytes');
  const parts: Uint8Array[] = [];
  const w = new BitWriter();
  w.bits(0, 1);
  w.bits(1, 2);
  for (const b of head) symbol(w, b);
  for (const b of unit) symbol(w, b);
  syncFlush(w);
  parts.push(w.take());
  let remaining = (repeats - 1) * unit.length;
  const perBlock = MATCHES_PER_BLOCK * 258;
  if (remaining >= perBlock) {
    w.bits(0, 1);
    w.bits(1, 2);
    for (let i = 0; i < MATCHES_PER_BLOCK; i++) match(w, 258, unit.length);
    syncFlush(w);
    const block = w.take();
    for (; remaining >= perBlock; remaining -= perBlock) parts.push(block);
  }
  w.bits(1, 1);
  w.bits(1, 2);
  while (remaining >= 3) {
    const len = Math.min(258, remaining - (remaining - 258 > 0 && remaining - 258 < 3 ? 3 : 0));
    match(w, len, unit.length);
    remaining -= len;
  }
  // At most two bytes left over: they are the start of the unit again (the content is periodic).
  const done = (repeats - 1) * unit.length - remaining;
  for (let i = 0; i < remaining; i++) symbol(w, unit[(done + i) % unit.length]);
  for (const b of tail) symbol(w, b);
  symbol(w, 256);
  parts.push(w.take());
  const deflated = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    deflated.set(p, at);
    at += p.length;
  }
  const size = head.length + repeats * unit.length + tail.length;
  return {
    deflated,
    size,
    forEachChunk(fn) {
      fn(head);
      // Units in runs of about a megabyte keep the checksum loops short.
      const per = Math.max(1, Math.floor((1 << 20) / unit.length));
      const run = new Uint8Array(per * unit.length);
      for (let i = 0; i < per; i++) run.set(unit, i * unit.length);
      let left = repeats;
      for (; left >= per; left -= per) fn(run);
      if (left > 0) fn(run.subarray(0, left * unit.length));
      fn(tail);
    },
  };
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(chunks: (fn: (c: Uint8Array) => void) => void): number {
  let crc = -1;
  chunks((c) => {
    for (let i = 0; i < c.length; i++) crc = CRC_TABLE[(crc ^ c[i]) & 0xff] ^ (crc >>> 8);
  });
  return (crc ^ -1) >>> 0;
}

export function adler32(chunks: (fn: (c: Uint8Array) => void) => void): number {
  let a = 1;
  let b = 0;
  chunks((c) => {
    for (let i = 0; i < c.length; ) {
      const end = Math.min(c.length, i + 5552);
      for (; i < end; i++) {
        a += c[i];
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
  });
  return ((b << 16) | a) >>> 0;
}

/** zlib wrapper (as PDF's FlateDecode expects): header, DEFLATE data, Adler-32 of the content. */
export function zlibBomb(bomb: Bomb): Uint8Array {
  const adler = adler32((fn) => bomb.forEachChunk(fn));
  const out = new Uint8Array(2 + bomb.deflated.length + 4);
  out.set([0x78, 0xda]);
  out.set(bomb.deflated, 2);
  new DataView(out.buffer).setUint32(2 + bomb.deflated.length, adler);
  return out;
}

export interface ZipMember {
  name: string;
  /** Stored (method 0) data, or a bomb (method 8). */
  data: Uint8Array | Bomb;
}

/** A ZIP archive written directly (local headers, data, central directory), with correct CRCs and sizes. */
export function writeZip(members: ZipMember[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const isBomb = !(m.data instanceof Uint8Array);
    const bomb = m.data as Bomb;
    const raw = m.data as Uint8Array;
    const crc = isBomb ? crc32((fn) => bomb.forEachChunk(fn)) : crc32((fn) => fn(raw));
    const packed = isBomb ? bomb.deflated : raw;
    const size = isBomb ? bomb.size : raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(isBomb ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(isBomb ? 8 : 0, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(packed.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(cd, name);
    offset += 30 + name.length + packed.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

import { deflateSync, strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ConfrecError } from '../../pipeline/errors.js';
import { memberPath } from '../../pipeline/ingest/archives.js';
import { checkTextSize, limitFlag, readLimits } from '../../pipeline/ingest/limits.js';
import { openPackage } from '../../pipeline/ingest/readers/package.js';
import { extractEntry, readZipDirectory, ZipFormatError, ZipLimitError } from '../../pipeline/ingest/zip.js';
import { deflateBomb, writeZip } from '../hostile/deflate-bomb.js';

const MB = 1024 * 1024;

describe('zip directory', () => {
  it('lists members with sizes without inflating them', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello'), 'dir/b.xml': strToU8('<x/>'.repeat(1000)) });
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      ['a.txt', 5],
      ['dir/b.xml', 4000],
    ]);
    expect(entries[1].compressedSize).toBeLessThan(100);
  });

  it('decodes names: UTF-8 flag, valid UTF-8 without the flag, and cp866 from Russian Windows', () => {
    const cp866 = iconv.encode('Резолюция.docx', 'cp866');
    const zip = writeZip([{ name: 'x', data: strToU8('1') }]);
    // Rewrite the one name in place with cp866 bytes of the same length and clear the UTF-8 flag.
    const renamed = writeZip([{ name: 'Y'.repeat(cp866.length), data: strToU8('1') }]);
    const buf = Buffer.from(renamed);
    let at = buf.indexOf(Buffer.from('Y'.repeat(cp866.length)));
    buf.set(cp866, at);
    buf.writeUInt16LE(0, 6);
    at = buf.indexOf(Buffer.from('Y'.repeat(cp866.length)));
    buf.set(cp866, at);
    const cdFlags = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8;
    buf.writeUInt16LE(0, cdFlags);
    expect(readZipDirectory(new Uint8Array(buf))[0].name).toBe('Резолюция.docx');
    expect(readZipDirectory(zipSync({ 'Папка/файл.txt': strToU8('1') }))[0].name).toBe('Папка/файл.txt');
    expect(readZipDirectory(zip)[0].name).toBe('x');
  });

  it('rejects what is not a zip, or is cut short', () => {
    expect(() => readZipDirectory(strToU8('not a zip at all, just text long enough'))).toThrow(ZipFormatError);
    const zip = zipSync({ 'a.txt': strToU8('hello world') });
    expect(() => readZipDirectory(zip.subarray(0, zip.length - 30))).toThrow(ZipFormatError);
  });
});

describe('capped inflation', () => {
  const bomb = deflateBomb(strToU8('<doc>'), strToU8('<p>Рекомендовать школам</p>'), 200_000, strToU8('</doc>'));
  const zip = writeZip([{ name: 'word/document.xml', data: bomb }]);

  it('inflates a member whole when it is within the cap', () => {
    const [entry] = readZipDirectory(zip);
    expect(entry.size).toBe(bomb.size);
    const out = extractEntry(zip, entry, 64 * MB);
    expect(out.length).toBe(bomb.size);
    expect(Buffer.from(out.subarray(0, 8)).toString()).toBe('<doc><p>');
  });

  it('stops at the cap instead of inflating everything', () => {
    const [entry] = readZipDirectory(zip);
    expect(() => extractEntry(zip, entry, 1 * MB)).toThrow(ZipLimitError);
  });

  it('catches a directory that lies about the unpacked size', () => {
    const lying = Buffer.from(zip);
    const cd = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(1000, cd + 24);
    const [entry] = readZipDirectory(new Uint8Array(lying));
    expect(entry.size).toBe(1000);
    expect(() => extractEntry(new Uint8Array(lying), entry, 64 * MB)).toThrow(/more than the archive directory says/);
  });
});

describe('package budget', () => {
  const limits = readLimits();

  it('rejects by packing ratio before inflating, naming the flag that raises the limit', () => {
    const zeros = new Uint8Array(8 * MB);
    const dense = { deflated: deflateSync(zeros, { level: 9 }), size: zeros.length, forEachChunk: (fn: (c: Uint8Array) => void) => fn(zeros) };
    const zip = writeZip([{ name: 'content.xml', data: dense }]);
    try {
      openPackage('bomb.odt', zip, limits, () => true);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfrecError);
      expect((err as ConfrecError).message).toMatch(/^content\.xml is packed \d+:1, a decompression bomb: not read$/);
      expect((err as ConfrecError).hint).toContain('--max-compression-ratio');
    }
  });

  it('rejects by declared unpacked size, and only counts the parts the reader wants', () => {
    const unit = strToU8('<w:p>текст</w:p>');
    const bomb = deflateBomb(new Uint8Array(0), unit, Math.ceil((30 * MB) / unit.length), new Uint8Array(0));
    const zip = writeZip([
      { name: 'word/document.xml', data: strToU8('<w:document/>') },
      { name: 'word/media/photo.xml', data: bomb },
    ]);
    expect(() => openPackage('a.docx', zip, limits, () => true)).toThrow(/unpacks to more than 24 MB \(30 MB\): not read/);
    const { parts } = openPackage('a.docx', zip, limits, (n) => !n.startsWith('word/media/'));
    expect([...parts.keys()]).toEqual(['word/document.xml']);
  });

  it('lets the user raise a limit by flag', () => {
    expect(limitFlag('maxUnpackedMb')).toBe('--max-unpacked-mb');
    expect(readLimits({ 'max-unpacked-mb': '100' }).maxUnpackedMb).toBe(100);
    expect(() => readLimits({ 'max-unpacked-mb': 'lots' })).toThrow(/must be a positive number/);
  });

  it('bounds the text a document may yield', () => {
    const small = { ...limits, maxTextMb: 1 };
    expect(() => checkTextSize('x.txt', 'а'.repeat(400_000), small)).not.toThrow();
    expect(() => checkTextSize('x.txt', 'а'.repeat(600_000), small)).toThrow(/text of more than 1 MB: not read/);
  });
});

describe('archive member paths', () => {
  it('name members below the archive and never outside it', () => {
    expect(memberPath('/c/2019.zip', 'Секция 1/резолюция.docx')).toBe('/c/2019.zip/Секция 1/резолюция.docx');
    expect(memberPath('/c/a.zip', '../../etc/passwd')).toBe('/c/a.zip/_/_/etc/passwd');
    expect(memberPath('/c/a.zip', '/abs/./x.txt')).toBe('/c/a.zip/abs/x.txt');
  });
});

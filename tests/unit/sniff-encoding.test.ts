import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeMixedLines, decodeText } from '../../pipeline/ingest/encoding.js';
import { readDocument } from '../../pipeline/ingest/readers.js';
import { detectFormat } from '../../pipeline/ingest/sniff.js';
import { isSavedPageAssets } from '../../pipeline/ingest/walk.js';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('format by content', () => {
  it('reads what a file is, not what its name says', () => {
    expect(detectFormat('a.doc', b('{\\rtf1\\ansi hello}'))).toBe('rtf');
    expect(detectFormat('a.doc', b('<html><body>x</body></html>'))).toBe('html');
    expect(detectFormat('a.doc', b('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n'))).toBe('html');
    expect(detectFormat('a.pdf', b('<!DOCTYPE html><html><head><title>404</title>'))).toBe('html');
    expect(detectFormat('a.txt', b('%PDF-1.7\n'))).toBe('pdf');
    expect(detectFormat('a.doc', zipSync({ '[Content_Types].xml': strToU8('<x/>'), 'word/document.xml': strToU8('<x/>') }))).toBe('docx');
    expect(detectFormat('a.docx', zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': strToU8('<x/>') }))).toBe('odt');
    expect(detectFormat('a.zip', zipSync({ 'a.txt': strToU8('x') }))).toBe('archive');
    expect(detectFormat('a.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe('doc');
    expect(detectFormat('scan.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image');
  });

  it('reads a .doc that is plain text as text, and leaves unknown extensions unsupported', () => {
    expect(detectFormat('old.doc', b('Resolution text without any markup'))).toBe('txt');
    expect(detectFormat('notes.xyz', b('%PDF-1.4'))).toBeNull();
    // A zip named .docx that holds no Word document is a damaged .docx, not an archive to unpack.
    expect(detectFormat('a.docx', zipSync({ 'a.txt': strToU8('x') }))).toBe('docx');
  });
});

describe('mixed encodings', () => {
  const utf8 = 'Резолюция областной конференции — новая редакция от 2024 года\n';
  const cp1251 = 'Участники конференции рекомендуют образовательным организациям развивать наставничество.\n';

  it('decodes a file of UTF-8 and cp1251 lines line by line, and says so', () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from(utf8, 'utf8'), Buffer.from('Plain ASCII line\n'), iconv.encode(cp1251, 'windows-1251')]));
    const d = decodeText(bytes);
    expect(d.text).toBe(`${utf8}Plain ASCII line\n${cp1251}`);
    expect(d.encoding).toBe('utf-8+windows-1251');
    expect(d.note).toMatch(/mixed encodings: 1 line\(s\) in UTF-8 and 1 in windows-1251/);
  });

  it('tells a file that is wholly cp1251 from a mixed one', () => {
    expect(decodeMixedLines(new Uint8Array(iconv.encode(utf8 + cp1251, 'windows-1251')))).toBeNull();
    expect(decodeText(new Uint8Array(iconv.encode(utf8 + cp1251, 'windows-1251'))).encoding).toBe('windows-1251');
  });

  it('passes the note on through the reader', async () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from(utf8, 'utf8'), iconv.encode(cp1251, 'windows-1251')]));
    const doc = await readDocument('mixed.txt', bytes);
    expect(doc.encoding).toBe('utf-8+windows-1251');
    expect(doc.notes).toHaveLength(1);
  });
});

describe('saved web pages', () => {
  it('their asset folders are not documents', () => {
    expect(isSavedPageAssets('Резолюция_files', new Set(['Резолюция.html', 'Резолюция_files']))).toBe(true);
    expect(isSavedPageAssets('page.files', new Set(['page.htm']))).toBe(true);
    expect(isSavedPageAssets('old_files', new Set(['other.html']))).toBe(false);
  });
});

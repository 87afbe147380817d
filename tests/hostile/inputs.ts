/**
 * Hostile inputs for the reader budget (issue 10 §1), generated on the fly — a few hundred kilobytes on
 * disk each, gigabytes once unpacked — so no blob is committed. Each entry says what it is and the
 * message ingest must skip it with; tests/e2e/hostile-inputs.test.ts ingests them next to good files
 * and `npm run bench -- hostile` measures peak RSS per file.
 *
 * (Database-related hostile cases — foreign and damaged DuckDB files — live beside these, by the
 * reliability work, in their own files.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, ZipDeflate, deflateSync, zipSync, strToU8 } from 'fflate';
import { deflateBomb, writeZip, zlibBomb } from './deflate-bomb.js';

export interface HostileInput {
  /** File name inside the generated folder (member paths for archives are below it). */
  name: string;
  what: string;
  /** What ingest must say about it (matched against the "skipped …" line), or null when it is read. */
  expect: RegExp | null;
  /** Extra paths (archive members) ingest must report, with their message. */
  members?: { path: string; expect: RegExp }[];
  /** Archive members that must be stored. */
  stored?: string[];
  bytes(): Uint8Array;
}

const MB = 1024 * 1024;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A repeated unit, `total` bytes of it, in 1 MB chunks (memory stays at one chunk). */
function* repeated(unit: string, total: number): Generator<Uint8Array> {
  const chunk = strToU8(unit.repeat(Math.max(1, Math.floor(MB / Buffer.byteLength(unit)))));
  for (let n = 0; n < total; n += chunk.length) yield chunk;
}

interface StreamEntry {
  name: string;
  parts: () => Iterable<Uint8Array>;
}

/** A ZIP written as a stream (level 1: fast), so a large member never exists in memory at once. */
export function streamZip(entries: StreamEntry[]): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  for (const e of entries) {
    const file = new ZipDeflate(e.name, { level: 1 });
    zip.add(file);
    for (const p of e.parts()) file.push(p);
    file.push(new Uint8Array(0), true);
  }
  zip.end();
  return concat(out);
}

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const PARA = '<w:p><w:r><w:t>Рекомендовать образовательным организациям развивать инклюзивное образование детей.</w:t></w:r></w:p>';

/** `mb` MB of `unit` repeated, between head and tail, as a bomb (see deflate-bomb.ts). */
function repeatedBomb(head: string, unit: string, mb: number, tail: string) {
  const u = strToU8(unit);
  return deflateBomb(strToU8(head), u, Math.ceil((mb * MB) / u.length), strToU8(tail));
}

/** A .docx whose document.xml repeats one paragraph up to `xmlMb` MB (the 200 MB bomb packs into ~200 KB). */
export function docxBomb(xmlMb: number): Uint8Array {
  return writeZip([
    { name: '[Content_Types].xml', data: strToU8(CONTENT_TYPES) },
    { name: '_rels/.rels', data: strToU8(RELS) },
    {
      name: 'word/document.xml',
      data: repeatedBomb(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W_NS}><w:body>`, PARA, xmlMb, '</w:body></w:document>'),
    },
  ]);
}

const VOCABULARY =
  'рекомендовать образовательным организациям развивать инклюзивное образование детей обеспечить повышение квалификации педагогов организовать мониторинг качества провести конференцию родителей воспитание одарённых школ района области муниципальных методической работы сетевое взаимодействие наставничество проектной деятельности обучающихся';

/**
 * A .docx of `xmlMb` MB of varied XML (numbered paragraphs, so it packs only ~10:1 like real text): not
 * a bomb by its ratio, only by its size.
 */
export function docxLarge(xmlMb: number): Uint8Array {
  return streamZip([
    { name: '[Content_Types].xml', parts: () => [strToU8(CONTENT_TYPES)] },
    { name: '_rels/.rels', parts: () => [strToU8(RELS)] },
    {
      name: 'word/document.xml',
      parts: function* () {
        yield strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W_NS}><w:body>`);
        const vocabulary = VOCABULARY.split(' ');
        let size = 0;
        let seed = 7;
        for (let i = 0; size < xmlMb * MB; i++) {
          const words: string[] = [];
          for (let k = 0; k < 12; k++) {
            seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
            words.push(vocabulary[(seed >>> 8) % vocabulary.length]);
          }
          const p = strToU8(`<w:p><w:r><w:t>${i} ${words.join(' ')}</w:t></w:r></w:p>`);
          size += p.length;
          yield p;
        }
        yield strToU8('</w:body></w:document>');
      },
    },
  ]);
}

/** A .docx whose directory says document.xml is 2 KB; it inflates to `xmlMb` MB. */
export function docxLyingDirectory(xmlMb: number): Uint8Array {
  const honest = docxBomb(xmlMb);
  // Patch the central directory's uncompressed size of word/document.xml (and its local data
  // descriptor is ignored by readers that trust the directory, which is the point).
  const dv = new DataView(honest.buffer, honest.byteOffset, honest.byteLength);
  for (let i = honest.length - 22; i >= 0; i--) {
    if (dv.getUint32(i, true) !== 0x06054b50) continue;
    let p = dv.getUint32(i + 16, true);
    const count = dv.getUint16(i + 10, true);
    for (let k = 0; k < count; k++) {
      const nameLen = dv.getUint16(p + 28, true);
      const name = Buffer.from(honest.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
      if (name === 'word/document.xml') dv.setUint32(p + 24, 2048, true);
      p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
    }
    break;
  }
  return honest;
}

/** An .odt whose content.xml repeats one paragraph up to `xmlMb` MB. */
export function odtBomb(xmlMb: number): Uint8Array {
  return writeZip([
    { name: 'mimetype', data: strToU8('application/vnd.oasis.opendocument.text') },
    { name: 'META-INF/manifest.xml', data: strToU8('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>') },
    {
      name: 'content.xml',
      data: repeatedBomb(
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>',
        '<text:p>Рекомендовать школам развивать наставничество.</text:p>',
        xmlMb,
        '</office:text></office:body></office:document-content>',
      ),
    },
  ]);
}

const GOOD_TXT = 'РЕЗОЛЮЦИЯ\nсеминара «Наставничество в школе»\n\nУчастники семинара рекомендуют:\n1. Развивать наставничество в школах района.\n2. Провести конкурс наставников в 2025 году.\n';

/**
 * A .zip with a good resolution and two bombs: `mb` MB of zeros packed ~160:1 (over the size limit),
 * and 64 MB of zeros packed ~1000:1 as zlib packs them (over the ratio limit).
 */
export function zipBomb(mb: number): Uint8Array {
  return writeZip([
    { name: 'resolution.txt', data: strToU8(GOOD_TXT.replace('Наставничество', 'Наставничество в архиве')) },
    { name: 'zeros-big.txt', data: repeatedBomb('', '\0\0\0', mb, '') },
    { name: 'zeros-dense.txt', data: packedZeros(64) },
  ]);
}

/** `mb` MB of zeros deflated by fflate at level 9, as a member for writeZip. */
function packedZeros(mb: number) {
  const zeros = new Uint8Array(mb * MB);
  return { deflated: deflateSync(zeros, { level: 9 }), size: zeros.length, forEachChunk: (fn: (c: Uint8Array) => void) => fn(zeros) };
}

/** A .zip of `n` tiny files: over the member limit as a whole. */
export function zipMany(n: number): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++) files[`f${i}.txt`] = strToU8('x');
  return zipSync(files, { level: 0 });
}

/** outer.zip ⊃ level2.zip ⊃ level3.zip, a resolution at each level: the third level is not read. */
export function zipNested(): Uint8Array {
  const level3 = zipSync({ 'deep.txt': strToU8(GOOD_TXT.replace('Наставничество', 'Глубина')) });
  const level2 = zipSync({ 'middle.txt': strToU8(GOOD_TXT.replace('Наставничество', 'Середина')), 'level3.zip': level3 });
  return zipSync({ 'top.txt': strToU8(GOOD_TXT.replace('Наставничество', 'Верх')), 'level2.zip': level2 });
}

/** A minimal PDF around the given objects (numbered from 1; object 1 must be the catalog). */
function pdfFile(objects: (string | Uint8Array[])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  const push = (p: Uint8Array | string) => {
    const b = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
    parts.push(b);
    pos += b.length;
  };
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pos);
    push(`${i + 1} 0 obj\n`);
    if (typeof o === 'string') push(o);
    else for (const p of o) push(p);
    push('\nendobj\n');
  });
  const xref = pos;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const o of offsets) push(`${String(o).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return concat(parts);
}

/** One page whose content stream inflates to `mb` MB of text-showing operators (issue: 300 MB → 3.8 GB). */
export function pdfStreamBomb(mb: number): Uint8Array {
  const data = zlibBomb(repeatedBomb('', 'BT /F1 12 Tf 72 700 Td (Rekomendovat shkolam razvivat nastavnichestvo) Tj ET\n', mb, ''));
  return pdfFile([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    [Buffer.from(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')],
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** `n` pages sharing one tiny content stream: over the page limit. */
export function pdfManyPages(n: number): Uint8Array {
  const kids = Array.from({ length: n }, (_, i) => `${i + 4} 0 R`).join(' ');
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`,
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  for (let i = 0; i < n; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>');
  return pdfFile(objects);
}

/** A PNG header claiming 100,000 × 100,000 pixels (the data is a stub: the header is checked first). */
export function pngHuge(): Uint8Array {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(100_000, 8);
  ihdr.writeUInt32BE(100_000, 12);
  ihdr.set([8, 0, 0, 0, 0], 16);
  return concat([new Uint8Array(sig), ihdr, new Uint8Array(64)]);
}

/**
 * An OLE compound file (.doc) whose directory chain loops 1 → 2 → 1: the OLE reader follows it for
 * ever, collecting sector numbers — the unforeseen case the worker's memory cap is for.
 */
export function oleCycle(): Uint8Array {
  const b = Buffer.alloc(512 * 4, 0);
  Buffer.from('D0CF11E0A1B11AE1', 'hex').copy(b, 0);
  b.writeUInt16LE(0x3e, 24);
  b.writeUInt16LE(3, 26);
  b.writeUInt16LE(0xfffe, 28);
  b.writeUInt16LE(9, 30);
  b.writeUInt16LE(6, 32);
  b.writeInt32LE(1, 44); // one FAT sector
  b.writeInt32LE(1, 48); // directory starts at sector 1
  b.writeInt32LE(4096, 56);
  b.writeInt32LE(-2, 60); // no mini FAT
  b.writeInt32LE(0, 64);
  b.writeInt32LE(-2, 68); // no DIFAT sectors
  b.writeInt32LE(0, 72);
  b.writeInt32LE(0, 76); // FAT in sector 0
  for (let i = 1; i < 109; i++) b.writeInt32LE(-1, 76 + i * 4);
  const fat = 512; // sector 0
  b.writeInt32LE(-3, fat); // sector 0 is the FAT itself
  b.writeInt32LE(2, fat + 4); // 1 → 2
  b.writeInt32LE(1, fat + 8); // 2 → 1: the loop
  for (let i = 3; i < 128; i++) b.writeInt32LE(-1, fat + i * 4);
  return new Uint8Array(b);
}

export const HOSTILE_INPUTS: HostileInput[] = [
  { name: 'docx-bomb.docx', what: '.docx, 200 MB of XML packed into 1.9 MB (the issue\'s case)', expect: /unpacks to more than \d+ MB \(200 MB\): not read/, bytes: () => docxBomb(200) },
  { name: 'docx-large.docx', what: '.docx, 30 MB of varied XML (packs like text, no bomb by its ratio)', expect: /unpacks to more than \d+ MB.*: not read/, bytes: () => docxLarge(30) },
  { name: 'docx-lying.docx', what: '.docx whose directory says 2 KB for 60 MB of XML', expect: /not a valid \.docx/, bytes: () => docxLyingDirectory(60) },
  { name: 'odt-bomb.odt', what: '.odt, 200 MB of XML', expect: /unpacks to more than \d+ MB \(200 MB\): not read/, bytes: () => odtBomb(200) },
  {
    name: 'zip-bomb.zip',
    what: '.zip: a resolution, 300 MB of zeros packed 160:1 and 64 MB packed 1000:1',
    expect: null,
    members: [
      { path: 'zip-bomb.zip/zeros-big.txt', expect: /unpacks to more than \d+ MB \(300 MB\): not read/ },
      { path: 'zip-bomb.zip/zeros-dense.txt', expect: /zeros-dense.txt is packed \d+:1, a decompression bomb: not read/ },
    ],
    stored: ['zip-bomb.zip/resolution.txt'],
    bytes: () => zipBomb(300),
  },
  { name: 'zip-many.zip', what: '.zip of 6,000 files', expect: /archive of more than \d+ files: not read/, bytes: () => zipMany(6000) },
  {
    name: 'zip-nested.zip',
    what: '.zip in a .zip in a .zip',
    expect: null,
    members: [{ path: 'zip-nested.zip/level2.zip/level3.zip', expect: /archive nested 3 deep: not read/ }],
    stored: ['zip-nested.zip/top.txt', 'zip-nested.zip/level2.zip/middle.txt'],
    bytes: zipNested,
  },
  { name: 'pdf-stream-bomb.pdf', what: '.pdf, one page whose content inflates to 300 MB (the issue\'s case)', expect: /a PDF stream unpacks to more than \d+ MB: not read/, bytes: () => pdfStreamBomb(300) },
  { name: 'pdf-pages.pdf', what: '.pdf of 3,000 empty pages', expect: /PDF of 3000 pages \(limit \d+\): not read/, bytes: () => pdfManyPages(3000) },
  { name: 'png-huge.png', what: 'PNG header claiming 100,000 × 100,000 pixels', expect: /image of 10000 megapixels .*: not read/, bytes: pngHuge },
  { name: 'ole-cycle.doc', what: '.doc whose OLE sector chain loops (word-extractor alone followed it until V8 aborted)', expect: /not a valid \.doc .*a sector chain loops|damaged OLE container: a sector chain loops/, bytes: oleCycle },
  { name: 'text-huge.txt', what: '12 MB of text (over the text budget, under the file limit)', expect: /text of more than \d+ MB: not read/, bytes: () => concat([...repeated('Рекомендовать школам развивать наставничество.\n', 12 * MB)]) },
  {
    name: 'text-too-big.txt',
    what: '60 MB file (over the file limit)',
    expect: /file too large \(\d+ MB; limit \d+ MB\): not read/,
    bytes: () => concat([...repeated('Рекомендовать школам развивать наставничество.\n', 60 * MB)]),
  },
];

/** Good files that must be stored next to the hostile ones. */
export const GOOD_FILES: { name: string; bytes: () => Uint8Array }[] = [{ name: 'good-resolution.txt', bytes: () => strToU8(GOOD_TXT) }];

/** Writes the hostile inputs (and the good files) into dir; returns the list written. */
export function writeHostileSet(dir: string, only?: (h: HostileInput) => boolean): HostileInput[] {
  mkdirSync(dir, { recursive: true });
  const chosen = HOSTILE_INPUTS.filter((h) => !only || only(h));
  for (const h of chosen) writeFileSync(join(dir, h.name), h.bytes());
  for (const g of GOOD_FILES) writeFileSync(join(dir, g.name), g.bytes());
  return chosen;
}

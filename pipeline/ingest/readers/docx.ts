import { zipSync } from 'fflate';
import mammoth from 'mammoth';
import { ConfrecError } from '../../errors.js';
import { OLE_MAGIC } from '../sniff.js';
import { isZip, ZipFormatError } from '../zip.js';
import type { Reader } from './_base.js';
import { blocksToText } from './blocks.js';
import { htmlToBlocks, WordMarkers } from './docx-html.js';
import { docxNumberedParagraphs } from './docx-numbering.js';
import { openPackage } from './package.js';

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function invalidDocx(path: string, bytes: Uint8Array, cause?: unknown): ConfrecError {
  const hint = startsWith(bytes, OLE_MAGIC)
    ? 'this is an old binary .doc or a password-protected document: remove the password or save it as .docx in Word'
    : 'open it in Word or LibreOffice and save it again as .docx';
  return new ConfrecError('not a valid .docx (not a Word document, or damaged)', { file: path, hint, cause });
}

/**
 * The parts mammoth reads are XML and relationships; images, fonts and embedded objects are left
 * packed (mammoth would otherwise unpack them all: a .docx of photos is mostly photos).
 */
const TEXT_PART = /\.(?:xml|rels)$/i;

/**
 * Unpacks the text parts within the budget and re-packs them uncompressed for mammoth, which only
 * accepts a whole archive and inflates every member it is given, with no limit of its own.
 */
function textPartsOnly(path: string, bytes: Uint8Array, limits: Parameters<typeof openPackage>[2]): { packed: Uint8Array; markers: WordMarkers } {
  const { parts } = openPackage(path, bytes, limits, (name) => TEXT_PART.test(name));
  const xml = (name: string) => {
    const part = parts.get(name);
    return part ? new TextDecoder('utf-8').decode(part) : undefined;
  };
  const markers = new WordMarkers(docxNumberedParagraphs(xml('word/document.xml') ?? '', xml('word/numbering.xml'), xml('word/styles.xml')));
  // A .docx written by a tool other than Word may lack the styles part while its paragraphs and tables
  // name styles ("TableGrid"): mammoth then fails on the first reference. An empty styles part is what
  // Word would read: every named style unknown, the text as it is.
  if (!parts.has('word/styles.xml') && parts.has('word/document.xml')) parts.set('word/styles.xml', new TextEncoder().encode(EMPTY_STYLES));
  return { packed: zipSync(Object.fromEntries(parts), { level: 0 }), markers };
}

const EMPTY_STYLES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>';

/** Reads a .docx into paragraph-per-line text with list markers restored as Word numbers them. */
export async function readDocx(path: string, bytes: Uint8Array, limits: Parameters<typeof openPackage>[2]): Promise<string> {
  if (!isZip(bytes)) throw invalidDocx(path, bytes);
  let packed: Uint8Array;
  let markers: WordMarkers;
  try {
    ({ packed, markers } = textPartsOnly(path, bytes, limits));
  } catch (err) {
    if (err instanceof ZipFormatError) {
      throw new ConfrecError(`not a valid .docx (damaged archive: ${err.message})`, { file: path, hint: 'open it in Word or LibreOffice and save it again as .docx', cause: err });
    }
    throw err;
  }
  let html: string;
  try {
    // mammoth's warnings (unknown styles, unsupported elements) are about formatting, never about text.
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength) },
      {
        ignoreEmptyParagraphs: true,
        externalFileAccess: false,
        // Images are dropped anyway (and were not unpacked); an empty src spares reading them.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (err) {
    throw invalidDocx(path, bytes, err);
  }
  const text = blocksToText(htmlToBlocks(html, markers));
  if (text.trim() === '') {
    throw new ConfrecError('no text', { file: path, hint: 'the document has no paragraphs with text (only images?)' });
  }
  return text;
}

export const docxReader: Reader = {
  id: 'docx:mammoth',
  fileType: 'docx',
  async read(path, bytes, { limits }) {
    return { text: await readDocx(path, bytes, limits) };
  },
};

import mammoth from 'mammoth';
import { ConfrecError } from '../../errors.js';
import { blocksToText } from './blocks.js';
import { htmlToBlocks } from './docx-html.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// Compound-file (OLE) header: old binary .doc, or an OOXML file encrypted with a password.
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function invalidDocx(path: string, bytes: Uint8Array, cause?: unknown): ConfrecError {
  const hint = startsWith(bytes, OLE_MAGIC)
    ? 'this is an old binary .doc or a password-protected document: remove the password or save it as .docx in Word'
    : 'open it in Word or LibreOffice and save it again as .docx';
  return new ConfrecError('not a valid .docx (not a Word document, or damaged)', { file: path, hint, cause });
}

/** Reads a .docx into paragraph-per-line text with list markers restored. */
export async function readDocx(path: string, bytes: Uint8Array): Promise<string> {
  if (!startsWith(bytes, ZIP_MAGIC)) throw invalidDocx(path, bytes);
  let html: string;
  try {
    // mammoth's warnings (unknown styles, unsupported elements) are about formatting, never about text.
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        ignoreEmptyParagraphs: true,
        externalFileAccess: false,
        // Images are dropped anyway; an empty src spares encoding them as base64.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (err) {
    throw invalidDocx(path, bytes, err);
  }
  const text = blocksToText(htmlToBlocks(html));
  if (text.trim() === '') {
    throw new ConfrecError('no text', { file: path, hint: 'the document has no paragraphs with text (only images?)' });
  }
  return text;
}

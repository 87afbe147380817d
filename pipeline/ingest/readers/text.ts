import { ConfrecError } from '../../errors.js';
import type { FileType } from '../../store/types.js';
import { bomEncoding, decodeText, type DecodedText } from '../encoding.js';
import { MB, overLimit } from '../limits.js';
import type { Reader } from './_base.js';
import { blankPageFurniture } from './text-pages.js';
import { loadWordCheck } from './dictionary.js';

/** Share of C0 control bytes (other than tab, CR, LF, FF, ESC) above which a file is not text. */
const MAX_CONTROL_SHARE = 0.02;
const SNIFF_BYTES = 8192;

/**
 * Binary data renamed to .txt is caught before decoding, because the legacy code pages map every byte
 * to some character and would happily "decode" an image.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  }
  return controls > sample.length * MAX_CONTROL_SHARE;
}

/** Reads a .txt or .md file: detects the encoding and returns the text unchanged otherwise (textReader blanks page furniture). */
export function readPlainText(path: string, bytes: Uint8Array): DecodedText {
  const bom = bomEncoding(bytes);
  // UTF-16 is full of NUL bytes by design, so the binary check only applies to byte encodings.
  if ((bom === null || bom === 'utf-8-bom') && looksBinary(bytes)) {
    throw new ConfrecError('binary file, not text', {
      file: path,
      hint: 'the file contains NUL or control bytes; check that it really is a text document',
    });
  }
  const decoded = decodeText(bytes);
  if (decoded.text.trim() === '') {
    throw new ConfrecError('no text', { file: path, hint: 'the file holds only whitespace' });
  }
  return decoded;
}

/** .txt and .md: the bytes are checked against the text budget before they are decoded. */
export function textReader(fileType: Extract<FileType, 'txt' | 'md'>): Reader {
  return {
    id: `${fileType}:text`,
    fileType,
    async read(path, bytes, { limits }) {
      if (bytes.byteLength > limits.maxTextMb * MB) {
        throw overLimit(path, `text of more than ${limits.maxTextMb} MB`, 'maxTextMb', limits);
      }
      const { text: raw, encoding, note } = readPlainText(path, bytes);
      // Text converted from a PDF keeps its page numbers and running titles between the lines of a
      // sentence, and words hyphenated at its line ends; the furniture is blanked and the words joined
      // (text-pages.ts), so an item broken by a page reads on and «профессио-» / «нальную» is one word.
      const { text, blanked, joined } = await blankPageFurniture(raw, loadWordCheck);
      const notes = note ? [note] : [];
      if (blanked > 0) notes.push(`${blanked} line(s) of page furniture (page numbers, running headers) left blank`);
      if (joined > 0) notes.push(`${joined} word(s) broken at a line end joined`);
      return { text, encoding, notes };
    },
  };
}

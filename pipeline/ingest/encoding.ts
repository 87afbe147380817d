import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Character-set detection for plain-text resolutions. Russian documents still arrive in the legacy
 * single-byte code pages, and nothing in the bytes says which one, so the candidates are decoded and
 * the one that reads most like Russian wins.
 */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'koi8-r' | 'ibm866';

export interface DecodedText {
  text: string;
  /** One encoding, or "utf-8+windows-1251" for a file whose lines are in two (decoded line by line). */
  encoding: TextEncodingName | `utf-8+${LegacyEncoding}`;
  /** Set when the file mixes encodings: what was found and done, for the user. */
  note?: string;
}

type LegacyEncoding = (typeof LEGACY_CANDIDATES)[number];

const LEGACY_CANDIDATES = ['windows-1251', 'koi8-r', 'ibm866'] as const;

/** Per-mille frequencies of Russian letters in running text (lower case; ё counted with е). */
const LETTER_FREQ: Record<string, number> = {
  о: 110, е: 85, а: 80, и: 74, н: 67, т: 63, с: 55, р: 47, в: 45, л: 44, к: 35, м: 32, д: 30, п: 28,
  у: 26, я: 20, ы: 19, ь: 17, г: 17, з: 16, б: 16, ч: 14, й: 12, х: 10, ж: 9, ш: 7, ю: 6, ц: 5, щ: 4,
  э: 3, ф: 3, ъ: 0.4, ё: 2,
};

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The BOM-marked encoding, if the bytes start with a byte-order mark. */
export function bomEncoding(bytes: Uint8Array): 'utf-8-bom' | 'utf-16le' | 'utf-16be' | null {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  if (hasPrefix(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (hasPrefix(bytes, [0xfe, 0xff])) return 'utf-16be';
  return null;
}

/**
 * The text of valid UTF-8 (a BOM kept as U+FEFF), else null. Validated by Node's isUtf8 (simdutf) and
 * decoded by Buffer: the same strings as a fatal TextDecoder, which in Node 20 goes through ICU and
 * took about twice as long on the 10k corpus.
 */
function decodeUtf8Strict(bytes: Uint8Array): string | null {
  if (!isUtf8(bytes)) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * How much a decoding looks like Russian. Wrong code pages turn lower-case letters into upper-case ones
 * (KOI8-R and cp1251 put the cases in opposite halves) and rare letters into common positions, and
 * cp1251 punctuation read as KOI8-R becomes box-drawing characters; all three are penalised.
 */
export function russianScore(text: string): number {
  let score = 0;
  let prevLower = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const freq = LETTER_FREQ[lower];
    if (freq !== undefined) {
      score += Math.log(freq + 0.5);
      const isLower = ch === lower;
      // "тХЗНКЧЖ": upper case right after lower case inside a word is what misdecoding produces.
      if (!isLower && prevLower) score -= 6;
      prevLower = isLower;
      continue;
    }
    prevLower = false;
    const code = ch.codePointAt(0)!;
    if ((code >= 0x2500 && code <= 0x25ff) || (code >= 0x80 && code <= 0x9f) || code === 0xfffd) score -= 8;
  }
  return score;
}

/** Decodes a legacy single-byte text by picking the Russian code page whose decoding scores best. */
export function decodeLegacyRussian(bytes: Uint8Array): DecodedText {
  let best: DecodedText | null = null;
  let bestScore = -Infinity;
  for (const encoding of LEGACY_CANDIDATES) {
    const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
    const score = russianScore(text);
    // Strictly greater: on a tie (e.g. no Cyrillic at all) the earlier, more common code page wins.
    if (score > bestScore) {
      best = { text, encoding };
      bestScore = score;
    }
  }
  return best!;
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

/** Lines of bytes, split after each LF (the LF stays with its line, so joining gives the bytes back). */
function byteLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/**
 * A file whose lines are partly UTF-8 and partly a legacy code page — two documents pasted together,
 * or a UTF-8 heading added to an old cp1251 file. Decoded as one code page, half of it is garbled
 * ("РџСЂРё…"), so each line is decoded in its own encoding: UTF-8 where the line is valid UTF-8 and
 * reads better so than in the code page, the code page that suits the other lines best elsewhere.
 * Returns null when the file is not mixed (no valid UTF-8 line with non-ASCII letters).
 */
export function decodeMixedLines(bytes: Uint8Array): DecodedText | null {
  const lines = byteLines(bytes);
  const kinds: ('ascii' | 'utf8' | 'legacy')[] = [];
  const utf8Text: (string | null)[] = [];
  for (const line of lines) {
    if (isAscii(line)) {
      kinds.push('ascii');
      utf8Text.push(null);
      continue;
    }
    const u = decodeUtf8Strict(line);
    // A cp1251 line can be valid UTF-8 by accident only in a short run; its UTF-8 reading then scores
    // far below its cp1251 reading, so the comparison settles it.
    const isUtf8 = u !== null && russianScore(u) >= russianScore(iconv.decode(Buffer.from(line), 'windows-1251'));
    kinds.push(isUtf8 ? 'utf8' : 'legacy');
    utf8Text.push(isUtf8 ? u : null);
  }
  const nUtf8 = kinds.filter((k) => k === 'utf8').length;
  const nLegacy = kinds.filter((k) => k === 'legacy').length;
  if (nUtf8 === 0 || nLegacy === 0) return null;
  const legacy = decodeLegacyRussian(Buffer.concat(lines.filter((_, i) => kinds[i] === 'legacy'))).encoding as LegacyEncoding;
  const text = lines
    .map((line, i) => (kinds[i] === 'utf8' ? utf8Text[i]! : iconv.decode(Buffer.from(line), kinds[i] === 'ascii' ? 'latin1' : legacy)))
    .join('');
  return {
    text,
    encoding: `utf-8+${legacy}`,
    note: `mixed encodings: ${nUtf8} line(s) in UTF-8 and ${nLegacy} in ${legacy}; each line was decoded in its own — check the text if a line mixes both`,
  };
}

/** Detects the encoding of a text file and decodes it; the returned text carries no BOM. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom === 'utf-8-bom') return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: bom };
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    return { text: new TextDecoder(bom).decode(bytes.subarray(2)), encoding: bom };
  }
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return decodeMixedLines(bytes) ?? decodeLegacyRussian(bytes);
}

/**
 * Old PDFs with cp1251 fonts and no Unicode mapping give "Ðåçîëþöèÿ" for "Резолюция": the code page's
 * bytes read as Latin-1. A text made of such letters and no Cyrillic is re-decoded as cp1251.
 */
export function repairCp1251Mojibake(text: string): string {
  if (/[\u0400-\u04ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const high = text.match(/[\u00c0-\u00ff]/g)?.length ?? 0;
  if (letters === 0 || high < letters / 2) return text;
  return iconv.decode(Buffer.from(text, 'latin1'), 'windows-1251');
}

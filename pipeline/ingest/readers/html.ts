import { Readability } from '@mozilla/readability';
import iconv from 'iconv-lite';
import { parseHTML } from 'linkedom';
import { ConfrecError } from '../../errors.js';
import { writtenByConfrec } from '../../store/outputs.js';
import { bomEncoding, decodeText } from '../encoding.js';
import { MB, overLimit } from '../limits.js';
import type { Reader } from './_base.js';
import { blocksToText, type Block } from './blocks.js';
import { domToBlocks, SKIP_TAGS } from './html-blocks.js';

/**
 * Saved web pages (.html, .htm, and .mht single-file archives, also Word "web pages" saved as .doc):
 * the page's charset is honoured (BOM, <meta charset>, http-equiv, XML declaration, else detected as
 * for .txt — many Russian sites still serve windows-1251), the main content is picked by Mozilla's
 * Readability (the engine of Firefox's reader view) over linkedom's DOM, so menus, headers, footers
 * and sidebars are left out, and the content becomes blocks (html-blocks.ts).
 */

export interface DecodedHtml {
  html: string;
  encoding: string;
  notes: string[];
}

/** Charset names pages use that iconv-lite spells differently. */
function canonicalCharset(name: string): string | null {
  const n = name.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const alias: Record<string, string> = { 'cp-1251': 'windows-1251', 'win-1251': 'windows-1251', 'x-cp1251': 'windows-1251', 'koi8r': 'koi8-r', utf8: 'utf-8' };
  const c = alias[n] ?? n;
  return iconv.encodingExists(c) ? c : null;
}

/** The charset the markup declares in its first 4 KB, if any. */
export function declaredCharset(head: string): string | null {
  const meta = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  if (meta) return canonicalCharset(meta[1]);
  const xml = /^\s*<\?xml[^>]+encoding\s*=\s*["']([\w-]+)["']/i.exec(head);
  return xml ? canonicalCharset(xml[1]) : null;
}

export function decodeHtml(bytes: Uint8Array): DecodedHtml {
  const bom = bomEncoding(bytes);
  if (bom) {
    const { text, encoding } = decodeText(bytes);
    return { html: text, encoding, notes: [] };
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const declared = declaredCharset(head);
  if (declared && declared !== 'utf-8') {
    return { html: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), declared), encoding: declared, notes: [] };
  }
  // Declared UTF-8, or nothing declared: detected like a text file. A page that says UTF-8 but is not
  // (a cp1251 page whose template was changed) is decoded by what it is, and the user is told.
  const detected = decodeText(bytes);
  const notes = detected.note ? [detected.note] : [];
  if (declared === 'utf-8' && detected.encoding !== 'utf-8') notes.push(`the page declares UTF-8 but is ${detected.encoding}; read as ${detected.encoding}`);
  return { html: detected.text, encoding: detected.encoding, notes };
}

function decodeQuotedPrintable(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

/**
 * The HTML part of an MHTML archive (.mht, and Word's "single file web page", often named .doc):
 * MIME headers, a boundary, parts in quoted-printable or base64. Null when it is not MHTML.
 */
export function mhtmlHtmlPart(bytes: Uint8Array): Uint8Array | null {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const headerEnd = raw.search(/\r?\n\r?\n/);
  if (headerEnd < 0) return null;
  const headers = raw.slice(0, headerEnd);
  if (!/^(?:MIME-Version|Content-Type|From|Subject|Date|Snapshot-Content-Location)\s*:/im.test(headers)) return null;
  const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1) : [raw];
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const ph = part.slice(0, split);
    if (!/Content-Type\s*:\s*text\/html/i.test(ph)) continue;
    const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
    const enc = /Content-Transfer-Encoding\s*:\s*([\w-]+)/i.exec(ph)?.[1]?.toLowerCase();
    let data: Buffer;
    if (enc === 'base64') data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    else if (enc === 'quoted-printable') data = decodeQuotedPrintable(body);
    else data = Buffer.from(body, 'latin1');
    const charset = /charset\s*=\s*"?([\w-]+)/i.exec(ph)?.[1];
    const cs = charset ? canonicalCharset(charset) : null;
    // The part's MIME charset wins over whatever the markup says: put it where decodeHtml looks first.
    if (cs && cs !== 'utf-8' && !/<meta[^>]+charset/i.test(data.toString('latin1', 0, 4096))) {
      return new Uint8Array(Buffer.concat([Buffer.from(`<meta charset="${cs}">`), data]));
    }
    return new Uint8Array(data);
  }
  return null;
}

/** Pages made by word processors are the document itself: the whole body is content. */
function isWordProcessorExport(doc: Document): boolean {
  const gen = doc.querySelector('meta[name="Generator"], meta[name="generator"], meta[name="ProgId"], meta[name="Originator"]')?.getAttribute('content') ?? '';
  return /Microsoft Word|LibreOffice|OpenOffice|Google Docs|Writer|Word\.Document/i.test(gen) || (doc.documentElement?.getAttribute('xmlns:w') ?? null) !== null;
}

const BOILERPLATE = 'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"]';

function letters(s: string): number {
  return s.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * Readability's article is used when it holds a fair share of the page's text; on pages that are only
 * the document (a plain page of paragraphs) it may keep one fragment, and then the body without the
 * usual boilerplate elements is the better answer. 0.4: on our saved-page fixtures the article holds
 * 85–93% of the letters of the de-boilerplated body (the rest is breadcrumbs, dates, share links); an
 * article under 40% of it has lost part of the document rather than the page's chrome.
 */
const MIN_ARTICLE_SHARE = 0.4;

export function pickContent(doc: Document): { root: Node; reader: string } {
  for (const el of Array.from(doc.querySelectorAll([...SKIP_TAGS].filter((t) => t !== 'head' && t !== 'title').join(',')))) el.remove();
  if (isWordProcessorExport(doc) || !doc.body) return { root: doc.body ?? doc.documentElement, reader: 'html:body' };
  const cleaned = doc.body.cloneNode(true) as Element;
  for (const el of Array.from(cleaned.querySelectorAll(BOILERPLATE))) el.remove();
  let article: Node | null = null;
  try {
    const result = new Readability(doc.cloneNode(true) as Document, { serializer: (n: Node) => n, charThreshold: 200 }).parse();
    article = (result?.content as Node | undefined) ?? null;
  } catch {
    article = null;
  }
  if (article && letters(article.textContent ?? '') >= MIN_ARTICLE_SHARE * letters(cleaned.textContent ?? '')) {
    return { root: article, reader: 'html:readability' };
  }
  return { root: cleaned, reader: 'html:body' };
}

/** Embedded images (data: URIs) can be most of a saved page's bytes and are never text. */
function dropDataUris(html: string): string {
  return html.replace(/(["'(])data:[^"')]{256,}/g, '$1');
}

export function htmlToBlocksMain(html: string): { blocks: Block[]; reader: string } {
  const { document } = parseHTML(html);
  const { root, reader } = pickContent(document as unknown as Document);
  return { blocks: domToBlocks(root), reader };
}

export const htmlReader: Reader = {
  id: 'html:readability',
  fileType: 'html',
  async read(path, bytes, { limits }) {
    const part = mhtmlHtmlPart(bytes);
    const decoded = decodeHtml(part ?? bytes);
    const html = dropDataUris(decoded.html);
    // A DOM holds many bytes per byte of markup; the markup is bounded like unpacked XML.
    if (html.length > limits.maxUnpackedMb * MB) {
      throw overLimit(path, `web page of more than ${limits.maxUnpackedMb} MB of markup`, 'maxUnpackedMb', limits);
    }
    if (!/<[a-z!]/i.test(html)) throw new ConfrecError('not a web page (no HTML markup)', { file: path, hint: 'rename it to .txt if it is plain text' });
    if (writtenByConfrec(html)) {
      throw new ConfrecError('a report written by confrec, not a resolution', { file: path, hint: 'it is skipped; write reports outside the folder of resolutions (--out DIR)' });
    }
    const { blocks, reader } = htmlToBlocksMain(html);
    const text = blocksToText(blocks);
    if (!/\p{L}/u.test(text)) throw new ConfrecError('no text', { file: path, hint: 'the page has no text content (only scripts or images?)' });
    return { text, encoding: decoded.encoding, reader: part ? reader.replace('html:', 'mhtml:') : reader, notes: decoded.notes };
  },
};

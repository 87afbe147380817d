import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { ConfrecError } from '../errors.js';

/** Debian's chromium: the only browser confrec drives (never a downloaded Playwright build). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No sandbox (containers run as root), and nothing that would reach the network on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function requireChromium(path = CHROMIUM_PATH): void {
  if (!existsSync(path)) {
    throw new ConfrecError(`headless Chromium not found at ${path}: install Debian's chromium: apt-get install chromium`, {
      hint: 'or build the HTML report alone, without --pdf',
    });
  }
}

/** playwright-core is loaded only when a browser is needed, so the HTML report works without it. */
export async function launchChromium(path = CHROMIUM_PATH): Promise<Browser> {
  requireChromium(path);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new ConfrecError('playwright-core is not installed', { hint: 'npm install playwright-core', cause: err });
  }
  try {
    return await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new ConfrecError(`cannot start ${path}: ${(err as Error).message.split('\n')[0]}`, {
      hint: "reinstall Debian's chromium: apt-get install --reinstall chromium",
      cause: err,
    });
  }
}

/** Pages of a PDF Chromium wrote: its page objects are plain (never in compressed object streams). */
export function countPdfPages(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

const FOOTER =
  '<div style="width:100%;font-size:8px;color:#5b6470;text-align:center;font-family:sans-serif">' +
  'стр. <span class="pageNumber"></span> из <span class="totalPages"></span></div>';

/**
 * Prints the report page to an A4 PDF with the page's own @page margins and breaks (one section
 * per page, charts and table rows kept whole), page numbers in the footer.
 */
export async function printPdf(htmlPath: string, pdfPath: string): Promise<{ pages: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const pdf = await page.pdf({
      path: pdfPath,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: FOOTER,
    });
    return { pages: countPdfPages(pdf) };
  } finally {
    await browser.close();
  }
}

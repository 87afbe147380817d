/**
 * The README's screenshots of the explorer: starts `confrec serve` on a database, opens pages in
 * Debian's Chromium, saves PNGs of a small viewport (1000 × 640).
 *
 *   npx tsx tools/explorer-screenshots.ts --db FILE --out docs/explorer page=/path [page=/path …]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../pipeline/report/pdf.js';
import { silentLogger } from '../pipeline/progress.js';
import { startServer } from '../pipeline/serve/server.js';

const { values, positionals } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' } }, allowPositionals: true });
if (!values.db || !values.out) throw new Error('usage: --db FILE --out DIR name=/path …');
mkdirSync(values.out, { recursive: true });
const server = await startServer({ dbPath: values.db, host: '127.0.0.1', port: 0, log: silentLogger, pollMs: 0 });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(values.width ?? 1000), height: Number(values.height ?? 640) } });
try {
  for (const spec of positionals) {
    const [name, path] = spec.split(/=(.*)/s);
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    if (path.startsWith('/map')) await page.waitForFunction(() => /На карте/.test(document.getElementById('map-count')?.textContent ?? ''));
    if (path.startsWith('/check')) {
      const [, file] = /#file=(.*)$/.exec(path) ?? [];
      if (file) {
        await page.setInputFiles('input[type=file]', file);
        await Promise.all([page.waitForNavigation(), page.click('.check-form button')]);
        await page.evaluate(() => document.getElementById('result')?.scrollIntoView());
      }
    }
    if (path.includes('#sel=')) {
      // A selection on the map: drag across the middle of the canvas.
      const box = (await page.locator('#map canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 4 });
      await page.mouse.up();
      await page.waitForFunction(() => /в выделенной области/.test(document.getElementById('sel')?.textContent ?? ''));
    }
    await page.waitForTimeout(300);
    const file = join(values.out, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  await server.close();
}

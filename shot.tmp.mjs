import { chromium } from 'playwright-core';
const [file, ...ids] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: 900, height: 1200 } });
await p.goto('file://' + file);
for (const id of ids) { const el = await p.$('#' + id); await el.screenshot({ path: `/tmp/shot-${id}.png` }); }
await b.close();

import { chromium } from 'playwright-core';
const [,, url, out, w, h] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
// DARK=1 emulates prefers-color-scheme: dark
const page = await browser.newPage({ viewport: { width: Number(w || 1280), height: Number(h || 800) }, deviceScaleFactor: 1, colorScheme: process.env.DARK === '1' ? 'dark' : 'light' });
const logs = [];
page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
await page.goto(url);
await page.waitForFunction(() => window.lde && window.lde.ready && window.lde.progress && window.lde.progress.done, null, { timeout: 60000 }).catch((e) => logs.push('timeout ' + e.message));
await page.waitForTimeout(500);
// SEL=<css selector> shoots that element only (e.g. one figure)
if (process.env.SEL) await page.locator(process.env.SEL).first().screenshot({ path: out });
else await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
console.log(logs.join('\n'));
await browser.close();

// Look at every view: one PNG per figure of every lab, at 1280×800 (DPR 1) and 390×844 (DPR 3),
// light and dark, plus each lab's first screen. Usage: node scripts/audit_shots.mjs BASE OUTDIR
import { chromium } from 'playwright-core';
const [,, base = 'http://127.0.0.1:8000/', out = '/tmp/audit'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const sizes = [['desk', 1280, 800, 1], ['phone', 390, 844, 3]];
for (const lab of ['hebbian', 'curl', 'fixed_points', 'rnn']) {
  for (const theme of ['light', 'dark']) {
    for (const [name, w, h, dpr] of sizes) {
      const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: dpr, colorScheme: theme });
      const logs = [];
      page.on('pageerror', (e) => logs.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') logs.push(m.text()); });
      await page.goto(`${base}?lab=${lab}`);
      await page.waitForFunction(() => window.lde?.ready && window.lde?.progress?.done, null, { timeout: 180000 }).catch((e) => logs.push('timeout ' + e.message));
      await page.waitForTimeout(800);
      const tag = `${lab}-${theme}-${name}`;
      await page.screenshot({ path: `${out}/${tag}-first.png` });
      const figs = page.locator(`section.lab[data-lab="${lab}"] figure.plot`);
      const n = await figs.count();
      for (let i = 0; i < n; i++) {
        const f = figs.nth(i);
        const id = await f.getAttribute('data-view');
        await f.scrollIntoViewIfNeeded();
        await f.screenshot({ path: `${out}/${tag}-${String(i).padStart(2, '0')}-${id}.png` });
      }
      console.log(tag, n, 'figures', logs.join(' | '));
      await page.close();
    }
  }
}
await browser.close();

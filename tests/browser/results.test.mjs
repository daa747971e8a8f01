// Sweep results back in the page: the JSON Lines of `lde sweep run`, opened from the file
// picker and from the link key results=URL, are listed and drawn; a bad file gets a message
// and leaves the shown results alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';

let server, browser, base, tmp, served;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

function lde(...args) {
  return execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'lde', '--', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lde-results-'));
  const cells = path.join(tmp, 'cells.txt');
  writeFileSync(cells, lde('sweep', 'plan', 'curl', 'm=4:12:3', 'n=10', 'horizon=20', 'p=40', 'seeds=2'));
  const out = path.join(tmp, 'results.jsonl');
  lde('sweep', 'run', cells, '--threads', '2', '--out', out);
  served = path.resolve('www', `test-results-${process.pid}.jsonl`);
  writeFileSync(served, lde('sweep', 'merge', out));
  writeFileSync(path.join(tmp, 'bad.jsonl'), 'this is not a results file\n');
  server = await start(path.resolve('www'), 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', args: ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
  if (served) rmSync(served, { force: true });
});

/** Share of canvas pixels that are not white: the chart was drawn. */
const inked = (page) => page.evaluate(() => {
  const c = document.querySelector('#results-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
  return n / (d.length / 4);
});

test('results=URL and the file picker open a sweep; a bad file is named, not fatal', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}?lab=curl&workers=1&results=${path.basename(served)}`);
  await page.waitForFunction(() => /6 cells of the curl lab/.test(document.querySelector('#results-status').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('#results-status'), /varied: m, seed/);
  assert.equal(await page.inputValue('#results-x'), 'm');
  const ys = await page.$$eval('#results-y option', (o) => o.map((x) => x.value));
  assert.ok(ys.length > 3, `report numbers to choose from: ${ys}`);
  assert.ok((await inked(page)) > 0.02, 'the chart is drawn');
  assert.match(await page.getAttribute('#results-canvas', 'aria-label'), /against m, 6 cells/);

  await page.setInputFiles('#results-file', path.join(tmp, 'bad.jsonl'));
  await page.waitForFunction(() => /bad\.jsonl: no cell records/.test(document.querySelector('#results-status').textContent));
  assert.match(await page.getAttribute('#results-canvas', 'aria-label'), /6 cells/, 'the shown results stay');

  await page.setInputFiles('#results-file', served);
  await page.waitForFunction(() => /6 cells/.test(document.querySelector('#results-status').textContent));
  await page.selectOption('#results-y', ys[ys.length - 1]);
  assert.match(await page.textContent('#results-caption'), new RegExp(`${ys[ys.length - 1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} against m`));
  assert.deepEqual(errors, []);
  await page.close();
});

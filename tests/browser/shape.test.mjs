// The page behaviour of the lab shape: no plot is stale once the work is done, a click that
// sets parameters updates the controls and the link, and only the stages that read a changed
// parameter are recomputed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';

let server, browser, base;

before(async () => {
  server = await start(path.resolve('www'), 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROME || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(query, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + query);
  await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
  return { page, context, errors };
}

const idle = (page, timeout = 180000) => page.waitForFunction(() => window.lde.idle, null, { timeout });
const canvases = (page) => page.$$eval('section.lab:not([hidden]) canvas', (cs) => Object.fromEntries(cs.map((c) => [c.dataset.view, c.toDataURL()])));
const query = (page) => new URL(page.url()).search;

/** Every canvas of `page` equals that of a fresh page opened at its link. */
async function sameAsFresh(page, what) {
  await idle(page);
  // the link is written a moment after the last change
  await page.waitForTimeout(300);
  const link = query(page);
  const have = await canvases(page);
  const fresh = await open(link);
  await idle(fresh.page);
  const want = await canvases(fresh.page);
  assert.deepEqual(Object.keys(have), Object.keys(want));
  for (const v of Object.keys(want)) assert.ok(have[v] === want[v], `${what}: view ${v} is stale (differs from a fresh page at ${link})`);
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
}

test('after a preset and a slider move, every canvas equals a fresh page at that link', async () => {
  const { page, context, errors } = await open('?lab=curl&seed=2');
  await idle(page);
  // the curl lab's preset B: the loss curve used to stop near t = 75 while the readout said 300
  await page.click('button[data-preset="B"]');
  await sameAsFresh(page, 'curl preset B');
  // a slider moved while the ensemble is still computing
  await page.focus('#p-curl-nh');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /[?&]nh=8(&|$)/.test(location.search), null, { timeout: 5000 });
  await sameAsFresh(page, 'curl nh moved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Hebbian slider moved mid-work gives the fresh page too', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=40');
  await page.waitForTimeout(400); // the basins are part-way
  await page.focus('#p-hebbian-h');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /[?&]h=-1\.995(&|$)/.test(location.search), null, { timeout: 5000 });
  await sameAsFresh(page, 'hebbian h moved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a click that sets parameters updates the controls and the link, and keeps other work', async () => {
  const { page, context, errors } = await open('?lab=fixed_points&seed=1');
  await idle(page);
  const trainDone = () => page.evaluate(() => window.lde.progress.stages.find((s) => s.id === 'train').done);
  assert.equal(await trainDone(), 3);
  const canvas = page.locator('canvas[data-view="slice"]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
  await page.waitForFunction(() => !/[?&]w1=0\.8(&|$)/.test(location.search), null, { timeout: 5000 });
  const q = new URLSearchParams(query(page));
  // the controls show the clicked start
  assert.equal(await page.$eval('[data-key-num="w1"]', (e) => e.value), q.get('w1'));
  assert.equal(await page.$eval('[data-key-num="w2"]', (e) => e.value), q.get('w2'));
  // the N-D training did not depend on the 2-D start: it was kept, not run again
  assert.equal(await trainDone(), 3);
  // the 1-D view's click moves w0
  const one = page.locator('canvas[data-view="oned"]');
  await one.scrollIntoViewIfNeeded();
  const b1 = await one.boundingBox();
  await one.click({ position: { x: b1.width * 0.3, y: b1.height * 0.5 } });
  await page.waitForFunction(() => !/[?&]w0=0\.9(&|$)/.test(location.search), null, { timeout: 5000 });
  assert.equal(await page.$eval('[data-key-num="w0"]', (e) => e.value), new URLSearchParams(query(page)).get('w0'));
  await sameAsFresh(page, 'fixed points after two clicks');
  assert.deepEqual(errors, []);
  await context.close();
});

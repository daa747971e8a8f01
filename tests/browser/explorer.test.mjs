// End-to-end tests of the served page in Chromium (playwright-core), for every lab.
// Run with `make test-e2e` (after `make wasm`). Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve('www');
let server, browser, base;
const shots = path.resolve('target/screenshots');

before(async () => {
  server = await start(root, 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROME || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  await mkdir(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Opens a page, collecting console errors; waits until the lab has finished its work. */
async function open(query, { width = 1280, height = 800, waitDone = true, dpr = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, deviceScaleFactor: dpr });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + query);
  await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
  if (waitDone) await page.waitForFunction(() => window.lde.progress && window.lde.progress.done && !window.lde.progress.animating, null, { timeout: 120000 });
  return { page, context, errors };
}

const readout = (page, label) => page.evaluate((label) => {
  for (const d of document.querySelectorAll('section.lab:not([hidden]) .readouts div')) {
    if (d.querySelector('dt').textContent === label) return d.querySelector('dd').textContent;
  }
  return null;
}, label);

const canvasData = (page, view) => page.evaluate((v) => document.querySelector(`section.lab:not([hidden]) canvas[data-view="${v}"]`).toDataURL(), view);

test('a link opens the Hebbian lab with its values and numbers', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=40&seed=5');
  assert.equal(await page.inputValue('#p-hebbian-h'), '-2');
  assert.equal(await page.$eval('[data-key-num="h"]', (e) => e.value), '-2');
  assert.equal(await readout(page, 'h_c'), '−1.237');
  assert.equal(await readout(page, 'stable states, 2-neuron motif'), '2');
  assert.equal(await readout(page, 'w at a stable state'), '−0.6449');
  assert.match(page.url(), /seed=5/);
  assert.equal(await page.$eval('[role="tab"][aria-selected="true"]', (e) => e.dataset.lab), 'hebbian');
  assert.deepEqual(errors, []);
  await context.close();
});

test('moving a control by keyboard changes the URL, the readouts and the canvas', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=30');
  const before = await canvasData(page, 'pitchfork');
  await page.focus('#p-hebbian-h');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight'); // +0.2
  await page.waitForFunction(() => /[?&]h=-1\.8(&|$)/.test(location.search), null, { timeout: 5000 });
  await page.waitForFunction(() => window.lde.progress.done, null, { timeout: 60000 });
  await page.waitForTimeout(300);
  assert.notEqual(await canvasData(page, 'pitchfork'), before);
  assert.equal(await readout(page, 'C = −h'), '1.8');
  // a choice control
  await page.selectOption('select[data-key="net"]', 'choke');
  await page.waitForFunction(() => /[?&]net=choke(&|$)/.test(location.search));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a hostile link opens with defaults for just those values and a notice', async () => {
  const { page, context, errors } = await open('?lab=hebbian&h=abc&zzz=%3Cscript%3E&gamma_x=99&net=pair&eps=2', { waitDone: false });
  const notice = await page.textContent('#link-notice');
  assert.ok(await page.isVisible('#link-notice'));
  for (const k of ['h:', 'zzz', 'gamma_x:']) assert.ok(notice.includes(k), `${k} in ${notice}`);
  assert.equal(await page.inputValue('#p-hebbian-h'), '-4');
  assert.equal(await page.inputValue('select[data-key="net"]'), 'pair');
  assert.equal(await page.$eval('[data-key-num="eps"]', (e) => e.value), '2');
  assert.equal(await page.$$eval('script', (s) => s.filter((x) => x.textContent.includes('<script>')).length), 0);
  assert.equal(await page.isVisible('#error'), false);
  assert.deepEqual(errors, []);
  await context.close();
  const wrong = await open('?lab=nonsense', { waitDone: false });
  assert.match(await wrong.page.textContent('#link-notice'), /no lab named 'nonsense'/);
  await wrong.context.close();
});

test('a preset in a link opens its numbers, as `lde` reads the same link', async () => {
  // `lde link` writes the preset out as parameters; the page must land on that very link
  execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'lde'], { stdio: 'inherit' });
  const want = execFileSync(path.resolve('target/release/lde'), ['link', 'curl', 'seed=3', 'preset=D'], { encoding: 'utf8' }).trim();
  const { page, context, errors } = await open('?lab=curl&preset=D&seed=3', { waitDone: false });
  assert.equal(await page.isVisible('#link-notice'), false);
  assert.equal(await page.evaluate(() => window.lde.app.link()), want);
  assert.equal(await page.$eval('[data-key-num="horizon"]', (e) => e.value), '1500');
  await page.selectOption('select[data-key="act"]', 'relu');
  await page.waitForFunction(() => /[?&]act=relu(&|$)/.test(location.search));
  assert.ok(!new URL(page.url()).searchParams.has('preset'), 'the written link spells the preset out');
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed mode hides the chrome and keeps plots and controls', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20&embed=1', { width: 800, height: 900 });
  assert.equal(await page.isVisible('header'), false);
  assert.equal(await page.isVisible('.prose'), false);
  assert.ok(await page.isVisible('canvas[data-view="landscape"]'));
  assert.ok(await page.isVisible('#p-hebbian-h'));
  await page.click('button:has-text("Embed")');
  const snippet = await page.inputValue('#share-text');
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?lab=hebbian&.*embed=1"/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('PNG, SVG, CSV and parameter downloads happen', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20&seed=3');
  const fig = 'figure[data-view="pitchfork"]';
  for (const [label, ext, check] of [
    ['PNG 2×', '-2x.png', (b) => b.subarray(1, 4).toString() === 'PNG'],
    ['SVG', '.svg', (b) => b.toString().startsWith('<svg') && b.toString().includes('Pitchfork')],
    ['CSV', '.csv', (b) => b.toString().startsWith('branch,h,x1,x2,stable\n')],
  ]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`${fig} button:has-text("${label}")`)]);
    assert.equal(dl.suggestedFilename(), `lde-hebbian-pitchfork-seed3${ext}`);
    const body = await readFile(await dl.path());
    assert.ok(check(body), `${label} content`);
  }
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Parameters JSON")')]);
  const params = JSON.parse(await readFile(await dl.path(), 'utf8'));
  assert.equal(params.h, -2);
  assert.equal(params.seed, 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test('reset keeps the seed, reseed draws a new one, presets apply', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20&seed=42');
  await page.click('button:has-text("Reset")');
  await page.waitForFunction(() => /[?&]h=-4(&|$)/.test(location.search));
  assert.match(page.url(), /seed=42/);
  await page.click('button:has-text("Reseed")');
  await page.waitForFunction(() => !/seed=42(&|$)/.test(location.search));
  await page.click('button[data-preset="bistable"]');
  await page.waitForFunction(() => /[?&]h=-2(&|$)/.test(location.search) && /net=pair/.test(location.search));
  assert.match(await page.textContent('.preset-note'), /Stable \(−2\.316, −0\.579\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('clicking the landscape launches an animated trajectory', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20');
  const before = await canvasData(page, 'landscape');
  const canvas = page.locator('canvas[data-view="landscape"]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.35 } });
  await page.waitForFunction(() => window.lde.progress && window.lde.progress.animating, null, { timeout: 5000 });
  // the launched start is in the link (a shared link reopens the trajectory)
  await page.waitForFunction(() => /[?&]launch=-?[0-9.]+,-?[0-9.]+(&|$)/.test(location.search), null, { timeout: 5000 });
  await page.waitForFunction(() => window.lde.idle, null, { timeout: 30000 });
  assert.notEqual(await canvasData(page, 'landscape'), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a failure inside the core shows the error box, not a blank page', async () => {
  const { page, context } = await open('?lab=hebbian&net=pair&grid=20');
  await page.evaluate(() => {
    const s = window.lde;
    const canvas = document.createElement('canvas');
    try { s.app.draw('no-such-view', canvas, 1); } catch (e) { window.dispatchEvent(new ErrorEvent('error', { message: `RuntimeError: ${e}` })); }
  });
  assert.ok(await page.isVisible('#error'));
  assert.match(await page.textContent('#error'), /reload the page/);
  await context.close();
});

test('screenshots at desktop and phone widths, with no horizontal overflow', async () => {
  for (const [w, h, name] of [[1280, 800, 'desktop'], [390, 844, 'phone']]) {
    const { page, context, errors } = await open('?lab=hebbian&net=choke&h=-4&grid=40', { width: w, height: h });
    await page.screenshot({ path: path.join(shots, `hebbian-${name}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: page is ${overflow}px wider than the viewport`);
    // canvases are sized for the device pixel ratio and not empty
    const sizes = await page.$$eval('section.lab:not([hidden]) canvas', (cs) => cs.map((c) => [c.width, c.clientWidth]));
    for (const [pw, cw] of sizes) assert.ok(pw >= cw && cw > 100, `${name}: canvas ${pw} px for ${cw} css px`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('every lab tab opens, draws and keeps its state in the link', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&grid=20', { waitDone: false });
  const labs = await page.$$eval('[role="tab"]', (ts) => ts.map((t) => t.dataset.lab));
  for (const id of labs) {
    await page.click(`[role="tab"][data-lab="${id}"]`);
    await page.waitForFunction((id) => new URLSearchParams(location.search).get('lab') === id, id);
    assert.ok(await page.isVisible(`section.lab[data-lab="${id}"]`));
    await page.waitForTimeout(1500);
    const drawn = await page.$$eval(`section.lab[data-lab="${id}"] canvas`, (cs) => cs.filter((c) => c.width > 0).length);
    assert.ok(drawn > 0, `${id}: no canvas drawn`);
    const link = new URL(page.url()).search;
    const reopened = await open(link, { waitDone: false });
    assert.equal(await reopened.page.$eval('[role="tab"][aria-selected="true"]', (e) => e.dataset.lab), id);
    assert.equal(new URL(reopened.page.url()).search, link, `${id}: the link round-trips through the page`);
    await reopened.context.close();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('plots are drawn at the device pixel ratio (crisp on high-DPI screens)', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20', { dpr: 2 });
  const sizes = await page.$$eval('section.lab:not([hidden]) canvas', (cs) => cs.map((c) => [c.width, c.clientWidth, c.height, c.clientHeight]));
  for (const [w, cw, h, ch] of sizes) {
    assert.ok(Math.abs(w - 2 * cw) <= 1 && Math.abs(h - 2 * ch) <= 1, `canvas ${w}×${h} for ${cw}×${ch} css px at dpr 2`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

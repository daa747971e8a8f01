// The same end-to-end checks for every lab in the catalogue: link round-trip, a control changes the
// URL and the canvases, presets apply, CSV/SVG export, embed mode, no console errors, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';

let server, browser, base, catalogue;
const shots = path.resolve('target/screenshots');

before(async () => {
  server = await start(path.resolve('www'), 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROME || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  await mkdir(shots, { recursive: true });
  const { page, context } = await open('?lab=hebbian&grid=20');
  catalogue = await page.evaluate(() => window.lde.cat);
  await context.close();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(query, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + query);
  await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
  return { page, context, errors };
}

const canvases = (page) => page.$$eval('section.lab:not([hidden]) canvas', (cs) => cs.map((c) => c.toDataURL()));
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

test('every lab: link, controls, presets, exports, embed, screenshots', async () => {
  assert.ok(catalogue.length >= 2);
  for (const info of catalogue) {
    const { page, context, errors } = await open(`?lab=${info.id}&seed=11`);
    // the link carries every parameter and the seed
    // the page rewrites the opening link into the full state (debounced): wait for every key
    const keys = info.specs.map((s) => s.key);
    await page.waitForFunction(([id, keys]) => {
      const q = new URLSearchParams(location.search);
      return q.get('lab') === id && keys.every((k) => q.has(k));
    }, [info.id, keys], { timeout: 10000 }).catch(() => {});
    const p = params(page);
    for (const spec of info.specs) assert.ok(spec.key in p, `${info.id}: ${spec.key} missing from the link`);
    assert.equal(p.seed, '11');
    assert.equal(await page.$$eval('section.lab:not([hidden]) .controls .control', (c) => c.length), info.specs.length);
    // every control has an accessible name and description
    const unnamed = await page.$$eval('section.lab:not([hidden]) .controls input[data-key], section.lab:not([hidden]) .controls select[data-key]', (els) =>
      els.filter((e) => !(e.labels && e.labels.length) || !e.getAttribute('aria-describedby')).map((e) => e.dataset.key));
    assert.deepEqual(unnamed, [], `${info.id}: controls without label or description`);

    // a keyboard move of the first numeric control changes the URL and, after a while, a canvas
    await page.waitForTimeout(1500);
    const before = await canvases(page);
    const spec = info.specs.find((s) => s.kind.type === 'real' || s.kind.type === 'int');
    const old = params(page)[spec.key];
    await page.focus(`#p-${info.id}-${spec.key}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press(Number(old) >= spec.kind.max ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForFunction(([k, v]) => new URLSearchParams(location.search).get(k) !== v, [spec.key, old], { timeout: 5000 });
    await page.waitForTimeout(1500);
    const after = await canvases(page);
    assert.ok(after.some((d, i) => d !== before[i]), `${info.id}: no canvas changed after ${spec.key} moved`);

    // presets apply their parameters
    for (const preset of info.presets) {
      await page.click(`button[data-preset="${preset.id}"]`);
      const want = new URLSearchParams(preset.link);
      await page.waitForFunction((w) => {
        const q = new URLSearchParams(location.search);
        return Object.entries(w).every(([k, v]) => q.get(k) === v || Number(q.get(k)) === Number(v));
      }, Object.fromEntries(want), { timeout: 5000 });
    }

    // exports of the first view
    const view = info.views[0].id;
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click(`figure[data-view="${view}"] button:has-text("CSV")`)]);
    const text = await readFile(await csv.path(), 'utf8');
    assert.ok(text.split('\n')[0].includes(','), `${info.id}: CSV header`);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.click(`figure[data-view="${view}"] button:has-text("SVG")`)]);
    assert.ok((await readFile(await svg.path(), 'utf8')).startsWith('<svg'));
    // a heatmap's SVG holds it as one embedded PNG, not a rectangle per cell
    const heat = info.views.find((v) => ['landscape', 'phase', 'slice'].includes(v.id));
    if (heat) {
      const [hs] = await Promise.all([page.waitForEvent('download'), page.click(`figure[data-view="${heat.id}"] button:has-text("SVG")`)]);
      const doc = await readFile(await hs.path(), 'utf8');
      assert.equal(doc.split('<image ').length - 1, 1, `${info.id} ${heat.id}: one image`);
      assert.ok(doc.includes('href="data:image/png;base64,'), `${info.id} ${heat.id}: a PNG`);
      assert.ok(doc.split('<rect').length < 300 && doc.length < 600000, `${info.id} ${heat.id}: ${doc.length} bytes`);
    }

    // reopening the current link gives the same state
    const link = new URL(page.url()).search;
    const again = await open(link);
    assert.equal(new URL(again.page.url()).search, link, `${info.id}: link round-trip`);
    await again.context.close();
    assert.deepEqual(errors, [], `${info.id}: console errors`);
    await context.close();

    // embed mode
    const embed = await open(`?lab=${info.id}&embed=1`, { width: 800, height: 900 });
    assert.equal(await embed.page.isVisible('header'), false);
    assert.ok(await embed.page.isVisible(`section.lab[data-lab="${info.id}"] canvas`));
    await embed.context.close();

    // screenshots at desktop and phone widths
    for (const [w, h, name] of [[1280, 800, 'desktop'], [390, 844, 'phone']]) {
      const s = await open(`?lab=${info.id}`, { width: w, height: h });
      await s.page.waitForTimeout(2500);
      await s.page.screenshot({ path: path.join(shots, `${info.id}-${name}.png`), fullPage: true });
      const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${info.id} ${name}: ${overflow}px horizontal overflow`);
      assert.deepEqual(s.errors, [], `${info.id} ${name}: console errors`);
      await s.context.close();
    }
  }
});

test('every clickable view reacts to a click and to its keyboard Launch button', async () => {
  for (const info of catalogue) {
    const clickable = info.views.filter((v) => v.clickable);
    if (!clickable.length) continue;
    const { page, context, errors } = await open(`?lab=${info.id}`);
    await page.waitForTimeout(2000);
    for (const v of clickable) {
      const canvas = page.locator(`section.lab:not([hidden]) canvas[data-view="${v.id}"]`);
      await canvas.scrollIntoViewIfNeeded();
      const before = await canvas.evaluate((c) => c.toDataURL());
      const box = await canvas.boundingBox();
      const at = { x: box.width * 0.55, y: box.height * 0.45 };
      const under = await page.evaluate(([id, x, y]) => JSON.parse(window.lde.app.data_at(id, x * devicePixelRatio, y * devicePixelRatio)), [v.id, at.x, at.y]);
      await canvas.click({ position: at });
      await page.waitForFunction(([sel, b]) => document.querySelector(sel).toDataURL() !== b,
        [`section.lab:not([hidden]) canvas[data-view="${v.id}"]`, before], { timeout: 10000 });
      // the keyboard route: focus the Launch button and press Enter
      const afterClick = await canvas.evaluate((c) => c.toDataURL());
      const fig = page.locator(`section.lab:not([hidden]) figure[data-view="${v.id}"]`);
      const inputs = fig.locator('.launch input');
      // the inputs show the point the click set (to the click's rounding of 0.01)
      assert.ok(Math.abs(Number(await inputs.nth(0).inputValue()) - under[0]) <= 0.006, `${info.id}/${v.id}: launch x ${await inputs.nth(0).inputValue()} after a click at ${under[0]}`);
      if (v.launch.labels[1]) assert.ok(Math.abs(Number(await inputs.nth(1).inputValue()) - under[1]) <= 0.006, `${info.id}/${v.id}: launch y ${await inputs.nth(1).inputValue()} after a click at ${under[1]}`);
      await inputs.nth(0).fill('0.3');
      if (v.launch.labels[1]) await inputs.nth(1).fill('0.4');
      await fig.locator('.launch button').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(([sel, b]) => document.querySelector(sel).toDataURL() !== b,
        [`section.lab:not([hidden]) canvas[data-view="${v.id}"]`, afterClick], { timeout: 10000 });
    }
    assert.deepEqual(errors, [], `${info.id}: console errors`);
    await context.close();
  }
});

test("the launch inputs start at the link's own point, not at a fixed default", async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-4&grid=20&launch=0.5,-1.25');
  const value = (view, i) => page.locator(`section.lab:not([hidden]) figure[data-view="${view}"] .launch input`).nth(i).inputValue();
  assert.equal(Number(await value('pitchfork', 0)), -4, 'Move to h reads the link\'s h');
  assert.equal(Number(await value('landscape', 0)), 0.5);
  assert.equal(Number(await value('landscape', 1)), -1.25);
  assert.deepEqual(errors, []);
  await context.close();
});

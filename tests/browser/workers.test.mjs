// The worker pool in Chromium: it starts, gives the same numbers for every pool size as the page
// alone and as the native `lde`, cancels stale work, pauses and cancels on request, and runs in a
// cross-origin iframe under the strict CSP; without workers the page computes alone and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';

let server, browser, base;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

before(async () => {
  server = await start(path.resolve('www'), 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', args: ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A page that records console errors and CSP violations (in every frame). */
async function open(url, { width = 1280, height = 800, init } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url.startsWith('http') || url.startsWith('file:') ? url : base + url);
  return { page, context, errors };
}

const ready = (frame) => frame.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
const idle = (frame, timeout = 180000) => frame.waitForFunction(() => window.lde.idle, null, { timeout });

/** Everything numeric the page shows: readouts and every view's CSV. */
const face = (frame) => frame.evaluate(() => {
  const s = window.lde;
  const out = { readouts: JSON.parse(s.app.readouts()).map((r) => `${r.label}=${r.value}`) };
  for (const v of s.info.views) out[v.id] = s.app.csv(v.id);
  return out;
});

const SMALL = {
  hebbian: 'net=pair&h=-2&grid=30',
  curl: 'm=10&n=10&horizon=30&p=60',
  rnn: 'n=16&t=20&iters=20&siters=5&k=4',
  fixed_points: 'n=10&m=5&iters=100&grid=31',
};

/** The native CSV of a view, from `lde` (the same core, built for this machine). */
function nativeCsv(lab, view, link) {
  const args = ['run', '--quiet', '--release', '--bin', 'lde', '--', 'csv', lab, view, ...link.split('&'), '--threads', '2'];
  return execFileSync('cargo', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

test('every lab: workers=1, 2 and 4 give the bits of the page alone and of lde', async () => {
  for (const [lab, link] of Object.entries(SMALL)) {
    let want = null;
    for (const w of [0, 1, 2, 4]) {
      const { page, context, errors } = await open(`?lab=${lab}&${link}&seed=3&workers=${w}`);
      await ready(page);
      await idle(page);
      if (w > 0) {
        assert.equal(page.workers().length, w, `${lab}: the pool has ${w} workers`);
        assert.equal(await page.evaluate(() => window.lde.pool && window.lde.pool.size), w);
      } else {
        assert.equal(await page.evaluate(() => window.lde.pool), null, `${lab}: workers=0 computes in the page`);
      }
      assert.match(page.url(), new RegExp(`workers=${w}`), 'the pool size stays in the link');
      const got = await face(page);
      if (want === null) {
        want = got;
        // and the native binary gives the same CSVs (its numbers print with the same codec)
        for (const view of Object.keys(got).filter((k) => k !== 'readouts')) {
          const native = nativeCsv(lab, view, `${link}&seed=3`);
          assert.ok(native === got[view], `${lab}/${view}: lde csv differs from the page`);
        }
      } else {
        for (const k of Object.keys(want)) assert.deepEqual(got[k], want[k], `${lab} workers=${w}: ${k} differs from workers=0`);
      }
      assert.deepEqual(errors, [], `${lab} workers=${w}: console errors`);
      await context.close();
    }
  }
});

test('a control moved mid-sweep cancels the stale work; the result equals a fresh page', async () => {
  const { page, context, errors } = await open('?lab=rnn&n=16&t=30&iters=40&siters=30&workers=2&seed=2');
  await ready(page);
  await page.waitForFunction(() => window.lde.pool && window.lde.pool.busy(), null, { timeout: 20000 });
  await page.waitForTimeout(500);
  // the learning rate is read by the main run and by the sweep: both are stale now
  await page.fill('[data-key-num="lr"]', '0.005');
  await page.press('[data-key-num="lr"]', 'Enter');
  await page.waitForFunction(() => /[?&]lr=0\.005(&|$)/.test(location.search), null, { timeout: 5000 });
  await page.waitForTimeout(100);
  // nothing in flight belongs to the old links
  const stale = await page.evaluate(() => {
    const current = new Set(JSON.parse(window.lde.app.pending()).map((p) => `${p.id}|${p.link}`));
    return [...window.lde.pool.inflight.values()].filter((b) => !current.has(`${b.stage}|${b.link}`)).length;
  });
  assert.equal(stale, 0, 'stale batches still in flight after the change');
  await idle(page);
  await page.waitForTimeout(300);
  const link = new URL(page.url()).search;
  const have = await page.$$eval('section.lab:not([hidden]) canvas', (cs) => cs.map((c) => c.toDataURL()));
  const fresh = await open(link);
  await ready(fresh.page);
  await idle(fresh.page);
  const want = await fresh.page.$$eval('section.lab:not([hidden]) canvas', (cs) => cs.map((c) => c.toDataURL()));
  assert.equal(have.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(have[i] === want[i], `canvas ${i} differs from a fresh page at ${link}`);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});

test('Pause, Resume and Cancel work by mouse and by keyboard', async () => {
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=120&workers=2');
  await ready(page);
  const done = () => page.evaluate(() => window.lde.progress?.stages?.find((s) => s.id === 'basins')?.done ?? 0);
  const label = () => page.textContent('section.lab:not([hidden]) .progress-label');
  await page.waitForFunction(() => (window.lde.progress?.stages?.find((s) => s.id === 'basins')?.done ?? 0) > 2, null, { timeout: 20000 });
  // pause by mouse: the count stops (a batch already running may still land)
  await page.click('section.lab:not([hidden]) .status .pause');
  assert.match(await label(), /^paused/);
  assert.equal(await page.getAttribute('section.lab:not([hidden]) .status .pause', 'aria-pressed'), 'true');
  await page.waitForTimeout(400);
  const a = await done();
  await page.waitForTimeout(800);
  assert.equal(await done(), a, 'work went on while paused');
  // resume by keyboard
  await page.focus('section.lab:not([hidden]) .status .pause');
  await page.keyboard.press('Enter');
  await page.waitForFunction((a) => (window.lde.progress?.stages?.find((s) => s.id === 'basins')?.done ?? 0) > a, a, { timeout: 20000 });
  // cancel by keyboard: nothing more is computed
  await page.focus('section.lab:not([hidden]) .status .cancel');
  await page.keyboard.press('Enter');
  assert.match(await label(), /^cancelled/);
  await page.waitForTimeout(400);
  const b = await done();
  await page.waitForTimeout(800);
  assert.equal(await done(), b, 'work went on after Cancel');
  assert.equal(await page.evaluate(() => window.lde.pool.busy()), false);
  // Resume (mouse) finishes the work
  await page.click('section.lab:not([hidden]) .status .pause');
  await idle(page);
  assert.equal(await done(), 120);
  assert.equal(await page.isHidden('section.lab:not([hidden]) .status .pause'), true, 'no Pause once done');
  assert.equal(await page.isHidden('section.lab:not([hidden]) .status .cancel'), true, 'no Cancel once done');
  assert.deepEqual(errors, []);
  await context.close();
});

test('inside a cross-origin iframe, under the strict CSP: workers run, zero violations', async () => {
  // the host page is served from another origin (localhost instead of 127.0.0.1), without a CSP
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lde-host-'));
  const src = `${base}?lab=hebbian&net=pair&h=-2&grid=20&embed=1&workers=2`;
  await writeFile(path.join(dir, 'index.html'), `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>A lab website</title></head>
<body><h1>Our lab</h1><iframe id="lde" src="${src}" width="900" height="800" title="Learning Dynamics Explorer"></iframe></body></html>`);
  const host = await start(dir, 0, { csp: null, host: 'localhost' });
  const hostUrl = `http://localhost:${host.address().port}/`;
  const { page, context, errors } = await open(hostUrl);
  const frame = page.frames().find((f) => f.url().startsWith(base));
  assert.ok(frame, 'the explorer frame');
  assert.notEqual(new URL(frame.url()).origin, new URL(page.url()).origin, 'cross-origin');
  await ready(frame);
  await idle(frame);
  assert.equal(await frame.evaluate(() => window.lde.pool && window.lde.pool.size), 2);
  assert.equal(await frame.evaluate(() => document.querySelector('#worker-notice').hidden), true);
  const cells = await frame.evaluate(() => window.lde.app.csv('basins').trim().split('\n').length - 1);
  assert.equal(cells, 400, 'the basins were computed in the frame');
  assert.deepEqual(await frame.evaluate(() => window.__csp), [], 'CSP violations in the frame');
  assert.deepEqual(errors, []);
  await context.close();
  host.close();
  // the page alone, under the same header, for every lab
  for (const lab of Object.keys(SMALL)) {
    const s = await open(`?lab=${lab}&${SMALL[lab]}`);
    await ready(s.page);
    await idle(s.page);
    assert.deepEqual(await s.page.evaluate(() => window.__csp), [], `${lab}: CSP violations`);
    assert.ok(!s.errors.some((e) => /Content Security Policy/i.test(e)), `${lab}: ${s.errors}`);
    await s.context.close();
  }
});

test('without workers the page computes alone and says so in one line', async () => {
  // a browser where Worker cannot start (what a page opened from file:// meets)
  const { page, context, errors } = await open('?lab=hebbian&net=pair&h=-2&grid=20', { init: () => { delete window.Worker; } });
  await ready(page);
  await idle(page);
  const notice = await page.textContent('#worker-notice');
  assert.ok(await page.isVisible('#worker-notice'));
  assert.match(notice, /computing on the page itself/);
  assert.equal(await page.evaluate(() => window.lde.pool), null);
  assert.equal(await page.evaluate(() => window.lde.app.csv('basins').trim().split('\n').length - 1), 400);
  assert.deepEqual(errors, []);
  await context.close();
});

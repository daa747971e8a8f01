// Sweep results back in the page: the JSON Lines of `lde sweep run`, opened from the file
// picker and from the link key results=URL, are listed and drawn; a bad file gets a message
// and leaves the shown results alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
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

/** The data table of view `id` as its header and rows (opening it first). */
async function tableOf(page, id) {
  const fig = `figure[data-view="${id}"]`;
  await page.evaluate((f) => { document.querySelector(`${f} details.data`).open = true; }, fig);
  await page.waitForSelector(`${fig} details.data table`, { state: 'attached' });
  return page.$$eval(`${fig} details.data tr`, (rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
}

test("a results file is drawn in the lab's own sweep view, and one that does not fit changes nothing", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // the link's file lands in the phase diagram as well as in the Sweep results section
  await page.goto(`${base}?lab=curl&workers=1&results=${path.basename(served)}`);
  const status = 'figure[data-view="phase"] .results-status';
  await page.waitForFunction((s) => /6 cells, 2 seeds per point, drawn in place/.test(document.querySelector(s)?.textContent), status, { timeout: 30000 });
  const label = () => page.getAttribute('canvas[data-view="phase"]', 'aria-label');
  await page.waitForFunction(() => /6 cells/.test(document.querySelector('canvas[data-view="phase"]').getAttribute('aria-label')));
  const rows = await tableOf(page, 'phase');
  assert.deepEqual(rows[0], ['log10_c', 'alpha', 'flipped', 'runs', 'unstable_fraction']);
  const runs = rows.slice(1).reduce((a, r) => a + Number(r[3]), 0);
  assert.equal(runs, 6, 'every cell of the file is in a grid square');
  const fromFile = (await label()).match(/^Phase diagram, inputs flipped: 6 cells, 2 seeds per point: .*? cells computed, values from [^.]*/)?.[0];
  assert.ok(fromFile, 'the text alternative describes the file');

  // a file of another lab is refused with its reason; the view keeps the file it shows
  const other = path.join(tmp, 'rnn.jsonl');
  writeFileSync(other, readFileSync(served, 'utf8').replaceAll('"lab":"curl"', '"lab":"rnn"'));
  await page.setInputFiles('#results-file-phase', other);
  await page.waitForFunction((s) => /rnn\.jsonl was not opened: .*rnn lab.*Nothing on the page changed/.test(document.querySelector(s).textContent), status);
  assert.ok((await label()).startsWith(fromFile), 'the view keeps the file (the live curves may arrive meanwhile)');
  await page.setInputFiles('#results-file-phase', path.join(tmp, 'bad.jsonl'));
  await page.waitForFunction((s) => /bad\.jsonl was not opened: no cell records/.test(document.querySelector(s).textContent), status);

  // back to the in-page map: the in-page title and table return
  await page.click('figure[data-view="phase"] .results-live');
  await page.waitForFunction(() => !/6 cells/.test(document.querySelector('canvas[data-view="phase"]').getAttribute('aria-label')));
  await page.waitForFunction(() => document.querySelector('figure[data-view="phase"] th')?.textContent !== 'log10_c'
    || document.querySelectorAll('figure[data-view="phase"] th').length !== 5);
  const own = await tableOf(page, 'phase');
  assert.notDeepEqual(own[0], rows[0], 'the in-page table is back');
  assert.ok(await page.isHidden('figure[data-view="phase"] .results-live'));
  // views without a sweep take no file
  assert.equal(await page.$$eval('.results-row', (r) => r.map((x) => x.closest('figure').dataset.view).join()), 'phase');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an RNN sweep file fills both gain views with the mean over seeds', async () => {
  const cells = path.join(tmp, 'rnn-cells.txt');
  writeFileSync(cells, lde('sweep', 'plan', 'rnn', 'g=0.5,1.5', 'iters=10', 'tests=16', 'sweep=off', 'reps=1', 'seeds=2'));
  const out = path.join(tmp, 'rnn-results.jsonl');
  lde('sweep', 'run', cells, '--threads', '2', '--out', out);
  const recs = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  await page.goto(`${base}?lab=rnn&workers=1&iters=20&sweep=off`);
  await page.waitForSelector('#results-file-perf_g', { state: 'attached', timeout: 30000 });
  await page.setInputFiles('#results-file-perf_g', out);
  await page.waitForFunction(() => [...document.querySelectorAll('.results-status')].every((s) => /4 cells, 2 seeds per point/.test(s.textContent)));
  await page.waitForFunction(() => /4 cells/.test(document.querySelector('canvas[data-view="lyap_g"]').getAttribute('aria-label')));
  const rows = await tableOf(page, 'perf_g');
  const g = rows[0].indexOf('g');
  const acc = rows[0].indexOf('accuracy');
  assert.deepEqual(rows.slice(1).map((r) => Number(r[g])), [0.5, 1.5]);
  for (const r of rows.slice(1)) {
    const mine = recs.filter((x) => x.report.g === Number(r[g])).map((x) => x.report.accuracy);
    assert.equal(mine.length, 2);
    assert.ok(Math.abs(Number(r[acc]) - (mine[0] + mine[1]) / 2) < 1e-3, `${r[acc]} is the mean of ${mine}`);
  }
  await page.close();
});

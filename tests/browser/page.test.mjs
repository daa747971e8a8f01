// The page a reader meets: the figure first, history, exports at print resolution, a data
// table and a text alternative for every view, the hover read-out, and link hygiene.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { harness } from './harness.mjs';
import { start } from '../../scripts/serve.mjs';

const h = harness();
const LABS = ['hebbian', 'curl', 'rnn', 'fixed_points'];
const rect = (page, sel) => page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; });

test('the hero figure and its key controls are in the first screen, desktop and phone', async () => {
  for (const [width, height, dpr] of [[1280, 800, 1], [390, 844, 3]]) {
    for (const lab of LABS) {
      const ctx = `${lab} ${width}×${height}`;
      const { page, context, errors } = await h.open(`?lab=${lab}`, { width, height, dpr, waitDone: false });
      await page.waitForFunction(() => window.lde.drawMs[window.lde.info.hero] !== undefined, null, { timeout: 30000 });
      const hero = await rect(page, 'section.lab:not([hidden]) figure.hero canvas');
      const key = await rect(page, 'section.lab:not([hidden]) .key-controls .control');
      for (const [name, r] of [['hero canvas', hero], ['first key control', key]]) {
        assert.ok(r.top >= 0 && r.bottom <= height, `${ctx}: ${name} spans ${r.top}–${r.bottom}, outside the first screen`);
      }
      if (width < 500) assert.ok(key.bottom <= hero.top, `${ctx}: the key controls sit above the hero`);
      else assert.ok(key.right <= hero.left, `${ctx}: the key controls sit beside the hero`);
      const tabs = await page.$$eval('[role="tab"]', (ts) => ts.map((t) => t.getBoundingClientRect().top));
      assert.equal(new Set(tabs).size, 1, `${ctx}: the tabs fit in one row`);
      assert.ok(await page.$eval('[role="tablist"]', (t) => t.scrollWidth <= t.clientWidth + 1), `${ctx}: no tab is cut off`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${ctx}: no sideways scrolling`);
      assert.ok((await page.textContent('section.lab:not([hidden]) .lede')).length > 40, `${ctx}: a sentence says what to look at`);
      assert.deepEqual(errors, [], ctx);
      await context.close();
    }
  }
});

test('a lab switch and a preset are history entries; slider moves are not; Back and Forward restore them', async () => {
  const { page, context, errors } = await h.open('?lab=hebbian&net=pair&h=-2&grid=20&seed=4');
  const search = () => page.evaluate(() => location.search);
  const first = await search();
  const len0 = await page.evaluate(() => history.length);
  await page.click('[role="tab"][data-lab="fixed_points"]');
  await page.waitForFunction(() => /lab=fixed_points/.test(location.search));
  // a slider change replaces the entry (debounced)
  await page.$eval('[data-key-num="iters"]', (e) => { e.value = '200'; e.dispatchEvent(new Event('change')); });
  await page.waitForFunction(() => /[?&]iters=200(&|$)/.test(location.search));
  const second = await search();
  const preset = await page.evaluate(() => window.lde.info.presets[0]);
  await page.click(`button[data-preset="${preset.id}"]`);
  await page.waitForFunction((s) => location.search !== s, second);
  const third = await search();
  assert.equal(await page.evaluate(() => history.length), len0 + 2, 'two pushes: the switch and the preset');

  await page.goBack();
  await page.waitForFunction((s) => location.search === s, second);
  await page.waitForFunction(() => document.querySelector('[data-key-num="iters"]')?.value === '200');
  assert.equal(await page.$eval('[role="tab"][aria-selected="true"]', (e) => e.dataset.lab), 'fixed_points');
  await page.goBack();
  await page.waitForFunction((s) => location.search === s, first);
  await page.waitForFunction(() => document.querySelector('#p-hebbian-h')?.value === '-2');
  assert.equal(await page.$eval('[role="tab"][aria-selected="true"]', (e) => e.dataset.lab), 'hebbian');
  await h.done(page);
  assert.equal(await page.evaluate(() => window.lde.app.link()), first.slice(1), 'the restored state is the entry\'s link');
  await page.goForward();
  await page.goForward();
  await page.waitForFunction((s) => location.search === s, third);
  assert.equal(await page.$eval('[role="tab"][aria-selected="true"]', (e) => e.dataset.lab), 'fixed_points');
  assert.deepEqual(errors, []);
  await context.close();
});

test('PNG exports are redrawn at 2× and 4× the screen size', async () => {
  const { page, context, errors } = await h.open('?lab=hebbian&net=pair&h=-2&grid=20&seed=3');
  const sel = 'figure[data-view="pitchfork"]';
  const [cw, ch] = await page.$eval(`${sel} canvas`, (c) => [c.clientWidth, c.clientHeight]);
  const screen = await page.$eval(`${sel} canvas`, (c) => [c.width, c.height]);
  for (const k of [2, 4]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`${sel} button:has-text("PNG ${k}×")`)]);
    assert.equal(dl.suggestedFilename(), `lde-hebbian-pitchfork-seed3-${k}x.png`);
    const png = await readFile(await dl.path());
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [Math.round(cw * k), Math.round(ch * k)], `${k}×`);
  }
  await h.done(page);
  assert.deepEqual(await page.$eval(`${sel} canvas`, (c) => [c.width, c.height]), screen, 'the screen canvas is untouched');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every view of every lab has a data table of its numbers and a text alternative from its data', async () => {
  const small = { hebbian: 'grid=30', curl: '', rnn: 'n=16&t=20&iters=20&siters=5&k=4', fixed_points: 'grid=30' };
  for (const lab of LABS) {
    const { page, context, errors } = await h.open(`?lab=${lab}&${small[lab]}`);
    const views = await page.evaluate(() => window.lde.info.views.map((v) => v.id));
    for (const id of views) {
      const fig = `section.lab:not([hidden]) figure[data-view="${id}"]`;
      await page.click(`${fig} details.data summary`);
      await page.waitForSelector(`${fig} table`); // the toggle event fills it after the click
      const table = await page.$eval(`${fig} table`, (t) => ({ cols: t.querySelectorAll('thead th').length, rows: t.querySelectorAll('tbody tr').length }));
      const csv = await page.evaluate((v) => window.lde.app.csv(v).trimEnd().split('\n'), id);
      assert.equal(table.cols, csv[0].split(',').length, `${lab}/${id}: the table has the CSV's columns`);
      assert.equal(table.rows, Math.min(300, csv.length - 1), `${lab}/${id}: the table has the CSV's rows (at most 300)`);
      const label = await page.$eval(`${fig} canvas`, (c) => c.getAttribute('aria-label'));
      assert.equal(label, await page.evaluate((v) => window.lde.app.describe(v), id), `${lab}/${id}: text alternative`);
      assert.ok(label.length > 20, `${lab}/${id}: ${label}`);
    }
    assert.deepEqual(errors, [], lab);
    await context.close();
  }
});

test('hovering a plot shows and announces the value under the cursor; the keyboard moves it', async () => {
  const { page, context, errors } = await h.open('?lab=fixed_points&iters=300');
  const fig = 'section.lab:not([hidden]) figure.hero';
  const label = await page.$eval(`${fig} canvas`, (c) => c.getAttribute('aria-label'));
  assert.match(label, /Euclidean GD η=1 ends at [0-9.e-]+ \(at 300\)/, 'the text alternative names each curve\'s last value');
  const box = await page.$eval(`${fig} canvas`, (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  await page.mouse.move(box.x + box.w * 0.6, box.y + box.h * 0.5);
  await page.waitForSelector(`${fig} .probe-tip:not([hidden])`);
  const tip = await page.textContent(`${fig} .probe-tip`);
  assert.match(tip, /^iteration \d+(\.\d+)?, J\(W\) [0-9.e-]+; nearest: (Euclidean GD η=1|re-parameterised η=3|linearised η=3) /, tip);
  const x = Number(tip.match(/^iteration ([0-9.]+)/)[1]);
  assert.ok(x > 100 && x < 250, `the cursor at 60 % of the width reads iteration ${x}`);
  await page.waitForFunction((f) => document.querySelector(`${f} [aria-live="polite"]`).textContent.includes('nearest'), fig);
  await page.mouse.move(1, 1);
  await page.waitForSelector(`${fig} .probe-tip`, { state: 'hidden' });
  await page.focus(`${fig} canvas`);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(`${fig} .probe-tip:not([hidden])`);
  assert.match(await page.textContent(`${fig} .probe-tip`), /nearest/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a #… link becomes ?… without its stale hash; a duplicate key is named', async () => {
  const a = await h.open('#lab=hebbian&net=pair&h=-2&grid=20');
  await a.page.waitForFunction(() => /[?&]h=-2(&|$)/.test(location.search));
  assert.equal(await a.page.evaluate(() => location.hash), '');
  await a.context.close();
  const b = await h.open('?lab=hebbian&net=pair&h=-2&h=3&grid=20');
  assert.match(await b.page.textContent('#link-notice'), /h.*(twice|duplicate|more than once)/i);
  assert.equal(await b.page.inputValue('#p-hebbian-h'), '3', 'the last value wins, as the notice says');
  await b.context.close();
});

test('one view embeds with its controls, its citation and a way out; a cross-origin host drives it by postMessage', async (t) => {
  const { page, context, errors } = await h.open('?lab=hebbian&net=pair&h=-2&grid=20&embed=1&view=landscape', { width: 600, height: 500 });
  const shown = await page.$$eval('section.lab:not([hidden]) figure.plot', (fs) => fs.filter((f) => f.offsetParent !== null).map((f) => f.dataset.view));
  assert.deepEqual(shown, ['landscape'], 'only the chosen view');
  assert.ok(await page.isVisible('section.lab:not([hidden]) .lab-head h2'), 'the embed has a heading');
  assert.match(await page.textContent('section.lab:not([hidden]) .cite-line'), /Gong, Chen & Ching/);
  await page.$eval('[data-key-num="h"]', (e) => { e.value = '-3'; e.dispatchEvent(new Event('change')); });
  await page.waitForFunction(() => /[?&]h=-3(&|$)/.test(location.search));
  const out = await page.getAttribute('.open-full', 'href');
  assert.match(out, /[?&]h=-3(&|$)/, 'open in the explorer has the state');
  assert.doesNotMatch(out, /embed|view=/, 'and opens the whole explorer');
  assert.match(await page.evaluate(() => location.search), /&embed=1&view=landscape$/, 'the frame keeps its embed keys');
  assert.ok(await page.isVisible('#p-hebbian-h') && await page.isVisible('section.lab:not([hidden]) figure.hero canvas'));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'usable at 600×500');
  await page.click('section.lab:not([hidden]) .actions button:has-text("Embed")');
  const snippet = await page.inputValue('#share-text');
  assert.equal(snippet.match(/embed=1/g).length, 1, snippet);
  assert.match(snippet, /allow="clipboard-write"/);
  assert.match(snippet, / title="Learning Dynamics Explorer: /);
  assert.deepEqual(errors, []);
  await context.close();

  // the example host page, on another origin (localhost, not 127.0.0.1)
  const server = await start(path.resolve('examples'), 0, { csp: null, host: 'localhost' });
  t.after(() => server.close());
  const src = `${h.base}?lab=hebbian&net=pair&h=-1&grid=20&embed=1&view=pitchfork`;
  const host = await h.open(`http://localhost:${server.address().port}/embed-host.html?src=${encodeURIComponent(src)}`, { host: true });
  const got = (type, pred = '() => true') => host.page.waitForFunction(([t, p]) => window.received.some((m) => m.type === t && (0, eval)(p)(m)), [type, pred], { timeout: 60000 });
  await got('done');
  await host.page.fill('#h', '-2');
  await host.page.click('#set');
  await got('change', '(m) => /[?&]h=-2(&|$)/.test(m.link)');
  await got('done', '(m) => /[?&]h=-2(&|$)/.test(m.link) && m.readouts.some((r) => r.label === "stable states, 2-neuron motif" && r.value === "2")');
  await host.page.click('#get');
  await got('state', '(m) => m.id === "read" && m.report && m.report.lab === "hebbian" && /h=-2/.test(m.link)');
  // anything outside the documented format is refused or ignored, never run
  await host.page.evaluate(() => {
    const f = document.getElementById('lde').contentWindow;
    f.postMessage('h=5', '*');
    f.postMessage({ lde: 1, type: 'eval', code: 'document.body.remove()' }, '*');
    f.postMessage({ lde: 1, type: 'set', params: { 'h;x': 1, gamma_w: { toString: 1 } } }, '*');
  });
  await got('error', '(m) => /unknown message type/.test(m.message)');
  await got('state', '(m) => m.warnings && m.warnings.length === 2');
  const frame = host.page.frames().find((f) => f.url().startsWith(h.base));
  assert.match(await frame.evaluate(() => location.search), /[?&]h=-2(&|$)/, 'the bad messages changed nothing');
  assert.deepEqual(host.errors, []);
  await host.context.close();
});

test('a setting that would run for many minutes asks before it goes on', async () => {
  const { page, context, errors } = await h.open('?lab=rnn&n=256&t=200&iters=3000&siters=1000&workers=1', { waitDone: false });
  const ask = 'section.lab:not([hidden]) .long-ask';
  await page.waitForSelector(`${ask}:not([hidden])`, { timeout: 60000 });
  assert.match(await page.textContent(`${ask} p`), /^This setting needs about \d+ (minutes|hours) here \(estimated from its size before it starts, on 1 worker\)/);
  assert.ok(await page.evaluate(() => JSON.parse(window.lde.app.progress()).stages.every((s) => s.total === 0 || (s.done === 0 && s.fraction === 0))), 'asked before any work');
  assert.equal(await page.evaluate(() => window.lde.paused), true, 'the work waits');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Run it', 'the question has the focus');
  await page.keyboard.press('Enter');
  await page.waitForSelector(ask, { state: 'hidden' });
  assert.equal(await page.evaluate(() => window.lde.paused), false, 'Run it goes on');
  await page.click('section.lab:not([hidden]) .status .cancel');
  await page.waitForFunction(() => /cancelled/.test(document.querySelector('section.lab:not([hidden]) .progress-label').textContent));
  assert.deepEqual(errors, []);
  await context.close();
  // the defaults never ask
  const d = await h.open('?lab=rnn');
  assert.equal(await d.page.isHidden('section.lab:not([hidden]) .long-ask'), true);
  await d.context.close();
});

test('dragging on the pitchfork moves h, and on the landscape moves the launched start', async () => {
  const { page, context, errors } = await h.open('?lab=hebbian&net=pair&h=-2&grid=20');
  const drag = async (view, from, to) => {
    const c = `section.lab:not([hidden]) figure[data-view="${view}"] canvas`;
    await page.$eval(c, (e) => e.scrollIntoView({ block: 'center' }));
    const b = await page.$eval(c, (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(b.x + b.w * from[0], b.y + b.h * from[1]);
    await page.mouse.down();
    await page.mouse.move(b.x + b.w * to[0], b.y + b.h * to[1], { steps: 8 });
    const want = await page.evaluate(([v, x, y]) => JSON.parse(window.lde.app.data_at(v, x * devicePixelRatio, y * devicePixelRatio)), [view, b.w * to[0], b.h * to[1]]);
    await page.mouse.up();
    return want;
  };
  const [hx] = await drag('pitchfork', [0.3, 0.5], [0.55, 0.5]);
  await page.waitForFunction((w) => Math.abs(Number(new URLSearchParams(location.search).get('h')) - w) < 0.05, hx);
  assert.equal(Number(await page.inputValue('[data-key-num="h"]')), Number(new URLSearchParams(new URL(page.url()).search).get('h')), 'the control follows');
  await h.done(page);
  const [x1, x2] = await drag('landscape', [0.3, 0.3], [0.6, 0.7]);
  await page.waitForFunction(([a, b]) => {
    const l = new URLSearchParams(location.search).get('launch');
    if (!l) return false;
    const [p, q] = l.split(',').map(Number);
    return Math.abs(p - a) < 0.5 && Math.abs(q - b) < 0.5;
  }, [x1, x2]);
  assert.deepEqual(errors, []);
  await context.close();
});

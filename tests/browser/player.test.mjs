// The player (issue 13, item 3): Play/Pause, Step, speed and a time scrubber for every
// animation, by mouse and by keyboard; prefers-reduced-motion shows the end without moving;
// the RNN's training is replayed from its snapshots, readouts included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './harness.mjs';

const h = harness();
const ROW = 'section.lab:not([hidden]) .player';
const canvasData = (page, view) => page.evaluate((v) => document.querySelector(`section.lab:not([hidden]) canvas[data-view="${v}"]`).toDataURL(), view);
const ticks = (page) => page.evaluate(() => [window.lde.app.shown_tick(), window.lde.app.ticks()]);
const readout = (page, label) => page.evaluate((label) => {
  for (const d of document.querySelectorAll('section.lab:not([hidden]) .readouts div')) {
    if (d.querySelector('dt').textContent === label) return d.querySelector('dd').textContent;
  }
  return null;
}, label);
/** Waits until every changed view is drawn again: two frames (the player hands the new tick to
 * the core in the next one, which marks the views), then no view left to draw. */
const settled = async (page) => {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => window.lde.idle && window.lde.dirty.size === 0, null, { timeout: 30000 });
};

test('a launched trajectory plays, pauses, steps and scrubs, by mouse and by keyboard', async () => {
  const { page, context, errors } = await h.open('?lab=hebbian&net=pair&h=-2&grid=20&launch=0.4,-0.3');
  const row = page.locator(ROW);
  assert.ok(await row.isVisible(), 'the player shows once there is something to animate');
  const [t0, n] = await ticks(page);
  assert.ok(n > 5 && t0 === n, `the animation ran to its end (${t0}/${n})`);
  assert.equal(await row.locator('.play').textContent(), 'Play');
  assert.equal(await row.locator('.step').isDisabled(), true, 'no step past the end');
  assert.equal(await row.locator('.scrub').inputValue(), String(n));
  const end = await canvasData(page, 'landscape');

  // Play from the end starts again from the first frame; Pause holds it
  await row.locator('.speed').selectOption('0.25');
  await row.locator('.play').click();
  await page.waitForFunction(() => window.lde.app.shown_tick() > 0, null, { timeout: 5000 });
  assert.equal(await row.locator('.play').textContent(), 'Pause');
  await row.locator('.play').click();
  const [held] = await ticks(page);
  await page.waitForTimeout(300);
  assert.equal((await ticks(page))[0], held, 'paused: the frame holds');
  assert.ok(held < n, `paused part-way (${held}/${n})`);

  // Step by keyboard: one frame
  await row.locator('.step').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => window.lde.app.shown_tick() === t + 1, held, { timeout: 5000 });

  // the scrubber by keyboard: Home is the start, End the end, and the label follows
  await row.locator('.scrub').focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => window.lde.app.shown_tick() === 0, null, { timeout: 5000 });
  await settled(page);
  assert.equal(await row.locator('.tick-label').textContent(), 't = 0');
  assert.equal(await row.locator('.scrub').getAttribute('aria-valuetext'), 't = 0');
  assert.notEqual(await canvasData(page, 'landscape'), end, 'the first frame shows less of the path');
  await page.keyboard.press('End');
  await page.waitForFunction((n) => window.lde.app.shown_tick() === n, n, { timeout: 5000 });
  await settled(page);
  assert.equal(await canvasData(page, 'landscape'), end, 'back at the end: the same picture');
  assert.match(await row.locator('.tick-label').textContent(), /^t = \d/);

  // Play by keyboard runs to the end at speed ×4
  await row.locator('.speed').selectOption('4');
  await row.locator('.play').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.lde.app.shown_tick() > 0, null, { timeout: 5000 });
  await page.waitForFunction((n) => window.lde.app.shown_tick() === n && window.lde.idle, n, { timeout: 30000 });
  assert.equal(await canvasData(page, 'landscape'), end);
  assert.deepEqual(errors, []);
  await context.close();
});

test('under prefers-reduced-motion the trajectory is shown whole, without animating', async () => {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${h.base}?lab=hebbian&net=pair&h=-2&grid=20`);
  await page.waitForFunction(() => window.lde && window.lde.ready && window.lde.idle, null, { timeout: 60000 });
  // record every frame from now on: the animation must never run
  await page.evaluate(() => {
    window.everAnimated = false;
    const look = () => { if (window.lde.animating) window.everAnimated = true; requestAnimationFrame(look); };
    requestAnimationFrame(look);
  });
  const canvas = page.locator('canvas[data-view="landscape"]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.35 } });
  await page.waitForFunction(() => window.lde.app.ticks() > 5 && window.lde.idle, null, { timeout: 30000 });
  const [t, n] = await ticks(page);
  assert.equal(t, n, 'the whole path at once');
  assert.equal(await page.evaluate(() => window.everAnimated), false, 'no frame animated');
  assert.equal(await page.locator(ROW).getAttribute('data-mode'), 'follow');
  assert.equal(await page.locator(`${ROW} .play`).textContent(), 'Play', 'it can still be played on request');
  await context.close();
});

test('the RNN training replays from its snapshots: views and readouts at each evaluation', async () => {
  const { page, context, errors } = await h.open('?lab=rnn&n=16&t=30&iters=40&sweep=off&k=4');
  const row = page.locator(ROW);
  assert.ok(await row.isVisible());
  assert.deepEqual(await ticks(page), [4, 4], 'one tick per evaluation after the untrained one');
  assert.equal(await row.getAttribute('data-mode'), 'follow', 'training is not replayed by itself');
  const end = { loss: await canvasData(page, 'loss'), traces: await canvasData(page, 'traces'), acc: await readout(page, 'test accuracy') };
  await row.locator('.scrub').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.lde.app.shown_tick() === 1, null, { timeout: 5000 });
  await settled(page);
  assert.equal(await row.locator('.tick-label').textContent(), 'iteration 10');
  assert.equal(await readout(page, 'iteration'), '10/40', 'the readouts follow the scrubber');
  assert.notEqual(await canvasData(page, 'loss'), end.loss);
  assert.notEqual(await canvasData(page, 'traces'), end.traces);
  await page.keyboard.press('End');
  await page.waitForFunction(() => window.lde.app.shown_tick() === 4, null, { timeout: 5000 });
  await settled(page);
  assert.equal(await canvasData(page, 'loss'), end.loss);
  assert.equal(await canvasData(page, 'traces'), end.traces);
  assert.equal(await readout(page, 'test accuracy'), end.acc);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an animation out of sight is drawn every REDRAW_MS, in sight at every tick, and ends as a fresh page does', async () => {
  // the curl lab's 2-D toy plays its flows at load, below the fold at 1280×800
  const { page, context, errors } = await h.open('?lab=curl', { waitDone: false });
  await page.waitForFunction(() => window.lde.animating && window.lde.app.shown_tick() > 0, null, { timeout: 30000 });
  // a quarter of the pace, so that it is still playing through both windows below
  await page.evaluate(() => { const s = document.querySelector('section.lab:not([hidden]) .player .speed'); s.value = '0.25'; s.dispatchEvent(new Event('change')); });
  const toy = page.locator('section.lab:not([hidden]) canvas[data-view="toy"]');
  assert.ok(await toy.evaluate((c) => c.getBoundingClientRect().top > innerHeight), 'the toy starts below the fold');
  /** Draws of the toy, frames and ticks shown over `ms` of a playing animation. */
  const watch = (ms) => page.evaluate((ms) => new Promise((resolve) => {
    const d0 = window.lde.draws.toy || 0;
    const t0 = window.lde.app.shown_tick();
    let frames = 0;
    const count = () => { frames++; if (!done) requestAnimationFrame(count); };
    let done = false;
    requestAnimationFrame(count);
    setTimeout(() => { done = true; resolve({ draws: (window.lde.draws.toy || 0) - d0, frames, ticks: window.lde.app.shown_tick() - t0, playing: window.lde.animating }); }, ms);
  }), ms);
  const unseen = await watch(1500);
  assert.ok(unseen.playing && unseen.ticks > 0, `it plays on out of sight (${JSON.stringify(unseen)})`);
  assert.ok(unseen.ticks >= 10 && unseen.draws <= 4, `out of sight: at most one draw per 500 ms, not one per tick (${JSON.stringify(unseen)})`);
  await toy.scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const seen = await watch(1000);
  assert.ok(seen.playing, `still playing (${JSON.stringify(seen)})`);
  assert.ok(seen.ticks >= 5 && seen.draws >= seen.ticks - 1, `in sight: every tick drawn (${JSON.stringify(seen)})`);
  // to the end, out of sight again: the last frame is drawn, as on a page that never scrolled
  await page.evaluate(() => { const s = document.querySelector('section.lab:not([hidden]) .player .speed'); s.value = '4'; s.dispatchEvent(new Event('change')); });
  await page.evaluate(() => window.scrollTo(0, 0));
  await h.done(page);
  const [t, n] = await ticks(page);
  assert.equal(t, n);
  const fresh = await h.open('?lab=curl');
  assert.equal(await canvasData(page, 'toy'), await canvasData(fresh.page, 'toy'), 'the same last frame');
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
  await context.close();
});

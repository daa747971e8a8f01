// What every end-to-end test file shares: the project's static server (with its strict CSP),
// one headless Chromium, and a page opened at a link and waited on until its work is done.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { start } from '../../scripts/serve.mjs';
import path from 'node:path';

export const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** Starts the server and the browser before the file's tests; returns live getters. */
export function harness() {
  const h = { server: null, browser: null, base: '' };
  before(async () => {
    h.server = await start(path.resolve('www'), 0);
    h.base = `http://127.0.0.1:${h.server.address().port}/`;
    h.browser = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', args: ARGS });
  });
  after(async () => {
    await h.browser?.close();
    h.server?.close();
  });
  /** Opens `query` in a fresh context, collecting console errors; waits until the lab is done. */
  h.open = async (query, { width = 1280, height = 800, waitDone = true, dpr = 1, ...opts } = {}) => {
    const context = await h.browser.newContext({ viewport: { width, height }, acceptDownloads: true, deviceScaleFactor: dpr, colorScheme: opts.colorScheme || 'light' });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(/^https?:/.test(query) ? query : h.base + query);
    if (opts.host) return { page, context, errors };
    await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
    if (waitDone) await h.done(page);
    return { page, context, errors };
  };
  h.done = (page) => page.waitForFunction(() => window.lde.progress && window.lde.progress.done && !window.lde.progress.animating && window.lde.idle, null, { timeout: 120000 });
  return h;
}

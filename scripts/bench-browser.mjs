// In-browser timings of the served page with the worker pool (informational: exit code 0
// whatever the numbers, 1 only if the page cannot be loaded). For every lab at its defaults:
// time from navigation to idle (work done, every view drawn) in the page alone (workers=0)
// and with 1 and 2 workers, the speed-up, the span of the work itself (first batch handed to
// a worker to the last result back) and its speed-up, an extrapolation to 8 workers, the longest
// main-thread task after the page is ready, and the slowest view draw at 1280×800 (DPR 1)
// and at 390×844 (DPR 3); then the span of the pool issue's named workloads (their stages)
// alone. These machines have 2 cores: more workers than cores measure nothing.
// Usage: node scripts/bench-browser.mjs [LAB ...]    (www/pkg must be built: `make wasm`)
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { start } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www');
if (!existsSync(path.join(www, 'pkg/lde_bg.wasm'))) {
  console.error('bench-browser: www/pkg is missing — build the wasm first with `make wasm`.');
  process.exit(1);
}
const LABS = process.argv.slice(2).length ? process.argv.slice(2) : ['hebbian', 'curl', 'fixed_points', 'rnn'];
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS || 240000);

function instrument() {
  window.__long = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch { /* no longtask API: reported as n/a */ }
}

const server = await start(www, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROME || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

/** Opens `query`, waits for idle; returns {done ms from navigation, longest task after ready, slowest draw}. */
async function measure(query, viewport = { width: 1280, height: 800 }, dpr = 1) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: dpr });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(base + query);
  await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 60000 });
  const readyAt = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => window.lde.idle, null, { timeout: TIMEOUT, polling: 50 });
  const r = await page.evaluate((t0) => ({
    done: performance.now(),
    longest: Math.max(0, ...window.__long.filter(([s]) => s >= t0).map(([, d]) => d)),
    draw: Object.entries(window.lde.drawMs).sort((a, b) => b[1] - a[1])[0] || ['—', NaN],
    work: window.lde.pool && window.lde.pool.span.first !== null ? window.lde.pool.span.last - window.lde.pool.span.first : NaN,
    stages: window.lde.pool ? window.lde.pool.stageSpan : {},
  }), readyAt);
  await context.close();
  return r;
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const s1 = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
console.log(`Chromium ${browser.version()}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 10)}`);
// The worker-pool issue's named workloads: the span of their stages alone (first batch of any of
// them handed out to the last result of any back), from the same loads as the table below where
// the link is a lab's defaults.
const WORKLOADS = [
  ['Hebbian basins', 'lab=hebbian', ['basins']],
  ['curl regime D ensemble + phase map', 'lab=curl&preset=D', ['ensemble', 'phase']],
  ['RNN gain sweep', 'lab=rnn', ['sweep']],
  ['fixed-point random-plane heatmap', 'lab=fixed_points', ['plane']],
];
const loads = new Map(); // query → measure()
const workSpan = (r, stages) => {
  const s = stages.map((id) => r.stages[id]).filter((x) => x && x.last !== null);
  return s.length === stages.length ? Math.max(...s.map((x) => x.last)) - Math.min(...s.map((x) => x.first)) : NaN;
};
const head = ['lab', 'in page (workers=0)', 'workers=1', 'workers=2', '1→2 speed-up', 'work span, workers=1 / 2', 'work speed-up', '8 workers (extrapolated)', 'longest main-thread task, workers=2', 'slowest draw 1280×800', 'slowest draw 390×844 DPR 3'];
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const lab of LABS) {
  try {
    const t0 = await measure(`?lab=${lab}&workers=0`);
    const t1 = await measure(`?lab=${lab}&workers=1`);
    const t2 = await measure(`?lab=${lab}&workers=2`);
    loads.set(`lab=${lab}&workers=1`, t1);
    loads.set(`lab=${lab}&workers=2`, t2);
    const phone = await measure(`?lab=${lab}&workers=2`, { width: 390, height: 844 }, 3);
    // Amdahl from two points: t(n) = s + p/n, so p = 2 (t1 − t2) and s = t1 − p
    const p = Math.max(0, 2 * (t1.done - t2.done));
    const s = Math.max(0, t1.done - p);
    const t8 = s + p / 8;
    const span = `${s1(t1.work)} / ${s1(t2.work)}`;
    console.log(`| ${lab} | ${s1(t0.done)} | ${s1(t1.done)} | ${s1(t2.done)} | ${(t1.done / t2.done).toFixed(2)}× | ${span} | ${(t1.work / t2.work).toFixed(2)}× | ~${s1(t8)} | ${f0(t2.longest)} ms | ${t2.draw[0]} ${f0(t2.draw[1])} ms | ${phone.draw[0]} ${f0(phone.draw[1])} ms |`);
  } catch (e) {
    console.log(`| ${lab} | failed: ${String(e.message || e).split('\n')[0]} |`);
  }
}
console.log('\nThe named workloads, workers=2 against workers=1 (span of their stages alone):');
console.log('| workload | link | stages | workers=1 | workers=2 | speed-up |\n|---|---|---|---|---|---|');
for (const [name, link, stages] of WORKLOADS) {
  if (!LABS.includes(new URLSearchParams(link).get('lab'))) continue;
  try {
    const at = async (w) => loads.get(`${link}&workers=${w}`) || measure(`?${link}&workers=${w}`);
    const [a, b] = [workSpan(await at(1), stages), workSpan(await at(2), stages)];
    console.log(`| ${name} | \`${link}\` | ${stages.join(', ')} | ${s1(a)} | ${s1(b)} | ${(a / b).toFixed(2)}× |`);
  } catch (e) {
    console.log(`| ${name} | failed: ${String(e.message || e).split('\n')[0]} |`);
  }
}
// The draws themselves, on an idle page (the "slowest draw" above is the wall time of a view's
// last draw while the workers still compute, so on 2 cores it includes the main thread being
// preempted): every view redrawn 5 times with its canvas resized by a pixel first, so the
// heatmap raster is redone each time (the cost of a draw after a data change).
async function drawCost(lab, viewport, dpr) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: dpr });
  const page = await context.newPage();
  await page.goto(`${base}?lab=${lab}&workers=2`);
  await page.waitForFunction(() => window.lde && window.lde.idle, null, { timeout: TIMEOUT, polling: 50 });
  const r = await page.evaluate(() => {
    const out = [];
    for (const c of document.querySelectorAll('section:not([hidden]) canvas[data-view]')) {
      const ms = [];
      for (let k = 0; k < 5; k++) {
        c.width += 1;
        const t = performance.now();
        window.lde.app.draw(c.dataset.view, c, window.devicePixelRatio);
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      out.push([c.dataset.view, ms[2], ms[4]]);
    }
    return out.sort((a, b) => b[1] - a[1]);
  });
  await context.close();
  return r;
}
console.log('\nDraw cost on an idle page, raster redone (median / max of 5, the three slowest views):');
console.log('| lab | 1280×800 | 390×844 DPR 3 |\n|---|---|---|');
const top3 = (r) => r.slice(0, 3).map(([v, m, x]) => `${v} ${f0(m)}/${f0(x)} ms`).join(', ');
for (const lab of LABS) {
  try {
    console.log(`| ${lab} | ${top3(await drawCost(lab, { width: 1280, height: 800 }, 1))} | ${top3(await drawCost(lab, { width: 390, height: 844 }, 3))} |`);
  } catch (e) {
    console.log(`| ${lab} | failed: ${String(e.message || e).split('\n')[0]} |`);
  }
}
await browser.close();
server.close();

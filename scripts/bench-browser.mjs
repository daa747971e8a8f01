// In-browser timings of the served page with the worker pool (informational: exit code 0
// whatever the numbers, 1 only if the page cannot be loaded). For every lab at its defaults:
// time from navigation to idle (work done, every view drawn) in the page alone (workers=0)
// and with 1 and 2 workers, the speed-up, the span of the work itself (first batch handed to
// a worker to the last result back) and its speed-up, an extrapolation to 8 workers, the longest
// main-thread task after the page is ready, and the slowest view draw at 1280×800 (DPR 1)
// and at 390×844 (DPR 3); then the pool issue's named workloads, each run alone through the
// pool. These machines have 2 cores: more workers than cores measure nothing.
// With --presets (`make bench-presets`, about 8 minutes, so not in `make bench`): every preset of
// every lab at workers=2 instead, time to idle and the longest main-thread task after first paint.
// Usage: node scripts/bench-browser.mjs [--presets] [LAB ...]    (www/pkg must be built: `make wasm`)
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
const PRESETS = process.argv.includes('--presets');
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const LABS = named.length ? named : ['hebbian', 'curl', 'fixed_points', 'rnn'];
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
  // a setting the page asks about before running minutes of work: answer "Run it"
  await page.waitForFunction(() => window.lde.idle || document.querySelector('section.lab:not([hidden]) .long-ask:not([hidden])'), null, { timeout: TIMEOUT, polling: 50 });
  if (!(await page.evaluate(() => window.lde.idle))) {
    await page.click('section.lab:not([hidden]) .long-ask button:has-text("Run it")');
    await page.waitForFunction(() => window.lde.idle, null, { timeout: TIMEOUT, polling: 50 });
  }
  const r = await page.evaluate((t0) => ({
    done: performance.now(),
    longest: Math.max(0, ...window.__long.filter(([s]) => s >= t0).map(([, d]) => d)),
    draw: Object.entries(window.lde.drawMs).sort((a, b) => b[1] - a[1])[0] || ['—', NaN],
    work: window.lde.pool && window.lde.pool.span.first !== null ? window.lde.pool.span.last - window.lde.pool.span.first : NaN,
  }), readyAt);
  await context.close();
  return r;
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const s1 = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
console.log(`Chromium ${browser.version()}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 16)} UTC`);
if (PRESETS) {
  // the presets each lab's catalogue lists, as the page itself reads them
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}?lab=hebbian&workers=0`);
  await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 60000 });
  const cat = await page.evaluate(() => window.lde.cat.map((c) => [c.id, c.presets.map((p) => p.id)]));
  await context.close();
  console.log('| lab | preset | navigation to idle, workers=2 | longest main-thread task after first paint |\n|---|---|---|---|');
  for (const [lab, presets] of cat) {
    if (!LABS.includes(lab)) continue;
    for (const preset of presets) {
      try {
        const r = await measure(`?lab=${lab}&preset=${encodeURIComponent(preset)}&workers=2`);
        console.log(`| ${lab} | ${preset} | ${s1(r.done)} | ${f0(r.longest)} ms |`);
      } catch (e) {
        console.log(`| ${lab} | ${preset} | failed: ${String(e.message || e).split('\n')[0]} | |`);
      }
    }
  }
  await browser.close();
  server.close();
  process.exit(0);
}
// The worker-pool issue's named workloads, each alone: a page that runs only that workload's
// stages through the real pool (no lab page, no drawing), first in a fresh page (cold: V8 still
// compiling the module's hot functions on background threads) and then once more in the same
// page (warm, as after a slider move), at 1 and at 2 workers.
const WORKLOADS = [
  ['Hebbian basins', 'lab=hebbian', ['basins']],
  ['curl regime D ensemble + phase map', 'lab=curl&preset=D', ['ensemble', 'phase']],
  ['RNN gain sweep', 'lab=rnn', ['sweep']],
  ['fixed-point random-plane heatmap', 'lab=fixed_points', ['plane']],
];
async function alone(link, stages, workers) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}favicon.svg`);
  const r = await page.evaluate(async ([base, link, stages, workers]) => {
    const lde = await import(`${base}pkg/lde.js`);
    const { wasmModule } = await import(`${base}wasm.js`);
    const { Pool } = await import(`${base}pool.js`);
    const module = await wasmModule();
    await lde.default({ module_or_path: module });
    const once = async () => {
      const app = new lde.App(`?${link}`);
      const pool = await Pool.create(workers, module);
      const source = () => JSON.parse(app.pending()).filter((p) => stages.includes(p.id));
      pool.source = source;
      const jobs = source().reduce((n, p) => n + p.jobs.length, 0);
      const t0 = performance.now();
      const ms = await new Promise((resolve, reject) => {
        pool.onerror = (m) => reject(new Error(m));
        pool.onresult = (stage, l, index, bytes, finished, fraction) => {
          const a = app.absorb(stage, l, index, bytes, finished, fraction);
          if (a !== 'ok') reject(new Error(a));
          if (!source().length) resolve(performance.now() - t0);
        };
        pool.schedule();
      });
      pool.terminate();
      return { ms, jobs };
    };
    const cold = await once();
    const warm = await once();
    return { cold: cold.ms, warm: warm.ms, jobs: warm.jobs };
  }, [base, link, stages, workers]);
  await context.close();
  return r;
}
const head = ['lab', 'in page (workers=0)', 'workers=1', 'workers=2', '1→2 speed-up', 'work span, workers=1 / 2', 'work speed-up', '8 workers (extrapolated)', 'longest main-thread task, workers=2', 'slowest draw 1280×800', 'slowest draw 390×844 DPR 3'];
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const lab of LABS) {
  try {
    const t0 = await measure(`?lab=${lab}&workers=0`);
    const t1 = await measure(`?lab=${lab}&workers=1`);
    const t2 = await measure(`?lab=${lab}&workers=2`);
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
console.log('\nThe named workloads alone, workers=2 against workers=1 (cold: a fresh page; warm: run again in it):');
console.log('| workload | link | stages, jobs | cold, workers=1 / 2 | cold speed-up | warm, workers=1 / 2 | warm speed-up |\n|---|---|---|---|---|---|---|');
for (const [name, link, stages] of WORKLOADS) {
  if (!LABS.includes(new URLSearchParams(link).get('lab'))) continue;
  try {
    const a = await alone(link, stages, 1);
    const b = await alone(link, stages, 2);
    console.log(`| ${name} | \`${link}\` | ${stages.join(', ')}: ${a.jobs} | ${s1(a.cold)} / ${s1(b.cold)} | ${(a.cold / b.cold).toFixed(2)}× | ${s1(a.warm)} / ${s1(b.warm)} | ${(a.warm / b.warm).toFixed(2)}× |`);
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

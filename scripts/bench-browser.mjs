// In-browser performance of the served page, against the issues' targets (informational: the
// exit code is 0 whatever the numbers, and 1 only if the page cannot be loaded).
// Usage: node scripts/bench-browser.mjs        (www/pkg must be built: `make wasm`)
//
// Every measurement opens a fresh page. An init script (runs before the page's module) records:
//  - every long task (PerformanceObserver 'longtask', buffered) into window.__longtasks;
//  - every assignment of lde.progress (once per animation frame, after the frame's wasm work,
//    drawing and panel update) with its performance.now() time into window.__plog, and the
//    page's own per-frame time lde.lastFrameMs alongside it;
//  - every lde.app.advance() call's duration into window.__adv;
//  - every view drawn by the page (lde.drawMs) with its time and duration into window.__draws;
//  - when lde.ready becomes true.
// Times are in-page performance.now() milliseconds (0 = navigation start).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { start } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www');
const LONG = 50; // ms: a long task in the targets' sense
const RNN_WATCH_MS = Number(process.env.RNN_WATCH_MS || 20000);

for (const f of ['pkg/lde.js', 'pkg/lde_bg.wasm']) {
  if (!existsSync(path.join(www, f))) {
    console.error(`bench-browser: ${path.join('www', f)} is missing — build the wasm first with \`make wasm\`.`);
    process.exit(1);
  }
}

// ---------- in-page instrumentation ----------
function instrument() {
  window.__longtasks = [];
  window.__plog = []; // [t, done, label, frameMsOfPreviousFrame]
  window.__readyAt = null;
  window.__draws = []; // [t at the end of the draw, view, ms] from the page's lde.drawMs
  window.__adv = []; // [t at the end, ms] of every lde.app.advance() the page makes
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    window.__longtaskOk = true;
  } catch (e) {
    window.__longtaskOk = false;
  }
  const hook = (state) => {
    let progress, ready, lastFrame, app;
    Object.defineProperty(state, 'app', {
      configurable: true, enumerable: true, get: () => app,
      set: (v) => {
        app = v;
        if (v && typeof v.advance === 'function' && !Object.prototype.hasOwnProperty.call(v, 'advance')) {
          const advance = Object.getPrototypeOf(v).advance;
          v.advance = function (ms) {
            const t0 = performance.now();
            const r = advance.call(this, ms);
            const t1 = performance.now();
            window.__adv.push([t1, t1 - t0]);
            return r;
          };
        }
      },
    });
    state.drawMs = new Proxy(state.drawMs || {}, {
      set: (o, k, v) => { o[k] = v; window.__draws.push([performance.now(), String(k), v]); return true; },
    });
    Object.defineProperty(state, 'progress', {
      configurable: true, enumerable: true, get: () => progress,
      set: (v) => { progress = v; window.__plog.push([performance.now(), !!v.done, String(v.label), lastFrame]); },
    });
    Object.defineProperty(state, 'lastFrameMs', {
      configurable: true, enumerable: true, get: () => lastFrame, set: (v) => { lastFrame = v; },
    });
    Object.defineProperty(state, 'ready', {
      configurable: true, enumerable: true, get: () => ready,
      set: (v) => { ready = v; if (v && window.__readyAt === null) window.__readyAt = performance.now(); },
    });
  };
  // app.js does `window.lde = state` at module start: hook the state object as it is assigned.
  Object.defineProperty(window, 'lde', {
    configurable: true, enumerable: true, get: () => undefined,
    set: (state) => {
      hook(state);
      Object.defineProperty(window, 'lde', { value: state, writable: true, configurable: true, enumerable: true });
    },
  });
}

// ---------- helpers ----------
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])) : NaN; };
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

let browser, server, base, version = '';

async function open(query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const resp = await page.goto(base + query);
  if (!resp || !resp.ok()) throw new Error(`page ${query} did not load (HTTP ${resp && resp.status()})`);
  try {
    await page.waitForFunction(() => window.lde && window.lde.ready, null, { timeout: 30000 });
  } catch {
    throw new Error(`page ${query} never became ready${errors.length ? ': ' + errors.join('; ') : ''}`);
  }
  const broken = await page.evaluate(() => window.lde.broken);
  if (broken) throw new Error(`page ${query}: the core reported an error: ${await page.textContent('#error')}`);
  return { page, context, errors, close: () => context.close() };
}

// Waits (polling each animation frame) until the page is done, or the timeout passes.
async function waitDone(page, timeout) {
  try {
    await page.waitForFunction(() => window.lde.progress && window.lde.progress.done && !window.lde.progress.animating, null, { polling: 'raf', timeout });
    return true;
  } catch { return false; }
}

// Everything the init script recorded, with the page's frames reconstructed: a frame is one
// assignment of lde.progress (after the frame's advance and draws); its duration lde.lastFrameMs
// arrives with the next record. Waits first so the long-task observer has delivered.
async function trace(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const tr = await page.evaluate(() => ({
    ok: window.__longtaskOk, tasks: window.__longtasks, plog: window.__plog, draws: window.__draws, adv: window.__adv, readyAt: window.__readyAt,
  }));
  tr.frames = tr.plog.map((r, i) => {
    const prev = i > 0 ? tr.plog[i - 1][0] : -Infinity;
    const adv = tr.adv.filter((x) => x[0] > prev && x[0] <= r[0]).pop();
    const from = adv ? adv[0] : prev;
    const draws = tr.draws.filter((d) => d[0] > from && d[0] <= r[0]);
    return { t: r[0], done: r[1], label: r[2] || (r[1] ? 'done' : ''), ms: i + 1 < tr.plog.length ? tr.plog[i + 1][3] : null, adv: adv ? adv[1] : null, draws };
  });
  return tr;
}

// "frame 199 ms = advance 8.1 + drawing 21.0 (pitchfork 21.0) + rest 170": rest is the page's own
// JavaScript in the frame (canvas sizing and the layout it forces, panels) outside wasm.
function describeFrame(f) {
  const dsum = f.draws.reduce((s, d) => s + d[2], 0);
  const dl = f.draws.filter((d) => d[2] >= 3).map((d) => `${d[1]} ${f1(d[2])}`).join(', ');
  const ms = f.ms == null ? '?' : f1(f.ms);
  const rest = f.ms == null ? '?' : f1(f.ms - (f.adv || 0) - dsum);
  return `frame ${ms} ms [${f.label}] = advance ${f1(f.adv ?? NaN)} + drawing ${f1(dsum)}${dl ? ` (${dl})` : ''} + rest ${rest}`;
}

// Long tasks overlapping [t0, t1], the page frames inside each, the slowest draws per view.
async function longTasks(page, t0, t1) {
  const tr = await trace(page);
  const inside = tr.tasks.filter((t) => t.start + t.duration >= t0 && t.start <= t1);
  const max = inside.reduce((m, t) => Math.max(m, t.duration), 0);
  const over = inside.filter((t) => t.duration > LONG);
  const explain = (t) => {
    const fs = tr.frames.filter((f) => f.t >= t.start && f.t <= t.start + t.duration + 0.5);
    return fs.length ? fs.map(describeFrame).join(' | ') : 'no page frame inside: page start-up or browser work';
  };
  const worst = [...over].sort((a, b) => b.duration - a.duration).slice(0, 3)
    .map((t) => `${f1(t.duration)} ms at ${f1(t.start)} ms: ${explain(t)}`);
  const per = new Map();
  for (const d of tr.draws) if (d[0] >= t0 && d[0] <= t1) per.set(d[1], [...(per.get(d[1]) || []), d[2]]);
  const slowDraws = [...per].map(([v, xs]) => [v, Math.max(...xs), median(xs), xs.length]).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([v, m, md, n]) => `${v} max ${f1(m)} / median ${f1(md)} ms (${n} draws)`).join(', ');
  if (!tr.ok && !notes.some((n) => n.includes('longtask'))) notes.push('this Chromium does not report long tasks (PerformanceObserver "longtask" unsupported): long-task rows read 0');
  return { ok: tr.ok, max, count: over.length, n: inside.length, worst, slowDraws, tr };
}

// The k longest page frames in [t0, t1], broken down.
function longestFrames(tr, t0, t1, k = 3) {
  return tr.frames.filter((f) => f.t >= t0 && f.t <= t1 && f.ms != null).sort((a, b) => b.ms - a.ms).slice(0, k).map(describeFrame);
}

// The lab's work slicing without the page's scheduler: a fresh App on `query`, advanced in a tight
// loop with the page's budget (8 ms) until done or `capMs` of compute. Each call is attributed to
// the stage (label up to its first digit) it returned, or, when it returned done, to the last stage.
// Returns per stage: calls, total ms of wasm compute, longest call (a slice overrunning its budget).
async function sliceProfile(page, query, budget = 8, capMs = 20000) {
  return page.evaluate(({ query, budget, capMs }) => {
    const App = window.lde.app.constructor;
    const a = new App(query);
    const stages = new Map();
    let last = '', total = 0, done = false;
    while (total < capMs) {
      const t0 = performance.now();
      const p = JSON.parse(a.advance(budget));
      const dt = performance.now() - t0;
      total += dt;
      const stage = p.done ? last : String(p.label).replace(/\s*[\d(].*$/, '').trim() || '(unlabelled)';
      last = stage;
      const st = stages.get(stage) || { calls: 0, ms: 0, max: 0, maxLabel: '' };
      st.calls++; st.ms += dt;
      if (dt > st.max) { st.max = dt; st.maxLabel = p.done ? 'done' : p.label; }
      stages.set(stage, st);
      if (p.done) { done = true; break; }
    }
    a.free();
    return { done, total, stages: [...stages].map(([stage, v]) => ({ stage, ...v })) };
  }, { query, budget, capMs });
}

const fmtProfile = (pr) => pr.stages.map((s) => `"${s.stage}": ${s.calls} slices, ${s.ms.toFixed(0)} ms compute, longest slice ${s.max.toFixed(1)} ms (${s.maxLabel})`).join('; ')
  + (pr.done ? '' : ` — stopped after ${pr.total.toFixed(0)} ms of compute, not done`);

// Page frames between t0 and t1: how many, how often, and where the wall time went.
function busyRatio(tr, t0, t1) {
  const fs = tr.frames.filter((f) => f.t > t0 && f.t <= t1);
  const sum = (g) => fs.reduce((s, f) => s + (g(f) || 0), 0);
  const wall = t1 - t0, busy = sum((f) => f.ms), adv = sum((f) => f.adv), draw = sum((f) => f.draws.reduce((s, d) => s + d[2], 0));
  const pc = (x) => `${f1((100 * x) / wall)} %`;
  return `${fs.length} frames in ${f1(wall)} ms (one per ${f1(wall / Math.max(fs.length, 1))} ms); wasm advance ${f1(adv)} ms (${pc(adv)}), wasm drawing ${f1(draw)} ms (${pc(draw)}), whole frames ${f1(busy)} ms (${pc(busy)})`;
}

const rows = [];
const notes = [];
function row(name, value, target, pass, what) { rows.push({ name, value, target, pass, what }); }
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'pass' : 'FAIL');

// ---------- 1. Hebbian basins 100×100 ----------
async function hebbianBasins() {
  const q = '?lab=hebbian&net=pair&h=-2&grid=100';
  const { page, close } = await open(q);
  const done = await waitDone(page, 30000);
  const { plog, readyAt } = await page.evaluate(() => ({ plog: window.__plog, readyAt: window.__readyAt }));
  // the basins end within the frame whose record first shows a later stage (or done)
  const stage = (r) => (r[2].startsWith('equilibria') ? 0 : r[2].startsWith('basins') ? 1 : 2);
  const iLeave = plog.findIndex((r) => stage(r) === 2);
  const tBasins = iLeave >= 0 ? plog[iLeave][0] : NaN;
  const tDone = (plog.find((r) => r[1]) || [NaN])[0];
  const lt = await longTasks(page, 0, tBasins);
  const ltAll = await longTasks(page, 0, tDone);
  const ltAfterReady = await longTasks(page, readyAt, tBasins);
  row('hebbian: basins 100×100 done (from navigation)', `${f1(tBasins)} ms`, '< 2000 ms', verdict(tBasins < 2000),
    'navigation start → first frame whose progress has left "basins …" (includes loading the page and wasm, building the lab)');
  row('hebbian: basins 100×100 done (from lde.ready)', `${f1(tBasins - readyAt)} ms`, '(< 2000 ms)', verdict(tBasins - readyAt < 2000),
    `lde.ready (at ${f1(readyAt)} ms) → basins done: the sliced work alone`);
  row('hebbian: longest task, navigation → basins done', `${f1(lt.max)} ms (${lt.count} > 50 ms)`, '≤ 50 ms', verdict(lt.count === 0),
    lt.worst.length ? `worst: ${lt.worst.join('; ')}` : 'no task over 50 ms');
  row('hebbian: longest task, lde.ready → basins done', `${f1(ltAfterReady.max)} ms (${ltAfterReady.count} > 50 ms)`, '≤ 50 ms', verdict(ltAfterReady.count === 0),
    'the same, excluding page load and the lab\'s construction');
  row('hebbian: all work done (from navigation)', done ? `${f1(tDone)} ms` : 'not done in 30 s', '—', 'n/a',
    `equilibria, basins, stable-count sweep, ε-sweep; longest task ${f1(ltAll.max)} ms, ${ltAll.count} over 50 ms`);
  const busy = busyRatio(ltAll.tr, readyAt, tBasins);
  notes.push(`hebbian slowest page draws, navigation → basins done: ${lt.slowDraws}`);
  notes.push(`hebbian page frames, ready → basins done: ${busy}; longest ${longestFrames(ltAll.tr, 0, tDone).join(' || ')}`);
  const pr = await sliceProfile(page, q);
  const basins = pr.stages.find((x) => x.stage === 'basins');
  if (basins) row('hebbian: basins 100×100, wasm compute only', `${f1(basins.ms)} ms`, '(< 2000 ms)', verdict(basins.ms < 2000),
    `sum of advance(8) calls in the basins stage, tight loop without the page (longest slice ${f1(basins.max)} ms)`);
  notes.push(`hebbian slices (advance(8) in a tight loop): ${fmtProfile(pr)}`);
  const cat = await page.evaluate(() => window.lde.cat);
  await close();
  return cat;
}

// ---------- 2. Hebbian slider move (h) ----------
async function hebbianSlider() {
  const { page, close } = await open('?lab=hebbian&net=pair&h=-2&grid=100');
  await waitDone(page, 30000);
  const times = await page.evaluate(() => {
    const out = [];
    const app = window.lde.app;
    for (let i = 0; i < 31; i++) {
      const h = (-3 + (4 * i) / 30).toFixed(3); // −3 … 1 across the pitchfork
      const t0 = performance.now();
      app.set('h', h);
      out.push(performance.now() - t0);
    }
    return out;
  });
  row('hebbian: slider move h (app.set)', `median ${f1(median(times))} ms, max ${f1(Math.max(...times))} ms`, '< 5 ms', verdict(median(times) < 5),
    `${times.length} values of h in [−3, 1] (pair): rebuilds the lab = bifurcation diagram (240 h steps) + pair equilibria + numeric h_c + grid set-up`);
  await close();
}

// ---------- 3. Curl regime D ensemble ----------
async function curlEnsemble(cat) {
  const curl = cat.find((l) => l.id === 'curl');
  const preset = curl && curl.presets.find((p) => p.id === 'D');
  if (!preset) { notes.push('curl: no preset "D" in the catalogue; skipped'); return; }
  const q = `?lab=curl&${preset.link}`;
  const { page, close } = await open(q);
  const done = await waitDone(page, 30000);
  const { plog, readyAt } = await page.evaluate(() => ({ plog: window.__plog, readyAt: window.__readyAt }));
  const iEns = plog.findIndex((r) => r[2].startsWith('ensemble'));
  const tDone = (plog.find((r) => r[1]) || [NaN])[0];
  // the ensemble starts inside the frame that first reports it: take the end of the frame before
  const tEns = iEns > 0 ? plog[iEns - 1][0] : iEns === 0 ? readyAt : NaN;
  const ens = tDone - tEns;
  const total = tDone - readyAt;
  const ltEns = await longTasks(page, tEns, tDone);
  const ltAll = await longTasks(page, readyAt, tDone);
  notes.push(`curl D slowest page draws, ready → done: ${ltAll.slowDraws}`);
  const nFrames = plog.filter((r) => r[0] >= tEns && r[0] <= tDone).length;
  row('curl D: 12-seed ensemble (GD + curl)', done ? `${f1(ens)} ms` : 'not done in 30 s', '< 1500 ms', verdict(done && ens < 1500),
    `end of the last frame before "ensemble seed 1/12" → done; ${nFrames} frames, i.e. progressive (${preset.link})`);
  row('curl D: longest task during the ensemble', `${f1(ltEns.max)} ms (${ltEns.count} > 50 ms)`, '≤ 50 ms', verdict(ltEns.count === 0),
    ltEns.worst.length ? `worst: ${ltEns.worst.join('; ')}` : 'no task over 50 ms');
  row('curl D: everything (training, phase diagram, ensemble)', `${f1(total)} ms`, '(< 1500 ms)', verdict(done && total < 1500),
    `lde.ready → done; longest task ${f1(ltAll.max)} ms, ${ltAll.count} over 50 ms`);
  notes.push(`curl D page frames, ensemble: ${busyRatio(ltAll.tr, tEns, tDone)}; longest frames ready → done: ${longestFrames(ltAll.tr, readyAt, tDone).join(' || ')}`);
  const pr = await sliceProfile(page, q);
  const e = pr.stages.find((x) => x.stage === 'ensemble seed');
  if (e) row('curl D: 12-seed ensemble, wasm compute only', `${f1(e.ms)} ms`, '(< 1500 ms)', verdict(e.ms < 1500),
    `sum of advance(8) calls in the ensemble stage, tight loop without the page (longest slice ${f1(e.max)} ms)`);
  notes.push(`curl D slices (advance(8) in a tight loop): ${fmtProfile(pr)}`);
  await close();
}

// ---------- 4. Fixed-point 2-D heat map ----------
async function fixedPointHeatmap() {
  const { page, close } = await open('?lab=fixed_points');
  await waitDone(page, 30000);
  const r = await page.evaluate(() => {
    const App = window.lde.app.constructor;
    const shown = document.querySelector('section.lab:not([hidden]) canvas[data-view="slice"]');
    const sizes = [[shown ? shown.width : 600, shown ? shown.height : 450], [800, 550]];
    const build = [], heat = [], draw = [[], []];
    const canvases = sizes.map(([w, h]) => { const c = document.createElement('canvas'); c.width = w; c.height = h; return c; }); // offscreen (never attached)
    for (let i = 0; i < 7; i++) {
      let t0 = performance.now();
      const a = new App('?lab=fixed_points');
      build.push(performance.now() - t0);
      // the heat map is the lab's first unit of work; a zero budget stops right after it
      t0 = performance.now();
      a.advance(0);
      heat.push(performance.now() - t0);
      canvases.forEach((c, k) => {
        t0 = performance.now();
        a.draw('slice', c, 1);
        draw[k].push(performance.now() - t0);
      });
      a.free();
    }
    return { build, heat, draw, sizes };
  });
  // the first round includes any lazy set-up; report rounds 2–7
  const h = r.heat.slice(1), b = r.build.slice(1), [dp, d8] = r.draw.map((x) => x.slice(1));
  row('fixed_points: 2-D heat map 200×200 (compute)', `median ${f1(median(h))} ms, max ${f1(Math.max(...h))} ms`, '< 20 ms', verdict(median(h) < 20),
    'a fresh App(?lab=fixed_points).advance(0): its first work unit is slice::heatmap(200×200) (computed once in advance, not in the chart); plus a progress JSON');
  row(`fixed_points: slice view draw (page size ${r.sizes[0].join('×')})`, `median ${f1(median(dp))} ms, max ${f1(Math.max(...dp))} ms`, '(< 20 ms)', verdict(median(dp) < 20),
    `app.draw('slice', offscreen canvas of the page's size, 1) once the heat map exists: rasterising the 200×200 map + hyperbola + paths; construction alone ${f1(median(b))} ms`);
  row('fixed_points: slice view draw (800×550)', `median ${f1(median(d8))} ms, max ${f1(Math.max(...d8))} ms`, '(< 20 ms)', verdict(median(d8) < 20),
    'the same on an 800×550 canvas (draw time grows with the canvas pixels)');
  await close();
}

// ---------- 5. RNN: never block the page ----------
async function rnnWatch(cat, label, query) {
  const { page, close } = await open(query);
  const t0 = await page.evaluate(() => performance.now());
  const done = await waitDone(page, RNN_WATCH_MS);
  const { plog, readyAt } = await page.evaluate(() => ({ plog: window.__plog, readyAt: window.__readyAt }));
  const t1 = await page.evaluate(() => performance.now());
  const lt = await longTasks(page, readyAt, t1);
  const ltLoad = await longTasks(page, 0, readyAt);
  notes.push(`rnn ${label} slowest page draws: ${lt.slowDraws}`);
  row(`rnn ${label}: longest task`, `${f1(lt.max)} ms (${lt.count} > 50 ms)`, '≤ 50 ms', verdict(lt.count === 0),
    `lde.ready → ${done ? 'done' : `${f1((t1 - t0) / 1000)} s later (not done)`}; ${lt.worst.length ? `worst: ${lt.worst.join('; ')}` : 'no task over 50 ms'}; page load itself: ${f1(ltLoad.max)} ms`);
  notes.push(`rnn ${label} page frames: ${busyRatio(lt.tr, readyAt, t1)}; longest ${longestFrames(lt.tr, readyAt, t1).join(' || ')}; last label "${plog.length ? plog[plog.length - 1][2] : ''}"`);
  const pr = await sliceProfile(page, query, 8, 8000);
  const worst = pr.stages.reduce((m, x) => Math.max(m, x.max), 0);
  row(`rnn ${label}: longest advance(8) slice`, `${f1(worst)} ms`, '(≤ 50 ms)', verdict(worst <= LONG),
    'the lab\'s own slicing, tight loop without the page, first 8 s of compute');
  notes.push(`rnn ${label} slices (advance(8) in a tight loop): ${fmtProfile(pr)}`);
  await close();
}

// ---------- main ----------
const t00 = Date.now();
const load0 = os.loadavg()[0];
try {
  server = await start(www, 0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROME || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  version = browser.version();
} catch (e) {
  console.error(`bench-browser: could not start the server or Chromium: ${e.message}`);
  server?.close();
  process.exit(1);
}

// A measurement that throws is reported as an error row; a page that does not load fails the run.
let failed = false;
async function attempt(name, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = String(e && e.message ? e.message : e).split('\n')[0];
    if (/did not load|never became ready|reported an error/.test(msg)) failed = true;
    row(name, 'ERROR', '—', 'error', msg);
    console.error(`bench-browser: ${name}: ${msg}`);
    return null;
  }
}

try {
  const cat = (await attempt('hebbian: basins', hebbianBasins)) || [];
  const has = (id) => cat.some((l) => l.id === id);
  for (const id of ['hebbian', 'curl', 'rnn', 'fixed_points']) {
    if (cat.length && !has(id)) notes.push(`the built www/pkg has no "${id}" lab: it is stale — rebuild it with \`make wasm\``);
  }
  await attempt('hebbian: slider move', hebbianSlider);
  if (has('curl')) await attempt('curl D: ensemble', () => curlEnsemble(cat));
  if (has('fixed_points')) await attempt('fixed_points: heat map', fixedPointHeatmap);
  if (has('rnn')) {
    const rnn = cat.find((l) => l.id === 'rnn');
    await attempt('rnn default', () => rnnWatch(cat, 'default', '?lab=rnn'));
    const sweep = rnn.presets.find((p) => p.id === 'sweep_all');
    if (sweep) await attempt('rnn sweep preset', () => rnnWatch(cat, 'sweep preset', `?lab=rnn&${sweep.link}`));
    else notes.push('rnn: no preset "sweep_all" in the catalogue; sweep skipped');
  }
} finally {
  await browser.close();
  server.close();
}

// ---------- report ----------
const w0 = Math.max(...rows.map((r) => r.name.length), 11);
const w1 = Math.max(...rows.map((r) => r.value.length), 5);
const w2 = Math.max(...rows.map((r) => r.target.length), 6);
console.log(`\nIn-browser performance (Chromium ${version}, headless; ${os.cpus().length} CPUs, load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end; targets from the issues; informational)\n`);
console.log(`${'measurement'.padEnd(w0)}  ${'value'.padEnd(w1)}  ${'target'.padEnd(w2)}  result`);
console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ------`);
for (const r of rows) console.log(`${r.name.padEnd(w0)}  ${r.value.padEnd(w1)}  ${r.target.padEnd(w2)}  ${r.pass}`);
console.log('\nWhat each row measures:');
for (const r of rows) console.log(`  ${r.name}: ${r.what}`);
if (notes.length) { console.log('\nNotes:'); for (const n of notes) console.log(`  ${n}`); }
console.log(`\n(${f1((Date.now() - t00) / 1000)} s; long tasks from PerformanceObserver 'longtask'; a target in parentheses is a stricter reading, for information.)`);
process.exit(failed ? 1 : 0);

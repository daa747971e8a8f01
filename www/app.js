// Learning Dynamics Explorer: the page. It holds no science: it builds controls from the labs'
// parameter specs, keeps the link in sync, schedules the core's work in time slices, and asks
// the core to draw onto canvases.
import init, { App, catalogue } from './pkg/lde.js';
import { Pool } from './pool.js';
import { build, wasmModule } from './wasm.js';
import { warmFont, warmHeatmap } from './warm.js';
import { setupResults } from './results.js';
import { openLabResults } from './labresults.js';
import { $, el, download } from './dom.js';
import { buildFigure, syncLaunch } from './figure.js';
import { share, plainLink, setupShareDialog } from './share.js';
import { setupEmbedApi } from './embed.js';
import { sliderFor, fmtValue } from './controls.js';
import { bindLongWork, setPaused, cancelWork, progressLabel, checkLong, answerLong, askBefore } from './longwork.js';
import { bindPlayer, resetPlayer, playerRow, playerFrame } from './player.js';

// Per animation frame: simulation work, then drawing, kept well under the 50 ms long-task line.
// The core says which views changed (take_dirty); while work is in progress a view is redrawn
// at most every REDRAW_MS (a playing animated view every frame while it is on screen), and every
// changed view is drawn once more when the work is done, so no plot stays stale.
const WORK_MS = 30;       // compute-only frame
const DRAW_WORK_MS = 10;  // compute in a frame that also draws
const ANIM_WORK_MS = 8;   // compute while animating
const DRAW_MS = 10;       // drawing time per frame (one view at least)
const REDRAW_MS = 500;    // how often a changing view is redrawn while work is in progress
const state = {
  app: null, cat: [], info: null, dirty: new Set(), lastDraw: {}, animating: false,
  urlTimer: 0, broken: false, drawMs: {}, draws: {}, progress: null,
  pool: null, workers: 0, paused: false, cancelled: false, pageKeys: '',
};
window.lde = state; // for the end-to-end tests and the curious
const hooks = { state, guard: (fn, fb) => guard(fn, fb), currentSection: () => currentSection(), kick: () => kick() };
bindLongWork(hooks);
bindPlayer(hooks);

function showError(msg) {
  state.broken = true;
  const box = $('#error');
  box.hidden = false;
  box.textContent = `Something went wrong in the simulation core: ${msg}. Your link is unchanged — reload the page to start again.`;
  console.error('lde:', msg);
}

// Every call into wasm goes through here: a Rust panic becomes a visible error box.
function guard(fn, fallback) {
  if (state.broken) return fallback;
  try { return fn(); } catch (e) { showError(e && e.message ? e.message : String(e)); return fallback; }
}


// ---------- link state ----------
// A lab switch, a preset or Reset is a new history entry; slider moves replace the current
// entry (debounced). A "#…" link the page rewrites into "?…" drops its hash; a plain anchor stays.
function urlNow() {
  const link = guard(() => state.app.link(), null);
  if (link === null) return null;
  const hash = location.hash.includes('=') ? '' : location.hash;
  return `?${link}${state.pageKeys}${hash}`;
}

function syncUrl(push = false) {
  clearTimeout(state.urlTimer);
  if (push) {
    const url = urlNow();
    if (url !== null && url !== location.search + location.hash) history.pushState(null, '', url);
    linkChanged();
    return;
  }
  state.urlTimer = setTimeout(() => {
    const url = urlNow();
    if (url !== null) history.replaceState(null, '', url);
    linkChanged();
  }, 120);
}

/** After the link changed: the embed's "open in the explorer" link follows, the host hears of it. */
function linkChanged() {
  const link = plainLink(guard(() => state.app.link(), ''));
  const a = state.info && currentSection()?.querySelector('.open-full');
  if (a) a.href = `${location.origin}${location.pathname}?${link}`;
  state.embedApi?.changed();
}

/** Writes a pending slider change into the current entry before a new entry is pushed. */
function flushUrl() {
  clearTimeout(state.urlTimer);
  const url = urlNow();
  if (url !== null) history.replaceState(null, '', url);
}

// Back and Forward reopen the entry's link.
window.addEventListener('popstate', () => {
  if (!state.ready || state.broken) return;
  clearTimeout(state.urlTimer);
  const next = new App(location.search.length > 1 ? location.search : location.hash);
  state.app.free();
  state.app = next;
  selectLab(state.app.lab(), false);
});

// ---------- controls ----------
function refreshControls() {
  const values = JSON.parse(guard(() => state.app.values(), '{}'));
  const section = currentSection();
  for (const spec of state.info.specs) {
    const v = values[spec.key];
    const wrap = section.querySelector(`.control[data-key="${spec.key}"]`);
    if (!wrap || v === undefined) continue;
    const input = wrap.querySelector('[data-key]');
    const out = wrap.querySelector('.value');
    if (out) out.textContent = fmtValue(spec, v);
    if (spec.kind.type === 'choice') input.value = v;
    else if (spec.kind.type === 'points') { if (document.activeElement !== input) input.value = v; }
    else if (spec.kind.type === 'flag') input.checked = v === '1';
    else {
      const log = spec.kind.type === 'real' && spec.kind.log;
      if (document.activeElement !== input) input.value = log ? Math.log10(Number(v)) : v;
      const num = wrap.querySelector('.num');
      if (num && document.activeElement !== num) num.value = v;
      input.setAttribute('aria-valuetext', `${fmtValue(spec, v)}${spec.unit ? ' ' + spec.unit : ''}`);
    }
  }
  const seedOut = section.querySelector('.seed-value');
  if (seedOut) seedOut.textContent = values.seed;
  syncLaunch(section, (view) => guard(() => state.app.launch_point(view), 'null'));
}

function setParam(key, value) {
  const warning = guard(() => state.app.set(key, value), '');
  const note = currentSection().querySelector('.control-warning');
  if (warning) {
    note.hidden = false;
    note.textContent = `Ignored: ${warning}`;
  } else if (note) {
    note.hidden = true;
  }
  changed();
}

function changed(push = false) {
  refreshControls();
  state.progress = null;
  state.idle = false;
  state.cancelled = false;
  state.workStart = performance.now();
  state.asked = false;
  state.stageSeen = {};
  resetPlayer();
  syncUrl(push);
  askBefore();
  kick();
}

// ---------- section building ----------
function currentSection() {
  return document.querySelector(`section.lab[data-lab="${state.info.id}"]`);
}

/**
 * The lab's section, laid out figure first: its title and one sentence of what to look at,
 * then the workbench (key controls, hero figure, the rest), then the introduction and
 * equations that index.html holds.
 */
function ensureSection(info) {
  let s = document.querySelector(`section.lab[data-lab="${info.id}"]`);
  if (!s) {
    s = el('section', { class: 'lab', 'data-lab': info.id, id: `lab-${info.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${info.id}`, hidden: true },
      el('div', { class: 'prose chrome' }, el('h2', { text: info.title })));
    $('#main').append(s);
  }
  if (!s.querySelector('.lab-head')) {
    const prose = s.querySelector('.prose');
    const head = el('div', { class: 'lab-head' });
    for (const sel of ['h2', '.lede']) { const e = prose?.querySelector(sel); if (e) head.append(e); }
    head.append(el('p', { class: 'cite-line small' }, info.cite, ' ',
      el('a', { class: 'open-full', href: '.', target: '_blank', rel: 'noopener', text: 'Open in the explorer' })));
    s.prepend(head);
  }
  return s;
}

function fileBase(view) {
  const seed = JSON.parse(guard(() => state.app.values(), '{}')).seed;
  return `lde-${state.info.id}-${view}-seed${seed}`;
}

function presetRow(info, section) {
  const row = el('div', { class: 'presets' });
  for (const p of info.presets) {
    row.append(el('button', {
      type: 'button', text: p.label, title: p.note, 'data-preset': p.id,
      onclick: () => {
        flushUrl();
        guard(() => state.app.preset(p.id));
        const n = section.querySelector('.preset-note');
        n.hidden = false;
        n.textContent = `${p.label}: ${p.note}`;
        changed(true);
      },
    }));
  }
  return row;
}

function actionRow() {
  return el('div', { class: 'actions' },
    el('button', { type: 'button', text: 'Reset', title: 'All parameters back to their defaults, keeping the seed', onclick: () => { flushUrl(); guard(() => state.app.reset()); changed(true); } }),
    el('button', { type: 'button', text: 'Reseed', title: 'Draw a new random seed (new initial conditions and samples)', onclick: () => {
      const a = new Uint32Array(1); crypto.getRandomValues(a); setParam('seed', String(a[0]));
    } }),
    el('button', { type: 'button', text: 'Copy link', title: 'Copy a link that reopens exactly this view', onclick: () => share(guard(() => state.app.link(), ''), {}) }),
    el('button', { type: 'button', text: 'Embed', title: 'An <iframe> snippet that embeds this lab in another page', onclick: () => share(guard(() => state.app.link(), ''), { embed: true, title: state.info.title }) }),
    el('button', { type: 'button', text: 'Parameters JSON', title: 'Download the parameters as JSON', onclick: () => {
      download(`${fileBase('params')}.json`, new Blob([guard(() => state.app.params_json(), '{}')], { type: 'application/json' }));
    } }),
  );
}

const figureHooks = {
  app: () => state.app, guard, fileBase, changed: () => changed(),
  redraw: (id) => { state.dirty.add(id); state.lastDraw[id] = 0; kick(); },
  section: () => currentSection(),
  resultsViews: () => JSON.parse(guard(() => state.app.results_views(), '[]')),
  loaded: () => Boolean(state.resultsLoaded),
  setLoaded: (v) => { state.resultsLoaded = v; },
};

// Phone widths put the key controls directly above the hero; wider screens beside it.
const narrow = window.matchMedia('(max-width: 820px)');
function placeKeyControls() {
  const section = state.info && currentSection();
  const key = section?.querySelector('.key-controls');
  if (!key) return;
  if (narrow.matches) section.querySelector('.stage').prepend(key);
  else section.querySelector('.controls').prepend(key);
}
narrow.addEventListener('change', placeKeyControls);

/**
 * The workbench: controls (the key ones first), the hero figure with the progress bar,
 * then the readouts, notices and the remaining views.
 */
function buildWorkbench(info) {
  const section = ensureSection(info);
  section.querySelector('.workbench')?.remove();
  const values = JSON.parse(guard(() => state.app.values(), '{}'));
  const slider = (spec) => sliderFor(info.id, spec, values[spec.key], (v) => setParam(spec.key, v));
  const key = el('div', { class: 'key-controls', role: 'group', 'aria-label': `${info.short}: key parameters` },
    ...info.specs.filter((s) => info.key.includes(s.key)).map(slider));
  const controls = el('aside', { class: 'controls', 'aria-label': `${info.title}: controls` }, key);
  if (info.presets.length) {
    controls.append(el('h3', { text: 'Presets' }), presetRow(info, section), el('p', { class: 'help preset-note', role: 'status', hidden: true }));
  }
  controls.append(el('h3', { text: 'More parameters' }));
  for (const spec of info.specs) if (!info.key.includes(spec.key)) controls.append(slider(spec));
  controls.append(el('p', { class: 'notice control-warning', role: 'status', hidden: true }));
  controls.append(el('p', { class: 'small' }, 'seed ', el('span', { class: 'seed-value', text: values.seed })));
  controls.append(actionRow());

  const status = el('div', { class: 'status' },
    el('div', { class: 'progress-text', role: 'status', 'aria-live': 'polite' },
      el('progress', { max: 1, value: 0, 'aria-label': 'computation progress' }), el('span', { class: 'progress-label' })),
    el('button', { type: 'button', class: 'pause', 'aria-pressed': 'false', text: 'Pause', title: 'Pause or resume the computation', onclick: () => setPaused(!state.paused) }),
    el('button', { type: 'button', class: 'cancel', text: 'Cancel', title: 'Stop the computation (the plots keep what is done)', onclick: cancelWork }));
  const hero = info.views.find((v) => v.id === (state.single || info.hero)) || info.views[0];
  const heroFig = buildFigure(hero, figureHooks);
  heroFig.classList.add('hero');
  const ask = el('div', { class: 'notice long-ask', role: 'alert', hidden: true }, el('p'),
    el('button', { type: 'button', text: 'Run it', onclick: () => answerLong(true) }), ' ',
    el('button', { type: 'button', text: 'Cancel', onclick: () => answerLong(false) }));
  const stage = el('div', { class: 'stage' }, status, ask, heroFig);
  const readouts = el('dl', { class: 'readouts', 'aria-label': 'Live readouts' });
  const notices = el('div', { class: 'lab-notices' });
  const plots = el('div', { class: 'plots' });
  for (const v of info.views) if (v !== hero) plots.append(buildFigure(v, figureHooks));
  // the player sits under the first figure it animates (below it, so the plot never moves
  // when the player appears in the middle of a drag)
  const animated = [heroFig, ...plots.children].find((f) => info.views.find((v) => v.id === f.dataset.view)?.animated);
  if (animated) animated.querySelector('.canvas-wrap').after(playerRow(animated.querySelector('figcaption strong')?.textContent.replace(/\.\s*$/, '') || ''));
  const outputs = el('div', { class: 'outputs' }, readouts, notices, plots);
  section.querySelector('.lab-head').after(el('div', { class: 'workbench' }, controls, stage, outputs));
  placeKeyControls();
  state.resize?.disconnect();
  state.resize = new ResizeObserver((entries) => {
    for (const e of entries) { state.dirty.add(e.target.dataset.view); state.lastDraw[e.target.dataset.view] = 0; }
    kick();
  });
  for (const c of section.querySelectorAll('canvas')) state.resize.observe(c);
  // Which views are on screen: an animated view off screen is redrawn like any other
  // changing view (every REDRAW_MS), not every frame, and at once when it scrolls into view.
  state.visible?.disconnect();
  state.onScreen = new Set();
  state.visible = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const id = e.target.dataset.view;
      if (e.isIntersecting) { state.onScreen.add(id); state.lastDraw[id] = 0; } else state.onScreen.delete(id);
    }
    kick();
  });
  for (const c of section.querySelectorAll('canvas[data-view]')) state.visible.observe(c);
  requestAnimationFrame(() => focusableScrollers(section));
}

// A formula or paragraph too wide for the screen scrolls in its own box: keyboard users reach
// it with Tab (and scroll it with the arrows) exactly when it scrolls.
function focusableScrollers(section) {
  for (const e of section.querySelectorAll('.prose math[display="block"], .prose p, .prose li, .prose td')) {
    if (e.scrollWidth > e.clientWidth + 1) e.setAttribute('tabindex', '0');
    else e.removeAttribute('tabindex');
  }
}
window.addEventListener('resize', () => {
  clearTimeout(state.scrollTimer);
  state.scrollTimer = setTimeout(() => state.info && focusableScrollers(currentSection()), 200);
});

function currentKeys(pending) {
  return new Set(pending.map((p) => `${p.id}|${p.link}`));
}

// ---------- drawing and scheduling ----------
function viewOf(id) { return state.info.views.find((v) => v.id === id); }

function drawView(id) {
  const canvas = currentSection()?.querySelector(`canvas[data-view="${id}"]`);
  if (!canvas) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(100, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(80, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ms = guard(() => state.app.draw(id, canvas, dpr), null);
  if (ms !== null) {
    state.drawMs[id] = ms;
    state.draws[id] = (state.draws[id] || 0) + 1;
    const fig = canvas.closest('figure');
    const t = fig.querySelector('.timing');
    if (t) t.textContent = `drawn in ${ms.toFixed(0)} ms`;
    fig.refresh?.();
  }
}

function updatePanels(progress) {
  const section = currentSection();
  const bar = section.querySelector('.status progress');
  const label = section.querySelector('.progress-label');
  if (progress.done) { bar.value = 1; label.textContent = 'up to date'; } else {
    bar.value = progress.fraction;
    const what = state.cancelled ? 'cancelled' : state.paused ? 'paused' : 'computing';
    label.textContent = `${what}: ${progressLabel(progress)}`;
  }
  // Pause and Cancel are there while there is work to pause or cancel
  for (const b of section.querySelectorAll('.status button')) b.hidden = progress.done && !state.paused;
  // the readouts and notices are rebuilt only when they change: a rebuilt DOM costs a style,
  // layout and paint pass, which every frame would take from the workers' cores
  const roText = guard(() => state.app.readouts(), '[]');
  const dl = section.querySelector('.readouts');
  if (dl.dataset.json !== roText) {
    dl.dataset.json = roText;
    dl.replaceChildren(...JSON.parse(roText).map((r) => el('div', { title: r.help }, el('dt', { text: r.label }), el('dd', { text: r.value }))));
  }
  const nsText = guard(() => state.app.notices(), '[]');
  const box = section.querySelector('.lab-notices');
  if (box.dataset.json !== nsText) {
    box.dataset.json = nsText;
    box.replaceChildren(...JSON.parse(nsText).map((n) => el('p', { class: 'notice', role: 'note', text: n })));
  }
}

// A lab's first draws run on cold code (the JIT has not yet optimised the drawing path) and,
// on a machine with as many workers as cores, busy workers would preempt them: a 20 ms draw
// measured 45-65 ms of wall time with two workers computing on two cores. So the pool gets its
// first jobs once every view of the lab has been drawn once (a few frames, about 0.1 s), and
// at the latest after HOLD_MS.
const HOLD_MS = 400;
function holding() {
  if (state.firstDrawn) return false;
  state.holdSince ??= performance.now();
  return performance.now() - state.holdSince < HOLD_MS;
}

let scheduled = false;
function kick() {
  clearTimeout(soon);
  soon = 0;
  if (!scheduled && !state.broken) { scheduled = true; requestAnimationFrame(frame); }
}

// While the workers compute and nothing animates, the page wakes TICK_MS apart instead of
// every frame: views redraw at most every REDRAW_MS then anyway, and a frame that only moves
// the progress bar still costs a paint and a composite. On 2 cores those took about a third
// of a core from the workers (Chromium trace of the Hebbian lab: 0.8 s paint, 0.7 s commit).
const TICK_MS = 100;
let soon = 0;
function kickSoon() {
  if (scheduled || soon || state.broken) return;
  const wait = Math.max(0, TICK_MS - (performance.now() - (state.frameAt || 0)));
  soon = setTimeout(() => { soon = 0; kick(); }, wait);
}

const DONE = '{"done":true,"fraction":1,"label":"","animating":false,"stages":[]}';

function frame() {
  scheduled = false;
  if (state.broken) return;
  if (state.fresh) {
    // A freshly built section's first layout (MathML, controls, canvases) is the costliest
    // part of a frame: give it a frame of its own instead of stacking work and drawing on it.
    state.fresh = false;
    void document.body.offsetHeight;
    kick();
    return;
  }
  const t0 = performance.now();
  state.frameAt = t0;
  let progress = state.progress;
  if (!progress || !progress.done) {
    if (state.pool) {
      // the workers compute; the main thread only hands out jobs and draws
      const pending = JSON.parse(guard(() => state.app.pending(), '[]'));
      state.pendingCache = pending;
      state.pool.cancelStale(currentKeys(pending));
      if (!state.paused && !state.cancelled && !holding()) state.pool.schedule(pending);
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else if (state.paused || state.cancelled) {
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else {
      const budget = state.animating ? ANIM_WORK_MS : state.dirty.size ? DRAW_WORK_MS : WORK_MS;
      progress = JSON.parse(guard(() => state.app.advance(budget), DONE));
    }
  }
  progress.animating = playerFrame();
  state.animating = progress.animating;
  for (const id of JSON.parse(guard(() => state.app.take_dirty(), '[]'))) state.dirty.add(id);
  const t1 = performance.now();
  for (const id of [...state.dirty]) {
    const v = viewOf(id);
    const recent = t1 - (state.lastDraw[id] || 0) < REDRAW_MS;
    // an animated view on screen is drawn every frame while it plays; off screen (on 2 cores
    // the toy's off-screen flows took most of a core from the workers) and while the work
    // runs, a changing view is drawn every REDRAW_MS
    const playing = v && v.animated && state.animating;
    if (recent && (playing ? !state.onScreen?.has(id) : !progress.done)) continue;
    state.dirty.delete(id);
    drawView(id);
    state.lastDraw[id] = performance.now();
    if (performance.now() - t1 > DRAW_MS) break;
  }
  if (state.dirty.size === 0) state.firstDrawn = true;
  checkLong(progress);
  updatePanels(progress);
  state.progress = progress;
  // idle: the work is done, the animation over and every changed view drawn
  const wasIdle = state.idle;
  state.idle = progress.done && !progress.animating && state.dirty.size === 0;
  if (state.idle && !wasIdle) state.embedApi?.done();
  state.lastFrameMs = performance.now() - t0;
  const waiting = !progress.done && !(state.pool ? false : state.paused || state.cancelled);
  // an animation nobody can see (its view scrolled away) advances TICK_MS apart, not every frame
  const watched = progress.animating && state.info.views.some((v) => v.animated && state.onScreen?.has(v.id));
  const unseen = progress.animating && !watched;
  if (state.pool && !progress.done && !watched && state.firstDrawn) {
    // the workers compute: their results wake the page (no sooner than TICK_MS apart)
    if (waiting || unseen || state.dirty.size || state.pool.busy()) kickSoon();
  } else if (unseen && !(waiting && !state.pool)) kickSoon();
  else if (waiting || watched || state.dirty.size || state.pool?.busy()) kick();
}

// ---------- tabs ----------
function buildTabs() {
  const tabs = $('#tabs');
  tabs.replaceChildren();
  for (const info of state.cat) {
    const b = el('button', {
      role: 'tab', id: `tab-${info.id}`, 'aria-controls': `lab-${info.id}`, type: 'button', text: info.short, title: info.title, 'data-lab': info.id,
      onclick: () => selectLab(info.id, true),
    });
    b.addEventListener('keydown', (ev) => {
      const all = [...tabs.querySelectorAll('[role="tab"]')];
      const i = all.indexOf(b);
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % all.length;
      if (ev.key === 'ArrowLeft') j = (i - 1 + all.length) % all.length;
      if (j !== null) { all[j].focus(); all[j].click(); ev.preventDefault(); }
    });
    tabs.append(b);
  }
}

function selectLab(id, userAction) {
  const switching = userAction && id !== state.app.lab();
  if (switching) { flushUrl(); guard(() => state.app.switch_lab(id)); state.resultsLoaded = false; }
  state.info = state.cat.find((c) => c.id === state.app.lab());
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t.dataset.lab === state.info.id;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
  }
  for (const s of document.querySelectorAll('section.lab')) s.hidden = s.dataset.lab !== state.info.id;
  buildWorkbench(state.info);
  state.fresh = true;
  state.firstDrawn = false;
  state.holdSince = undefined;
  state.lastDraw = {};
  guard(() => state.app.mark_all());
  document.title = `${state.info.title} · Learning Dynamics Explorer`;
  changed(switching);
}

// ---------- start ----------
/** The pool size: the link's workers=N (0: compute in the page), else the cores, at most 8. */
function poolSize() {
  const q = new URLSearchParams(location.search.length > 1 ? location.search : location.hash.slice(1));
  const w = q.get('workers');
  if (w !== null && /^\d+$/.test(w.trim())) {
    const n = Math.min(16, Number(w));
    state.pageKeys = `&workers=${n}`;
    return n;
  }
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
}

async function startPool() {
  const n = poolSize();
  state.workers = n;
  if (n === 0) return;
  try {
    if (typeof Worker === 'undefined') throw new Error('no Worker');
    state.pool = await Pool.create(n, await wasmModule());
    state.pool.onresult = (stage, link, index, bytes, finished, fraction) => {
      const r = guard(() => state.app.absorb(stage, link, index, bytes, finished, fraction), 'ok');
      if (r !== 'ok' && r !== 'stale') pageNotice(`A result of the ${stage} stage did not fit and was dropped: ${r}`);
      kickSoon();
    };
    state.pool.onerror = (m) => pageNotice(`A job failed in a worker: ${m}`);
    state.pool.source = () => (state.paused || state.cancelled ? [] : JSON.parse(guard(() => state.app.pending(), '[]')));
  } catch (e) {
    state.pool?.terminate();
    state.pool = null;
    pageNotice('Web Workers are not available here (for example, a page opened from file://): computing on the page itself, on one core.');
  }
}

/** `view=<id>` with `embed=1`: the page shows that one view with its controls. */
function singleView() {
  const q = new URLSearchParams(location.search.length > 1 ? location.search : location.hash.slice(1));
  const v = q.get('view');
  if (v === null) return;
  const info = state.cat.find((c) => c.id === state.app.lab());
  if (info && info.views.some((x) => x.id === v)) {
    state.single = v;
    state.pageKeys += `&view=${v}`;
    document.body.classList.add('single');
  } else {
    pageNotice(`There is no view "${v.slice(0, 40)}" in this lab: showing the whole lab.`);
  }
}

function pageNotice(text) {
  const n = $('#worker-notice');
  if (!n) return;
  n.hidden = false;
  n.textContent = text;
}

async function main() {
  try {
    const module = wasmModule();
    warmFont();
    await init({ module_or_path: await module });
    document.documentElement.dataset.wasm = build;
  } catch (e) {
    $('#loading').hidden = true;
    showError(`the WebAssembly module could not be loaded (${e.message || e})`);
    return;
  }
  $('#loading').hidden = true;
  warmHeatmap();
  state.cat = JSON.parse(catalogue());
  for (const info of state.cat) ensureSection(info);
  state.app = new App(location.search.length > 1 ? location.search : location.hash);
  await startPool();
  if (state.app.embed()) { document.body.classList.add('embed'); singleView(); }
  const warnings = JSON.parse(state.app.warnings());
  if (warnings.length) {
    const n = $('#link-notice');
    n.hidden = false;
    n.replaceChildren(el('strong', { text: 'Part of the link was ignored; the defaults are used for:' }), el('ul', {}, ...warnings.map((w) => el('li', { text: w }))));
  }
  buildTabs();
  setupResults((text, name) => openLabResults(figureHooks, text, name));
  setupShareDialog();
  state.embedApi = setupEmbedApi({
    lab: () => state.app.lab(),
    link: () => plainLink(guard(() => state.app.link(), '')),
    readouts: () => JSON.parse(guard(() => state.app.readouts(), '[]')),
    report: () => JSON.parse(guard(() => state.app.report_json(), 'null')),
    idle: () => Boolean(state.idle),
    set: (k, v) => guard(() => state.app.set(k, v), 'the core refused it'),
    applied: () => changed(),
  });
  selectLab(state.app.lab(), false);
  state.ready = true;
}

window.addEventListener('error', (e) => { if (String(e.message).match(/unreachable|RuntimeError|panicked/)) showError(e.message); });
window.addEventListener('unhandledrejection', (e) => showError(e.reason && e.reason.message ? e.reason.message : String(e.reason)));
main();

// Learning Dynamics Explorer: the page. It holds no science: it builds controls from the labs'
// parameter specs, keeps the link in sync, schedules the core's work in time slices, and asks
// the core to draw onto canvases.
import init, { App, catalogue } from './pkg/lde.js';
import { Pool } from './pool.js';
import { build, wasmModule } from './wasm.js';
import { setupResults } from './results.js';
import { $, el, download } from './dom.js';
import { buildFigure } from './figure.js';

// Per animation frame: simulation work, then drawing, kept well under the 50 ms long-task line.
// The core says which views changed (take_dirty); while work is in progress a view is redrawn
// at most every REDRAW_MS (animated views every frame), and every changed view is drawn once
// more when the work is done, so no plot stays stale.
const WORK_MS = 30;       // compute-only frame
const DRAW_WORK_MS = 10;  // compute in a frame that also draws
const ANIM_WORK_MS = 8;   // compute while animating
const DRAW_MS = 10;       // drawing time per frame (one view at least)
const REDRAW_MS = 500;    // how often a changing view is redrawn while work is in progress
const state = {
  app: null, cat: [], info: null, dirty: new Set(), lastDraw: {}, animating: false,
  urlTimer: 0, broken: false, drawMs: {}, progress: null,
  pool: null, workers: 0, paused: false, cancelled: false, pageKeys: '',
};
window.lde = state; // for the end-to-end tests and the curious

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

function fmtValue(spec, v) {
  if (spec.kind.type === 'real') {
    const x = Number(v);
    if (!Number.isFinite(x)) return v;
    if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)) return x.toExponential(2);
    return String(Math.round(x * 1e6) / 1e6);
  }
  return v;
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
    return;
  }
  state.urlTimer = setTimeout(() => {
    const url = urlNow();
    if (url !== null) history.replaceState(null, '', url);
  }, 120);
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
function sliderFor(spec, value, onChange) {
  const k = spec.kind;
  const id = `p-${state.info.id}-${spec.key}`;
  const helpId = `${id}-help`;
  const valueOut = el('span', { class: 'value', id: `${id}-value`, 'aria-hidden': 'true' });
  const label = el('label', { for: id, title: spec.help }, el('span', { text: spec.label + (spec.unit ? ` (${spec.unit})` : '') }), valueOut);
  const wrap = el('div', { class: 'control', 'data-key': spec.key });
  wrap.append(label);
  const help = el('p', { class: 'help sr-only', id: helpId, text: spec.help });
  let input;
  if (k.type === 'points') {
    // start points set by clicks and the Launch buttons; editable as text "x,y;x,y"
    input = el('input', { type: 'text', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key,
      value, placeholder: 'none (click a plot)', spellcheck: 'false', autocomplete: 'off' });
    input.addEventListener('change', () => onChange(input.value));
    wrap.append(input);
  } else if (k.type === 'choice') {
    input = el('select', { id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key });
    for (const o of k.options) input.append(el('option', { value: o, text: o }));
    input.value = value;
    input.addEventListener('change', () => onChange(input.value));
    wrap.append(input);
  } else if (k.type === 'flag') {
    input = el('input', { type: 'checkbox', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key });
    input.checked = value === '1';
    valueOut.hidden = true;
    label.classList.add('flag');
    input.addEventListener('change', () => onChange(input.checked ? '1' : '0'));
    wrap.querySelector('label').prepend(input);
  } else {
    // range + number input; log specs slide over log10
    const log = k.type === 'real' && k.log;
    const toSlider = (v) => (log ? Math.log10(v) : v);
    const fromSlider = (s) => (log ? 10 ** s : s);
    const step = k.type === 'int' ? 1 : log ? 0.01 : k.step || (k.max - k.min) / 400;
    input = el('input', {
      type: 'range', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key,
      min: toSlider(k.min), max: toSlider(k.max), step, value: toSlider(Number(value)),
    });
    const num = el('input', {
      type: 'number', class: 'num', min: k.min, max: k.max, step: k.type === 'int' ? 1 : 'any', value,
      'aria-label': `${spec.label} value`, title: spec.help, 'data-key-num': spec.key,
    });
    input.addEventListener('input', () => {
      let v = fromSlider(Number(input.value));
      if (log) v = Number(v.toPrecision(3));
      if (k.type === 'int') v = Math.round(v);
      num.value = v;
      onChange(String(v));
    });
    num.addEventListener('change', () => onChange(num.value));
    wrap.append(input, num);
    input.setAttribute('aria-valuetext', `${fmtValue(spec, value)}${spec.unit ? ' ' + spec.unit : ''}`);
  }
  wrap.append(help);
  return wrap;
}

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
  syncUrl(push);
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
    head.append(el('p', { class: 'cite-line small', text: info.cite }));
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
    el('button', { type: 'button', text: 'Copy link', title: 'Copy a link that reopens exactly this view', onclick: () => share(false) }),
    el('button', { type: 'button', text: 'Embed', title: 'An <iframe> snippet that embeds this lab in another page', onclick: () => share(true) }),
    el('button', { type: 'button', text: 'Parameters JSON', title: 'Download the parameters as JSON', onclick: () => {
      download(`${fileBase('params')}.json`, new Blob([guard(() => state.app.params_json(), '{}')], { type: 'application/json' }));
    } }),
  );
}

const figureHooks = {
  app: () => state.app, guard, fileBase, changed: () => changed(),
  redraw: (id) => { state.dirty.add(id); state.lastDraw[id] = 0; kick(); },
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
  const slider = (spec) => sliderFor(spec, values[spec.key], (v) => setParam(spec.key, v));
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
  const hero = info.views.find((v) => v.id === info.hero) || info.views[0];
  const heroFig = buildFigure(hero, figureHooks);
  heroFig.classList.add('hero');
  const stage = el('div', { class: 'stage' }, status, heroFig);
  const readouts = el('dl', { class: 'readouts', 'aria-label': 'Live readouts' });
  const notices = el('div', { class: 'lab-notices' });
  const plots = el('div', { class: 'plots' });
  for (const v of info.views) if (v !== hero) plots.append(buildFigure(v, figureHooks));
  const outputs = el('div', { class: 'outputs' }, readouts, notices, plots);
  section.querySelector('.lab-head').after(el('div', { class: 'workbench' }, controls, stage, outputs));
  placeKeyControls();
  state.resize?.disconnect();
  state.resize = new ResizeObserver((entries) => {
    for (const e of entries) { state.dirty.add(e.target.dataset.view); state.lastDraw[e.target.dataset.view] = 0; }
    kick();
  });
  for (const c of section.querySelectorAll('canvas')) state.resize.observe(c);
}

async function share(embed) {
  const url = new URL(location.href);
  url.search = `?${guard(() => state.app.link(), '')}${embed ? '&embed=1' : ''}`;
  const text = embed
    ? `<iframe src="${url.href}" width="100%" height="980" style="border:0" loading="lazy" allow="clipboard-write" title="Learning Dynamics Explorer: ${state.info.title}"></iframe>`
    : url.href;
  const d = $('#share-dialog');
  $('#share-title').textContent = embed ? 'Embed this lab' : 'Link to this view';
  $('#share-label').textContent = embed ? 'HTML snippet' : 'Link';
  $('#share-text').value = text;
  $('#share-status').textContent = '';
  if (!embed) await copy(text);
  if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
  $('#share-text').select();
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $('#share-status').textContent = 'Copied to the clipboard.';
  } catch {
    $('#share-status').textContent = 'Select the text and copy it (the clipboard is not available here).';
  }
}

// ---------- long work: pause, cancel, progress ----------
function setPaused(p) {
  state.paused = p;
  if (!p) state.cancelled = false;
  state.pool?.pause(p);
  const b = currentSection()?.querySelector('.status .pause');
  if (b) { b.textContent = p ? 'Resume' : 'Pause'; b.setAttribute('aria-pressed', p ? 'true' : 'false'); }
  kick();
}

function cancelWork() {
  state.cancelled = true;
  state.pool?.cancelAll();
  setPaused(true);
  state.cancelled = true;
  kick();
}

/** "sweep over g: 5/12 runs, ~8 s left" for the first unfinished stage. */
function progressLabel(progress) {
  const st = progress.stages.find((s) => s.done < s.total);
  if (!st) return '';
  let text = `${st.label}: ${st.done}/${st.total} ${st.noun}`;
  if (state.pool) {
    const pending = state.pendingCache || [];
    let ms = 0;
    let known = true;
    for (const p of pending) {
      const per = state.pool.jobMs(p.id, p.link);
      if (per === undefined) { known = false; break; }
      ms += per * p.jobs.length;
    }
    if (known && pending.length) text += `, ~${Math.max(1, Math.round(ms / state.pool.size / 1000))} s left`;
  }
  return text;
}

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
  for (const b of section.querySelectorAll('.status button')) b.disabled = progress.done && !state.paused;
  const ro = JSON.parse(guard(() => state.app.readouts(), '[]'));
  const dl = section.querySelector('.readouts');
  dl.replaceChildren(...ro.map((r) => el('div', { title: r.help }, el('dt', { text: r.label }), el('dd', { text: r.value }))));
  const ns = JSON.parse(guard(() => state.app.notices(), '[]'));
  const box = section.querySelector('.lab-notices');
  box.replaceChildren(...ns.map((n) => el('p', { class: 'notice', role: 'note', text: n })));
}

let scheduled = false;
function kick() {
  if (!scheduled && !state.broken) { scheduled = true; requestAnimationFrame(frame); }
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
  let progress = state.progress;
  if (!progress || !progress.done) {
    if (state.pool) {
      // the workers compute; the main thread only hands out jobs and draws
      const pending = JSON.parse(guard(() => state.app.pending(), '[]'));
      state.pendingCache = pending;
      state.pool.cancelStale(currentKeys(pending));
      if (!state.paused && !state.cancelled) state.pool.schedule(pending);
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else if (state.paused || state.cancelled) {
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else {
      const budget = state.animating ? ANIM_WORK_MS : state.dirty.size ? DRAW_WORK_MS : WORK_MS;
      progress = JSON.parse(guard(() => state.app.advance(budget), DONE));
    }
  }
  if (progress.animating) progress.animating = guard(() => state.app.tick(), false);
  state.animating = progress.animating;
  for (const id of JSON.parse(guard(() => state.app.take_dirty(), '[]'))) state.dirty.add(id);
  const t1 = performance.now();
  for (const id of [...state.dirty]) {
    const v = viewOf(id);
    const recent = t1 - (state.lastDraw[id] || 0) < REDRAW_MS;
    if (!progress.done && recent && !(v && v.animated)) continue;
    state.dirty.delete(id);
    drawView(id);
    state.lastDraw[id] = performance.now();
    if (performance.now() - t1 > DRAW_MS) break;
  }
  updatePanels(progress);
  state.progress = progress;
  // idle: the work is done, the animation over and every changed view drawn
  state.idle = progress.done && !progress.animating && state.dirty.size === 0;
  state.lastFrameMs = performance.now() - t0;
  const waiting = !progress.done && !(state.pool ? false : state.paused || state.cancelled);
  if (waiting || progress.animating || state.dirty.size || state.pool?.busy()) kick();
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
  if (switching) { flushUrl(); guard(() => state.app.switch_lab(id)); }
  state.info = state.cat.find((c) => c.id === state.app.lab());
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t.dataset.lab === state.info.id;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
  }
  for (const s of document.querySelectorAll('section.lab')) s.hidden = s.dataset.lab !== state.info.id;
  buildWorkbench(state.info);
  state.fresh = true;
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
      if (r !== 'ok' && r !== 'stale') workerNotice(`A result of the ${stage} stage did not fit and was dropped: ${r}`);
      kick();
    };
    state.pool.onerror = (m) => workerNotice(`A job failed in a worker: ${m}`);
    state.pool.source = () => (state.paused || state.cancelled ? [] : JSON.parse(guard(() => state.app.pending(), '[]')));
  } catch (e) {
    state.pool?.terminate();
    state.pool = null;
    workerNotice('Web Workers are not available here (for example, a page opened from file://): computing on the page itself, on one core.');
  }
}

function workerNotice(text) {
  const n = $('#worker-notice');
  if (!n) return;
  n.hidden = false;
  n.textContent = text;
}

async function main() {
  try {
    await init({ module_or_path: await wasmModule() });
    document.documentElement.dataset.wasm = build;
  } catch (e) {
    $('#loading').hidden = true;
    showError(`the WebAssembly module could not be loaded (${e.message || e})`);
    return;
  }
  $('#loading').hidden = true;
  state.cat = JSON.parse(catalogue());
  for (const info of state.cat) ensureSection(info);
  state.app = new App(location.search.length > 1 ? location.search : location.hash);
  await startPool();
  if (state.app.embed()) document.body.classList.add('embed');
  const warnings = JSON.parse(state.app.warnings());
  if (warnings.length) {
    const n = $('#link-notice');
    n.hidden = false;
    n.replaceChildren(el('strong', { text: 'Part of the link was ignored; the defaults are used for:' }), el('ul', {}, ...warnings.map((w) => el('li', { text: w }))));
  }
  buildTabs();
  setupResults();
  $('#share-close').addEventListener('click', () => $('#share-dialog').close());
  $('#share-copy').addEventListener('click', () => copy($('#share-text').value));
  selectLab(state.app.lab(), false);
  state.ready = true;
}

window.addEventListener('error', (e) => { if (String(e.message).match(/unreachable|RuntimeError|panicked/)) showError(e.message); });
window.addEventListener('unhandledrejection', (e) => showError(e.reason && e.reason.message ? e.reason.message : String(e.reason)));
main();
